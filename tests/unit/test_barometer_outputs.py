"""Barometer outputs: breakdown by kind, anonymised edition, French CSV, and the fast YAML reader."""

from __future__ import annotations

import csv
import json

import pytest

from cyberaudit.territory import synthetic
from cyberaudit.territory.aggregate import barometer
from cyberaudit.territory.breakdown import MIN_GROUP, anonymised
from cyberaudit.territory.figures import kind_group


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    root = tmp_path_factory.mktemp("t")
    specs = synthetic.build(root, 60, seed=21)
    for i in (4, 9):  # two syndicates: a group too small to publish on its own
        specs[i] = dict(specs[i], kind="syndicat-mixte")
        synthetic.write_member(root, specs[i])
    synthetic.write_manifest(root, "Pays fictif", specs)
    return barometer(root, history=False), specs


def test_breakdown_by_kind_matches_the_members(data):
    data, specs = data
    by_spec = {s["siren"]: s for s in specs}
    rows = {g["group"]: g for g in data["by_kind"]}
    for group, row in rows.items():
        members = [m for m in data["members"] if kind_group(by_spec[m["siren"]]["kind"], by_spec[m["siren"]]["population"]) == group]
        assert row["members"] == len(members) and row["assessed"] == sum(m["assessed"] for m in members)
        for iid, value in row["shares"].items():
            got = [m["indicators"][iid] for m in members if m["assessed"]]
            known = [b for b in got if b in ("yes", "partial", "no")]
            assert value == (round(got.count("yes") / len(known), 3) if known else None), (group, iid)
    assert sum(r["members"] for r in rows.values()) == data["counted"]
    assert {"epci", "commune_small"} <= set(rows)
    assert kind_group("commune", 999) == "commune_small" and kind_group("commune", 1000) == "commune_medium"
    assert kind_group("grande-commune", 12000) == "commune_city" and kind_group("syndicat-mixte", None) == "syndicat"
    assert kind_group("commune", None) == "commune_nosize"  # no guess from the profile


def test_anonymised_edition_names_nobody_and_merges_small_groups(data):
    from cyberaudit.territory.html import render_html
    from cyberaudit.territory.render import render_csv, render_markdown

    data, specs = data
    anon = anonymised(data)
    outputs = [json.dumps(anon, ensure_ascii=False), render_csv(anon), render_markdown(anon), render_html(anon)]
    for spec in specs:
        for text in outputs:
            assert spec["siren"] not in text and spec["name"] not in text
    assert all(g["assessed"] >= MIN_GROUP for g in anon["by_kind"])
    small = sorted(g["group"] for g in data["by_kind"] if g["assessed"] < MIN_GROUP)
    assert anon["by_kind_merged"] == small and small  # the fixture has small groups: they were merged
    assert sum(g["members"] for g in anon["by_kind"]) + anon["by_kind_left_out"] == data["counted"]
    # the headline figures are the same as in the full edition
    assert [i["counts"] for i in anon["indicators"]] == [i["counts"] for i in data["indicators"]]


def test_csv_opens_in_a_french_spreadsheet(data):
    from cyberaudit.territory.render import render_csv

    data, _ = data
    text = render_csv(data)
    assert text.startswith("\ufeff")  # UTF-8 with BOM
    rows = list(csv.reader(text.removeprefix("\ufeff").splitlines(), delimiter=";"))
    header = rows[0]
    assert header[:3] == ["siren", "name", "kind"] and len(rows) == data["counted"] + 1
    assert all(len(r) == len(header) for r in rows)
    scores = [r[header.index("score")] for r in rows[1:] if r[header.index("score")]]
    assert scores and all("." not in s for s in scores) and any("," in s for s in scores)  # decimal comma
    encoded = text.encode("utf-8")
    assert encoded.startswith(b"\xef\xbb\xbf")


def test_fast_yaml_reads_as_yaml_1_2():
    from ruamel.yaml import YAML

    from cyberaudit.territory import fastyaml

    doc = ("a: yes\nb: no\nc: on\nd: 012\ne: 0o17\nf: 1_000\ng: 1:20\nh: 2026-01-01\ni: ~\nj: .5\nk: True\n"
           "l: 0x1F\nm: '012'\nn: -3\no: 1e3\nq: 2026-01-01T10:00:00Z\nname: \"Commune d'Aàé\"\nz:\n"
           "list: [1, {x: null}]\n").encode()
    assert fastyaml.load(doc) == YAML(typ="safe", pure=True).load(doc)
    assert fastyaml.load(b"b: no\n") == {"b": "no"}  # YAML 1.1 would say False
    for bad in (b"a: 1\na: 2\n", b"a: !!python/object:os.system x\n", b"a: [unclosed\n"):
        with pytest.raises(ValueError):
            fastyaml.load(bad)
