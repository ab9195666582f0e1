"""Spreadsheets read safely: ODS, XLSX and CSV into `Book` -> `Sheet` -> cells by (row, column).

Everything a file declares is bounded before anything is built: zip members (count, sizes, ratio),
decompressed sizes (Python's zipfile never inflates past a member's declared size), repeat counts
(ODS `table:number-rows-repeated`, `number-columns-repeated`, `text:s text:c`), XLSX shared strings,
cells per sheet and characters per cell. A file over a bound is an `InputError` naming it, at once.
ODS is parsed in a stream (expat, no DTD, no entities), so a 5 KB file asking for 1.5 billion
spaces fails in microseconds. Row and column numbers are the spreadsheet's own (blank rows count).
Comments (office:annotation) are not cell text. The ODS and XLSX parsers: workbook_read.py.
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


def too_big(path: str, what: str, limit: Any) -> InputError:
    return InputError(t(f"fichier refusé : {what} dépasse la limite ({limit})",
                        f"file refused: {what} over the limit ({limit})"), file=path)


def check_zip(path: Path) -> zipfile.ZipFile:
    """Open a zip container after checking what it declares (members, sizes, compression ratio)."""
    p = str(path)
    if path.stat().st_size > MAX_FILE:
        raise too_big(p, t("la taille du fichier", "the file size"), f"{MAX_FILE // 2**20} Mo")
    try:
        zf = zipfile.ZipFile(path)
        infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise InputError(t(f"classeur illisible (archive zip endommagée : {exc})",
                           f"unreadable workbook (damaged zip archive: {exc})"), file=p) from None
    if len(infos) > MAX_MEMBERS:
        raise too_big(p, t("le nombre de parties de l'archive", "the number of archive members"), MAX_MEMBERS)
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > MAX_MEMBER:
            raise too_big(p, t(f"la partie {info.filename} décompressée", f"member {info.filename} uncompressed"),
                           f"{MAX_MEMBER // 2**20} Mo")
        if info.file_size > 2**20 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise too_big(p, t(f"le taux de compression de {info.filename} (bombe zip ?)",
                                f"the compression ratio of {info.filename} (zip bomb?)"), f"{MAX_RATIO}:1")
    if total > MAX_TOTAL:
        raise too_big(p, t("la taille décompressée totale", "the total uncompressed size"), f"{MAX_TOTAL // 2**20} Mo")
    return zf


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
        raise too_big(p, t("la taille du fichier", "the file size"), f"{MAX_FILE // 2**20} Mo")
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
                    raise too_big(p, t(f"la cellule ligne {r}, colonne {c}", f"the cell at row {r}, column {c}"),
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
    if suffix in (".ods", ".xlsx"):
        from .workbook_read import read_ods, read_xlsx

        return read_ods(path) if suffix == ".ods" else read_xlsx(path)
    if suffix == ".csv":
        return read_csv(path)
    raise InputError(t("format non reconnu : .csv, .xlsx, .ods ou .json attendu",
                       "unknown format: .csv, .xlsx, .ods or .json expected"), file=str(path))
