"""`cyberaudit diff`: classification of changes, and a diff across two commits of a real git repository."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess

import pytest

from cyberaudit.cli.diff_render import render_json, render_markdown
from cyberaudit.disk.fileio import write_json
from cyberaudit.errors import InputError
from cyberaudit.model import Assessment, Finding, Organisation, Text
from cyberaudit.territory.diff import classify, compare, load_side, regressions_at_or_above

ORG = Organisation(name="Commune <b>Test</b>", siren="732829320", kind="commune")


def f(fid, status, severity="high", target="ville.example", **evidence):
    return Finding(id=fid, status=status, severity=severity, title=Text(fr=f"Titre {fid}", en=f"Title {fid}"),
                   target=target, evidence=evidence)


def assessment(findings, day=1):
    return Assessment(tool_version="0", generated_at=dt.datetime(2026, 3, day, tzinfo=dt.UTC), organisation=ORG,
                      findings=findings)


@pytest.mark.parametrize("old, new, expected", [
    (f("a.b.c", "fail"), f("a.b.c", "pass"), "fixed"),
    (f("a.b.c", "warn"), f("a.b.c", "pass"), "fixed"),
    (None, f("a.b.c", "fail"), "new"),
    (f("a.b.c", "pass"), f("a.b.c", "warn"), "new"),
    (f("a.b.c", "error"), f("a.b.c", "fail"), "new"),
    (f("a.b.c", "warn"), f("a.b.c", "fail"), "worse"),
    (f("a.b.c", "fail", "medium"), f("a.b.c", "fail", "critical"), "worse"),
    (f("a.b.c", "fail"), f("a.b.c", "warn"), "improved"),
    (f("a.b.c", "fail"), f("a.b.c", "error"), "untested"),
    (f("a.b.c", "fail"), None, "untested"),
    (f("a.b.c", "warn"), f("a.b.c", "warn", answer="unknown"), "untested"),
    (f("a.b.c", "pass"), f("a.b.c", "pass"), None),
    (f("a.b.c", "fail"), f("a.b.c", "fail"), None),
    (None, f("a.b.c", "pass"), None),
    (f("a.b.c", "pass"), None, None),
])
def test_classify(old, new, expected):
    assert classify(old, new) == expected


def test_compare_groups_by_id_and_target_and_scores():
    old = assessment([f("mail.dmarc.policy", "fail", target="a.example"), f("mail.dmarc.policy", "pass", target="b.example"),
                      f("dns.dnssec.valid", "fail", "medium"), f("gov.dpo.designated", "fail", "critical", target=None)])
    new = assessment([f("mail.dmarc.policy", "pass", target="a.example"), f("mail.dmarc.policy", "fail", target="b.example"),
                      f("dns.dnssec.valid", "fail", "medium"), f("gov.dpo.designated", "pass", "critical", target=None),
                      f("tls.protocol.legacy", "fail", "critical")], day=20)
    d = compare(old, new, "HEAD~1", "travail")
    assert [(r["id"], r["target"]) for r in d["fixed"]] == [("gov.dpo.designated", None), ("mail.dmarc.policy", "a.example")]
    assert [(r["id"], r["target"]) for r in d["new"]] == [("tls.protocol.legacy", "ville.example"),
                                                          ("mail.dmarc.policy", "b.example")]
    assert d["counts"] == {"fixed": 2, "new": 2, "worse": 0, "improved": 0, "untested": 0}
    assert d["before"]["score"] is not None and d["after"]["score"] is not None
    assert d["score_delta"] == round(d["after"]["score"] - d["before"]["score"], 1)
    assert d["after"]["score"] != d["before"]["score"]
    assert [r["id"] for r in regressions_at_or_above(d, "critical")] == ["tls.protocol.legacy"]
    assert len(regressions_at_or_above(d, "high")) == 2
    assert json.loads(render_json(d)) == d


def test_markdown_escapes_names_and_titles():
    old = assessment([f("a.b.c", "pass")])
    new = assessment([f("a.b.c", "fail", target="<img src=x>|x")])
    text = render_markdown(compare(old, new))
    assert not re.search(r"(?<!\\)<", text)  # every < is escaped
    assert "\\<img src=x\\>\\|x" in text


def git(root, *args, date="2026-03-01T10:00:00+00:00"):
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org", "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    return subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, env=env)


@pytest.fixture
def repo(tmp_path):
    """A territory-like repository: the member workspace is a sub-folder, two commits."""
    root = tmp_path / "repo"
    ws = root / "membres" / ORG.siren
    ws.mkdir(parents=True)
    git(root, "init", "-q")
    write_json(ws / "assessment.json", assessment([f("mail.dmarc.policy", "fail"), f("dns.dnssec.valid", "pass")]))
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "first")
    write_json(ws / "assessment.json", assessment([f("mail.dmarc.policy", "pass"), f("dns.dnssec.valid", "fail")], 9))
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "second", date="2026-03-09T10:00:00+00:00")
    return root, ws


def test_diff_between_two_git_commits(repo):
    root, ws = repo
    old_label, old = load_side("HEAD~1", ws)
    new_label, new = load_side("HEAD", ws)
    assert old_label == "HEAD~1:assessment.json"
    d = compare(old, new, old_label, new_label)
    assert [r["id"] for r in d["fixed"]] == ["mail.dmarc.policy"]
    assert [r["id"] for r in d["new"]] == ["dns.dnssec.valid"]
    # the working tree is the default NEW side; HEAD against it: nothing changed
    _, current = load_side(None, ws)
    assert compare(new, current)["counts"] == {c: 0 for c in ("fixed", "new", "worse", "improved", "untested")}


@pytest.mark.parametrize("rev", ["--output=/tmp/x", "-p", "HEAD;id", "$(id)", "HEAD..HEAD~1", "a b", ""])
def test_hostile_revisions_are_refused_before_git(repo, rev):
    _, ws = repo
    with pytest.raises(InputError):
        load_side(rev, ws)
    assert not os.path.exists("/tmp/x") or rev != "--output=/tmp/x"


def test_unknown_revision_and_broken_json_are_input_errors(repo, tmp_path):
    _, ws = repo
    with pytest.raises(InputError):
        load_side("no-such-branch", ws)
    bad = tmp_path / "bad.json"
    bad.write_text('{"schema": "cyberaudit/assessment/v1", "tool_version": 3')
    with pytest.raises(InputError) as exc:
        load_side(str(bad), ws)
    assert exc.value.file == str(bad)
