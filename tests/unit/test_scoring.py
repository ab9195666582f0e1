"""Scoring: worked examples of each rule (gate, weights, caps, coverage, re-assessment)."""

from __future__ import annotations

import datetime as dt
import json
from types import SimpleNamespace

import pytest

from cyberaudit.assessment.scoring import GRADES, grade_for, rules, score
from cyberaudit.model import Assessment, Finding, Organisation, Text

ORG = Organisation(name="Commune test", siren="999999998", kind="commune")
T = Text(fr="titre", en="title")
WHEN = dt.datetime(2026, 3, 31, 9, 0, tzinfo=dt.UTC)


def f(fid, status, severity="medium", **kw) -> Finding:
    return Finding(id=fid, status=status, severity=severity, title=T, **kw)


def assess(findings, meta=None) -> Assessment:
    return Assessment(tool_version="test", organisation=ORG, findings=findings, generated_at=WHEN, meta=meta or {})


def profile(weights=None, essential=()):
    return SimpleNamespace(theme_weights=weights or {}, essential=list(essential))


def theme(s, name):
    return next(t for t in s.themes if t.theme == name)


def test_mss_gate_multiplies_by_share_of_essential_measures_done():
    # mail: one essential measure failed, one passed (rI = 1/2); recommended all passed (rR = 1)
    fs = [f("mail.dmarc.policy", "fail", "high"), f("mail.spf.policy", "pass", "high"),
          f("mail.dkim.present", "pass", "low")]
    s = score(assess(fs), profile(essential=["mail.dmarc.policy", "mail.spf.policy"]))
    mail = theme(s, "mail")
    assert mail.essential_ratio == 0.5 and mail.recommended_ratio == 1.0
    assert mail.score == 50.0  # (0.6 + 0.4 x 1) x 0.5
    # same results, nothing essential: a plain weighted mean (4 + 1) / (4 + 4 + 1)
    plain = theme(score(assess(fs), profile()), "mail")
    assert plain.score == pytest.approx(round(500 / 9, 1))


def test_recommended_measures_cannot_hide_missing_essentials():
    fs = [f("mail.dmarc.policy", "fail", "high")] + [f(f"mail.extra.m{i}", "pass", "critical") for i in range(20)]
    s = score(assess(fs), profile(essential=["mail.dmarc.policy"]))
    assert theme(s, "mail").score == 0.0


def test_essential_patterns_accept_globs():
    fs = [f("ports.rdp.exposed", "fail", "high"), f("ports.ssh.exposed", "pass", "high")]
    s = score(assess(fs), profile(essential=["ports.*.exposed"]))
    assert theme(s, "exposure").essential_measures == 2


def test_severity_weights_and_worst_result_per_measure():
    # one measure tested on two targets: its worst result counts, once
    fs = [f("tls.cert.expiry", "pass", "high", target="a.example"),
          f("tls.cert.expiry", "fail", "high", target="b.example"),
          f("tls.cert.key", "pass", "low")]
    s = score(assess(fs), profile())
    web = theme(s, "web")
    assert web.measures == 2
    assert web.score == 20.0  # (4 x 0 + 1 x 1) / (4 + 1)


def test_warn_uses_partial_answer_score_when_given():
    fs = [f("bcp.backup.tested", "warn", "medium", source="interview", theme="continuity",
            evidence={"answer": "partial", "score": 0.25})]
    assert theme(score(assess(fs), profile()), "continuity").score == 25.0


def test_unknown_counts_as_not_in_place_errors_and_unanswered_are_coverage():
    fs = [f("gov.dpo.designated", "pass", "high", source="interview", theme="governance"),
          f("trn.staff.trained", "warn", "high", source="interview", theme="awareness",
            evidence={"answer": "unknown"}),
          f("tls.cert.expiry", "error", "high")]
    meta = {"coverage": {"unanswered": {"sys.patch.policy": "systems"}, "not_scanned": ["mfa", "ports"],
                         "not_scanned_points": {"mfa": 3, "ports": 5}}}
    s = score(assess(fs, meta), profile())
    assert theme(s, "awareness").score == 0.0  # "I don't know" is not in place...
    assert s.score == 50.0
    assert theme(s, "web").score is None  # ... but "could not be tested" is not a zero
    assert theme(s, "awareness").counts.unknown == 1 and theme(s, "awareness").coverage == 0.0
    assert theme(s, "awareness").unknown_measures == 1
    assert s.coverage.unknown == ["trn.staff.trained"]
    assert s.coverage.errors == ["tls.cert.expiry"]
    assert s.coverage.unanswered == ["sys.patch.policy"]
    assert s.coverage.not_scanned == ["mfa", "ports"] and s.coverage.not_scanned_points == 8
    assert theme(s, "identity").not_scanned == ["mfa"] and theme(s, "exposure").not_scanned == ["ports"]
    assert theme(s, "exposure").coverage == 0.0 and theme(s, "exposure").score is None  # not run = not assessed
    assert s.coverage.known == 1 and s.coverage.ratio == round(1 / 12, 3)  # 1 known out of 1+1+1+1+8
    assert s.provisional and s.reassess_months == 6


def test_swapping_no_for_unknown_never_raises_score_or_grade():
    base = [f("gov.dpo.designated", "pass", "high", source="interview", theme="governance"),
            f("mail.dmarc.policy", "pass", "high")]
    no = f("bcp.backup.offline", "fail", "critical", source="interview", theme="continuity",
           evidence={"answer": "no"})
    unknown = no.model_copy(update={"status": "warn", "evidence": {"answer": "unknown"}})
    for prof in (profile(), profile(essential=["bcp.backup.offline"])):
        s_no, s_unknown = score(assess([*base, no]), prof), score(assess([*base, unknown]), prof)
        assert s_unknown.score <= s_no.score
        assert GRADES.index(s_unknown.grade) >= GRADES.index(s_no.grade)
        assert s_unknown.grade == "D" and s_unknown.caps[0].unknown  # an unknown critical measure caps too


def test_unknown_essential_measures_are_listed():
    fs = [f("bcp.backup.offline", "warn", "high", source="interview", theme="continuity",
            evidence={"answer": "unknown"}), f("mail.dmarc.policy", "pass", "high")]
    s = score(assess(fs), profile({"mail": 9}, essential=["bcp.backup.offline", "mail.dmarc.policy"]))
    assert s.coverage.unknown_essential == ["bcp.backup.offline"]
    assert s.band_grade == "A" and s.grade == "C" and s.cap is not None and s.cap.unknown  # essential, high, unknown: capped at C


def test_register_findings_alone_give_no_grade():
    fs = [f("rgpd.register.missing", "fail", "critical", source="register", theme="rgpd")]
    s = score(assess(fs), profile())
    assert s.grade is None and s.score is None and not s.provisional
    assert theme(s, "rgpd").score == 0.0  # the theme still shows what the register check found


def test_provisional_below_two_thirds_known():
    known = [f(f"mail.check.m{i}", "pass", "high") for i in range(2)]
    meta = {"coverage": {"unanswered": {"sys.a.b": "systems"}}}
    assert not score(assess(known, meta), profile()).provisional  # 2 of 3 known
    meta = {"coverage": {"unanswered": {"sys.a.b": "systems", "sys.a.c": "systems"}}}
    assert score(assess(known, meta), profile()).provisional  # 2 of 4


def test_nothing_assessed_has_no_score_and_no_grade():
    s = score(assess([f("tls.cert.expiry", "error", "high")]), profile())
    assert s.score is None and s.grade is None and s.cap is None


def test_theme_weights_from_profile():
    fs = [f("ports.rdp.exposed", "fail", "high"), f("mail.dmarc.policy", "pass", "high")]
    assert score(assess(fs), profile()).score == 50.0
    assert score(assess(fs), profile({"exposure": 3})).score == 25.0
    assert score(assess(fs), profile({"exposure": 0})).score == 100.0  # a zero weight leaves the theme out


def test_critical_failure_caps_the_grade_and_names_the_finding():
    fs = [f(f"ports.service{i}.exposed", "pass", "critical") for i in range(30)]
    fs.append(f("ports.rdp.exposed", "fail", "critical", target="mairie.example"))
    s = score(assess(fs), profile())
    assert s.band_grade == "A" and s.grade == "D"
    assert s.cap is not None and s.cap.finding_id == "ports.rdp.exposed" and s.cap.target == "mairie.example"
    assert s.cap.rule == "critical_failure"


def test_failed_essential_high_caps_at_c_but_not_when_recommended():
    fs = [f(f"mail.check.m{i}", "pass", "critical") for i in range(30)] + [f("mail.dmarc.policy", "fail", "high")]
    assert score(assess(fs), profile()).grade == "A"
    capped = score(assess(fs), profile(essential=["mail.dmarc.policy", "mail.check.m*"]))
    assert capped.band_grade == "A" and capped.grade == "C"
    assert capped.cap.rule == "essential_high_failure" and capped.cap.finding_id == "mail.dmarc.policy"



def test_cap_is_only_reported_when_it_lowered_the_grade():
    fs = [f("ports.rdp.exposed", "fail", "critical")]
    s = score(assess(fs), profile())
    assert s.grade == "F" and s.band_grade == "F"
    assert s.cap is None and [c.rule for c in s.caps] == ["critical_failure"]


@pytest.mark.parametrize(("value", "grade"), [(100, "A"), (80, "A"), (79.9, "B"), (65, "B"), (50, "C"),
                                               (49.9, "D"), (35, "D"), (20, "E"), (19.9, "F"), (0, "F")])
def test_grade_bands(value, grade):
    assert grade_for(value) == grade


def test_reassessment_sooner_when_weak():
    strong = score(assess([f("mail.dmarc.policy", "pass", "high")]), profile())
    weak = score(assess([f("mail.dmarc.policy", "fail", "high")]), profile())
    assert strong.grade == "A" and strong.reassess_months == 24
    assert strong.reassess_by == dt.date(2028, 3, 31)
    assert weak.grade == "F" and weak.reassess_months == 3
    assert weak.reassess_by == dt.date(2026, 6, 30)  # 31 June does not exist


def test_score_is_json_serialisable_and_rules_are_data():
    s = score(assess([f("mail.dmarc.policy", "warn", "high")]), profile())
    data = json.loads(s.model_dump_json(by_alias=True))
    assert data["schema"] == "cyberaudit/score/v1" and data["score"] == 50.0
    r = rules()
    json.dumps(r)
    assert [c["id"] for c in r["caps"]] == ["critical_failure", "essential_high_failure"]
    assert set(r["reassess_months"]) == set(GRADES)


def test_rounding_on_integers_is_fractions_own():
    """_pct/_share round on integers: the same as round(Fraction * 1000), halves to even included."""
    import random
    from fractions import Fraction

    from cyberaudit.assessment.exact import thousandths as _thousandths

    rng = random.Random(5)
    values = [Fraction(k, 2000) for k in range(-10, 4001)] + [Fraction(k, 8000) for k in range(16001)]
    values += [Fraction(rng.randint(0, 10**9), rng.randint(1, 10**9)) for _ in range(20_000)]
    assert [_thousandths(x) for x in values] == [round(x * 1000) for x in values]


def test_ratio_on_integers_is_the_fraction_sum():
    import random
    from fractions import Fraction

    from cyberaudit.assessment.exact import ratio as _ratio

    rng = random.Random(9)
    weights = [Fraction(8), Fraction(4), Fraction(2), Fraction(1), Fraction(1, 2), Fraction(3, 7)]
    credits = [Fraction(0), Fraction(1), Fraction(1, 2), Fraction(3, 10), Fraction(7, 9)]
    for _ in range(500):
        items = [(rng.choice(weights), rng.choice(credits)) for _ in range(rng.randint(1, 40))]
        total = sum((w for w, _ in items), Fraction(0))
        assert _ratio(items) == sum((w * c for w, c in items), Fraction(0)) / total
    assert _ratio([]) is None
