"""Barometer trend from a real temporary git repository, with members arriving and leaving.

Every figure is recomputed here, independently, from the synthetic members' choices as they were
each month (tests/unit/test_aggregate.py writes the rules out plainly): the headline at the
barometer's date, each past month with that month's members at that month's last day.
"""

from __future__ import annotations

import calendar
import copy
import datetime as dt
import os
import random
import shutil
import subprocess

import pytest

from cyberaudit.territory import synthetic
from cyberaudit.territory.aggregate import barometer
from tests.unit.test_aggregate import expected_buckets, is_known

pytestmark = pytest.mark.skipif(subprocess.run(["git", "--version"], capture_output=True).returncode != 0,
                                reason="git missing")
BUCKETS = ("yes", "partial", "no", "unknown", "na")


def git(root, *args, date=None):
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org"}
    if date:
        env.update(GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
    return subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, env=env).stdout


def commit(root, date, message):
    git(root, "add", "-A")
    git(root, "commit", "-q", "--allow-empty", "-m", message, date=date)


def month_end(month: str) -> dt.date:
    y, m = int(month[:4]), int(month[5:])
    return dt.date(y, m, calendar.monthrange(y, m)[1])


def expected_row(specs, ref):
    """Counts and shares for the members of one month (their state then), judged at `ref`."""
    assessed = [s for s in specs if is_known(s)]
    buckets = [expected_buckets(s, ref) for s in assessed]
    out = {}
    for iid in buckets[0]:
        counts = {b: sum(1 for e in buckets if e[iid] == b) for b in BUCKETS}
        known = counts["yes"] + counts["partial"] + counts["no"]
        out[iid] = {**counts, "share": round(counts["yes"] / known, 3) if known else None}
    return len(specs), len(assessed), out


@pytest.fixture
def history_repo(tmp_path):
    root = tmp_path / "t"
    root.mkdir()
    git(root, "init", "-q")
    specs = synthetic.build(root, 40, seed=3, today=dt.date(2026, 1, 10))
    commit(root, "2026-01-15T10:00:00+00:00", "january")
    months = {"2026-01": copy.deepcopy(specs)}
    # February: ten members fix DMARC (two commits in the month: the last one counts),
    # three members leave, four arrive (one of them never assessed)
    for s in specs[:5]:
        s["probes"]["mail.dmarc.policy"] = "pass"
        synthetic.write_member(root, s)
    commit(root, "2026-02-03T10:00:00+00:00", "february, early")
    for s in specs[5:10]:
        s["probes"]["mail.dmarc.policy"] = "pass"
        synthetic.write_member(root, s)
    left = specs[10:13]
    specs = specs[:10] + specs[13:]
    rng = random.Random(9)
    arrivals = [synthetic.member_spec(500 + i, rng, dt.date(2026, 2, 14)) for i in range(4)]
    arrivals[3] = dict(arrivals[3], answers={q: None for q in arrivals[3]["answers"]}, org_dpo=False,
                       ports_scanned=False, dated={q: None for q in arrivals[3]["dated"]},
                       probes={p: None for p in arrivals[3]["probes"]})
    specs += arrivals
    for s in arrivals:
        synthetic.write_member(root, s)
    shutil.rmtree(root / "membres" / left[0]["siren"])  # one folder removed; the two others stay, undeclared
    synthetic.write_manifest(root, "Pays fictif", specs)
    commit(root, "2026-02-25T10:00:00+00:00", "february, late")
    months["2026-02"] = copy.deepcopy(specs)
    # April (no commit in March): one member's file becomes garbage, it is not assessed that month
    (root / "membres" / specs[0]["siren"] / "assessment.json").write_text("{not json")
    commit(root, "2026-04-02T10:00:00+00:00", "april")
    months["2026-04"] = [dict(months["2026-02"][0], answers={q: None for q in specs[0]["answers"]}, org_dpo=False,
                              ports_scanned=False, dated={q: None for q in specs[0]["dated"]},
                              probes={p: None for p in specs[0]["probes"]})] + months["2026-02"][1:]
    return root, months, left, arrivals


def test_every_month_matches_an_independent_count(history_repo):
    root, months, _, _ = history_repo
    data = barometer(root, months=24, as_of=dt.date(2026, 4, 30))
    assert [r["month"] for r in data["trend"]] == ["2026-01", "2026-02", "2026-04"]
    for row in data["trend"]:
        ref = dt.date(2026, 4, 30) if row["month"] == "2026-04" else month_end(row["month"])
        declared, assessed, expected = expected_row(months[row["month"]], ref)
        assert (row["members"], row["assessed"], row["not_assessed"]) == (declared, assessed, declared - assessed)
        assert row["indicators"] == expected, row["month"]
    assert data["trend"][1]["members"] == 41 and data["trend"][0]["members"] == 40  # 40 - 3 + 4
    dmarc = [r["indicators"]["dmarc_reject"]["share"] for r in data["trend"]]
    assert dmarc[1] > dmarc[0]


def test_headline_is_the_last_month_of_the_trend(history_repo):
    root, months, _, _ = history_repo
    data = barometer(root, months=24, as_of=dt.date(2026, 4, 30))
    last = data["trend"][-1]
    for ind in data["indicators"]:
        assert {b: last["indicators"][ind["id"]][b] for b in BUCKETS} == ind["counts"], ind["id"]
        assert last["indicators"][ind["id"]]["share"] == ind["share"]
    assert last["assessed"] == data["assessed"] and last["members"] == data["territory"]["declared"]


def test_as_of_recomputes_the_past_state(history_repo):
    root, months, left, arrivals = history_repo
    feb = barometer(root, months=24, as_of=dt.date(2026, 2, 28))
    assert [r["month"] for r in feb["trend"]] == ["2026-01", "2026-02"]
    declared, assessed, expected = expected_row(months["2026-02"], dt.date(2026, 2, 28))
    assert feb["territory"]["declared"] == declared and feb["assessed"] == assessed
    assert {i["id"]: {**i["counts"], "share": i["share"]} for i in feb["indicators"]} == expected
    # in January, the leavers were members and the arrivals were not
    jan = barometer(root, months=24, as_of=dt.date(2026, 1, 31))
    sirens = {m["siren"] for m in jan["members"]}
    assert {s["siren"] for s in left} <= sirens and not {s["siren"] for s in arrivals} & sirens
    assert [r["month"] for r in jan["trend"]] == ["2026-01"]
    # the register and restore-test dates are judged at the barometer's date, not the member's assessment
    spec_by = {s["siren"]: s for s in months["2026-01"]}
    moved = [m for m in jan["members"] if m["assessed"]
             and m["indicators"]["register_current"] != expected_buckets(spec_by[m["siren"]], spec_by[m["siren"]]["assessed"])["register_current"]]
    assert moved  # some records current when the member was assessed are more than a year old by then
    with pytest.raises(Exception, match="2025-12-31"):
        barometer(root, as_of=dt.date(2025, 12, 31))


def test_changes_since_last_month(history_repo):
    root, months, left, arrivals = history_repo
    data = barometer(root, months=24, as_of=dt.date(2026, 2, 28))
    ch = data["changes"]
    assert ch["since"] == "2026-01"
    assert ch["arrived"] == sorted(s["siren"] for s in arrivals)
    assert ch["left"] == sorted(s["siren"] for s in left)
    before = {s["siren"]: expected_buckets(s, month_end("2026-01")) for s in months["2026-01"] if is_known(s)}
    after = {s["siren"]: expected_buckets(s, dt.date(2026, 2, 28)) for s in months["2026-02"] if is_known(s)}
    rank = {"no": 0, "partial": 1, "yes": 2}
    for row in ch["indicators"]:
        iid = row["id"]
        both = [s for s in sorted(before) if s in after and before[s][iid] in rank and after[s][iid] in rank]
        assert [p["siren"] for p in row["improved"]] == [s for s in both if rank[after[s][iid]] > rank[before[s][iid]]]
        assert [p["siren"] for p in row["regressed"]] == [s for s in both if rank[after[s][iid]] < rank[before[s][iid]]]
    dmarc = next(r for r in ch["indicators"] if r["id"] == "dmarc_reject")
    assert dmarc["improved"]


def test_barometer_is_stable_and_rendered(history_repo):
    from cyberaudit.territory.html import render_html
    from cyberaudit.territory.render import render_markdown

    root, months, _, _ = history_repo
    first = barometer(root, months=24, as_of=dt.date(2026, 4, 30))
    assert barometer(root, months=24, as_of=dt.date(2026, 4, 30)) == first
    html = render_html(first)
    share = f"{round(first['trend'][1]['indicators']['dmarc_reject']['share'] * 100):.0f} %"
    assert "2026-04" in html and share in html
    md = render_markdown(first)
    assert "| 2026-02 | 41 | 40 |" in md  # month, members of that month, assessed


def test_committing_the_barometer_changes_nothing(history_repo):
    from cyberaudit.territory.render import render_json

    root, _, _, _ = history_repo
    first = render_json(barometer(root, months=24, as_of=dt.date(2026, 4, 30)))
    (root / "barometre").mkdir()
    (root / "barometre" / "barometre.json").write_text(first)
    commit(root, "2026-04-20T10:00:00+00:00", "barometer")  # same month as the last data commit
    assert render_json(barometer(root, months=24, as_of=dt.date(2026, 4, 30))) == first


def test_no_git_no_trend_beyond_the_headline(tmp_path):
    synthetic.build(tmp_path / "t", 3)
    data = barometer(tmp_path / "t")
    assert [r["month"] for r in data["trend"]] == [data["as_of"][:7]] and data["changes"] is None
