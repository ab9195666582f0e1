"""The CNIL model register: filled copies (ODS, XLSX, CSV of the list) read back field by field, the blank
model read as 0 activities, the model's whole vocabulary accepted, errors that say where, export in the
model's layout that reads back to the same activities."""

from __future__ import annotations

import datetime as dt

import pytest

from cyberaudit.model import Dpo, Organisation
from cyberaudit.register import cnil_write, importer
from cyberaudit.register import fiche_layout as L
from cyberaudit.register import vocab as V
from cyberaudit.register.model import Activity, dump
from cyberaudit.register.templates import load_templates
from cyberaudit.register.workbook_read import read_ods
from tests import cnil_workbooks as W


def plain(value):
    return value.isoformat() if isinstance(value, dt.date) else value


@pytest.fixture(scope="module")
def books(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cnil")
    ods = W.build_ods(folder / "registre.ods")
    return {"ods": ods, "xlsx": W.build_xlsx(ods, folder / "registre.xlsx"),
            "csv": W.build_csv(ods, folder / "liste.csv")}


def test_the_blank_model_is_zero_activities():
    got = importer.read(W.BLANK)
    assert got.blank and got.activities == [] and got.errors == []
    assert any("exemple" in s for s in got.skipped) and any("vierge" in s for s in got.skipped)


@pytest.mark.parametrize("fmt", ["ods", "xlsx"])
def test_filled_workbook_gives_every_activity_and_field(books, fmt):
    got = importer.read(books[fmt])
    assert got.errors == []
    assert [a.name for a in got.activities] == [e["name"] for e in W.EXPECTED]  # the CNIL example is not one
    fields = 0
    for act, expected in zip(got.activities, W.EXPECTED, strict=True):
        data = dump(act)
        for key, value in expected.items():
            assert data.get(key) == plain(value), (act.name, key)
            fields += 1
        assert set(data) - set(expected) <= {"id", "role", "notes"}, act.name  # nothing made up
    assert fields == sum(len(e) for e in W.EXPECTED)
    assert got.organisation["dpo"]["email"] == "dpo@cdg.example"
    assert got.organisation["controller"]["last"] == "DURAND"


def test_activities_on_the_list_only_are_kept_and_marked_incomplete(books):
    acts = importer.read(books["ods"]).activities
    incomplete = [a for a in acts if a.status == "incomplete"]
    assert [a.name for a in incomplete] == ["Registre des personnes vulnérables", "Prêt de livres"]
    assert "données sensibles : oui" in incomplete[0].notes


def test_two_activities_without_reference_get_distinct_ids(books):
    acts = importer.read(books["ods"]).activities
    numbered = importer.number(acts, {"T-001"})
    assert len({a.id for a in numbered}) == len(acts) and "T-001" not in {a.id for a in numbered}
    assert [a.reference for a in numbered if a.name in ("Accueil périscolaire", "Prêt de livres")] == [None, None]


def test_a_reimport_keeps_the_ids_of_the_activities_with_the_same_reference(books):
    acts = importer.read(books["ods"]).activities
    existing = [Activity(id="T-042", name="Paie (ancienne fiche)", reference="rh-01")]
    numbered = importer.number(acts, existing)
    assert next(a.id for a in numbered if a.reference == "RH-01") == "T-042"


def test_csv_save_of_the_list_sheet(books):
    got = importer.read(books["csv"])
    assert got.errors == [] and [a.name for a in got.activities] == [e["name"] for e in W.EXPECTED]
    paie = got.activities[1]
    assert (paie.reference, paie.created, paie.updated, paie.status) == (
        "RH-01", dt.date(2025, 7, 13), dt.date(2025, 9, 1), "incomplete")
    assert got.organisation["dpo"]["company"] == "Centre de gestion de l'Exemple"


def test_every_drop_down_value_and_fiche_label_of_the_model_is_known():
    book = read_ods(W.BLANK)
    lists = next(s for s in book.sheets if s.name == "5_-_Listes")
    columns = {1: lambda v: V.lookup("safeguards", v), 3: V.country_code, 6: lambda v: V.lookup("subjects", v),
               8: lambda v: V.lookup("recipients", v), 10: lambda v: V.lookup("measure_types", v)}
    seen = 0
    for (r, c), v in lists.cells.items():
        if r >= 3 and c in columns:
            assert columns[c](v) is not None, (r, c, v)
            seen += 1
    assert seen == 7 + 175 + 8 + 5 + 7
    fiche = next(s for s in book.sheets if s.name.startswith("3_"))
    labels = [fiche.value(r, 1) for r in fiche.rows() if isinstance(fiche.value(r, 1), str) and fiche.value(r, 1)]
    unknown = [x for x in labels[2:] if not _known(V.norm(x))]
    assert unknown == []


def _known(label: str) -> bool:
    return (label in L.TOP or label in L.BLOCKS or label in L.ACTORS or label.startswith("sous-finalite")
            or V.lookup("categories", label) or V.lookup("special", label)
            or label.rstrip("0123456789 ") in {"categorie de personnes", "destinataire", "mesure de securite",
                                                "organisme destinataire"})


def test_code_of_conduct_and_certification_can_be_recorded():
    a = Activity(id="T-001", name="x", transfers=[{"recipient": "A", "country": "Inde", "safeguard": "Code de conduite"},
                                                  {"recipient": "B", "country": "US", "safeguard": "Certification"}])
    assert [x.safeguard for x in a.transfers] == ["code_of_conduct", "certification"]
    assert a.transfers[0].country == "IN"


def test_errors_say_sheet_row_column_and_what_was_expected(tmp_path):
    from odf.opendocument import load

    doc = load(str(W.BLANK))
    fiche = W.tables(doc)["3_-_Modèle_de_fiche_de_registre"]
    fiche.attributes[(W.TABLENS, "name")] = "Cantine"
    W.fill(fiche, {(4, 2): "Cantine", (48, 2): "Les voisins", (59, 2): "Cloud", (59, 3): "Atlantide"})
    path = tmp_path / "bad.ods"
    doc.save(str(path))
    errors = [str(e) for e in importer.read(path).errors]
    assert any(e.startswith("feuille « Cantine », ligne 48, colonne B : type de destinataire inconnu(e) « Les voisins »")
               and "« Sous-traitants »" in e for e in errors), errors
    assert any("ligne 59, colonne C : pays inconnu « Atlantide »" in e for e in errors), errors


def test_export_in_the_cnil_layout_reads_back_to_the_same_activities(tmp_path):
    acts = [tpl.activity(f"T-{i:03d}") for i, tpl in enumerate(load_templates().values(), 1)]
    acts[0] = acts[0].model_copy(update={"reference": "EC-1", "subject_details": {"residents": "Administrés"},
                                         "joint_controllers": ["CCAS", "Syndicat"]})
    org = Organisation(name="Commune de Test", siren="213501232", kind="commune", address="1 place de la Mairie",
                       dpo=Dpo(name="Marie Dupont", email="dpo@exemple.fr", company="CDG"))
    for fmt in ("ods", "xlsx"):
        path = tmp_path / f"r.{fmt}"
        path.write_bytes(cnil_write.to_ods(acts, org) if fmt == "ods" else cnil_write.to_xlsx(acts, org))
        got = importer.read(path)
        assert got.errors == []
        assert [dump(a) for a in got.activities] == [dump(Activity.model_validate(dump(a))) for a in acts]
        assert got.organisation["dpo"]["company"] == "CDG"
    sheets = [s.name for s in read_ods(tmp_path / "r.ods").sheets]
    assert sheets[0] == L.LIST_SHEET and sheets[-1] == L.LISTS_SHEET and len(sheets) == len(acts) + 2


def test_two_fiches_with_one_reference_are_an_error_naming_both_sheets(tmp_path):
    from odf.opendocument import load

    doc = load(str(W.BLANK))
    for name in ("Paie", "Paie bis"):
        fiche = W.duplicate(doc, "3_-_Modèle_de_fiche_de_registre", name, "5_-_Listes")
        W.fill(fiche, {(4, 2): f"Activité {name}", (5, 2): "RH-01"})
    path = tmp_path / "twice.ods"
    doc.save(str(path))
    errors = [str(e) for e in importer.read(path).errors]
    assert errors == ["feuille « Paie bis », ligne 5, colonne B : même référence que la fiche « Paie »"]


def test_a_listed_reference_meets_a_fiche_that_has_none_by_its_name(tmp_path):
    from odf.opendocument import load

    doc = load(str(W.BLANK))
    W.fill(W.tables(doc)["2_-_Liste_des_traitements"], {(10, 1): "Cantine scolaire", (10, 2): "ENF-02"})
    W.fill(W.duplicate(doc, "3_-_Modèle_de_fiche_de_registre", "Cantine", "5_-_Listes"),
           {(4, 2): "Cantine scolaire", (5, 2): "", (17, 2): "Inscrire et facturer la cantine"})
    path = tmp_path / "cantine.ods"
    doc.save(str(path))
    got = importer.read(path)
    assert got.errors == [] and len(got.activities) == 1
    a = got.activities[0]
    assert (a.reference, a.purpose, a.status) == ("ENF-02", "Inscrire et facturer la cantine", "validated")
