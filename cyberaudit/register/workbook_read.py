"""The ODS and XLSX parsers of sheets.py: an ODS streamed with expat (no DTD, no entities), repeat counts
and sizes checked as they are read; an XLSX read with openpyxl after its shared strings were counted.
The bounds are those of sheets.py (read at call time, so that tests can lower them).
"""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..i18n import t
from . import sheets as S
from .sheets import Book, Sheet, Value, check_zip, col_name, too_big

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
        if self.size > S.MAX_CELL:
            raise too_big(self.path, t(f"une cellule ({self.where()})", f"a cell ({self.where()})"),
                           t(f"{S.MAX_CELL} caractères", f"{S.MAX_CELL} characters"))
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
            if n > S.MAX_CELL:
                raise too_big(self.path, t(f"text:s text:c={n} ({self.where()})", f"text:s text:c={n} ({self.where()})"),
                               t(f"{S.MAX_CELL} caractères", f"{S.MAX_CELL} characters"))
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
            if self.col + rep > S.MAX_COLS:
                raise too_big(self.path, t(f"la colonne {self.col + rep} ({self.where()})",
                                            f"column {self.col + rep} ({self.where()})"), S.MAX_COLS)
            for i in range(rep):
                self.row_cells[self.col + 1 + i] = value
        self.col += rep

    def end_row(self) -> None:
        if self.row_cells:
            last = self.row + self.rows_rep - 1
            if last > S.MAX_ROWS:
                raise too_big(self.path, t(f"la ligne {last} ({self.where()})", f"row {last} ({self.where()})"),
                               S.MAX_ROWS)
            self.cells += len(self.row_cells) * self.rows_rep
            if self.cells > S.MAX_CELLS:
                raise too_big(self.path, t("le nombre de cellules remplies", "the number of filled cells"), S.MAX_CELLS)
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
            if count > S.MAX_SHARED:
                raise too_big(path, t("le nombre de chaînes partagées", "the number of shared strings"), S.MAX_SHARED)

    def text(s):
        nonlocal size
        size += len(s)
        if size > S.MAX_CELL:
            raise too_big(path, t(f"la chaîne partagée n° {count}", f"shared string no. {count}"),
                           t(f"{S.MAX_CELL} caractères", f"{S.MAX_CELL} characters"))

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
            width = min(ws.max_column or S.XLSX_COLS, S.XLSX_COLS)  # as declared (dimension), bounded
            for r, row in enumerate(ws.iter_rows(min_row=1, max_row=S.MAX_ROWS + 1, max_col=width,
                                                 values_only=True), start=1):
                for c, v in enumerate(row, start=1):
                    value = _xlsx_value(v)
                    if value == "":
                        continue
                    if r > S.MAX_ROWS:
                        raise too_big(p, t(f"la ligne {r} (feuille « {sheet.name} »)",
                                            f"row {r} (sheet '{sheet.name}')"), S.MAX_ROWS)
                    if isinstance(value, str) and len(value) > S.MAX_CELL:
                        raise too_big(p, t(f"la cellule {col_name(c)}{r} (feuille « {sheet.name} »)",
                                            f"cell {col_name(c)}{r} (sheet '{sheet.name}')"), S.MAX_CELL)
                    cells += 1
                    if cells > S.MAX_CELLS:
                        raise too_big(p, t("le nombre de cellules remplies", "the number of filled cells"), S.MAX_CELLS)
                    sheet.cells[(r, c)] = value
            sheets.append(sheet)
    finally:
        wb.close()
    return Book(p, sheets)


