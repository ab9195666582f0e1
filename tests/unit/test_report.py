"""Report view-model and formats (synthetic assessment, stand-in profile)."""

from __future__ import annotations

import json

import pytest

from cyberaudit.model import Status
from cyberaudit.report import build_report, parse_formats, render
from cyberaudit.report.html import csp
from tests.unit.test_report_samples import Content, Profile, assessment

KW = {"profile": Profile(), "content": Content()}


@pytest.fixture(scope="module")
def report_fr():
    return build_report(assessment(hostile=False), "fr", **KW)


def test_action_plan_ranked_by_impact_over_effort(report_fr):
    report, _ = report_fr
    ids = [a.id for a in report.actions]
    # critical + essential + low effort first; the elected officials' backup budget comes next
    assert ids[0] == "ports.rdp.exposed" and report.actions[0].priority == "P1"
    assert ids.index("mail.dmarc.policy") < ids.index("gov.contracts.security_clauses")
    assert "gov.dpo.designated" not in ids  # passed: no action
    verify = next(a for a in report.actions if a.id == "trn.staff.trained")  # unknown: an action to find out
    assert verify.kind == "verify" and verify.title.startswith("Vérifier avec ") and verify.effort == "low"
    assert "tls.cert.expiry" not in ids  # not tested: coverage, not an action
    assert [a.rank for a in report.actions] == list(range(1, len(ids) + 1))
    assert report.top5 == report.actions[:5]
    owners = {a.id: a.owner_label for a in report.actions}
    assert owners["bcp.backup.offline"] == "Élus" and owners["ports.rdp.exposed"] == "Prestataire informatique"


def test_elected_page_has_the_four_amf_anssi_priorities(report_fr):
    report, _ = report_fr
    assert [p.number for p in report.elected] == ["1", "2", "3", "4"]
    by = {p.number: p for p in report.elected}
    assert by["4"].status == "todo" and any("sauvegarde" in o.lower() for o in by["4"].open_points)
    assert by["4"].cost_label.startswith("Moyen")
    assert by["3"].status == "partial"  # contract clauses partly in place (anssi-hygiene:3)
    assert by["1"].status == "unknown"  # awareness answered "I don't know"
    assert any("sauvegarde" in a.lower() for a in report.elected_actions)


def test_summary_grade_cap_and_coverage(report_fr):
    report, score = report_fr
    assert report.summary.grade == score.grade
    from cyberaudit.report.build import GRADE_MEANING

    assert report.summary.headline.endswith(GRADE_MEANING[score.grade][0])  # plain words for the mayor
    assert score.caps and score.caps[0].finding_id == "ports.rdp.exposed"
    rows = {r.label: r for r in report.summary.coverage_rows}
    assert rows["Non testés (erreur)"].value == "1" and rows["Non testés (erreur)"].note == "Échéance du certificat"
    assert rows["Questions sans réponse"].note == "sys.patch.policy"
    identity = next(t for t in report.themes if t.theme == "identity")
    assert identity.score is None and identity.score_text == "non évalué"  # never shown as zero
    bar = next(b for b in report.summary.bars if b.theme == "identity")
    assert bar.width == 0 and bar.score_text == "non évalué"


def test_rgpd_and_regulatory_sections(report_fr):
    report, _ = report_fr
    assert any(f.id == "rgpd.activity.dpia_missing" for f in report.rgpd.dpias)
    assert "2 activité(s)" in report.rgpd.register_text and "1 sans erreur" in report.rgpd.register_text
    labels = {r.label: r.value for r in report.regulatory}
    assert labels["NIS 2"] == "Non concernée en propre (au titre du projet de loi)"  # a bill, not a law
    assert any(v == "Non obligatoire" for k, v in labels.items() if "REEN" in k)
    assert any(v == "Oui" for k, v in labels.items() if "DPO" in k)


def test_annex_lists_references_scope_and_rules(report_fr):
    report, _ = report_fr
    groups = {g.key: g for g in report.annex.references}
    assert groups["anssi-hygiene"].title == "Guide d'hygiène ANSSI"
    assert groups["anssi-hygiene"].items == ["2", "3", "23", "37"]  # natural order
    assert groups["rfc"].items == ["7208", "7489"] and groups["rfc"].title == ""
    assert list(groups) == sorted(groups)
    auth = {s.name: s.authorization for s in report.annex.scope}
    assert auth["webmail.test-sur-loire.example"] == "M. le maire, 2026-10-01"
    assert any("0,6 + 0,4" in r for r in report.annex.scoring_rules)


def test_evolution_since_previous_assessment():
    prev = assessment(hostile=False)
    cur = assessment(hostile=False)
    for f in prev.findings:
        if f.id == "mail.dmarc.policy":
            f.status = Status.PASS  # was fine, now fails: worse
    cur.findings = [f for f in cur.findings if f.id != "rgpd.activity.dpia_missing"]
    prev.generated_at = prev.generated_at.replace(year=2025)
    report, _ = build_report(cur, "fr", previous=prev, **KW)
    ev = report.evolution
    assert ev is not None and ev.previous_date == "20 novembre 2025"
    assert any("DMARC" in x for x in ev.worse)
    assert any("AIPD" in x for x in ev.fixed)
    assert ev.new == []
    none, _ = build_report(cur, "fr", **KW)
    assert none.evolution is None


def test_english_report_uses_english_wording():
    report, _ = build_report(assessment(hostile=False), "en", **KW)
    assert report.L["summary_title"] == "Executive summary"
    assert report.actions[0].title == "Bureau à distance (RDP) exposé (en)"
    html = render(assessment(hostile=False), "html", "en", **KW).decode()
    assert '<html lang="en">' in html and "Prioritised action plan" in html


@pytest.mark.parametrize("fmt", ["html", "md", "json"])
def test_same_input_same_bytes(fmt):
    a = render(assessment(), fmt, "fr", **KW)
    b = render(assessment(), fmt, "fr", **KW)
    assert a == b
    shuffled = assessment()
    shuffled.findings.reverse()
    assert render(shuffled, fmt, "fr", **KW) == a


def test_json_report_schema_and_content():
    data = json.loads(render(assessment(), "json", "fr", **KW))
    assert data["schema"] == "cyberaudit/report/v2"
    assert data["score"]["grade"] == data["report"]["summary"]["grade"]
    assert len(data["findings"]) == len(assessment().findings)
    first = data["findings"][0]
    assert data["catalogue"][first["id"]]["title"]["en"]  # raw bilingual metadata for other tools, once per ID
    assert data["generated_at"] == "2026-11-20T10:00:00+00:00"
    assert data["scoring_rules"]["caps"][0]["id"] == "critical_failure"


def test_html_is_self_contained_with_strict_csp():
    html = render(assessment(hostile=False), "html", "fr", **KW).decode()
    assert "<script" not in html.lower()
    for needle in ("http://", "https://", "url(", "@import", "src="):
        assert needle not in html.replace("http://www.w3.org/2000/svg", ""), needle
    style = html.split("<style>", 1)[1].split("</style>", 1)[0]
    assert f'content="{csp(style)}"'.replace("'", "&#39;") in html
    assert "default-src &#39;none&#39;" in html
    assert 'role="img"' in html and "<title id=\"chart-svg-title\">" in html


def test_parse_formats():
    assert parse_formats(None) == ["html", "md", "json"]
    assert parse_formats("json, markdown,json") == ["json", "md"]
    from cyberaudit.errors import InputError

    with pytest.raises(InputError, match="docx"):
        parse_formats("html,docx")


def _luminance(hex_colour: str) -> float:
    rgb = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def _contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_stylesheet_colours_meet_wcag_aa_contrast():
    import re

    from cyberaudit.report.build import BAR_FILL
    from cyberaudit.report.templates import CSS_FILE, templates_dir

    css = (templates_dir() / CSS_FILE).read_text("utf-8")
    var = dict(re.findall(r"--([a-z]+):\s*(#[0-9a-f]{6})", css))
    for name in ("ink", "muted", "accent", "good", "mid", "bad"):
        assert _contrast(var[name], var["bg"]) >= 4.5, name  # text colours on the page
        assert _contrast(var[name], var["soft"]) >= 4.5, name  # ... and on table headers
    badges = re.findall(r"\.(?:g|s|p|st)-[a-zA-Z0-9]+ \{ background: (#[0-9a-f]{6}|var\(--[a-z]+\)); \}", css)
    assert len(badges) >= 10
    for colour in badges:
        colour = var[colour[6:-1]] if colour.startswith("var(") else colour
        assert _contrast("#ffffff", colour) >= 4.5, colour  # white badge text
    for fill in BAR_FILL.values():
        assert _contrast(fill, "#ffffff") >= 3, fill  # graphical objects (WCAG 1.4.11)


def test_html_structure_is_accessible():
    import re

    html = render(assessment(hostile=False), "html", "fr", **KW).decode()
    assert html.count("<h1") == 1 and '<html lang="fr">' in html
    levels = [int(n) for n in re.findall(r"<h([1-6])", html)]
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), "heading level skipped"
    assert re.search(r'<svg class="chart" role="img" aria-labelledby="chart-svg-title chart-svg-desc"', html)
    assert '<desc id="chart-svg-desc">' in html and "Messagerie : " in html
    tables = [t.split("</table>", 1)[0] for t in html.split("<table")[1:]]
    assert len(tables) >= 5 and all("<th" in t for t in tables)  # every table has header cells
