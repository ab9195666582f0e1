"""Grids (cnil_write.Grid) written as ODS or XLSX: merged cells, bold headers, date cells, column widths.

Every text cell goes through `sanitize.spreadsheet_cell` (control characters stripped, a formula-like
start quoted). The ODS is written directly (zip + XML), byte-for-byte deterministic.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from xml.sax.saxutils import escape, quoteattr

from ..sanitize import spreadsheet_cell

ODS_MIME = "application/vnd.oasis.opendocument.spreadsheet"
_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
       'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
       'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
       'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
       'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
       'xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0" office:version="1.2"')
_STYLES = ('<office:automatic-styles>'
           '<number:date-style style:name="N1"><number:day number:style="long"/><number:text>/</number:text>'
           '<number:month number:style="long"/><number:text>/</number:text><number:year number:style="long"/>'
           '</number:date-style>'
           '<style:style style:name="ce1" style:family="table-cell"><style:table-cell-properties '
           'fo:wrap-option="wrap" style:vertical-align="top"/></style:style>'
           '<style:style style:name="ce2" style:family="table-cell"><style:table-cell-properties '
           'fo:wrap-option="wrap" style:vertical-align="top"/><style:text-properties fo:font-weight="bold"/>'
           '</style:style>'
           '<style:style style:name="ce3" style:family="table-cell" style:data-style-name="N1"/>'
           '{columns}</office:automatic-styles>')


def _ods_cell(value, bold: bool, span: int) -> str:
    spanned = f' table:number-columns-spanned="{span}" table:number-rows-spanned="1"' if span > 1 else ""
    covered = "<table:covered-table-cell/>" * (span - 1)
    if isinstance(value, dt.date):
        return (f'<table:table-cell table:style-name="ce3" office:value-type="date" '
                f'office:date-value="{value.isoformat()}"{spanned}><text:p>{value.strftime("%d/%m/%Y")}</text:p>'
                f"</table:table-cell>{covered}")
    style = "ce2" if bold else "ce1"
    if value is None:
        return f'<table:table-cell table:style-name="{style}"{spanned}/>{covered}'
    paras = "".join(f"<text:p>{escape(line)}</text:p>" for line in spreadsheet_cell(value).split("\n"))
    return (f'<table:table-cell table:style-name="{style}" office:value-type="string"{spanned}>{paras}'
            f"</table:table-cell>{covered}")


def _ods_table(g, col_styles: dict[float, str]) -> str:
    last_col = max([c for _r, c in g.cells] + [c for _r, _c, c in g.merges] + [1])
    cols = "".join(f'<table:table-column table:style-name="{col_styles[g.widths.get(c, 3.0)]}"/>'
                   for c in range(1, last_col + 1))
    spans = {(r, c1): c2 - c1 + 1 for r, c1, c2 in g.merges}
    covered = {(r, c) for r, c1, c2 in g.merges for c in range(c1 + 1, c2 + 1)}
    rows = []
    last_row = max([r for r, _c in g.cells] + [r for r, _c in g.bold] + [0])
    for r in range(1, last_row + 1):
        cells, c = [], 1
        while c <= last_col:
            if (r, c) in covered:
                c += 1
                continue
            span = spans.get((r, c), 1)
            cells.append(_ods_cell(g.cells.get((r, c)), (r, c) in g.bold, span))
            c += span
        rows.append("<table:table-row>" + "".join(cells) + "</table:table-row>")
    return f"<table:table table:name={quoteattr(g.name)}>{cols}{''.join(rows)}</table:table>"


def write_ods(grids) -> bytes:
    widths = sorted({w for g in grids for w in g.widths.values()} | {3.0})
    col_styles = {w: f"co{i}" for i, w in enumerate(widths, start=1)}
    columns = "".join(f'<style:style style:name="{n}" style:family="table-column"><style:table-column-properties '
                      f'style:column-width="{w}cm"/></style:style>' for w, n in col_styles.items())
    body = "".join(_ods_table(g, col_styles) for g in grids)
    content = (f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content {_NS}>'
               f"{_STYLES.format(columns=columns)}<office:body><office:spreadsheet>{body}</office:spreadsheet>"
               "</office:body></office:document-content>")
    manifest = ('<?xml version="1.0" encoding="UTF-8"?>\n<manifest:manifest '
                'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{ODS_MIME}"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                '<manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>'
                "</manifest:manifest>")
    styles = f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-styles {_NS}/>'
    buf = io.BytesIO()
    when = (1980, 1, 1, 0, 0, 0)
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype", when), ODS_MIME, compress_type=zipfile.ZIP_STORED)
        for name, data in (("META-INF/manifest.xml", manifest), ("styles.xml", styles), ("content.xml", content)):
            z.writestr(zipfile.ZipInfo(name, when), data, compress_type=zipfile.ZIP_DEFLATED)
    return buf.getvalue()


def write_xlsx(grids, stamp: dt.date) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.created = wb.properties.modified = dt.datetime(stamp.year, stamp.month, stamp.day)
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    for g in grids:
        ws = wb.create_sheet(g.name)
        for c, w in g.widths.items():
            ws.column_dimensions[get_column_letter(c)].width = round(w * 5, 1)
        for (r, c), v in sorted(g.cells.items()):
            cell = ws.cell(row=r, column=c)
            if isinstance(v, dt.date):
                cell.value = dt.datetime(v.year, v.month, v.day)
                cell.number_format = "DD/MM/YYYY"
            else:
                cell.value = spreadsheet_cell(v)
                cell.data_type = "s"  # text stays text, whatever it looks like
                cell.alignment = wrap
            if (r, c) in g.bold:
                cell.font = bold
        for r, c in g.bold:
            ws.cell(row=r, column=c).font = bold
        for r, c1, c2 in g.merges:
            ws.merge_cells(start_row=r, start_column=c1, end_row=r, end_column=c2)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
