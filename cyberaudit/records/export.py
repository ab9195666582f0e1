"""`incident export` and `request export`: CSV or ODS, French column names, formula-safe.

CSV cells that a spreadsheet would run as a formula (= + - @ ') get a leading quote, through the
register's guard (register.export.csv_document); ODS cells are typed as text, never formulas.
Times are shown in the organisation's zone with their offset.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from ..register.export import csv_document, ods_document
from ..register.model import SUBJECTS
from ..sanitize import strip_control
from .clocks import STATES, breach_clocks, request_clock
from .model import DATA_KINDS, NATURES, ORIGINS, OUTCOMES, RIGHTS, Breach, Request
from .steps import RISKS

FORMATS = ("csv", "ods")
BREACH_HEADERS = ("Référence", "Résumé", "Début", "Prise de connaissance", "Origine", "Nature",
                  "Catégories de données", "Catégories de personnes", "Personnes (environ)", "Enregistrements (environ)",
                  "Données chiffrées", "Circonstances", "Conséquences probables", "Mesures prises", "Mesures envisagées",
                  "Risque (appréciation du DPO)", "Notifiée à la CNIL", "Notifiée le", "N° de notification",
                  "Motif de non-notification", "Motifs du retard", "Échéance 72 h", "État 72 h", "Personnes informées",
                  "Informées le", "Moyen", "Motif de non-information", "Activités du registre", "Suivi par", "Close le")
REQUEST_HEADERS = ("Référence", "Droit exercé", "Reçue le", "Canal", "Classement", "Identité vérifiée",
                   "Activités du registre", "Prolongation décidée le", "Personne prévenue le", "Motif de la prolongation",
                   "Échéance", "État", "Répondue le", "Issue", "Motif du refus", "Suivi par")


def _yn(v: bool | None) -> str:
    return "" if v is None else "oui" if v else "non"


def _when(v: dt.datetime | None, tz: ZoneInfo) -> str:
    if v is None:
        return ""
    local = v.astimezone(tz)
    return local.isoformat(timespec="minutes")


def _fr(keys, table) -> str:
    return ", ".join(table[k][0] for k in keys)


def breach_rows(items: list[Breach], now: dt.datetime, tz: ZoneInfo) -> list[list[str]]:
    out = []
    for b in sorted(items, key=lambda x: x.id):
        c = breach_clocks(b, now, None, tz)[0]
        out.append([b.id, b.title, _when(b.occurred_at, tz), _when(b.aware_at, tz),
                    ORIGINS[b.origin][0] if b.origin else "", _fr(b.nature, NATURES), _fr(b.data_categories, DATA_KINDS),
                    _fr(b.subject_categories, SUBJECTS), "" if b.people_count is None else str(b.people_count),
                    "" if b.records_count is None else str(b.records_count), _yn(b.encrypted), b.description or "",
                    b.consequences or "", b.measures_taken or "", b.measures_proposed or "",
                    RISKS[b.risk][0] if b.risk else "", _yn(b.cnil.notified), _when(b.cnil.notified_at, tz),
                    b.cnil.reference or "", b.cnil.reason_not or "", b.cnil.delay_reason or "", _when(c.due, tz),
                    STATES[c.state][0], _yn(b.people.informed), _when(b.people.informed_at, tz), b.people.how or "",
                    b.people.reason_not or "", ", ".join(b.activities), b.handler or "",
                    b.closed_on.isoformat() if b.closed_on else ""])
    return out


def request_rows(items: list[Request], now: dt.datetime, tz: ZoneInfo) -> list[list[str]]:
    out = []
    for r in sorted(items, key=lambda x: x.id):
        rc = request_clock(r, now, tz)
        ext = r.extension
        out.append([r.id, RIGHTS[r.right][0], r.received_on.isoformat(), r.channel or "", r.reference,
                    _yn(r.identity_checked), ", ".join(r.activities), ext.decided_on.isoformat() if ext else "",
                    ext.told_on.isoformat() if ext else "", (ext.reason or "") if ext else "", rc.due.isoformat(),
                    STATES[rc.state][0], r.answered_on.isoformat() if r.answered_on else "",
                    OUTCOMES[r.outcome][0] if r.outcome else "", r.refusal_reason or "", r.handler or ""])
    return out


def export(kind: str, items: list, fmt: str, *, now: dt.datetime, tz: ZoneInfo) -> bytes:
    if kind == "breach":
        sheet, headers, data = "Violations", BREACH_HEADERS, breach_rows(items, now, tz)
    else:
        sheet, headers, data = "Demandes", REQUEST_HEADERS, request_rows(items, now, tz)
    data = [[strip_control(c, keep_newlines=True) for c in row] for row in data]  # no terminal escapes either
    if fmt == "csv":
        return csv_document(headers, data)
    return ods_document([(sheet, [list(headers), *data])])
