"""Register model and store: validation, file:line errors, stable files, comments kept, drafts, locking."""

from __future__ import annotations

import datetime as dt

import pytest

from cyberaudit.disk.workspace import create
from cyberaudit.errors import InputError
from cyberaudit.model import Organisation
from cyberaudit.register import store
from cyberaudit.register.durations import days, is_indefinite
from cyberaudit.register.model import Activity, dump


@pytest.fixture
def ws(tmp_path):
    return create(tmp_path / "ws", Organisation(name="Commune de Test", siren="213501232", kind="commune"))


def act(**kw) -> Activity:
    return Activity.model_validate({"id": "T-001", "name": "Paie", **kw})


def test_legal_basis_aliases_become_keys_and_unknown_is_refused():
    a = act(legal_bases=[{"basis": "6.1.c"}, {"basis": "Mission d'intérêt public"}, {"basis": "f"}])
    assert [b.basis for b in a.legal_bases] == ["legal_obligation", "public_task", "legitimate_interests"]
    with pytest.raises(ValueError, match="base légale inconnue"):
        act(legal_bases=[{"basis": "6.1.z"}])


def test_labels_typed_in_a_spreadsheet_become_keys():
    a = act(data_subjects=["Élus", "agents", "Job applicants"], data_categories=[{"category": "Vie personnelle"}],
            special_data=[{"type": "données de santé", "exception": "9.2.b"}])
    assert a.data_subjects == ["elected", "agents", "candidates"]
    assert (a.data_categories[0].category, a.special_data[0].type) == ("personal_life", "health")
    with pytest.raises(ValueError):
        act(data_subjects=["Habitants de Mars"])


@pytest.mark.parametrize("bad", [
    {"id": "1"}, {"id": "T-1"}, {"data_subjects": ["martians"]}, {"estimated_subjects": -3},
    {"transfers": [{"recipient": "x", "country": "Atlantide"}]}, {"dpia": {"cnil_types": [15]}},
    {"special_data": [{"type": "health", "exception": "9.2.k"}]}, {"unknown_field": 1},
    {"assets": ["$(id)"]}, {"security_measures": [{}]}, {"sub_purposes": ["a", "b", "c", "d", "e", "f"]},
])
def test_invalid_activities_are_refused(bad):
    with pytest.raises(ValueError):
        act(**bad)


def test_assets_are_normalised_like_the_inventory():
    assert act(assets=["Famille.Exemple.FR."]).assets == ["famille.exemple.fr"]


def test_dump_keeps_field_order_and_drops_empty_values():
    a = act(purpose="Payer", legal_bases=[{"basis": "6.1.c", "text": "CGFP"}], updated="2026-01-02")
    data = dump(a)
    assert list(data) == ["id", "name", "status", "role", "purpose", "legal_bases", "updated"]
    assert Activity.model_validate(data) == a


def test_durations():
    assert days("30 jours") == 30 and days("P30D") == 30 and days("1 mois") == 31
    assert days("13 mois ; 25 mois") == 25 * 31 and days("2 ans") == 732 and days("P1Y6M") == 366 + 186
    assert days("durée de l'inscription") is None
    assert is_indefinite("Illimitée") and is_indefinite("permanente") and not is_indefinite("2 ans")


# --------------------------------------------------------------------------- store


def test_save_load_all_sorted_and_next_id(ws):
    assert store.load_all(ws) == []
    assert store.next_id(ws) == "T-001"
    store.save(ws, act(id="T-010", name="B"), today=dt.date(2026, 3, 1), by="Marie")
    store.save(ws, act(id="T-002", name="A"), today=dt.date(2026, 3, 2))
    loaded = store.load_all(ws)
    assert [a.id for a in loaded] == ["T-002", "T-010"]
    assert loaded[1].created == loaded[1].updated == dt.date(2026, 3, 1) and loaded[1].updated_by == "Marie"
    assert store.next_id(ws) == "T-011"
    assert store.next_id(ws, taken={"T-011"}) == "T-012"


def test_saving_twice_gives_the_same_bytes_and_keeps_created(ws):
    a = store.save(ws, act(purpose="Payer"), today=dt.date(2026, 1, 1))
    first = store.activity_path(ws, "T-001").read_bytes()
    store.save(ws, a, today=dt.date(2026, 1, 1))
    assert store.activity_path(ws, "T-001").read_bytes() == first
    later = store.save(ws, a, today=dt.date(2026, 5, 1))
    assert later.created == dt.date(2026, 1, 1) and later.updated == dt.date(2026, 5, 1)


def test_comments_a_person_added_are_kept(ws):
    store.save(ws, act(purpose="Payer"))
    path = store.activity_path(ws, "T-001")
    path.write_text(path.read_text("utf-8").replace("purpose: Payer", "purpose: Payer  # vu avec la DRH"), "utf-8")
    a = store.load(ws, "T-001")
    store.save(ws, a.model_copy(update={"owner_service": "RH"}))
    text = path.read_text("utf-8")
    assert "# vu avec la DRH" in text and "owner_service: RH" in text


def test_bad_file_names_file_line_and_field(ws):
    path = store.register_dir(ws) / "T-003.yaml"
    path.write_text("id: T-003\nname: Paie\nlegal_bases:\n  - basis: 6.1.z\n", "utf-8")
    with pytest.raises(InputError) as exc:
        store.load_all(ws)
    assert exc.value.file == str(path) and exc.value.line == 4 and exc.value.field == "legal_bases.0.basis"
    path.write_text("id: T-003\nname: Paie\nestimated_subjects: beaucoup\n", "utf-8")
    with pytest.raises(InputError) as exc:
        store.load_all(ws)
    assert exc.value.line == 3 and "entier" in str(exc.value)
    path.write_text("id: T-003\nname: [unclosed\n", "utf-8")
    with pytest.raises(InputError) as exc:
        store.load_all(ws)
    assert exc.value.file == str(path) and exc.value.line


def test_id_must_match_the_file_name(ws):
    path = store.register_dir(ws) / "T-004.yaml"
    path.write_text("id: T-005\nname: Paie\n", "utf-8")
    with pytest.raises(InputError, match="nom du fichier") as exc:
        store.load_all(ws)
    assert exc.value.line == 1


def test_yaml_1_1_words_stay_text(ws):
    path = store.register_dir(ws) / "T-006.yaml"
    path.write_text("id: T-006\nname: no\nowner_service: yes\n", "utf-8")
    a = store.load_all(ws)[0]
    assert (a.name, a.owner_service) == ("no", "yes")


def test_remove(ws):
    store.save(ws, act())
    store.remove(ws, "T-001")
    assert store.load_all(ws) == []
    with pytest.raises(InputError):
        store.remove(ws, "T-001")
    with pytest.raises(InputError):
        store.remove(ws, "../organisation")


def test_drafts_round_trip_and_stay_out_of_the_register(ws):
    store.save_draft(ws, "t-001", {"target": "T-001", "step": 3, "data": {"name": "Paie", "dpia": {"done": True}}})
    assert store.list_drafts(ws) == ["t-001"]
    assert store.load_draft(ws, "t-001")["data"]["dpia"] == {"done": True}
    assert store.load_all(ws) == []
    store.delete_draft(ws, "t-001")
    assert store.list_drafts(ws) == []
    assert "register/drafts/" in (ws.root / ".gitignore").read_text()


def test_writes_wait_for_the_workspace_lock(ws):
    import threading
    import time

    path = store.activity_path(ws, "T-001")
    with ws.lock():
        th = threading.Thread(target=store.save, args=(ws, act()))
        th.start()
        time.sleep(0.4)
        assert not path.exists()  # the save waits while another writer holds the lock
    th.join(timeout=10)
    assert path.exists()
