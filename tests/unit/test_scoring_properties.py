"""Property tests of scoring (hypothesis): monotonic, capped, deterministic."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cyberaudit.assessment.scoring import GRADES, score
from cyberaudit.model import Assessment, Finding, Organisation, Text

ORG = Organisation(name="Commune test", siren="999999998", kind="commune")
T = Text(fr="titre", en="title")
# (id, theme): a finding ID always belongs to one theme, as in the real content
IDS = [("mail.dmarc.policy", "mail"), ("mail.spf.policy", "mail"), ("tls.cert.expiry", "web"),
       ("web.hsts.policy", "web"), ("ports.rdp.exposed", "exposure"), ("mfa.surface.webmail", "identity"),
       ("gov.dpo.designated", "governance"), ("bcp.backup.offline", "continuity"), ("trn.staff.trained", "awareness"),
       ("rgpd.activity.dpia_missing", "rgpd"), ("sys.patch.policy", "systems"), ("eco.charter.adopted", "sobriety")]
ESSENTIAL = ["mail.dmarc.policy", "ports.*", "bcp.backup.offline", "gov.dpo.designated"]
SEVERITIES = ["critical", "high", "medium", "low", "info"]

evidences = st.one_of(st.just({}), st.just({"answer": "unknown"}), st.just({"answer": "na"}),
                      st.builds(lambda x: {"answer": "partial", "score": x}, st.floats(0, 1)))


@st.composite
def findings(draw, status=None):
    fid, theme = draw(st.sampled_from(IDS))
    return Finding(id=fid, theme=theme, title=T, severity=draw(st.sampled_from(SEVERITIES)),
                   status=status or draw(st.sampled_from(["pass", "warn", "fail", "info", "error"])),
                   target=draw(st.sampled_from([None, "a.example", "b.example"])),
                   evidence=draw(evidences) if status is None else {})


profiles = st.builds(
    lambda weights, essential: SimpleNamespace(theme_weights=weights, essential=essential),
    st.dictionaries(st.sampled_from([t for _, t in IDS]), st.sampled_from([0, 0.5, 1, 2, 3])),
    st.sampled_from([[], ESSENTIAL, ESSENTIAL[:1]]),
)


def assess(fs):
    return Assessment(tool_version="t", organisation=ORG, findings=fs,
                      generated_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))


SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(st.lists(findings(), max_size=25), findings(status="pass"), profiles)
def test_adding_a_passing_finding_never_lowers_a_score(fs, passing, prof):
    before = score(assess(fs), prof)
    after = score(assess([*fs, passing]), prof)
    if before.score is not None:
        assert after.score is not None and after.score >= before.score
    for tb, ta in zip(before.themes, after.themes, strict=True):
        if tb.score is not None:
            assert ta.score is not None and ta.score >= tb.score, tb.theme
    if before.grade is not None:
        assert GRADES.index(after.grade) <= GRADES.index(before.grade)


@SETTINGS
@given(st.lists(findings(), max_size=25), st.sampled_from(IDS), profiles)
def test_a_critical_failure_always_caps_the_grade(fs, which, prof):
    fid, theme = which
    critical = Finding(id=fid, theme=theme, title=T, severity="critical", status="fail", target="z.example")
    s = score(assess([*fs, critical]), prof)
    assert s.grade is not None and GRADES.index(s.grade) >= GRADES.index("D")
    assert s.caps and s.caps[0].severity.value == "critical"
    capped = [c for c in s.caps if c.rule == "critical_failure"][0]
    assert any(f.id == capped.finding_id and f.status.value == "fail" and f.severity.value == "critical"
               for f in [*fs, critical])
    if s.band_grade in ("A", "B", "C"):
        assert s.cap is not None and s.cap.max_grade in ("C", "D")


@SETTINGS
@given(st.lists(findings(), max_size=25), profiles, st.randoms(use_true_random=False))
def test_deterministic_whatever_the_order(fs, prof, rnd):
    first = score(assess(fs), prof).model_dump_json(by_alias=True)
    shuffled = list(fs)
    rnd.shuffle(shuffled)
    assert score(assess(shuffled), prof).model_dump_json(by_alias=True) == first
    assert score(assess(fs), prof).model_dump_json(by_alias=True) == first


@SETTINGS
@given(st.lists(findings(), max_size=25), st.data(), profiles)
def test_unknown_never_scores_better_than_a_failure(fs, data, prof):
    fails = [i for i, x in enumerate(fs) if x.status.value == "fail"]
    if not fails:
        return
    swap = set(data.draw(st.sets(st.sampled_from(fails), min_size=1)))
    swapped = [x.model_copy(update={"status": "warn", "evidence": {"answer": "unknown"}}) if i in swap else x
               for i, x in enumerate(fs)]
    before, after = score(assess(fs), prof), score(assess(swapped), prof)
    if before.score is not None:
        assert after.score is not None and after.score <= before.score
    if before.grade is not None:
        assert after.grade is not None and GRADES.index(after.grade) >= GRADES.index(before.grade)
