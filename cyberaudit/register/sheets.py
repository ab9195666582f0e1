"""Spreadsheets read safely: ODS, XLSX and CSV into `Book` -> `Sheet` -> cells by (row, column).

Everything a file declares is bounded before anything is built: zip members (count, sizes, ratio),
decompressed sizes (Python's zipfile never inflates past a member's declared size), repeat counts
(ODS `table:number-rows-repeated`, `number-columns-repeated`, `text:s text:c`), XLSX shared strings,
cells per sheet and characters per cell. A file over a bound is an `InputError` naming it, at once.
ODS is parsed in a stream (expat, no DTD, no entities), so a 5 KB file asking for 1.5 billion
spaces fails in microseconds. Row and column numbers are the spreadsheet's own (blank rows count).
Comments (office:annotation) are not cell text.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..i18n import t

MAX_FILE = 50 * 1024 * 1024  # bytes on disk
MAX_MEMBERS = 2000
MAX_MEMBER = 64 * 1024 * 1024  # declared uncompressed size of one zip member
MAX_TOTAL = 256 * 1024 * 1024
MAX_RATIO = 200  # uncompressed / compressed, for members over 1 MB
MAX_ROWS = 20000  # last row that may hold a value
MAX_COLS = 1024
MAX_CELLS = 500_000  # cells holding a value, per workbook
MAX_CELL = 100_000  # characters per cell
MAX_SHARED = 500_000  # XLSX shared strings
XLSX_COLS = 128

Value = str | dt.date


@dataclass
class RowError:
    """A value that cannot be read, and where: sheet, row (1-based, as the spreadsheet numbers it), column."""

    row: int
    column: str | None  # a letter (B) or a header label
    reason: str
    sheet: str | None = None

    def __str__(self) -> str:
        where = [t(f"feuille « {self.sheet} »", f"sheet '{self.sheet}'")] if self.sheet else []
        where.append(f"{t('ligne', 'row')} {self.row}")
        if self.column:
            letter = self.column.isascii() and self.column.isalpha() and self.column.isupper() and len(self.column) <= 3
            where.append(f"{t('colonne', 'column')} {self.column}" if letter
                         else f"{t('colonne', 'column')} « {self.column} »")
        return ", ".join(where) + " : " + self.reason


def col_name(col: int) -> str:
    """1 -> A, 27 -> AA."""
    out = ""
    while col > 0:
        col, rem = divmod(col - 1, 26)
        out = chr(65 + rem) + out
    return out


@dataclass
class Sheet:
    name: str
    cells: dict[tuple[int, int], Value] = field(default_factory=dict)

    def value(self, row: int, col: int) -> Value:
        return self.cells.get((row, col), "")

    def text(self, row: int, col: int) -> str:
        v = self.cells.get((row, col), "")
        return v.strftime("%d/%m/%Y") if isinstance(v, dt.date) else v

    def _index(self) -> dict[int, dict[int, Value]]:
        cached = getattr(self, "_rows", None)
        if cached is None or cached[0] != len(self.cells):
            by_row: dict[int, dict[int, Value]] = {}
            for (r, c), v in sorted(self.cells.items()):
                by_row.setdefault(r, {})[c] = v
            cached = (len(self.cells), by_row)
            self._rows = cached
        return cached[1]

    def rows(self) -> list[int]:
        return sorted(self._index())

    def row(self, row: int) -> dict[int, Value]:
        return dict(self._index().get(row, {}))

    def grid(self) -> list[tuple[int, list[str]]]:
        """Non-empty rows as (row number, texts from column A)."""
        by_row = self._index()
        out = []
        for r in sorted(by_row):
            cols = by_row[r]
            out.append((r, [self.text(r, c) for c in range(1, max(cols) + 1)]))
        return out


@dataclass
class Book:
    path: str
    sheets: list[Sheet]


def _too_big(path: str, what: str, limit: Any) -> InputError:
    return InputError(t(f"fichier refusé : {what} dépasse la limite ({limit})",
                        f"file refused: {what} over the limit ({limit})"), file=path)


def check_zip(path: Path) -> zipfile.ZipFile:
    """Open a zip container after checking what it declares (members, sizes, compression ratio)."""
    p = str(path)
    if path.stat().st_size > MAX_FILE:
        raise _too_big(p, t("la taille du fichier", "the file size"), f"{MAX_FILE // 2**20} Mo")
    try:
        zf = zipfile.ZipFile(path)
        infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise InputError(t(f"classeur illisible (archive zip endommagée : {exc})",
                           f"unreadable workbook (damaged zip archive: {exc})"), file=p) from None
    if len(infos) > MAX_MEMBERS:
        raise _too_big(p, t("le nombre de parties de l'archive", "the number of archive members"), MAX_MEMBERS)
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > MAX_MEMBER:
            raise _too_big(p, t(f"la partie {info.filename} décompressée", f"member {info.filename} uncompressed"),
                           f"{MAX_MEMBER // 2**20} Mo")
        if info.file_size > 2**20 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise _too_big(p, t(f"le taux de compression de {info.filename} (bombe zip ?)",
                                f"the compression ratio of {info.filename} (zip bomb?)"), f"{MAX_RATIO}:1")
    if total > MAX_TOTAL:
        raise _too_big(p, t("la taille décompressée totale", "the total uncompressed size"), f"{MAX_TOTAL // 2**20} Mo")
    return zf


# --------------------------------------------------------------------------- ODS (streamed with expat)

_T = "urn:oasis:names:tc:opendocument:xmlns:table:1.0 "
_X = "urn:oasis:names:tc:opendocument:xmlns:text:1.0 "
_O = "urn:oasis:names:tc:opendocument:xmlns:office:1.0 "


def _count(attrs: dict, name: str, state: _OdsParser) -> int:
    raw = attrs.get(name)
    if raw is None:
        return 1
    try:
        n = int(raw)
    except ValueError:
        raise InputError(t(f"{state.where()} : nombre de répétitions illisible {raw[:20]!r}",
                           f"{state.where()}: unreadable repeat count {raw[:20]!r}"), file=state.path) from None
    return max(n, 1)


class _OdsParser:
    def __init__(self, path: str):
        self.path = path
        self.sheets: list[Sheet] = []
        self.sheet: Sheet | None = None
        self.row = 0
        self.rows_rep = 1
        self.col = 0
        self.row_cells: dict[int, Value] = {}
        self.cell: dict | None = None
        self.paras: list[str] = []
        self.buf: list[str] | None = None
        self.size = 0
        self.skip = 0  # depth inside an annotation (comment): not cell text
        self.cells = 0

    def where(self) -> str:
        name = self.sheet.name if self.sheet else "?"
        return t(f"feuille « {name} », ligne {self.row}", f"sheet '{name}', row {self.row}")

    def add_text(self, s: str) -> None:
        if self.buf is None or self.skip:
            return
        self.size += len(s)
        if self.size > MAX_CELL:
            raise _too_big(self.path, t(f"une cellule ({self.where()})", f"a cell ({self.where()})"),
                           t(f"{MAX_CELL} caractères", f"{MAX_CELL} characters"))
        self.buf.append(s)

    def start(self, name: str, attrs: dict) -> None:
        if self.skip:
            self.skip += 1
            return
        if name == _O + "annotation":
            self.skip = 1
        elif name == _T + "table":
            self.sheet = Sheet(str(attrs.get(_T + "name", f"#{len(self.sheets) + 1}"))[:200])
            self.sheets.append(self.sheet)
            self.row = 0
        elif name == _T + "table-row" and self.sheet is not None:
            self.rows_rep = _count(attrs, _T + "number-rows-repeated", self)
            self.row += 1
            self.col = 0
            self.row_cells = {}
        elif name in (_T + "table-cell", _T + "covered-table-cell") and self.sheet is not None:
            self.cell = attrs
            self.paras = []
            self.size = 0
        elif name == _X + "p" and self.cell is not None:
            self.buf = []
        elif name == _X + "s":
            n = _count(attrs, _X + "c", self)
            if n > MAX_CELL:
                raise _too_big(self.path, t(f"text:s text:c={n} ({self.where()})", f"text:s text:c={n} ({self.where()})"),
                               t(f"{MAX_CELL} caractères", f"{MAX_CELL} characters"))
            self.add_text(" " * n)
        elif name == _X + "tab":
            self.add_text("\t")
        elif name == _X + "line-break":
            self.add_text("\n")

    def end(self, name: str) -> None:
        if self.skip:
            self.skip -= 1
            return
        if name == _X + "p" and self.buf is not None:
            self.paras.append("".join(self.buf))
            self.buf = None
        elif name in (_T + "table-cell", _T + "covered-table-cell") and self.cell is not None:
            self.end_cell()
        elif name == _T + "table-row" and self.sheet is not None:
            self.end_row()

    def end_cell(self) -> None:
        attrs, self.cell = self.cell, None
        rep = _count(attrs, _T + "number-columns-repeated", self)
        value: Value = "\n".join(self.paras)
        raw_date = attrs.get(_O + "date-value")
        if raw_date and attrs.get(_O + "value-type") == "date":
            try:
                value = dt.date.fromisoformat(raw_date[:10])
            except ValueError:
                pass
        if value != "":
            if self.col + rep > MAX_COLS:
                raise _too_big(self.path, t(f"la colonne {self.col + rep} ({self.where()})",
                                            f"column {self.col + rep} ({self.where()})"), MAX_COLS)
            for i in range(rep):
                self.row_cells[self.col + 1 + i] = value
        self.col += rep

    def end_row(self) -> None:
        if self.row_cells:
            last = self.row + self.rows_rep - 1
            if last > MAX_ROWS:
                raise _too_big(self.path, t(f"la ligne {last} ({self.where()})", f"row {last} ({self.where()})"),
                               MAX_ROWS)
            self.cells += len(self.row_cells) * self.rows_rep
            if self.cells > MAX_CELLS:
                raise _too_big(self.path, t("le nombre de cellules remplies", "the number of filled cells"), MAX_CELLS)
            for r in range(self.row, last + 1):
                for c, v in self.row_cells.items():
                    self.sheet.cells[(r, c)] = v
        self.row += self.rows_rep - 1
        self.row_cells = {}


def _refuse_dtd(*_args) -> None:
    raise ValueError("DTD")


def _stream(zf: zipfile.ZipFile, member: str, path: str, kind: str, start, end=None, text=None) -> None:
    """Parse one XML member of the archive in 64 KiB chunks (expat: no DTD, no entities)."""
    from xml.parsers import expat

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = start
    if end is not None:
        parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    parser.StartDoctypeDeclHandler = parser.EntityDeclHandler = _refuse_dtd
    parser.buffer_text = True
    try:
        with zf.open(member) as stream:
            while chunk := stream.read(1 << 16):
                parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except InputError:
        raise
    except (expat.ExpatError, ValueError, zipfile.BadZipFile, OSError, EOFError) as exc:
        raise InputError(t(f"classeur {kind} illisible : {exc}", f"unreadable {kind} workbook: {exc}"), file=path) from None


def read_ods(path: Path) -> Book:

    zf = check_zip(path)
    p = str(path)
    with zf:
        if "content.xml" not in zf.namelist():
            raise InputError(t("classeur ODS illisible : content.xml absent", "unreadable ODS: no content.xml"), file=p)
        state = _OdsParser(p)
        _stream(zf, "content.xml", p, "ODS", state.start, state.end, state.add_text)
    return Book(p, state.sheets)


# --------------------------------------------------------------------------- XLSX


def _check_shared_strings(zf: zipfile.ZipFile, path: str) -> None:
    """Count the shared strings and their lengths before openpyxl builds them."""

    name = next((n for n in zf.namelist() if n.lower().endswith("sharedstrings.xml")), None)
    if name is None:
        return
    count, size = 0, 0

    def start(tag, _attrs):
        nonlocal count, size
        if tag.endswith(" si") or tag == "si":
            count += 1
            size = 0
            if count > MAX_SHARED:
                raise _too_big(path, t("le nombre de chaînes partagées", "the number of shared strings"), MAX_SHARED)

    def text(s):
        nonlocal size
        size += len(s)
        if size > MAX_CELL:
            raise _too_big(path, t(f"la chaîne partagée n° {count}", f"shared string no. {count}"),
                           t(f"{MAX_CELL} caractères", f"{MAX_CELL} characters"))

    _stream(zf, name, path, "XLSX", start, text=text)


def _xlsx_value(v: Any) -> Value:
    if v is None:
        return ""
    if isinstance(v, dt.datetime):
        return v.date() if v.time() == dt.time() else v.isoformat()
    if isinstance(v, dt.date):
        return v
    if isinstance(v, bool):
        return "oui" if v else "non"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def read_xlsx(path: Path) -> Book:
    from openpyxl import load_workbook

    p = str(path)
    with check_zip(path) as zf:
        _check_shared_strings(zf, p)
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - zip/xml errors of a damaged file
        raise InputError(t(f"classeur XLSX illisible : {exc}", f"unreadable XLSX workbook: {exc}"), file=p) from None
    sheets, cells = [], 0
    try:
        for ws in wb.worksheets:
            sheet = Sheet(str(ws.title)[:200])
            width = min(ws.max_column or XLSX_COLS, XLSX_COLS)  # as declared (dimension), bounded
            for r, row in enumerate(ws.iter_rows(min_row=1, max_row=MAX_ROWS + 1, max_col=width,
                                                 values_only=True), start=1):
                for c, v in enumerate(row, start=1):
                    value = _xlsx_value(v)
                    if value == "":
                        continue
                    if r > MAX_ROWS:
                        raise _too_big(p, t(f"la ligne {r} (feuille « {sheet.name} »)",
                                            f"row {r} (sheet '{sheet.name}')"), MAX_ROWS)
                    if isinstance(value, str) and len(value) > MAX_CELL:
                        raise _too_big(p, t(f"la cellule {col_name(c)}{r} (feuille « {sheet.name} »)",
                                            f"cell {col_name(c)}{r} (sheet '{sheet.name}')"), MAX_CELL)
                    cells += 1
                    if cells > MAX_CELLS:
                        raise _too_big(p, t("le nombre de cellules remplies", "the number of filled cells"), MAX_CELLS)
                    sheet.cells[(r, c)] = value
            sheets.append(sheet)
    finally:
        wb.close()
    return Book(p, sheets)


# --------------------------------------------------------------------------- CSV


def _delimiter(sample: str) -> str:
    """";" (a French spreadsheet) or ",": the one that splits the first record (quotes respected) into more cells."""
    import csv
    import io

    def width(d: str) -> int:
        try:
            return len(next(csv.reader(io.StringIO(sample, newline=""), delimiter=d), []))
        except csv.Error:
            return 0

    return ";" if width(";") > width(",") else ","


def read_csv(path: Path) -> Book:
    import csv
    import io

    from ..sanitize import unguard_cell

    p = str(path)
    if path.stat().st_size > MAX_FILE:
        raise _too_big(p, t("la taille du fichier", "the file size"), f"{MAX_FILE // 2**20} Mo")
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(t(f"encodage invalide : le fichier n'est pas en UTF-8 (octet {exc.start}) ; "
                           "l'enregistrer en « CSV UTF-8 »",
                           f"bad encoding: the file is not UTF-8 (byte {exc.start}); save it as 'CSV UTF-8'"),
                         file=p, line=line) from None
    delimiter = _delimiter(text[:8192])
    sheet = Sheet(path.stem)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for r, row in enumerate(reader, start=1):
            for c, v in enumerate(row, start=1):
                if v == "":
                    continue
                if r > MAX_ROWS or c > MAX_COLS:
                    raise _too_big(p, t(f"la cellule ligne {r}, colonne {c}", f"the cell at row {r}, column {c}"),
                                   f"{MAX_ROWS} × {MAX_COLS}")
                sheet.cells[(r, c)] = unguard_cell(v)
    except csv.Error as exc:
        raise InputError(t(f"CSV illisible : {exc}", f"unreadable CSV: {exc}"), file=p,
                         line=reader.line_num) from None
    return Book(p, [sheet])


def read_book(path: Path) -> Book:
    if not path.is_file():
        raise InputError(t("fichier introuvable", "file not found"), file=str(path))
    suffix = path.suffix.lower()
    if suffix == ".ods":
        return read_ods(path)
    if suffix == ".xlsx":
        return read_xlsx(path)
    if suffix == ".csv":
        return read_csv(path)
    raise InputError(t("format non reconnu : .csv, .xlsx, .ods ou .json attendu",
                       "unknown format: .csv, .xlsx, .ods or .json expected"), file=str(path))
