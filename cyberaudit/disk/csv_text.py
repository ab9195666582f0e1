"""CSV text a French spreadsheet reads right, one line at a time: `;` between cells (the comma is the decimal
mark there, so a comma-separated file opens as one column), UTF-8 byte order mark, CRLF line ends, every
cell through the one spreadsheet-cell guard (`sanitize.spreadsheet_cell`: no formula, no escape)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

from ..sanitize import spreadsheet_cell

SEPARATOR = ";"


def csv_chunks(headers: list[str], rows: Iterable[list[str]]) -> Iterator[str]:
    """The CSV text: the BOM and the header line first, then one chunk per row."""
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=SEPARATOR, lineterminator="\r\n")

    def line(cells: list[str]) -> str:
        buf.seek(0)
        buf.truncate()
        writer.writerow([spreadsheet_cell(c) for c in cells])
        return buf.getvalue()

    yield "\ufeff" + line(headers)  # BOM: spreadsheets then read UTF-8 correctly
    for row in rows:
        yield line(row)
