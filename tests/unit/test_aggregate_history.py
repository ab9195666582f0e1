"""Barometer trend, month by month, from a real temporary git repository."""

from __future__ import annotations

import copy
import os
import subprocess

import pytest

from cyberaudit.territory import synthetic
from cyberaudit.territory.aggregate import barometer
from cyberaudit.territory.history import trend
from cyberaudit.territory.indicators import load_indicators

pytestmark = pytest.mark.skipif(subprocess.run(["git", "--version"], capture_output=True).returncode != 0,
                                reason="git missing")


def git(root, *args, date=None):
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org"}
    if date:
        env.update(GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
    return subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, env=env).stdout


def commit(root, date, message):
    git(root, "add", "-A")
    git(root, "commit", "-q", "--allow-empty", "-m", message, date=date)


def dmarc_share(specs):
    known = [s["probes"]["mail.dmarc.policy"] for s in specs if s["probes"]["mail.dmarc.policy"] in ("pass", "warn", "fail")]
    return round(sum(1 for v in known if v == "pass") / len(known), 3)


@pytest.fixture
def history_repo(tmp_path):
    root = tmp_path / "t"
    root.mkdir()
    git(root, "init", "-q")
    specs = synthetic.build(root, 40, seed=3)
    commit(root, "2026-01-15T10:00:00+00:00", "january")
    months = {"2026-01": copy.deepcopy(specs)}
    # February: ten members fix DMARC (two commits in the month: the last one counts)
    for s in specs[:5]:
        s["probes"]["mail.dmarc.policy"] = "pass"
        synthetic.write_member(root, s)
    commit(root, "2026-02-03T10:00:00+00:00", "february, early")
    for s in specs[5:10]:
        s["probes"]["mail.dmarc.policy"] = "pass"
        synthetic.write_member(root, s)
    commit(root, "2026-02-25T10:00:00+00:00", "february, late")
    months["2026-02"] = copy.deepcopy(specs)
    # April (no commit in March): one member's file becomes garbage, it is skipped that month
    (root / "membres" / specs[0]["siren"] / "assessment.json").write_text("{not json")
    commit(root, "2026-04-02T10:00:00+00:00", "april")
    months["2026-04"] = months["2026-02"][1:]
    return root, months


def test_trend_month_by_month(history_repo):
    root, months = history_repo
    rows = trend(root, load_indicators(), months=24)
    assert [r["month"] for r in rows] == ["2026-01", "2026-02", "2026-04"]
    for row in rows:
        specs = months[row["month"]]
        assert row["members"] == len(specs)
        assert row["indicators"]["dmarc_reject"]["share"] == dmarc_share(specs), row["month"]
    assert rows[1]["indicators"]["dmarc_reject"]["share"] > rows[0]["indicators"]["dmarc_reject"]["share"]
    assert [r["month"] for r in trend(root, load_indicators(), months=2)] == ["2026-02", "2026-04"]


def test_barometer_includes_trend_and_is_stable(history_repo):
    from cyberaudit.territory.html import render_html
    from cyberaudit.territory.render import render_markdown

    root, months = history_repo
    first = barometer(root, months=24)
    assert len(first["trend"]) == 3
    assert barometer(root, months=24) == first
    html = render_html(first)
    assert html.count("<polyline") == len(first["indicators"]) - sum(  # one sparkline per indicator with data
        1 for i in first["indicators"] if sum(r["indicators"][i["id"]]["share"] is not None for r in first["trend"]) < 2)
    share = f"{round(dmarc_share(months['2026-02']) * 100):.0f} %"
    assert "2026-04" in html and share in html
    assert "| 2026-01 | 2026-02 | 2026-04 |" in render_markdown(first)


def test_committing_the_barometer_changes_nothing(history_repo):
    from cyberaudit.territory.render import render_json

    root, _ = history_repo
    first = render_json(barometer(root, months=24))
    (root / "barometre").mkdir()
    (root / "barometre" / "barometre.json").write_text(first)
    commit(root, "2026-04-20T10:00:00+00:00", "barometer")  # same month as the last data commit
    assert render_json(barometer(root, months=24)) == first


def test_no_git_no_trend(tmp_path):
    synthetic.build(tmp_path / "t", 3)
    assert barometer(tmp_path / "t")["trend"] == []
