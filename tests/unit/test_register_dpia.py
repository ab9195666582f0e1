"""DPIA screening: WP248 criteria counted (declared + inferred), CNIL lists, art. 35(3), explained."""

from __future__ import annotations

from cyberaudit.register.dpia import CNIL_TYPES, CRITERIA_TEXT, EXEMPTIONS, screen
from cyberaudit.register.model import WP248, Activity


def act(**kw) -> Activity:
    return Activity.model_validate({"id": "T-001", "name": "x", **kw})


def test_the_nine_criteria_and_fourteen_types_are_all_described():
    assert list(CRITERIA_TEXT) == list(WP248) and len(WP248) == 9
    assert sorted(CNIL_TYPES) == list(range(1, 15))
    from typing import get_args

    from cyberaudit.register.model import Dpia

    allowed = {a for a in get_args(Dpia.model_fields["exemption"].annotation) for a in get_args(a)} - {None}
    assert set(EXEMPTIONS) == allowed  # every exemption the model accepts is described, and only those


def test_nothing_fires_on_a_plain_activity():
    s = screen(act(data_subjects=["voters"]))
    assert (s.criteria, s.cnil_types, s.art35_3, s.required) == ([], [], [], False)


def test_one_criterion_is_not_enough_two_presume_a_dpia():
    s = screen(act(data_subjects=["minors"]))
    assert s.criteria == ["vulnerable_subjects"] and not s.required
    s = screen(act(data_subjects=["minors"], dpia={"criteria": ["large_scale"]}))
    assert s.criteria == ["large_scale", "vulnerable_subjects"] and s.presumed and s.required
    assert s.reasons() == ["wp248:5", "wp248:7"]


def test_inferred_criteria_say_why_and_declared_ones_are_not_double_counted():
    s = screen(act(special_data=[{"type": "health"}], data_subjects=["agents"]))
    assert s.inferred == {"sensitive_data": "special_data: health", "vulnerable_subjects": "data_subjects: agents"}
    s = screen(act(special_data=[{"type": "health"}], dpia={"criteria": ["sensitive_data"]}))
    assert s.declared == ["sensitive_data"] and s.inferred == {} and len(s.criteria) == 1


def test_nir_alone_is_not_sensitive_data():
    assert screen(act(special_data=[{"type": "nir"}])).criteria == []


def test_cnil_list_requires_even_with_fewer_criteria():
    s = screen(act(dpia={"cnil_types": [12]}))
    assert s.required and s.reasons() == ["cnil-aipd:12"]


def test_biometrics_of_vulnerable_people_is_cnil_type_11():
    s = screen(act(special_data=[{"type": "biometric", "exception": "9.2.a"}], data_subjects=["minors"]))
    assert 11 in s.cnil_types and s.required


def test_exemption_lifts_the_presumption_but_not_a_listed_type_or_art35_3():
    base = {"data_subjects": ["agents"], "special_data": [{"type": "health"}]}
    assert screen(act(**base)).required
    assert not screen(act(**base, dpia={"exemption": "staff-under-250"}), staff=40).required
    assert screen(act(**base, dpia={"exemption": "staff-under-250", "cnil_types": [3]}), staff=40).required
    assert screen(act(video={"scope": "public_places"}, dpia={"exemption": "access-control"})).required


def test_art35_3_cases():
    assert screen(act(video={"scope": "public_places"})).art35_3 == ["c"]
    assert screen(act(video={"scope": "premises"})).art35_3 == []
    assert screen(act(dpia={"criteria": ["evaluation_scoring", "automated_decision"]})).art35_3 == ["a"]
    assert screen(act(special_data=[{"type": "offences", "basis": "x"}], dpia={"criteria": ["large_scale"]})).art35_3 == ["b"]
