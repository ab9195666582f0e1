"""The barometer's cache (territory/cache.py) never changes a figure: every output byte-identical with and
without it, cold and warm, in one process and in the worker pool; a changed file is computed again even
when its size and date are unchanged; an odd or foreign cache file is ignored."""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import subprocess

import pytest

from cyberaudit.territory import cache, history, members, synthetic
from cyberaudit.territory.aggregate import barometer
from cyberaudit.territory.html import render_html
from cyberaudit.territory.render import render_csv, render_json, render_markdown

pytestmark = pytest.mark.skipif(subprocess.run(["git", "--version"], capture_output=True).returncode != 0,
                                reason="git missing")


def git(root, *args, date):
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org", "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, env=env)


def outputs(root, **kw):
    data = barometer(root, **kw)
    return {"json": render_json(data), "csv": render_csv(data), "md": render_markdown(data),
            "html": render_html(data)}


@pytest.fixture
def territory(tmp_path, monkeypatch):
    """14 members, four monthly commits; each month a few members re-assessed (two of them real-size)."""
    monkeypatch.setenv(cache.ENV, str(tmp_path / "cache"))
    root = tmp_path / "t"
    root.mkdir()
    git(root, "init", "-q", date="2026-01-15T10:00:00+00:00")
    specs = synthetic.build(root, 14, seed=3, today=dt.date(2026, 1, 15))
    for i in (0, 1):
        synthetic.write_member(root, specs[i], real_size=True)
    rng = random.Random(5)
    for month in range(1, 5):
        day = dt.date(2026, month, 15)
        if month > 1:
            for i in rng.sample(range(14), 4):
                fresh = synthetic.member_spec(i, rng, day)
                fresh.update(siren=specs[i]["siren"], name=specs[i]["name"], kind=specs[i]["kind"], assessed=day)
                specs[i] = fresh
                synthetic.write_member(root, fresh, real_size=i < 2)
        git(root, "add", "-A", date=f"{day}T10:00:00+00:00")
        git(root, "commit", "-q", "-m", f"m{month}", date=f"{day}T10:00:00+00:00")
    return root, specs


def cache_file(root):
    files = list((cache.cache_folder() / "barometre").glob("*.json"))
    assert len(files) == 1
    return files[0]


def test_cached_runs_are_byte_identical_cold_warm_and_pooled(territory, monkeypatch):
    root, _ = territory
    plain = outputs(root, cache=False)
    assert not (cache.cache_folder() / "barometre").exists()  # cache=False writes nothing
    assert outputs(root, cache=True) == plain  # cold: computes and fills the cache
    stored = json.loads(cache_file(root).read_text())
    assert len(stored["members"]) == 14 and stored["blobs"]
    assert outputs(root, cache=True) == plain  # warm: every member and blob from the cache
    monkeypatch.setattr(members, "PARALLEL_FROM", 2)
    monkeypatch.setattr(history, "PARALLEL_FROM", 2)
    assert outputs(root, cache=False) == plain  # the worker pool computes the same
    assert outputs(root, cache=True) == plain
    for as_of in (dt.date(2026, 3, 31), dt.date(2026, 2, 20)):  # past states: the cache holds other dates
        assert outputs(root, as_of=as_of, cache=True) == outputs(root, as_of=as_of, cache=False)


def test_a_changed_file_is_computed_again_even_with_the_same_size_and_date(territory):
    root, specs = territory
    outputs(root, cache=True)
    member = next(s for s in specs if s["answers"].get("gov.dpo.designated") == "no" and not s["org_dpo"])
    path = root / "membres" / member["siren"] / "assessment.json"
    before = outputs(root, cache=False)
    stat = path.stat()
    text = path.read_text()
    changed = text.replace('"gov.dpo.designated": {\n      "value": "no"', '"gov.dpo.designated": {\n      "value": "na"')
    assert changed != text and len(changed) == len(text)
    path.write_text(changed)
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same size, same modification time
    after = outputs(root, cache=True)
    assert after == outputs(root, cache=False)
    assert after["json"] != before["json"]  # the change shows: not served from the cache
    def dpo(out):
        return next(m for m in json.loads(out["json"])["members"] if m["siren"] == member["siren"])["indicators"]

    assert dpo(before)["dpo_named"] != dpo(after)["dpo_named"]


@pytest.mark.parametrize("content", ["not json {", '{"format": "cyberaudit/barometer-cache/v1"}', "[]",
                                     "foreign"])
def test_an_odd_or_foreign_cache_file_is_ignored(territory, content):
    root, _ = territory
    plain = outputs(root, cache=False)
    outputs(root, cache=True)
    path = cache_file(root)
    if content == "foreign":  # well-formed, but written by other code: its fingerprint differs
        data = json.loads(path.read_text())
        data["fingerprint"] = "0" * 64
        for entry in data["members"].values():
            entry["score"], entry["known"] = None, False
        content = json.dumps(data)
    path.write_text(content)
    assert outputs(root, cache=True) == plain


def test_a_malformed_entry_is_a_miss(territory):
    root, _ = territory
    plain = outputs(root, cache=False)
    outputs(root, cache=True)
    path = cache_file(root)
    data = json.loads(path.read_text())
    for entry in data["members"].values():
        entry["facts"] = {"findings": [], "answers": 3}
    for entry in data["blobs"].values():
        if entry["judged"]:
            entry["judged"]["steady"] = {"x": "maybe"}
    path.write_text(json.dumps(data))
    assert outputs(root, cache=True) == plain


def test_a_file_without_schema_counts_in_the_headline_but_not_in_past_months(territory):
    """The trend reads only files that name their schema; reusing the working tree's facts for a past
    month's identical blob must keep that rule (the headline's reader defaults a missing schema)."""
    root, specs = territory
    path = root / "membres" / specs[5]["siren"] / "assessment.json"
    data = json.loads(path.read_text())
    data.pop("schema")
    path.write_text(json.dumps(data))
    git(root, "add", "-A", date="2026-05-15T10:00:00+00:00")
    git(root, "commit", "-q", "-m", "m5", date="2026-05-15T10:00:00+00:00")
    (root / "notes.txt").write_text("juin\n")
    git(root, "add", "-A", date="2026-06-15T10:00:00+00:00")
    git(root, "commit", "-q", "-m", "m6", date="2026-06-15T10:00:00+00:00")
    for use_cache in (False, True, True):
        data = json.loads(outputs(root, cache=use_cache, as_of=dt.date(2026, 6, 30))["json"])
        may, june = data["trend"][-2], data["trend"][-1]
        assert (may["month"], june["month"]) == ("2026-05", "2026-06")
        assert june["assessed"] == may["assessed"] + 1  # counted today, not in May's row
