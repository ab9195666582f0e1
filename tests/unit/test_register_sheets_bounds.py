"""Hostile workbooks: every declared size and repeat count is bounded before anything is built, and a bad
file is a clear InputError naming it (speed and memory figures: benchmarks/bench_register_import.py)."""

from __future__ import annotations

import io
import zipfile

import pytest

from cyberaudit.errors import InputError
from cyberaudit.register import importer, sheets, store, workbook_read
from cyberaudit.register.cnil_write import Grid
from cyberaudit.register.workbook_io import write_ods

NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
      'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
      'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"')


def ods(tmp_path, rows: str, *, name="r.ods", prolog: str = "") -> str:
    content = (f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<office:document-content {NS}><office:body>'
               f'<office:spreadsheet><table:table table:name="Registre">{rows}</table:table></office:spreadsheet>'
               "</office:body></office:document-content>")
    path = tmp_path / name
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", content)
    return path


def cell(text: str, extra: str = "") -> str:
    return f"<table:table-cell{extra}><text:p>{text}</text:p></table:table-cell>"


def test_text_s_asking_for_a_billion_spaces_is_refused_at_once(tmp_path):
    path = ods(tmp_path, "<table:table-row>" + cell('<text:s text:c="1500000000"/>') + "</table:table-row>")
    assert path.stat().st_size < 5000
    with pytest.raises(InputError) as exc:
        importer.read(path)
    assert exc.value.file == str(path) and "text:c=1500000000" in str(exc.value) and "Registre" in str(exc.value)


def test_repeated_rows_and_columns_are_bounded(tmp_path):
    many_rows = ods(tmp_path, '<table:table-row table:number-rows-repeated="1000000000">' + cell("x")
                    + "</table:table-row>", name="rows.ods")
    with pytest.raises(InputError, match="ligne 1000000000"):
        importer.read(many_rows)
    many_cols = ods(tmp_path, "<table:table-row>" + cell("x", ' table:number-columns-repeated="16384"')
                    + "</table:table-row>", name="cols.ods")
    with pytest.raises(InputError, match="colonne 16384"):
        importer.read(many_cols)
    bad = ods(tmp_path, '<table:table-row table:number-rows-repeated="beaucoup">' + cell("x") + "</table:table-row>",
              name="bad.ods")
    with pytest.raises(InputError, match="répétitions illisible"):
        importer.read(bad)


def test_empty_repeated_rows_cost_nothing_and_keep_row_numbers(tmp_path):
    head = "<table:table-row>" + cell("N° / Réf.") + cell("Nom du traitement") + cell("Statut") + "</table:table-row>"
    gap = '<table:table-row table:number-rows-repeated="5"><table:table-cell table:number-columns-repeated="1024"/>' \
          "</table:table-row>"
    bad = "<table:table-row>" + cell("T-001") + cell("Paie") + cell("peut-être") + "</table:table-row>"
    tail = '<table:table-row table:number-rows-repeated="1048000"><table:table-cell/></table:table-row>'
    got = importer.read(ods(tmp_path, head + gap + bad + tail))
    assert [(e.row, e.column) for e in got.errors] == [(7, "Statut")]  # the spreadsheet's own row number


def test_a_dtd_is_refused(tmp_path):
    bomb = '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    path = ods(tmp_path, "<table:table-row>" + cell("&b;") + "</table:table-row>", prolog=bomb)
    with pytest.raises(InputError, match="ODS illisible"):
        importer.read(path)


def test_zip_bombs_and_oversized_members_are_refused_before_inflating(tmp_path, monkeypatch):
    path = tmp_path / "bomb.ods"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", b"<" + b" " * (8 * 2**20) + b">")
    assert path.stat().st_size < 100_000
    with pytest.raises(InputError, match="bombe zip"):
        importer.read(path)
    monkeypatch.setattr(sheets, "MAX_MEMBER", 1000)
    big = write_ods([Grid("Registre", cells={(r, 1): f"ligne {r}" for r in range(1, 200)})])
    (tmp_path / "big.ods").write_bytes(big)
    with pytest.raises(InputError, match="content.xml décompressée"):
        importer.read(tmp_path / "big.ods")


def xlsx_with_shared_strings(path, strings: list[str]):
    """A minimal workbook as Excel writes it: cells pointing into xl/sharedStrings.xml."""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    rows = "".join(f'<row r="{i}"><c r="A{i}" t="s"><v>{i - 1}</v></c></row>' for i in range(1, len(strings) + 1))
    sst = "".join(f"<si><t>{x}</t></si>" for x in strings)
    parts = {
        "[Content_Types].xml": '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        'spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
        "_rels/.rels": '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<workbook xmlns="{main}" xmlns:r="{rel}"><sheets><sheet name="Registre" sheetId="1" '
        'r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        f'relationships"><Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": f'<worksheet xmlns="{main}"><sheetData>{rows}</sheetData></worksheet>',
        "xl/sharedStrings.xml": f'<sst xmlns="{main}" count="{len(strings)}" uniqueCount="{len(strings)}">{sst}</sst>',
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return path


def test_xlsx_shared_strings_are_counted_and_measured_first(tmp_path, monkeypatch):
    path = xlsx_with_shared_strings(tmp_path / "r.xlsx", ["N° / Réf.", "Nom du traitement"] + [f"texte {i}" for i in
                                                                                            range(30)])
    assert [row for _n, row in workbook_read.read_xlsx(path).sheets[0].grid()][:2] == [["N° / Réf."], ["Nom du traitement"]]
    monkeypatch.setattr(sheets, "MAX_SHARED", 10)
    with pytest.raises(InputError, match="chaînes partagées"):
        importer.read(path)
    monkeypatch.setattr(sheets, "MAX_SHARED", 1000)
    monkeypatch.setattr(sheets, "MAX_CELL", 12)
    with pytest.raises(InputError, match="chaîne partagée n° 2"):
        importer.read(path)


def test_a_register_file_with_an_endless_free_text_names_its_file_and_line(tmp_path):
    from cyberaudit.disk.workspace import create
    from cyberaudit.model import Organisation

    ws = create(tmp_path / "ws", Organisation(name="Commune", siren="213501232", kind="commune"))
    path = store.activity_path(ws, "T-001")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("id: T-001\nname: Paie\nnotes: " + "x" * 30_000 + "\n", "utf-8")
    with pytest.raises(InputError) as exc:
        store.load_all(ws)
    assert exc.value.file == str(path) and exc.value.line == 3 and "20000" in str(exc.value)


def test_damaged_zip_is_a_clear_error(tmp_path):
    path = tmp_path / "r.ods"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("content.xml", "<x/>" * 100)
    path.write_bytes(buf.getvalue()[:-30])
    with pytest.raises(InputError) as exc:
        importer.read(path)
    assert exc.value.file == str(path)
