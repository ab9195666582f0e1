"""Reading the CNIL model register as DPOs fill it (registre-traitement-simplifie.ods, its XLSX and CSV saves).

Sheets are found by their role, whatever their names: the list of activities (a header row with
"Nom du traitement" and "N° / RÉF"), the fiches (a column of labels: "Nom du traitement", "N° / RÉF",
"Finalité principale"…), the CNIL's example (skipped) and the drop-down lists (skipped). Cells are
read by their labels, never by position; block headers ("Description", "Durée de conservation",
"Pays"…) give the columns of their block. The list and the fiches are joined on the reference
(then on the name). An activity on the list without a fiche is kept, marked "incomplete".
One fiche: cnil_fiche.py. Layout: fiche_layout.py (shared with the writer).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from ..disk.fileio import describe_error
from ..i18n import t
from . import fiche_layout as L
from .cnil_fiche import Fiche, text_of
from .model import ACTIVITY_ID, Activity
from .sheets import Book, RowError, Sheet, col_name
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
        name, ref = text_of(row.get("name", "")), text_of(row.get("reference", ""))
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
            if isinstance(v, dt.date) or text_of(v):
                item[k] = v if isinstance(v, dt.date) else text_of(v)
        if text_of(row.get("purpose", "")):
            item["purpose"] = text_of(row["purpose"])
        item["_sensitive"] = norm(text_of(row.get("sensitive", ""))) in L.YES
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
            if key and isinstance(nxt, str) and not nxt.strip().endswith(":") and text_of(nxt):
                out.setdefault(block, {})[key] = text_of(nxt)
    return out


# --------------------------------------------------------------------------- the workbook


def looks_like_cnil(book: Book) -> bool:
    return any(_list_header(s) or _label_column(s) for s in book.sheets)


def read_book(book: Book) -> CnilResult:
    res = CnilResult()
    listed: list[dict] = []
    fiches: list[Fiche] = []
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
            f = Fiche(sheet, col, res.errors, book.path)
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


def _join(listed: list[dict], fiches: list[Fiche], res: CnilResult) -> None:
    """List rows and fiches meet on the reference, else (no reference on one side) on the name."""
    by_key: dict[str, Fiche] = {}
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


def _build(data: dict, where: dict, res: CnilResult, *, sheet: str, row: int | None, fiche: Fiche | None = None):
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
