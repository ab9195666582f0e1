"""The report's section on the breach log and the request log: counts and overdue items, by ID only.

Built from `assessment.meta["records"]` (rules.assess), so the report stays a pure function of the
assessment. Kept apart from report/sections.py: its own view-model and its own template partials
(reports/records.html.j2, reports/records.md.j2).
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from .deadlines import KINDS


class RecordRow(BaseModel):
    kind: str
    id: str
    what: str
    due: str
    state: str  # overdue | due
    state_label: str
    bill: str = ""  # "au titre du projet de loi" for NIS2 clocks


class RecordsView(BaseModel):
    available: bool = False
    title: str = ""
    breach_text: str = ""
    request_text: str = ""
    overdue: list[RecordRow] = Field(default_factory=list)
    due: list[RecordRow] = Field(default_factory=list)
    labels: dict[str, str] = Field(default_factory=dict)


def _tr(lang: str, pair: tuple[str, str]) -> str:
    return pair[1] if lang == "en" else pair[0]


def _when(iso) -> str:
    """'2026-03-31 13:00', or the day alone for a deadline that ends with the day (requests, register)."""
    text = str(iso or "—")
    return text[:10] if text[11:16] == "23:59" else text[:16].replace("T", " ")


def records_view(meta: dict | None, lang: str) -> RecordsView:
    from ..report.common import clean
    from .clocks import BILL, STATES

    meta = meta or {}
    if not meta.get("available"):
        return RecordsView()
    L = lambda fr, en: _tr(lang, (fr, en))  # noqa: E731
    b, r = meta.get("breaches") or {}, meta.get("requests") or {}
    nb, nr = int(b.get("total", 0)), int(r.get("total", 0))
    breach_text = (L(f"{nb} violation(s) consignée(s), dont {b.get('open', 0)} non close(s) et {b.get('notified', 0)} "
                     "notifiée(s) à la CNIL.",
                     f"{nb} breach(es) recorded, {b.get('open', 0)} not closed and {b.get('notified', 0)} notified to "
                     "the CNIL.") if nb else
                   L("Aucune violation consignée dans l'espace de travail (`cyberaudit incident add`).",
                     "No breach recorded in the workspace (`cyberaudit incident add`)."))
    request_text = (L(f"{nr} demande(s) d'exercice des droits, dont {r.get('open', 0)} en cours et {r.get('late', 0)} "
                      "traitée(s) ou en attente au-delà du délai.",
                      f"{nr} data subject request(s), {r.get('open', 0)} open and {r.get('late', 0)} answered or "
                      "pending beyond the deadline.") if nr else
                    L("Aucune demande d'exercice des droits suivie dans l'espace de travail (`cyberaudit request add`).",
                      "No data subject request tracked in the workspace (`cyberaudit request add`)."))

    def rows(items) -> list[RecordRow]:
        out = []
        for i in items or []:
            what = i.get("what") or {}
            state = str(i.get("state", ""))
            out.append(RecordRow(kind=_tr(lang, KINDS.get(i.get("kind"), ("", ""))), id=clean(i.get("id", ""), 40),
                                 what=clean(what.get(lang) or what.get("fr", ""), 200),
                                 due=_when(i.get("due")), state=state,
                                 state_label=_tr(lang, STATES.get(state, ("", ""))),
                                 bill=_tr(lang, BILL) if i.get("bill") else ""))
        return out

    return RecordsView(
        available=True, title=L("Registres des violations et des demandes", "Breach and request logs"),
        breach_text=breach_text, request_text=request_text, overdue=rows(meta.get("overdue")), due=rows(meta.get("due")),
        labels={"overdue": L("En retard", "Overdue"), "due": L("À faire", "Due"), "kind": L("Registre", "Log"),
                "id": L("Référence", "Reference"), "what": L("Échéance", "Deadline"), "date": L("Date limite", "Due by"),
                "none": L("Aucune échéance dépassée.", "No deadline missed.")})
