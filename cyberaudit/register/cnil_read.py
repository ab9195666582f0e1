"""Reading the CNIL model register as DPOs fill it (registre-traitement-simplifie.ods, its XLSX and CSV saves).

Sheets are found by their role, whatever their names: the list of activities (a header row with
"Nom du traitement" and "N° / RÉF"), the fiches (a column of labels: "Nom du traitement", "N° / RÉF",
"Finalité principale"…), the CNIL's example (skipped) and the drop-down lists (skipped). Cells are
read by their labels, never by position; block headers ("Description", "Durée de conservation",
"Pays"…) give the columns of their block. The list and the fiches are joined on the reference
(then on the name). An activity on the list without a fiche is kept, marked "incomplete".
Layout: fiche_layout.py (shared with the writer).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from ..disk.fileio import describe_error
from ..i18n import t
from . import fiche_layout as L
from . import vocab as V
from .model import ACTIVITY_ID, Activity
from .sheets import Book, RowError, Sheet, col_name
from .table import CellError, activity_data, cell_value, retention_value
from .vocab import norm


@dataclass
class CnilResult:
    activities: list[Activity] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    organisation: dict[str, dict[str, str]] = field(default_factory=dict)  # controller / representative / dpo
    skipped: list[str] = field(default_factory=list)  # what was left aside (example, model fiche), in French
    blank: bool = False  # the CNIL's blank model: no activity, only the example


# --------------------------------------------------------------------------- roles


def _label_column(sheet: Sheet) -> int | None:
    """The column of a fiche's labels: it holds "Nom du traitement" and "Finalité principale" or "N° / RÉF"."""
    where: dict[str, set[int]] = {}
    for (_r, c), v in sheet.cells.items():
        if isinstance(v, str) and len(v) < 200:
            where.setdefault(norm(v), set()).add(c)
    for c in sorted(where.get(L.NAME, ())):
        if c in where.get(L.PURPOSE, set()) | {x for k in L.REFERENCE for x in where.get(k, ())}:
            return c
    return None


def _list_header(sheet: Sheet) -> int | None:
    """The row of the list's header: "Nom du traitement" and "N° / RÉF" side by side."""
    rows: dict[int, set[str]] = {}
    for (r, _c), v in sheet.cells.items():
        if isinstance(v, str) and len(v) < 200:
            rows.setdefault(r, set()).add(norm(v))
    for r in sorted(rows):
        if L.NAME in rows[r] and rows[r] & set(L.REFERENCE):
            return r
    return None


def _is_lists(sheet: Sheet) -> bool:
    head = {norm(v) for (r, _c), v in sheet.cells.items() if r <= 3 and isinstance(v, str)}
    return "garanties" in head and ("categories de personnes" in head or "destinataires" in head)


# --------------------------------------------------------------------------- small readers


def _text(v: Any) -> str:
    from ..sanitize import unguard_cell

    if isinstance(v, dt.date):
        return v.isoformat()
    s = unguard_cell(str(v).strip())
    if s.startswith("►") or norm(s).startswith(L.GUIDES):  # the model's links to the CNIL's definitions
        return ""
    return "" if norm(s) in L.PLACEHOLDERS or norm(s).startswith(L.SELECT) else s


class _Fiche:
    """One sheet read as a fiche: `data` for the activity and `where` for error positions."""

    def __init__(self, sheet: Sheet, col: int, errors: list[RowError], path: str):
        self.sheet, self.col, self.errors, self.path = sheet, col, errors, path
        self.data: dict[str, Any] = {}
        self.where: dict[str, tuple[int, int]] = {}
        self.actors: dict[str, dict[str, str]] = {}
        self.block: str | None = None
        self.heads: dict[str, int] = {}
        self.title = _text(sheet.value(1, 1))
        self.first_label_row = 0

    def err(self, row: int, col: int, reason: str) -> None:
        self.errors.append(RowError(row, col_name(col), reason, sheet=self.sheet.name))

    def value(self, row: int, col: int | None = None) -> tuple[Any, int]:
        """The value of a labelled row: the given column, else the first filled cell right of the label."""
        if col is not None:
            return self.sheet.value(row, col), col
        cells = self.sheet.row(row)
        for c in sorted(x for x in cells if self.col < x <= self.col + L.VALUE_SPAN):
            if _text(cells[c]):
                return cells[c], c
        return "", self.col + 1

    def coded(self, vocab: str, row: int, col: int, what: str) -> str | None:
        raw = _text(self.sheet.value(row, col))
        if not raw:
            return None
        found = V.lookup(vocab, raw)
        if found is None:
            shown = " ; ".join(f"« {fr} »" for fr, _en in V.tables()[vocab].values())
            self.err(row, col, t(f"{what} inconnu(e) « {raw} » ; valeurs attendues : {shown}",
                                 f"unknown {what} '{raw}'; expected: {shown}"))
        return found

    def read(self) -> None:
        for r in self.sheet.rows():
            label_raw = self.sheet.value(r, self.col)
            label = norm(label_raw) if isinstance(label_raw, str) else ""
            if not label:
                if self.block == "measures":
                    self.item_row(r, "")
                continue
            if label in L.BLOCKS:
                self.block = L.BLOCKS[label]
                self.heads = {L.HEADS.get(norm(v), norm(v)): c for c, v in self.sheet.row(r).items()
                              if c > self.col and isinstance(v, str)}
                continue
            self.first_label_row = self.first_label_row or r
            if self.top(r, label) or self.block is None:
                continue
            self.item_row(r, label)

    def top(self, r: int, label: str) -> bool:
        """Rows of the description and purposes (any block): name, reference, dates, purposes."""
        key = L.TOP.get(label)
        if key is None and label.startswith("sous-finalite"):
            key = "sub_purposes"
        if key is None:
            return False
        v, c = self.value(r)
        text = _text(v)
        if key == "sub_purposes":
            if text:
                self.data.setdefault("sub_purposes", []).append(text)
                self.where.setdefault("sub_purposes", (r, c))
        elif text or isinstance(v, dt.date):
            self.data[key] = v if isinstance(v, dt.date) else text
            self.where[key] = (r, c)
        return True

    def head(self, name: str, default: int) -> int:
        return self.heads.get(name, self.col + default)

    def item_row(self, r: int, label: str) -> None:
        b = self.block
        if b == "actors":
            role = L.ACTORS.get(label) or next((v for k, v in L.ACTORS.items() if label.startswith(k)), None)
            if role is None:
                return
            values = {k: _text(self.sheet.value(r, c)) for k, c in self.heads.items() if k in L.ACTOR_FIELDS}
            values = {k: v for k, v in values.items() if v}
            if role == "joint" and values.get("name"):
                self.data.setdefault("joint_controllers", []).append(
                    " ; ".join(x for x in (values.get("name"), values.get("address"), values.get("email")) if x))
                self.where.setdefault("joint_controllers", (r, self.col + 1))
            elif values:
                self.actors[role] = values
        elif b in ("categories", "special"):
            self.data_row(r, label)
        elif b == "subjects":
            c = self.head("description", 1)
            code = self.coded("subjects", r, c, t("catégorie de personnes", "category of people"))
            if code:
                self.data.setdefault("data_subjects", []).append(code)
                self.where.setdefault("data_subjects", (r, c))
                more = _text(self.sheet.value(r, self.head("precisions", 4)))
                if more:
                    self.data.setdefault("subject_details", {})[code] = more
        elif b == "recipients":
            c = self.head("type", 1)
            code = self.coded("recipients", r, c, t("type de destinataire", "recipient type"))
            name = _text(self.sheet.value(r, self.head("precisions", 4)))
            if code or name:
                code = code or "other_third_party"
                self.where.setdefault("recipients", (r, c))
                self.data.setdefault("recipients", []).append({"type": code, "name": name or V.label(
                    "recipients", code, lang="fr")})
        elif b == "measures":
            self.measure_row(r)
        elif b == "transfers":
            self.transfer_row(r)
        elif b == "extras":
            self.extra_row(r, label)

    def data_row(self, r: int, label: str) -> None:
        vocab = "categories" if self.block == "categories" else "special"
        code = V.lookup(vocab, label) or V.lookup("special", label)
        desc_c, ret_c = self.head("description", 1), self.head("retention", 4)
        desc, ret = _text(self.sheet.value(r, desc_c)), _text(self.sheet.value(r, ret_c))
        exc = _text(self.sheet.value(r, self.heads["exception"])) if "exception" in self.heads else ""
        basis = _text(self.sheet.value(r, self.heads["basis"])) if "basis" in self.heads else ""
        if not (desc or ret or exc or basis):
            return
        if code is None:
            self.err(r, self.col, t(f"ligne de données inconnue « {self.sheet.value(r, self.col)} » ; libellés attendus : "
                                    "ceux de la fiche du modèle CNIL",
                                    f"unknown data row '{self.sheet.value(r, self.col)}'; expected the labels of the "
                                    "CNIL model fiche"))
            return
        item: dict[str, Any] = {}
        if norm(desc) not in L.YES:
            item["description"] = desc or None
        try:
            retention = retention_value(ret)
        except CellError as exc_:
            self.err(r, ret_c, str(exc_))
            return
        if retention:
            item["retention"] = retention
        is_cat = code in V.DATA_CATEGORIES and V.lookup("categories", label) == code
        if is_cat:
            key = "data_categories"
            item["category"] = code
        else:
            key = "special_data"
            item["type"] = code
            if exc:
                item["exception"] = exc
            if basis:
                item["basis"] = basis
        self.where.setdefault(key, (r, desc_c))
        self.data.setdefault(key, []).append({k: v for k, v in item.items() if v is not None})

    def measure_row(self, r: int) -> None:
        c = self.head("type", 1)
        code = self.coded("measure_types", r, c, t("type de mesure de sécurité", "security measure type"))
        desc = _text(self.sheet.value(r, self.head("precisions", 4)))
        mid = _text(self.sheet.value(r, self.heads["measure_id"])) if "measure_id" in self.heads else ""
        status = None
        if "measure_status" in self.heads:
            status = self.coded("measure_status", r, self.heads["measure_status"], t("état", "status"))
        if code or desc or mid:
            item = {"type": code, "id": mid or None, "description": desc or None, "status": status}
            self.where.setdefault("security_measures", (r, c))
            self.data.setdefault("security_measures", []).append({k: v for k, v in item.items() if v})

    def transfer_row(self, r: int) -> None:
        rc, cc = self.head("recipient", 1), self.head("country", 2)
        sc, dc = self.head("safeguard", 3), self.head("documentation", 5)
        recipient, country = _text(self.sheet.value(r, rc)), _text(self.sheet.value(r, cc))
        doc = _text(self.sheet.value(r, dc))
        safeguard = self.coded("safeguards", r, sc, t("type de garantie", "safeguard"))
        if not (recipient or country or safeguard or doc):
            return
        iso = V.country_code(country) if country else None
        if country and iso is None:
            self.err(r, cc, t(f"pays inconnu « {country} » ; attendu : un pays de la liste CNIL (onglet 5_-_Listes)",
                              f"unknown country '{country}'; expected a country of the CNIL list (sheet 5_-_Listes)"))
            return
        if not country:
            self.err(r, cc, t("pays du destinataire manquant", "recipient country missing"))
            return
        item = {"recipient": recipient or t("(destinataire non nommé)", "(unnamed recipient)"), "country": iso,
                "safeguard": safeguard, "documentation": doc or None}
        self.where.setdefault("transfers", (r, rc))
        self.data.setdefault("transfers", []).append({k: v for k, v in item.items() if v})

    def extra_row(self, r: int, label: str) -> None:
        v, c = self.value(r)
        text = _text(v) if not isinstance(v, dt.date) else v.isoformat()
        if label == L.TOOL_ID:
            if text:
                self.data["id"] = text
                self.where["id"] = (r, c)
            return
        col = L.EXTRAS.get(label)
        if col is None:
            return
        try:
            value = cell_value(col, str(text))
        except CellError as exc:
            self.err(r, c, str(exc))
            return
        if value is not None:
            for k, v in activity_data({col.key: value}).items():
                if isinstance(v, dict) and isinstance(self.data.get(k), dict):
                    self.data[k].update(v)
                else:
                    self.data[k] = v
            self.where[col.key.split(".")[0]] = (r, c)

    def is_example(self) -> bool:
        marked = norm(self.title).startswith("exemple de fiche") or any(
            "traitement fictif" in norm(v) for (r, _c), v in self.sheet.cells.items() if r <= 3 and isinstance(v, str))
        return marked and norm(str(self.data.get("name", ""))) == L.EXAMPLE_NAME

    def is_blank(self) -> bool:
        return not self.data.get("name") and set(self.data) <= {"reference"}


# --------------------------------------------------------------------------- the list sheet


def _list(sheet: Sheet, header: int, errors: list[RowError]) -> tuple[list[dict], dict[str, dict[str, str]]]:
    cols: dict[str, int] = {}
    for r in (header, header - 1):
        for c, v in sheet.row(r).items():
            key = L.LIST_HEADS.get(norm(v)) if isinstance(v, str) else None
            if key and key not in cols:
                cols[key] = c
    out, seen = [], {}
    for r in [x for x in sheet.rows() if x > header]:
        row = {k: sheet.value(r, c) for k, c in cols.items()}
        name, ref = _text(row.get("name", "")), _text(row.get("reference", ""))
        if not (name or ref):
            continue
        if norm(name).startswith("(exemple)"):
            continue
        if not name:
            errors.append(RowError(r, col_name(cols["name"]), t("nom du traitement manquant", "name missing"),
                                   sheet=sheet.name))
            continue
        key = norm(ref) if ref else "nom:" + norm(name)
        if key in seen:
            errors.append(RowError(r, col_name(cols["reference" if ref else "name"]), t(
                f"« {ref or name} » déjà sur la ligne {seen[key]}", f"'{ref or name}' already on row {seen[key]}"),
                sheet=sheet.name))
            continue
        seen[key] = r
        item: dict[str, Any] = {"name": name, "_row": r, "_sheet": sheet.name}
        if ref:
            item["reference"] = ref
        for k in ("created", "updated"):
            v = row.get(k, "")
            if isinstance(v, dt.date) or _text(v):
                item[k] = v if isinstance(v, dt.date) else _text(v)
        if _text(row.get("purpose", "")):
            item["purpose"] = _text(row["purpose"])
        item["_sensitive"] = norm(_text(row.get("sensitive", ""))) in L.YES
        out.append(item)
    return out, _org_blocks(sheet, header)


def _org_blocks(sheet: Sheet, header: int) -> dict[str, dict[str, str]]:
    """Controller, representative and DPO blocks above the list: label/value pairs ("Nom :" | value)."""
    out: dict[str, dict[str, str]] = {}
    block = None
    for r in [x for x in sheet.rows() if x < header]:
        cells = sorted(sheet.row(r).items())
        for _c, v in cells:
            if not isinstance(v, str):
                continue
            found = next((role for start, role in L.ORG_BLOCKS.items() if norm(v).startswith(start)), None)
            if found:
                block = found
        if block is None:
            continue
        for i, (_c, v) in enumerate(cells):
            if not (isinstance(v, str) and v.strip().endswith(":")):
                continue
            key = L.ORG_FIELDS.get(norm(v))
            nxt = cells[i + 1][1] if i + 1 < len(cells) else ""
            if key and isinstance(nxt, str) and not nxt.strip().endswith(":") and _text(nxt):
                out.setdefault(block, {})[key] = _text(nxt)
    return out


# --------------------------------------------------------------------------- the workbook


def looks_like_cnil(book: Book) -> bool:
    return any(_list_header(s) or _label_column(s) for s in book.sheets)


def read_book(book: Book) -> CnilResult:
    res = CnilResult()
    listed: list[dict] = []
    fiches: list[_Fiche] = []
    for sheet in book.sheets:
        if _is_lists(sheet):
            continue
        header = _list_header(sheet)
        col = None if header else _label_column(sheet)
        if header:
            rows, org = _list(sheet, header, res.errors)
            listed += rows
            for k, v in org.items():
                res.organisation.setdefault(k, v)
        elif col:
            f = _Fiche(sheet, col, res.errors, book.path)
            f.read()
            if f.is_example():
                res.skipped.append(t(f"l'exemple de la CNIL (feuille « {sheet.name} »)",
                                     f"the CNIL's example (sheet '{sheet.name}')"))
            elif f.is_blank():
                res.skipped.append(t(f"la fiche vierge « {sheet.name} »", f"the blank fiche '{sheet.name}'"))
            else:
                fiches.append(f)
    _join(listed, fiches, res)
    res.blank = not res.activities and not res.errors
    return res


def _join(listed: list[dict], fiches: list[_Fiche], res: CnilResult) -> None:
    """List rows and fiches meet on the reference, else (no reference on one side) on the name."""
    by_key: dict[str, _Fiche] = {}
    for f in fiches:
        key = _key(f.data)
        if key in by_key:
            other = by_key[key]
            r, c = f.where.get("reference") or f.where.get("name") or (1, f.col + 1)
            f.err(r, c, t(f"même {'référence' if key.startswith('ref:') else 'nom'} que la fiche « {other.sheet.name} »",
                          f"same {'reference' if key.startswith('ref:') else 'name'} as the fiche '{other.sheet.name}'"))
        by_key.setdefault(key, f)
    used: set[int] = set()
    for item in listed:
        f = by_key.get(_key(item))
        if f is None or id(f) in used:
            name = "nom:" + norm(str(item["name"]))
            f = next((x for x in fiches if id(x) not in used and "nom:" + norm(str(x.data.get("name", ""))) == name
                      and not (x.data.get("reference") and item.get("reference"))), None)
        if f is None:
            data = {k: v for k, v in item.items() if not k.startswith("_")}
            data["status"] = "incomplete"
            note = t("Importée de la liste des traitements, sans fiche détaillée",
                     "Imported from the list of activities, without a detailed record")
            if item["_sensitive"]:
                note += t(" ; données sensibles : oui (liste)", "; sensitive data: yes (list)")
            data["notes"] = note + "."
            _build(data, {}, res, sheet=item["_sheet"], row=item["_row"])
            continue
        used.add(id(f))
        data = dict(f.data)
        for k in ("reference", "created", "updated", "purpose"):
            if k not in data and k in item:
                data[k] = item[k]
        _build(data, f.where, res, sheet=f.sheet.name, row=None, fiche=f)
    for f in fiches:
        if id(f) not in used:
            _build(dict(f.data), f.where, res, sheet=f.sheet.name, row=None, fiche=f)
    if fiches and not res.organisation:
        res.organisation = {k: v for k, v in fiches[0].actors.items() if k in ("controller", "dpo", "representative")}
    for f in fiches:
        if "dpo_company" in f.actors and "dpo" in res.organisation:
            res.organisation["dpo"].setdefault("company", f.actors["dpo_company"].get("name", ""))
            break


def _key(data: dict) -> str:
    if data.get("reference"):
        return "ref:" + norm(str(data["reference"]))
    return "nom:" + norm(str(data.get("name", "")))


def _build(data: dict, where: dict, res: CnilResult, *, sheet: str, row: int | None, fiche: _Fiche | None = None):
    if not data.get("name"):
        r, c = where.get("reference", (row or 1, 2))
        res.errors.append(RowError(r, col_name(c), t("fiche sans « Nom du traitement »",
                                                     "fiche without 'Nom du traitement'"), sheet=sheet))
        return
    tool_id = str(data.get("id") or "")
    if not ACTIVITY_ID.match(tool_id):
        data["id"] = "T-000"  # numbered on import
    if data.get("reference") and norm(str(data["reference"])) == norm(tool_id):
        data.pop("reference")
    try:
        res.activities.append(Activity.model_validate(data))
    except ValidationError as exc:
        for e in exc.errors(include_url=False):
            key = str(e["loc"][0]) if e["loc"] else ""
            r, c = where.get(key, (row or (fiche.first_label_row if fiche else 1), 1))
            res.errors.append(RowError(r, col_name(c), describe_error(e), sheet=sheet))


__all__ = ["CnilResult", "looks_like_cnil", "read_book"]
