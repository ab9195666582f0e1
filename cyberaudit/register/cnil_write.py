"""`register export --format ods|xlsx`: the register written in the CNIL model's layout.

Sheets: `2_-_Liste_des_traitements` (controller, representative and DPO blocks, then one row per
activity, as in the model), one fiche per activity laid out like the model's fiche (same labels,
blocks and columns; the fields the model has no place for follow in a "Compléments" block), and
`5_-_Listes` (the vocabularies). Values in French; dates are date cells. `cnil_read` reads it back
to the same activities. The sheets are built once as grids (`Grid`); `workbook_io` writes ODS or XLSX.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from . import fiche_layout as L
from . import vocab as V
from .model import Activity, dump
from .table import cell_text, get_path, retention_text

Value = str | dt.date


@dataclass
class Grid:
    name: str
    cells: dict[tuple[int, int], Value] = field(default_factory=dict)
    merges: list[tuple[int, int, int]] = field(default_factory=list)  # (row, first col, last col)
    bold: set[tuple[int, int]] = field(default_factory=set)
    widths: dict[int, float] = field(default_factory=dict)  # column -> width in cm
    row: int = 0

    def put(self, row: int, col: int, value: Any, *, bold: bool = False, span: int = 1) -> None:
        if value is None or value == "":
            if bold:
                self.bold.add((row, col))
            return
        self.cells[(row, col)] = value if isinstance(value, dt.date) else str(value)
        if bold:
            self.bold.add((row, col))
        if span > 1:
            self.merges.append((row, col, col + span - 1))

    def line(self, *values: Any, bold: bool = False, spans: dict[int, int] | None = None) -> int:
        """Next row, values from column A (None skips a column)."""
        self.row += 1
        for c, v in enumerate(values, start=1):
            self.put(self.row, c, v, bold=bold or (c == 1 and bool(v)), span=(spans or {}).get(c, 1))
        return self.row


def _sheet_name(a: Activity, taken: set[str]) -> str:
    from ..sanitize import strip_control

    base = re.sub(r"[\[\]:*?/\\']", " ", strip_control(f"{a.id} {a.name}")).strip()[:31].rstrip()
    name, n = base, 2
    while name.lower() in taken:
        name, n = f"{base[:27]} ({n})", n + 1
    taken.add(name.lower())
    return name


def _contact(c) -> dict[str, str]:
    if c is None:
        return {}
    return {k: v for k, v in {"name": c.name, "address": getattr(c, "address", None), "phone": c.phone,
                              "email": c.email}.items() if v}


def org_contacts(org) -> dict[str, dict[str, str]]:
    ctrl = _contact(getattr(org, "controller", None))
    if ctrl and org.address:
        ctrl.setdefault("address", org.address)
    out = {"controller": {"name": org.name, "address": org.address or "", **{k: v for k, v in ctrl.items()
                                                                           if k in ("phone", "email")}},
           "controller_person": ctrl, "dpo": _contact(org.dpo),
           "representative": _contact(getattr(org, "representative", None))}
    if org.dpo is not None and getattr(org.dpo, "company", None):
        out["dpo_company"] = {"name": org.dpo.company}
    return out


# --------------------------------------------------------------------------- the list sheet


def list_sheet(activities: list[Activity], org) -> Grid:
    g = Grid(L.LIST_SHEET, widths={1: 9.0, 2: 3.5, 3: 5.0, 4: 3.5, 5: 5.0, 6: 4.5, 7: 5.0, 8: 3.5, 9: 5.0})
    people = org_contacts(org)
    blocks = (("controller", people["controller_person"] or people["controller"]),
              ("representative", people["representative"]), ("dpo", people["dpo"]))
    for role, who in blocks:
        first = g.line(L.ORG_BLOCK_TITLES[role], "Nom :", who.get("name"), "Prénom :", None,
                       "Société (si DPO externe) :" if role == "dpo" else "Adresse :",
                       (people.get("dpo_company") or {}).get("name") if role == "dpo" else who.get("address"),
                       "Adresse :" if role == "dpo" else "Adresse mél :",
                       who.get("address") if role == "dpo" else who.get("email"))
        g.line(None, "Code postal :", None, "Ville :", None, "Téléphone :", who.get("phone"),
               "Adresse mél :" if role == "dpo" else None, who.get("email") if role == "dpo" else None)
        for c in (2, 4, 6, 8):
            g.bold.add((first, c))
            g.bold.add((first + 1, c))
    g.line("Identification du traitement", None, None, None, "Finalité du traitement", None, None,
           "Données sensibles ?", bold=True, spans={1: 4, 5: 3, 8: 2})
    g.line("Nom du traitement", "N° / RÉF", "Date de création de la fiche", "Dernière mise à jour de la fiche",
           None, None, None, "Oui/non", bold=True)
    for a in sorted(activities, key=lambda x: x.id):
        g.line(a.name, a.reference or a.id, a.created, a.updated, a.purpose, None, None,
               "Oui" if a.special_data else "Non", spans={5: 3, 8: 2})
    return g


# --------------------------------------------------------------------------- one fiche


def _actor_row(g: Grid, label: str, who: dict[str, str]) -> None:
    g.line(label, *(who.get(k) for k in L.ACTOR_FIELDS))


def fiche(a: Activity, org, name: str) -> Grid:
    g = Grid(name, widths={1: 9.0, 2: 4.5, 3: 4.5, 4: 3.0, 5: 4.0, 6: 3.5, 7: 3.5, 8: 4.5, 9: 4.0, 10: 4.5})
    data = dump(a)
    g.line("Fiche de registre", bold=True)
    g.put(1, 8, a.reference or a.id)
    g.row = 2
    g.line("Description du traitement", bold=True)
    g.line("Nom du traitement", a.name, spans={2: 7})
    g.line("N° / RÉF", a.reference or a.id, spans={2: 7})
    g.line("Date de création du traitement", a.created, spans={2: 7})
    g.line("Mise à jour du traitement", a.updated, spans={2: 7})
    g.row += 1
    g.line("Acteurs", *(L.HEAD_WORDS[k] for k in L.ACTOR_FIELDS), bold=True)
    people = org_contacts(org)
    for key in ("controller", "dpo", "dpo_company", "representative"):
        _actor_row(g, L.ACTOR_ROWS[key], people.get(key) or {})
    for jc in a.joint_controllers or [""]:
        g.line(L.ACTOR_ROWS["joint"], jc or None)
    g.row += 1
    g.line("Finalité(s) du traitement effectué", bold=True)
    g.line("Finalité principale", a.purpose, spans={2: 7})
    for i in range(max(5, len(a.sub_purposes))):
        g.line(f"Sous-finalité {i + 1}", a.sub_purposes[i] if i < len(a.sub_purposes) else None, spans={2: 7})
    _data_blocks(g, data)
    _item_blocks(g, a)
    _extras(g, a, data)
    return g


def _data_head(g: Grid, title: str) -> None:
    g.line(title, "Description", None, None, "Durée de conservation", None, None, None,
           L.HEAD_WORDS["exception"], L.HEAD_WORDS["basis"], bold=True, spans={2: 3, 5: 4})


def _data_line(g: Grid, label: str, item: dict | None) -> None:
    item = item or {}
    g.line(label, item.get("description"), None, None, retention_text(item.get("retention")), None, None, None,
           item.get("exception"), item.get("basis"), spans={2: 3, 5: 4})


def _rows_for(items: list[dict], key: str, code: str) -> list[dict | None]:
    found = [x for x in items if x.get(key) == code]
    return found or [None]


def _data_blocks(g: Grid, data: dict) -> None:
    cats, special = data.get("data_categories", []), data.get("special_data", [])
    g.row += 1
    _data_head(g, "Catégories de données personnelles concernées")
    extra = [c for c in V.DATA_CATEGORIES if c not in L.CATEGORY_ROWS and any(x["category"] == c for x in cats)]
    for code in (*L.CATEGORY_ROWS, *extra):
        for item in _rows_for(cats, "category", code):
            _data_line(g, V.label("categories", code, lang="fr"), item)
    for item in _rows_for(special, "type", "nir"):
        _data_line(g, V.label("special", "nir", lang="fr"), item)
    g.row += 1
    _data_head(g, "Données sensibles")
    for code in L.SPECIAL_ROWS:
        for item in _rows_for(special, "type", code):
            _data_line(g, V.label("special", code, lang="fr"), item)


def _item_blocks(g: Grid, a: Activity) -> None:
    g.row += 1
    g.line("Catégories de personnes concernées", "Description", None, None, "Précisions", bold=True,
           spans={2: 3, 5: 4})
    subjects = list(a.data_subjects)
    for i in range(max(2, len(subjects))):
        code = subjects[i] if i < len(subjects) else None
        g.line(f"Catégorie de personnes {i + 1}", V.label("subjects", code, lang="fr") if code else None, None, None,
               a.subject_details.get(code) if code else None, spans={2: 3, 5: 4})
    g.row += 1
    g.line("Destinataires", "Type de destinataire", None, None, "Précisions", bold=True, spans={2: 3, 5: 4})
    for i in range(max(4, len(a.recipients))):
        r = a.recipients[i] if i < len(a.recipients) else None
        g.line(f"Destinataire {i + 1}", V.label("recipients", r.type, lang="fr") if r else None, None, None,
               r.name if r else None, spans={2: 3, 5: 4})
    g.row += 1
    g.line("Mesures de sécurité", "Type de mesure de sécurité", None, None, "Précisions", None, None, None,
           L.HEAD_WORDS["measure_id"], L.HEAD_WORDS["measure_status"], bold=True, spans={2: 3, 5: 4})
    for i in range(max(3, len(a.security_measures))):
        m = a.security_measures[i] if i < len(a.security_measures) else None
        g.line(f"Mesure de sécurité {i + 1}", V.label("measure_types", m.type, lang="fr") if m and m.type else None,
               None, None, m.description if m else None, None, None, None, m.id if m else None,
               V.label("measure_status", m.status, lang="fr") if m and m.status else None, spans={2: 3, 5: 4})
    g.row += 1
    g.line("Transferts hors UE", "Destinataire", "Pays", "Type de Garanties", None, "Liens vers la documentation",
           bold=True, spans={4: 2, 6: 3})
    for i in range(max(4, len(a.transfers))):
        x = a.transfers[i] if i < len(a.transfers) else None
        g.line(f"Organisme destinataire {i + 1}", x.recipient if x else None, V.country_name(x.country) if x else None,
               V.label("safeguards", x.safeguard, lang="fr") if x and x.safeguard else None, None,
               x.documentation if x else None, spans={4: 2, 6: 3})


def _extras(g: Grid, a: Activity, data: dict) -> None:
    g.row += 1
    g.line(L.EXTRAS_TITLE, bold=True)
    g.line(L.TOOL_ID_LABEL, a.id, spans={2: 7})
    for col in L.EXTRA_COLUMNS:
        v = get_path(data, col.key)
        g.line(col.label, cell_text(col, v) if v not in (None, [], {}) else None, spans={2: 7})


# --------------------------------------------------------------------------- the lists sheet


def lists_sheet() -> Grid:
    g = Grid(L.LISTS_SHEET, widths={1: 7.0, 3: 6.0, 6: 6.0, 8: 8.0, 10: 7.0})
    columns = {1: ("Garanties", [fr for fr, _ in V.SAFEGUARDS.values()]),
               3: ("Pays", [names[0] for names in V.countries().values()]),
               6: ("Catégories de personnes", [fr for fr, _ in V.SUBJECTS.values()]),
               8: ("Destinataires", [fr for fr, _ in V.RECIPIENT_TYPES.values()]),
               10: ("Mesures de sécurité techniques", [fr for fr, _ in V.MEASURE_TYPES.values()])}
    for c, (title, values) in columns.items():
        g.put(1, c, title, bold=True)
        for r, v in enumerate(values, start=2):
            g.put(r, c, v)
    return g


def workbook(activities: list[Activity], org) -> list[Grid]:
    acts = sorted(activities, key=lambda x: x.id)
    taken = {L.LIST_SHEET.lower(), L.LISTS_SHEET.lower()}
    return [list_sheet(acts, org), *(fiche(a, org, _sheet_name(a, taken)) for a in acts), lists_sheet()]


def to_ods(activities: list[Activity], org) -> bytes:
    from .workbook_io import write_ods

    return write_ods(workbook(activities, org))


def to_xlsx(activities: list[Activity], org) -> bytes:
    from .workbook_io import write_xlsx

    return write_xlsx(workbook(activities, org))
