"""Grids (cnil_write.Grid) written as ODS or XLSX: merged cells, bold headers, date cells, column widths.

Every text cell goes through `sanitize.spreadsheet_cell` (control characters stripped, a formula-like
start quoted). Both are written directly (zip + XML): fast and byte-for-byte deterministic.
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


_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_XSTYLES = (f'<styleSheet xmlns="{_MAIN}"><numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/>'
            '</numFmts><fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/>'
            '<name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill>'
            '<fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/>'
            '<top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" '
            'fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" '
            'borderId="0" xfId="0"/><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" '
            'applyAlignment="1"><alignment wrapText="1" vertical="top"/></xf><xf numFmtId="0" fontId="1" fillId="0" '
            'borderId="0" xfId="0" applyFont="1" applyAlignment="1"><alignment wrapText="1" vertical="top"/></xf>'
            '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>')
_EPOCH = dt.date(1899, 12, 30)


def _ref(row: int, col: int) -> str:
    from .sheets import col_name

    return f"{col_name(col)}{row}"


def _xlsx_sheet(g) -> str:
    keys = sorted(set(g.cells) | g.bold)
    by_row: dict[int, list[tuple[int, int]]] = {}
    for r, c in keys:
        by_row.setdefault(r, []).append((r, c))
    rows = []
    for r in sorted(by_row):
        cells = []
        for _r, c in by_row[r]:
            v, ref = g.cells.get((r, c)), _ref(r, c)
            if isinstance(v, dt.date):
                cells.append(f'<c r="{ref}" s="3"><v>{(v - _EPOCH).days}</v></c>')
            elif v is None:
                cells.append(f'<c r="{ref}" s="2"/>')
            else:
                style = 2 if (r, c) in g.bold else 1
                cells.append(f'<c r="{ref}" s="{style}" t="inlineStr"><is><t xml:space="preserve">'
                             f"{escape(spreadsheet_cell(v))}</t></is></c>")
        rows.append(f'<row r="{r}">{"".join(cells)}</row>')
    cols = "".join(f'<col min="{c}" max="{c}" width="{round(w * 5, 1)}" customWidth="1"/>'
                   for c, w in sorted(g.widths.items()))
    merges = "".join(f'<mergeCell ref="{_ref(r, c1)}:{_ref(r, c2)}"/>' for r, c1, c2 in g.merges)
    last = (max([r for r, _c in keys] + [1]), max([c for _r, c in keys] + [c for _r, _c1, c in g.merges] + [1]))
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{_MAIN}">'
            f'<dimension ref="A1:{_ref(*last)}"/>' + (f"<cols>{cols}</cols>" if cols else "")
            + f"<sheetData>{''.join(rows)}</sheetData>"
            + (f'<mergeCells count="{len(g.merges)}">{merges}</mergeCells>' if g.merges else "") + "</worksheet>")


def write_xlsx(grids) -> bytes:
    """Office Open XML written directly (inline strings, merges, bold headers, date cells): fast, deterministic."""
    n = len(grids)
    sheet_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
    types = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.'
             'org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
             'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
             '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
             'spreadsheetml.sheet.main+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.'
             'openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
             + "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{sheet_type}"/>'
                       for i in range(1, n + 1)) + "</Types>")
    root_rels = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{_PKG}">'
                 f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
    sheets = "".join(f'<sheet name={quoteattr(g.name)} sheetId="{i}" r:id="rId{i}"/>' for i, g in enumerate(grids, 1))
    workbook = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="{_MAIN}" '
                f'xmlns:r="{_REL}"><sheets>{sheets}</sheets></workbook>')
    rels = "".join(f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
                   for i in range(1, n + 1))
    rels += f'<Relationship Id="rId{n + 1}" Type="{_REL}/styles" Target="styles.xml"/>'
    wb_rels = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{_PKG}">{rels}</Relationships>'
    parts = [("[Content_Types].xml", types), ("_rels/.rels", root_rels), ("xl/workbook.xml", workbook),
             ("xl/_rels/workbook.xml.rels", wb_rels), ("xl/styles.xml", _XSTYLES)]
    parts += [(f"xl/worksheets/sheet{i}.xml", _xlsx_sheet(g)) for i, g in enumerate(grids, 1)]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in parts:
            z.writestr(zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0)), data, compress_type=zipfile.ZIP_DEFLATED)
    return buf.getvalue()
