"""`register import FILE`: read the CNIL model register (ODS, XLSX, CSV of its list; cnil_read.py), the
tool's flat table (CSV, or a `Registre` sheet; table.py) or its JSON export.

Every row is checked before anything is written. Each row that cannot be read is reported with its
row number, its column and the reason; with any such row nothing is imported, unless `partial=True`
(then the good rows are imported and the bad ones reported). The workspace is never left half-written
by a bad file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..disk.fileio import describe_error
from ..errors import InputError
from ..i18n import t
from .model import ACTIVITY_ID, Activity
from .sheets import MAX_CELL, MAX_ROWS, Book, RowError, Sheet, col_name, read_book
from .table import BY_FIELD, BY_LABEL, COLUMNS, HEADERS, SHEET, CellError, activity_data, cell_value
from .vocab import norm

PLACEHOLDER = "T-000"  # an activity read without the tool's ID


@dataclass
class ImportResult:
    activities: list[Activity] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    organisation: dict[str, dict[str, str]] = field(default_factory=dict)  # CNIL model: controller, DPO blocks
    skipped: list[str] = field(default_factory=list)
    blank: bool = False  # the CNIL's blank model


# Headers of the CNIL model's list sheet that the flat table does not have.
_CNIL_LIST_ONLY = {"N° / RÉF", "Date de création de la fiche", "Dernière mise à jour de la fiche",
                   "Finalité du traitement", "Oui/non"}


def _flat_sheet(book: Book) -> Sheet | None:
    """The sheet of the tool's own flat table: `Registre`, or a first row with its headers (and none of the
    CNIL list's own)."""
    for sheet in book.sheets:
        grid = sheet.grid()
        if not grid:
            continue
        header = {h.strip() for h in grid[0][1]}
        if sheet.name == SHEET or (header & {"N° / Réf.", "Nom du traitement"} and not header & _CNIL_LIST_ONLY):
            return sheet
    return None


def read_rows(path: Path) -> list[list[str]]:
    """The rows of the flat table of a file (tests and tools)."""
    book = read_book(path)
    sheet = _flat_sheet(book) or book.sheets[0]
    return [row for _n, row in sheet.grid()]


# --------------------------------------------------------------------------- rows -> activities


def parse_rows(numbered: list[tuple[int, list[str]]], filename: str, sheet: str | None = None) -> ImportResult:
    """The flat table: its first non-empty row is the header; rows keep the spreadsheet's numbers."""
    if not numbered:
        raise InputError(t("fichier vide", "empty file"), file=filename)
    if len(numbered) > MAX_ROWS:
        raise InputError(t(f"trop de lignes (au plus {MAX_ROWS})", f"too many rows (at most {MAX_ROWS})"), file=filename)
    head_row, first = numbered[0]
    header = [h.strip() for h in first]
    while header and header[-1] == "":
        header.pop()
    unknown = [(i, h) for i, h in enumerate(header) if h not in BY_LABEL]
    if unknown:
        i, h = unknown[0]
        raise InputError(t(f"colonne {col_name(i + 1)} (n° {i + 1}) inconnue « {h} » ; colonnes attendues : celles de "
                           f"`register export --format csv` ({', '.join(HEADERS)})",
                           f"unknown column {col_name(i + 1)} (no. {i + 1}) '{h}'; expected the columns of `register export` "
                           f"({', '.join(HEADERS)})"),
                         file=filename, line=head_row, field=h or f"#{i + 1}")
    for needed in ("N° / Réf.", "Nom du traitement"):
        if needed not in header:
            raise InputError(t(f"colonne obligatoire manquante « {needed} »", f"required column missing '{needed}'"),
                             file=filename, line=head_row, field=needed)
    dup = {h for h in header if header.count(h) > 1}
    if dup:
        raise InputError(t(f"colonne en double « {sorted(dup)[0]} »", f"duplicated column '{sorted(dup)[0]}'"),
                         file=filename, line=head_row, field=sorted(dup)[0])
    result, seen = ImportResult(), {}
    for n, raw in numbered[1:]:
        if not any(c.strip() for c in raw):
            continue
        if len([c for c in raw[len(header):] if c.strip()]):
            result.errors.append(RowError(n, None, t(f"{len(raw)} cellules pour {len(header)} colonnes : valeur hors "
                                                     "des colonnes", f"{len(raw)} cells for {len(header)} columns: "
                                                     "value outside the columns"), sheet=sheet))
            continue
        act = _row(n, header, raw, result.errors, sheet)
        if act is None:
            continue
        if act.id in seen and act.id != PLACEHOLDER:
            result.errors.append(RowError(n, "N° / Réf.", t(f"identifiant {act.id} déjà utilisé ligne {seen[act.id]}",
                                                             f"ID {act.id} already used on row {seen[act.id]}"),
                                          sheet=sheet))
            continue
        seen[act.id] = n
        result.activities.append(act)
    return result


def _row(n: int, header: list[str], raw: list[str], errors: list[RowError], sheet: str | None) -> Activity | None:
    values: dict[str, Any] = {}
    bad = False
    for label, cell in zip(header, raw, strict=False):
        col = BY_LABEL[label]
        if len(cell) > MAX_CELL:
            errors.append(RowError(n, label, t("cellule trop longue", "cell too long"), sheet=sheet))
            bad = True
            continue
        try:
            values[col.key] = cell_value(col, cell)
        except CellError as exc:
            errors.append(RowError(n, label, str(exc), sheet=sheet))
            bad = True
    if bad:
        return None
    data = activity_data(values)
    if not data.get("id"):
        data["id"] = PLACEHOLDER  # numbered when imported
    try:
        return Activity.model_validate(data)
    except ValidationError as exc:
        for e in exc.errors(include_url=False):
            errors.append(RowError(n, _column_of(e["loc"]), describe_error(e), sheet=sheet))
        return None


def _column_of(loc: tuple) -> str | None:
    if not loc:
        return None
    head = str(loc[0])
    col = BY_FIELD.get(f"dpia.{loc[1]}") if head == "dpia" and len(loc) > 1 else BY_FIELD.get(head)
    return col.label if col else head


def parse_json(path: Path) -> ImportResult:
    from ..disk.fileio import load_json

    data = load_json(path)
    items = data.get("activities") if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise InputError(t("liste « activities » attendue", "'activities' list expected"), file=str(path))
    result = ImportResult()
    for i, item in enumerate(items):
        try:
            result.activities.append(Activity.model_validate(item))
        except ValidationError as exc:
            for e in exc.errors(include_url=False):
                field_ = ".".join(str(p) for p in e["loc"])
                result.errors.append(RowError(i + 1, field_, describe_error(e)))
    return result


def read(path: Path) -> ImportResult:
    """Read and check a register file (the CNIL model, the tool's flat table, JSON); never writes."""
    from . import cnil_read

    if path.suffix.lower() == ".json":
        return parse_json(path)
    book = read_book(path)
    flat = _flat_sheet(book)
    if flat is not None:
        return parse_rows(flat.grid(), str(path), None if len(book.sheets) == 1 else flat.name)
    if not cnil_read.looks_like_cnil(book):
        names = ", ".join(f"« {s.name} »" for s in book.sheets) or "—"
        raise InputError(t(f"ni le modèle de registre de la CNIL ni le tableau de `register export` (feuilles : {names}) ; "
                           "attendu : une liste avec les colonnes « Nom du traitement » et « N° / RÉF », ou des fiches "
                           "avec les libellés « Nom du traitement », « N° / RÉF », « Finalité principale »",
                           f"neither the CNIL model register nor the table of `register export` (sheets: {names}); "
                           "expected a list with the columns 'Nom du traitement' and 'N° / RÉF', or fiches with the "
                           "labels 'Nom du traitement', 'N° / RÉF', 'Finalité principale'"), file=str(path))
    got = cnil_read.read_book(book)
    return ImportResult(got.activities, got.errors, got.organisation, got.skipped, got.blank)


def number(activities: list[Activity], existing: list[Activity] | set[str]) -> list[Activity]:
    """Give the activities with no ID (placeholder T-000) an ID: the one of the workspace activity with the
    same reference of the organisation, else the next free one. Two rows without ID never collide."""
    existing = list(existing)
    taken = {x if isinstance(x, str) else x.id for x in existing}
    by_ref = {norm(x.reference): x.id for x in existing if not isinstance(x, str) and x.reference}
    used = taken | {a.id for a in activities if a.id != PLACEHOLDER}
    n = max((int(i[2:]) for i in used if ACTIVITY_ID.match(i)), default=0)
    out, given = [], set()
    for a in activities:
        if a.id == PLACEHOLDER:
            same = by_ref.get(norm(a.reference)) if a.reference else None
            if same and same not in given and same not in {x.id for x in activities}:
                new = same
            else:
                n += 1
                new = f"T-{n:03d}"
            given.add(new)
            a = a.model_copy(update={"id": new})
        out.append(a)
    return out


__all__ = ["COLUMNS", "ImportResult", "RowError", "number", "read"]
