"""`register import FILE`: read a CSV, XLSX, ODS (CNIL model layout, see table.py) or JSON register.

Every row is checked before anything is written. Each row that cannot be read is reported with its
row number, its column and the reason; with any such row nothing is imported, unless `partial=True`
(then the good rows are imported and the bad ones reported). The workspace is never left half-written
by a bad file.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..disk.fileio import describe_error
from ..errors import InputError
from ..i18n import t
from .model import ACTIVITY_ID, Activity
from .table import BY_FIELD, BY_LABEL, COLUMNS, SHEET, CellError, activity_data, cell_value

MAX_ROWS = 20000
MAX_CELL = 100_000


@dataclass
class RowError:
    row: int  # 1-based row in the file (the header is row 1)
    column: str | None
    reason: str

    def __str__(self) -> str:
        col = f", {t('colonne', 'column')} « {self.column} »" if self.column else ""
        return f"{t('ligne', 'row')} {self.row}{col} : {self.reason}"


@dataclass
class ImportResult:
    activities: list[Activity] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


# --------------------------------------------------------------------------- reading files into rows


def _csv_rows(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(t(f"encodage invalide : le fichier n'est pas en UTF-8 (octet {exc.start}) ; "
                           "l'enregistrer en « CSV UTF-8 »",
                           f"bad encoding: the file is not UTF-8 (byte {exc.start}); save it as 'CSV UTF-8'"),
                         file=str(path), line=line) from None
    sample = text[:4096]
    delimiter = ";" if sample.split("\n", 1)[0].count(";") > sample.split("\n", 1)[0].count(",") else ","
    try:
        out = []
        for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            out.append([_unguard(c) for c in r])
            if len(out) > MAX_ROWS:
                break
    except csv.Error as exc:
        raise InputError(t(f"CSV illisible : {exc}", f"unreadable CSV: {exc}"), file=str(path)) from None
    return out


def _unguard(cell: str) -> str:
    return cell[1:] if cell[:2] in ("'=", "'+", "'@", "'-", "''") else cell


def _xlsx_rows(path: Path) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - zip/xml errors of a damaged file
        raise InputError(t(f"classeur XLSX illisible : {exc}", f"unreadable XLSX workbook: {exc}"), file=str(path)) from None
    sheet = wb[SHEET] if SHEET in wb.sheetnames else wb.worksheets[-1]
    out = []
    for row in sheet.iter_rows(values_only=True, max_col=len(COLUMNS) + 50):
        out.append([_cell_text(v) for v in row])
        if len(out) > MAX_ROWS:  # bounded: a hostile sheet cannot make us read a million rows
            break
    wb.close()
    return out


def _cell_text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, dt.datetime):
        return v.date().isoformat() if v.time() == dt.time() else v.isoformat()
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, bool):
        return "oui" if v else "non"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _ods_rows(path: Path) -> list[list[str]]:
    from odf.namespaces import TABLENS, TEXTNS
    from odf.opendocument import load

    try:
        doc = load(str(path))
    except Exception as exc:  # noqa: BLE001
        raise InputError(t(f"classeur ODS illisible : {exc}", f"unreadable ODS workbook: {exc}"), file=str(path)) from None
    tables = doc.spreadsheet.getElementsByType(__import__("odf.table", fromlist=["Table"]).Table)
    table = next((x for x in tables if x.getAttribute("name") == SHEET), tables[-1] if tables else None)
    if table is None:
        return []

    def text_of(node) -> str:
        parts = []
        for ch in node.childNodes:
            if ch.nodeType == ch.TEXT_NODE:
                parts.append(ch.data)
            elif ch.qname == (TEXTNS, "s"):
                parts.append(" " * int(ch.getAttrNS(TEXTNS, "c") or 1))
            elif ch.qname == (TEXTNS, "line-break"):
                parts.append("\n")
            elif ch.qname == (TEXTNS, "tab"):
                parts.append("\t")
            else:
                parts.append(text_of(ch))
        return "".join(parts)

    out: list[list[str]] = []
    for tr in table.childNodes:
        if tr.qname != (TABLENS, "table-row"):
            continue
        row: list[str] = []
        for cell in tr.childNodes:
            if cell.qname not in ((TABLENS, "table-cell"), (TABLENS, "covered-table-cell")):
                continue
            paras = [text_of(p) for p in cell.childNodes if p.qname == (TEXTNS, "p")]
            value = "\n".join(paras)
            repeat = min(int(cell.getAttrNS(TABLENS, "number-columns-repeated") or 1), 1024)
            row.extend([value] * repeat)
        while row and row[-1] == "":
            row.pop()
        repeat_rows = int(tr.getAttrNS(TABLENS, "number-rows-repeated") or 1)
        out.extend([row] * (min(repeat_rows, 2) if row else 1))
        if len(out) > MAX_ROWS:
            break
    while out and not out[-1]:
        out.pop()
    return out


def read_rows(path: Path) -> list[list[str]]:
    suffix = path.suffix.lower()
    if not path.is_file():
        raise InputError(t("fichier introuvable", "file not found"), file=str(path))
    if suffix == ".csv":
        return _csv_rows(path)
    if suffix == ".xlsx":
        return _xlsx_rows(path)
    if suffix == ".ods":
        return _ods_rows(path)
    raise InputError(t("format non reconnu : .csv, .xlsx, .ods ou .json attendu",
                       "unknown format: .csv, .xlsx, .ods or .json expected"), file=str(path))


# --------------------------------------------------------------------------- rows -> activities


def parse_rows(table: list[list[str]], filename: str) -> ImportResult:
    if not table:
        raise InputError(t("fichier vide", "empty file"), file=filename)
    if len(table) > MAX_ROWS:
        raise InputError(t(f"trop de lignes (au plus {MAX_ROWS})", f"too many rows (at most {MAX_ROWS})"), file=filename)
    header = [h.strip() for h in table[0]]
    while header and header[-1] == "":
        header.pop()
    unknown = [(i, h) for i, h in enumerate(header) if h not in BY_LABEL]
    if unknown:
        i, h = unknown[0]
        raise InputError(t(f"colonne {i + 1} inconnue « {h} » ; colonnes attendues : celles de `register export`",
                           f"unknown column {i + 1} '{h}'; expected the columns of `register export`"),
                         file=filename, line=1, field=h or f"#{i + 1}")
    for needed in ("N° / Réf.", "Nom du traitement"):
        if needed not in header:
            raise InputError(t(f"colonne obligatoire manquante « {needed} »", f"required column missing '{needed}'"),
                             file=filename, line=1, field=needed)
    dup = {h for h in header if header.count(h) > 1}
    if dup:
        raise InputError(t(f"colonne en double « {sorted(dup)[0]} »", f"duplicated column '{sorted(dup)[0]}'"),
                         file=filename, line=1, field=sorted(dup)[0])
    result, seen = ImportResult(), {}
    for n, raw in enumerate(table[1:], start=2):
        if not any(c.strip() for c in raw):
            continue
        if len([c for c in raw[len(header):] if c.strip()]):
            result.errors.append(RowError(n, None, t(f"{len(raw)} cellules pour {len(header)} colonnes : valeur hors "
                                                     "des colonnes", f"{len(raw)} cells for {len(header)} columns: "
                                                     "value outside the columns")))
            continue
        act = _row(n, header, raw, result.errors)
        if act is None:
            continue
        if act.id in seen:
            result.errors.append(RowError(n, "N° / Réf.", t(f"identifiant {act.id} déjà utilisé ligne {seen[act.id]}",
                                                             f"ID {act.id} already used on row {seen[act.id]}")))
            continue
        seen[act.id] = n
        result.activities.append(act)
    return result


def _row(n: int, header: list[str], raw: list[str], errors: list[RowError]) -> Activity | None:
    values: dict[str, Any] = {}
    bad = False
    for label, cell in zip(header, raw, strict=False):
        col = BY_LABEL[label]
        if len(cell) > MAX_CELL:
            errors.append(RowError(n, label, t("cellule trop longue", "cell too long")))
            bad = True
            continue
        try:
            values[col.key] = cell_value(col, cell)
        except CellError as exc:
            errors.append(RowError(n, label, str(exc)))
            bad = True
    if bad:
        return None
    data = activity_data(values)
    if not data.get("id"):
        data["id"] = "T-000"  # placeholder, numbered when imported
    try:
        return Activity.model_validate(data)
    except ValidationError as exc:
        for e in exc.errors(include_url=False):
            errors.append(RowError(n, _column_of(e["loc"]), describe_error(e)))
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
    """Read and check a register file; never writes."""
    if path.suffix.lower() == ".json":
        return parse_json(path)
    return parse_rows(read_rows(path), str(path))


def number(activities: list[Activity], taken: set[str]) -> list[Activity]:
    """Give the rows with no ID the next free IDs (T-000 placeholder)."""
    used = set(taken) | {a.id for a in activities if a.id != "T-000"}
    n = max((int(i[2:]) for i in used if ACTIVITY_ID.match(i)), default=0)
    out = []
    for a in activities:
        if a.id == "T-000":
            n += 1
            a = a.model_copy(update={"id": f"T-{n:03d}"})
        out.append(a)
    return out


__all__ = ["COLUMNS", "ImportResult", "RowError", "number", "read"]
