"""The barometer's fast readers never change a figure nor let a bad file in.

fastmember (a member's assessment.json checked and scored without building the pydantic model) must
give exactly what the model gives: the same member state and score for every file the model accepts,
the model's own "not counted" reason and message (file and line) for every file it refuses. blobfacts
(the trend's facts of a past blob, decoding only what the indicators read) must give the facts of the
full path. Both are compared on real-size assessments and on many altered or hostile versions of one.
"""

from __future__ import annotations

import json

import pytest

from cyberaudit.content.locate import profile_ids
from cyberaudit.territory import fastmember, history, members, synthetic
from cyberaudit.territory.indicators import load_indicators


@pytest.fixture(scope="module")
def territory(tmp_path_factory):
    root = tmp_path_factory.mktemp("fast") / "t"
    specs = synthetic.build(root, 6, seed=11, real_size=True)
    return root, specs


def _dump(state):
    if isinstance(state, members.NotCounted):
        return state.as_dict()
    return (state.name, state.kind, state.population, state.assessed_at, state.facts, state.known,
            None if state.score is None else state.score.model_dump(mode="json"), state.evaluated,
            state.evaluated_on, state.cache_key, state.blob, state.trend_schema)


def _read(root, spec, monkeypatch, *, model: bool):
    with monkeypatch.context() as m:
        if model:
            m.setattr(fastmember, "fast_assessment", lambda body: None)
        return members.read_member(root, spec["siren"], spec["name"], profile_ids(), members._Profiles())


def _same(root, spec, monkeypatch):
    fast, full = (_read(root, spec, monkeypatch, model=flag) for flag in (False, True))
    assert _dump(fast) == _dump(full)
    body = (root / "membres" / spec["siren"] / "assessment.json").read_bytes()
    ids = history.reads_of(load_indicators())
    assert history._facts(body, ids) == history._facts_full(body, ids)
    return fast


def test_real_size_members_read_fast_and_the_same(territory, monkeypatch):
    root, specs = territory
    for spec in specs:
        body = (root / "membres" / spec["siren"] / "assessment.json").read_bytes()
        assert fastmember.fast_assessment(body) is not None  # the usual file takes the fast path
        assert isinstance(_same(root, spec, monkeypatch), members.MemberState)


def _first(data, pred=lambda f: True):
    return next(f for f in data["findings"] if pred(f))


def _cat(data, f):
    return data["catalogue"][f["id"]]


def _set(key, value, pred=lambda f: True):
    def change(data):
        _first(data, pred)[key] = value
    return change


def _fail(f):
    return f.get("status") == "fail"


CHANGES = {
    "status unknown": _set("status", "bogus"),
    "status null": _set("status", None),
    "key unknown": _set("colour", "red"),
    "severity null over its entry": _set("severity", None),
    "severity raised": _set("severity", "critical", _fail),
    "severity odd": _set("severity", "CRITICAL", _fail),
    "evidence null": _set("evidence", None),
    "evidence a list": _set("evidence", [1]),
    "evidence unknown answer": _set("evidence", {"answer": "unknown"}),
    "evidence partial score": _set("evidence", {"score": 0.3}, lambda f: f.get("status") == "warn"),
    "evidence huge number": _set("evidence", {"score": 10 ** 30}, lambda f: f.get("status") == "warn"),
    "id odd": _set("id", "Not An ID"),
    "id null": _set("id", None),
    "target a number": _set("target", 5),
    "theme odd": _set("theme", "nonsense"),
    "source records": _set("source", "records"),
    "source odd": _set("source", "rumour"),
    "title with a third language": _set("title", {"fr": "a", "en": "b", "de": "c"}),
    "title not text": _set("title", {"fr": 5, "en": "b"}),
    "detail null": _set("detail", None),
    "source null over its entry": _set("source", None),
    "theme null over its entry": _set("theme", None),
    "references odd": _set("references", ["no reference"]),
    "references null": _set("references", None),
    "entry title null": lambda d: _cat(d, _first(d)).update(title=None),
    "entry key unknown": lambda d: _cat(d, _first(d)).update(status="pass"),
    "entry references odd": lambda d: _cat(d, _first(d)).update(references=["??"]),
    "entry source odd": lambda d: _cat(d, _first(d)).update(source=3),
    "entry missing": lambda d: d["catalogue"].pop(_first(d)["id"]),
    "entry not an object": lambda d: d["catalogue"].update({_first(d)["id"]: "x"}),
    "catalogue null": lambda d: d.update(catalogue=None),
    "catalogue gone": lambda d: d.pop("catalogue"),
    "schema odd with a catalogue": lambda d: d.update(schema="cyberaudit/assessment/v9"),
    "schema gone": lambda d: d.pop("schema"),
    "key unknown at the top": lambda d: d.update(extra=1),
    "tool version gone": lambda d: d.pop("tool_version"),
    "generated_at a number": lambda d: d.update(generated_at=1_700_000_000),
    "generated_at odd": lambda d: d.update(generated_at="2026-13-45"),
    "generated_at gone": lambda d: d.pop("generated_at"),
    "meta a list": lambda d: d.update(meta=[]),
    "meta coverage odd": lambda d: d.update(meta={"coverage": {"not_scanned": ["dns"], "not_scanned_points": {}}}),
    "findings null": lambda d: d.update(findings=None),
    "findings none": lambda d: d.update(findings=[]),
    "a finding not an object": lambda d: d["findings"].append("x"),
    "answers gone": lambda d: d.pop("answers"),
    "answers null": lambda d: d.update(answers=None),
    "answer note too long": lambda d: next(iter(d["answers"].values())).update(note="n" * 10_001),
    "answer date odd": lambda d: next(iter(d["answers"].values())).update(at="yesterday"),
    "answer key unknown": lambda d: next(iter(d["answers"].values())).update(colour=1),
    "answer not an object": lambda d: d["answers"].update({"gov.x.y": "yes"}),
    "organisation siren of another": lambda d: d["organisation"].update(siren="732829320"),
    "organisation siren odd": lambda d: d["organisation"].update(siren="123"),
    "organisation null": lambda d: d.update(organisation=None),
}


@pytest.mark.parametrize("name", sorted(CHANGES))
def test_an_altered_file_is_read_as_the_model_reads_it(territory, monkeypatch, name):
    root, specs = territory
    spec = specs[1]
    path = root / "membres" / spec["siren"] / "assessment.json"
    before = path.read_bytes()
    data = json.loads(before)
    CHANGES[name](data)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1))
    try:
        state = _same(root, spec, monkeypatch)
        if isinstance(state, members.NotCounted) and state.reason == "malformed_file":
            assert "assessment.json" in state.detail
    finally:
        path.write_bytes(before)


RAW = {  # texts JSON libraries may read differently, in place of a finding's status (keys written later win)
    "duplicate key, last wins": '"pass", "status": "fail"',
    "duplicate key, bad then good": '"bogus", "status": "pass"',
    "duplicate key, good then bad": '"pass", "status": "bogus"',
    "lone surrogate": '"pass", "detail": {"fr": "\\ud800", "en": "x"}',
    "NaN": '"warn", "evidence": {"score": NaN}',
    "Infinity": '"warn", "evidence": {"score": Infinity}',
    "deep nesting": '"pass", "evidence": {"x": ' + "[" * 5000 + "]" * 5000 + "}",
}


@pytest.mark.parametrize("name", sorted(RAW))
def test_odd_json_is_read_as_the_model_reads_it(territory, monkeypatch, name):
    root, specs = territory
    spec = specs[2]
    path = root / "membres" / spec["siren"] / "assessment.json"
    before = path.read_bytes()
    data = json.loads(before)
    f = _first(data, lambda f: f.get("status") == "warn")
    f["status"] = "MARK"
    path.write_text(json.dumps(data, indent=1).replace('"MARK"', RAW[name], 1))
    try:
        _same(root, spec, monkeypatch)
    finally:
        path.write_bytes(before)
