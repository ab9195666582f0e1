"""Export and import: CNIL-model layout, round trips (csv, xlsx, ods, json), malformed files reported by row and column."""

from __future__ import annotations

import csv
import io
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cyberaudit.errors import InputError
from cyberaudit.model import Dpo, Organisation
from cyberaudit.register import export, importer
from cyberaudit.register.model import Activity
from cyberaudit.register.table import HEADERS  # noqa: F401
from cyberaudit.register.templates import load_templates

ORG = Organisation(name="Commune de Test", siren="213501232", kind="commune", address="1 place de la Mairie",
                   dpo=Dpo(name="Marie Dupont", email="dpo@exemple.fr"))


def register() -> list[Activity]:
    acts = [tpl.activity(f"T-{i:03d}") for i, tpl in enumerate(load_templates().values(), 1)]
    acts[0] = acts[0].model_copy(update={
        "notes": "=HYPERLINK(\"http://x\")\nligne 2 | avec barre \\ et antislash",
        "transfers": [Activity.model_validate({"id": "T-001", "name": "x", "transfers": [
            {"recipient": "Cloud | Inc", "country": "US", "safeguard": "scc", "documentation": "https://x/y"}]}).transfers[0]],
        "dpia": acts[0].dpia.model_copy(update={"done": True, "criteria": ["large_scale"], "cnil_types": [13]}),
        "estimated_subjects": 12000, "assets": ["famille.exemple.fr"],
    })
    acts[1] = acts[1].model_copy(update={"name": "-commence par un tiret", "owner_service": "'apostrophe"})
    return acts


def same(a: list[Activity], b: list[Activity]) -> bool:
    return [x.model_dump() for x in a] == [x.model_dump() for x in b]


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "ods", "json"])
def test_round_trip_import_export_import(tmp_path, fmt):
    acts = register()
    first = tmp_path / f"one.{fmt}"
    first.write_bytes(export.export(acts, ORG, fmt))
    got = importer.read(first)
    assert got.errors == [] and same(got.activities, acts)
    second = tmp_path / f"two.{fmt}"
    second.write_bytes(export.export(got.activities, ORG, fmt))
    again = importer.read(second)
    assert same(again.activities, got.activities)
    if fmt in ("csv", "json"):
        assert second.read_bytes() == first.read_bytes()


text = st.text(alphabet=st.one_of(st.characters(blacklist_categories=("Cs", "Cc")), st.sampled_from("\n|\\;'=")),
               max_size=30)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=text.filter(lambda s: s.strip() != ""), notes=st.one_of(st.none(), text),
       sources=st.lists(text.filter(lambda s: s.strip() == s and s), max_size=3))
def test_csv_round_trip_of_arbitrary_text(tmp_path, name, notes, sources):
    name = name.strip()
    notes = notes.strip() or None if notes else None
    a = Activity.model_validate({"id": "T-001", "name": name, "notes": notes, "sources": sources})
    path = tmp_path / "r.csv"
    path.write_bytes(export.to_csv([a]))
    got = importer.read(path)
    assert got.errors == [] and same(got.activities, [a])


def test_csv_layout_follows_the_cnil_model():
    data = export.to_csv(register()).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(data), delimiter=";"))
    assert rows[0] == list(HEADERS)
    for heading in ("N° / Réf.", "Nom du traitement", "Finalité principale", "Catégories de données", "Données sensibles",
                    "Personnes concernées", "Destinataires", "Transferts hors UE", "Durée de conservation",
                    "Mesures de sécurité"):
        assert heading in rows[0]
    assert rows[1][0] == "T-001"
    assert rows[1][rows[0].index("Notes")].startswith("'=")  # a formula-looking cell is neutralised


def test_xlsx_and_ods_are_in_the_cnil_layout_and_hold_no_formula(tmp_path):
    from openpyxl import load_workbook

    path = tmp_path / "r.xlsx"
    path.write_bytes(export.export(register(), ORG, "xlsx"))
    wb = load_workbook(path)
    assert wb.sheetnames[0] == "2_-_Liste_des_traitements" and wb.sheetnames[-1] == "5_-_Listes"
    assert len(wb.sheetnames) == len(register()) + 2  # one fiche per activity
    listing = [[c.value for c in row] for row in wb["2_-_Liste_des_traitements"].iter_rows()]
    assert listing[4][:3] == ["Coordonnées du délégué à la protection des données (DPO)", "Nom :", "Marie Dupont"]
    assert listing[7][:2] == ["Nom du traitement", "N° / RÉF"]
    names = [a.name for a in sorted(register(), key=lambda a: a.id)]
    assert [r[0] for r in listing[8:]] == [("'" + n if n.startswith("-") else n) for n in names]  # guarded
    assert all(c.data_type != "f" for ws in wb.worksheets for row in ws.iter_rows() for c in row)
    fiche = [[c.value for c in row] for row in wb.worksheets[1].iter_rows()]
    assert ["Nom du traitement", register()[0].name] == fiche[3][:2]
    assert any(r[0] == "Notes" and str(r[1]).startswith("'=") for r in fiche)  # formula-looking text quoted


def test_ods_and_csv_exports_are_byte_for_byte_deterministic():
    assert export.export(register(), ORG, "ods") == export.export(register(), ORG, "ods")
    assert export.export(register(), ORG, "xlsx") == export.export(register(), ORG, "xlsx")
    assert export.to_csv(register()) == export.to_csv(register())


def test_control_characters_never_break_a_workbook(tmp_path):
    a = Activity(id="T-001", name="nom\x1b[31m\x01 piégé", notes="tab\tici")
    for fmt in ("xlsx", "ods"):
        path = tmp_path / f"r.{fmt}"
        path.write_bytes(export.export([a], ORG, fmt))
        got = importer.read(path)
        assert got.errors == [] and got.activities[0].name == "nom piégé"


def test_json_and_markdown_exports():
    data = json.loads(export.to_json(register(), ORG))
    assert data["schema"] == "cyberaudit/register/v1" and data["organisation"]["dpo"]["name"] == "Marie Dupont"
    assert [a["id"] for a in data["activities"]] == sorted(a["id"] for a in data["activities"])
    md = export.to_markdown([Activity(id="T-001", name="<script>| *x*")], ORG)
    assert "<script>" not in md and "\\<script\\>\\| \\*x\\*" in md


# --------------------------------------------------------------------------- malformed input


def write_csv(tmp_path, rows, name="in.csv") -> str:
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    path = tmp_path / name
    path.write_text(buf.getvalue(), "utf-8")
    return path


def header(*labels):
    return list(labels)


def test_each_bad_row_is_reported_with_row_column_and_reason(tmp_path):
    cols = header("N° / Réf.", "Nom du traitement", "Base légale (art. 6)", "Nombre de personnes (estimation)",
                  "AIPD réalisée", "Personnes concernées")
    path = write_csv(tmp_path, [
        cols,
        ["T-001", "Paie", "6.1.c | CGFP", "40", "non", "agents"],
        ["T-002", "", "6.1.c", "", "", ""],  # missing name
        ["T-003", "Cantine", "6.1.z", "", "", ""],  # unknown legal basis
        ["T-004", "Bibliothèque", "", "beaucoup", "", ""],  # wrong type
        ["T-005", "Eau", "", "", "peut-être", ""],  # not a yes/no
        ["T-006", "Déchets", "", "", "", "martiens"],  # unknown subject
    ])
    result = importer.read(path)
    assert [a.id for a in result.activities] == ["T-001"]
    where = [(e.row, e.column) for e in result.errors]
    assert where == [(3, "Nom du traitement"), (4, "Base légale (art. 6)"), (5, "Nombre de personnes (estimation)"),
                     (6, "AIPD réalisée"), (7, "Personnes concernées")]
    assert "base légale inconnue" in result.errors[1].reason
    assert "entier" in result.errors[2].reason


def test_extra_column_is_an_error_on_the_header(tmp_path):
    path = write_csv(tmp_path, [["N° / Réf.", "Nom du traitement", "Couleur préférée"], ["T-001", "Paie", "bleu"]])
    with pytest.raises(InputError) as exc:
        importer.read(path)
    assert exc.value.line == 1 and exc.value.field == "Couleur préférée" and "n° 3" in str(exc.value)


def test_value_outside_the_columns_is_reported(tmp_path):
    path = write_csv(tmp_path, [["N° / Réf.", "Nom du traitement"], ["T-001", "Paie", "en trop"]])
    result = importer.read(path)
    assert result.activities == [] and result.errors[0].row == 2


def test_broken_encoding_names_the_line(tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes("N° / Réf.,Nom du traitement\nT-001,Paie\nT-002,État civil\n".encode("latin-1"))
    with pytest.raises(InputError) as exc:
        importer.read(path)
    assert exc.value.line == 1 and "UTF-8" in str(exc.value)
    path.write_bytes(b"N\xc2\xb0 / R\xc3\xa9f.,Nom du traitement\nT-001,Paie\nT-002,\xc9tat civil\n")
    with pytest.raises(InputError) as exc:
        importer.read(path)
    assert exc.value.line == 3


def test_duplicate_ids_and_missing_id_column(tmp_path):
    path = write_csv(tmp_path, [["N° / Réf.", "Nom du traitement"], ["T-001", "A"], ["T-001", "B"], ["", "C"]])
    result = importer.read(path)
    assert [e.row for e in result.errors] == [3]
    numbered = importer.number(result.activities, {"T-007"})
    assert [a.id for a in numbered] == ["T-001", "T-008"]
    with pytest.raises(InputError, match="N° / Réf."):
        importer.read(write_csv(tmp_path, [["Nom du traitement"], ["A"]], "noid.csv"))
    two = importer.read(write_csv(tmp_path, [["N° / Réf.", "Nom du traitement"], ["", "A"], ["", "B"]], "two.csv"))
    assert two.errors == [] and [a.id for a in importer.number(two.activities, set())] == ["T-001", "T-002"]


def test_semicolon_csv_from_a_french_spreadsheet(tmp_path):
    path = tmp_path / "fr.csv"
    path.write_text("\ufeffN° / Réf.;Nom du traitement;Base légale (art. 6)\nT-001;Paie;6.1.c | CGFP\n", "utf-8")
    result = importer.read(path)
    assert result.errors == [] and result.activities[0].legal_bases[0].text == "CGFP"


def test_unknown_format_and_damaged_workbooks(tmp_path):
    for name in ("r.txt", "r.xlsx", "r.ods"):
        path = tmp_path / name
        path.write_bytes(b"not a workbook")
        with pytest.raises(InputError) as exc:
            importer.read(path)
        assert exc.value.file == str(path)


def test_too_many_rows_is_refused_without_reading_them_all(tmp_path, monkeypatch):
    monkeypatch.setattr(importer, "MAX_ROWS", 10)
    path = write_csv(tmp_path, [["N° / Réf.", "Nom du traitement"], *[[f"T-{i:03d}", "x"] for i in range(1, 50)]])
    with pytest.raises(InputError, match="trop de lignes"):
        importer.read(path)
