"""The territory barometer on a synthetic territory of 300 members, with hostile and broken members.

Expected shares are computed here, directly from the synthetic members' choices, with the
rules written out plainly: the barometer must agree with them.
"""

from __future__ import annotations

import json
import re
import shutil

import pytest

from cyberaudit.territory import synthetic
from cyberaudit.territory.aggregate import barometer

ORDER_ALL = ("no", "unknown", "partial", "yes")  # the worst part wins
ANSWER = {"yes": "yes", "partial": "partial", "no": "no", "unknown": "unknown", None: "unknown"}
# the survey's questions: "je ne sais pas" is not among those who have / know
SURVEY = {**ANSWER, "unknown": "no"}
STATUS = {"pass": "yes", "warn": "partial", "fail": "no", "error": "unknown", None: "unknown"}


def recent(spec, question, max_days, ref):
    """A dated answer judged at the barometer's date `ref`, not at the member's assessment date."""
    age = spec["dated"][question]
    if age is None:
        return "unknown"
    return "yes" if age + (ref - spec["assessed"]).days <= max_days else "no"


def is_known(spec) -> bool:
    """Something known of the member: an answer, a dated answer, a probe result or a DPO in its inventory."""
    return (any(v not in (None, "unknown") for v in spec["answers"].values())
            or any(v is not None for v in spec["dated"].values()) or spec["org_dpo"]
            or any(v in ("pass", "warn", "fail") for v in spec["probes"].values()) or spec["ports_scanned"])


def _all(*buckets):
    live = [b for b in buckets if b != "na"]
    return next(b for b in ORDER_ALL if b in live) if live else "na"


def expected_buckets(spec, ref) -> dict[str, str]:
    a, p = spec["answers"], spec["probes"]
    mfa = [ANSWER[a[q]] for q in ("iam.mfa.vpn", "iam.mfa.webmail") if a[q] is not None]
    expiry = {"fail": "no", "pass": "yes", "warn": "yes", None: "na", "error": "na"}[p["tls.cert.expiry"]]
    exposure = {True: "no", False: "yes"}[p["ports.rdp.exposed"] == "fail"] if spec["ports_scanned"] else "unknown"
    return {
        "digital_in_project": SURVEY[a["gov.digital.project"]],
        "cyber_measures": SURVEY[a["gov.cyber.measures"]],
        "dpo_named": "yes" if spec["org_dpo"] else SURVEY[a["gov.dpo.designated"]],
        "data_location_known": SURVEY[a["priv.location.known"]],
        "sobriety_charter": SURVEY[a["eco.charter.adopted"]],
        "register_current": _all(ANSWER[a["priv.register.exists"]], recent(spec, "priv.register.updated", 365, ref)),
        "mfa_remote": _all(*mfa) if mfa else "unknown",
        "backups_offline_tested": _all(ANSWER[a["bcp.backup.offline"]],
                                       recent(spec, "bcp.backup.restore_tested", 400, ref)),
        "dmarc_reject": STATUS[p["mail.dmarc.policy"]],
        "dnssec": STATUS[p["dns.dnssec.valid"]],
        "tls_current": _all(STATUS[p["tls.protocol.legacy"]], expiry),
        "no_critical_exposure": exposure,
        # one member in five keeps breach files; the others are not asked priv.breach.log: unknown, never "no"
        "breach_log_kept": "yes" if spec["breach_log"] else ANSWER[a.get("priv.breach.log")],
    }


@pytest.fixture(scope="module")
def territory(tmp_path_factory):
    root = tmp_path_factory.mktemp("territory")
    specs = synthetic.build(root, 300, seed=11)
    for i in (7, 150):  # two members that never answered and were never scanned: nothing known
        specs[i] = dict(specs[i], answers={q: None for q in specs[i]["answers"]}, org_dpo=False, ports_scanned=False,
                        dated={q: None for q in specs[i]["dated"]}, probes={p: None for p in specs[i]["probes"]})
        synthetic.write_member(root, specs[i])
    return root, specs


@pytest.fixture(scope="module")
def data(territory):
    return barometer(territory[0], history=False)


def test_every_indicator_share_matches_an_independent_count(territory, data):
    import datetime as dt

    _, all_specs = territory
    ref = dt.date.fromisoformat(data["as_of"])
    specs = [s for s in all_specs if is_known(s)]
    expected = [expected_buckets(s, ref) for s in specs]
    assert data["counted"] == 300 and data["not_counted"] == []
    # members with nothing known are listed, and in no count
    assert sorted(m["siren"] for m in data["not_assessed"]) == sorted(s["siren"] for s in all_specs if not is_known(s))
    assert data["not_assessed"] and data["assessed"] == len(specs)
    for ind in data["indicators"]:
        counts = {b: sum(1 for e in expected if e[ind["id"]] == b) for b in ("yes", "partial", "no", "unknown", "na")}
        assert ind["counts"] == counts, ind["id"]
        known = counts["yes"] + counts["partial"] + counts["no"]
        assert ind["share"] == round(counts["yes"] / known, 3), ind["id"]
        # the members behind each figure are exactly the members in that bucket
        for bucket in counts:
            want = sorted(s["siren"] for s, e in zip(specs, expected, strict=True) if e[ind["id"]] == bucket)
            assert [m["siren"] for m in ind["members"][bucket]] == want
    # the synthetic data is varied enough for the test to mean something
    dpo = next(i for i in data["indicators"] if i["id"] == "dpo_named")["counts"]
    assert dpo["yes"] and dpo["no"] and dpo["unknown"] and dpo["partial"]


def test_unknown_is_never_counted_as_no(data):
    charter = next(i for i in data["indicators"] if i["id"] == "sobriety_charter")
    c = charter["counts"]
    assert c["unknown"] > 0
    assert charter["share"] == round(c["yes"] / (c["yes"] + c["partial"] + c["no"]), 3)
    assert charter["share"] != round(c["yes"] / 300, 3)
    register = next(i for i in data["indicators"] if i["id"] == "register_current")["counts"]
    assert register["unknown"] > 0  # a member who never said when the record was updated is not a "no"


def test_survey_reference_figures(data):
    survey = {i["id"]: i["survey"] for i in data["indicators"]}
    assert survey["cyber_measures"] == 0.70 and survey["dpo_named"] == 0.65 and survey["digital_in_project"] == 0.45
    assert survey["data_location_known"] == 0.90 and survey["sobriety_charter"] == 0.15
    # "je ne sais pas où sont nos données" counts as not known, as in the survey
    location = next(i for i in data["indicators"] if i["id"] == "data_location_known")
    said_unknown = sum(1 for m in data["members"] if m["assessed"] and m["indicators"]["data_location_known"] == "no")
    assert location["counts"]["no"] == said_unknown and location["counts"]["unknown"] < said_unknown


def test_grades_stale_and_themes(territory, data):
    _, specs = territory
    assert sum(g["count"] for g in data["grades"].values()) == 300
    assert data["grades"]["not_assessed"]["count"] == len(data["not_assessed"]) > 0
    assert data["as_of"] == max(s["assessed"] for s in specs).isoformat()
    import datetime as dt

    ref = dt.date.fromisoformat(data["as_of"])
    stale = sorted(s["siren"] for s in specs if (ref - s["assessed"]).days > 365 and is_known(s))
    assert sorted(m["siren"] for m in data["stale"]) == stale and stale
    mail = next(t for t in data["themes"] if t["theme"] == "mail")
    assert mail["members"] > 0 and 0 <= mail["mean"] <= 100


def test_privacy_no_evidence_unless_asked(territory, data):
    text = json.dumps(data)
    assert "v=DMARC1" not in text and '"evidence"' not in text
    with_ev = barometer(territory[0], history=False, with_evidence=True)
    assert "v=DMARC1" in json.dumps(with_ev)
    from cyberaudit.territory.html import render_html

    assert "v=DMARC1" not in render_html(data)
    assert "v=DMARC1" in render_html(with_ev)


def test_output_is_deterministic(territory, data):
    from cyberaudit.territory.html import render_html
    from cyberaudit.territory.render import render_csv, render_json, render_markdown

    again = barometer(territory[0], history=False)
    assert render_json(again) == render_json(data)
    assert render_csv(again) == render_csv(data)
    assert render_markdown(again) == render_markdown(data)
    assert render_html(again) == render_html(data)


# --------------------------------------------------------------------------- broken and hostile members


@pytest.fixture
def broken(tmp_path):
    root = tmp_path / "t"
    all_specs = synthetic.build(root, 30, seed=5)
    specs = all_specs[:6]
    hostile = dict(all_specs[6], name="<script>alert(1)</script>\x1b[31m=HYPERLINK(\"http://x\")")
    synthetic.write_member(root, hostile)
    m = root / "membres"
    (m / specs[0]["siren"] / "organisation.yaml").write_text("name: [unclosed\n")            # malformed YAML
    (m / specs[1]["siren"] / "assessment.json").write_text('{"schema": "cyberaudit/asse')   # truncated JSON
    (m / specs[2]["siren"] / "organisation.yaml").unlink()                                 # no inventory
    text = (m / specs[3]["siren"] / "organisation.yaml").read_text()
    (m / specs[3]["siren"] / "organisation.yaml").write_text(text.replace("kind: ", "kind: metropole-"))
    shutil.rmtree(m / specs[4]["siren"])                                                   # declared, no folder
    other = synthetic.siren(99999)
    shutil.copytree(m / specs[5]["siren"], m / other)                                      # undeclared folder
    return root, specs, hostile


def test_broken_members_are_not_counted_with_their_reason(broken):
    root, specs, _ = broken
    data = barometer(root, history=False)
    reasons = {n["siren"]: n["reason"] for n in data["not_counted"]}
    assert reasons[specs[0]["siren"]] == "malformed_file"
    assert reasons[specs[1]["siren"]] == "malformed_file"
    assert reasons[specs[2]["siren"]] == "missing_inventory"
    assert reasons[specs[3]["siren"]] == "unknown_profile"
    assert reasons[specs[4]["siren"]] == "missing_workspace"
    assert reasons[synthetic.siren(99999)] == "not_declared"
    assert data["counted"] == 30 - 5  # the others are all there
    detail = {n["siren"]: n["detail"] for n in data["not_counted"]}
    assert re.search(r"organisation\.yaml:\d+: erreur de syntaxe YAML", detail[specs[0]["siren"]])  # file and line
    assert ":" in detail[specs[3]["siren"]] and "metropole-" in detail[specs[3]["siren"]]


def test_symlinked_and_oddly_named_folders(broken, tmp_path):
    root, specs, _ = broken
    outside = tmp_path / "ailleurs"
    shutil.copytree(root / "membres" / specs[5]["siren"], outside)
    shutil.rmtree(root / "membres" / specs[5]["siren"])
    (root / "membres" / specs[5]["siren"]).symlink_to(outside)  # a member folder pointing out of the repository
    (root / "membres" / "x\x1b[31m\nrouge").mkdir()
    data = barometer(root, history=False)
    reasons = {n["siren"]: n["reason"] for n in data["not_counted"]}
    assert reasons[specs[5]["siren"]] == "missing_workspace"
    odd = [n for n in data["not_counted"] if n["reason"] == "not_declared" and "rouge" in n["siren"]]
    assert len(odd) == 1 and "\x1b" not in odd[0]["siren"] and "\n" not in odd[0]["siren"]


def test_siren_mismatch_is_not_counted(broken):
    root, specs, _ = broken
    folder = root / "membres" / specs[5]["siren"]
    text = (folder / "organisation.yaml").read_text()
    (folder / "organisation.yaml").write_text(text.replace(specs[5]["siren"], "732829320"))
    data = barometer(root, history=False)
    assert {n["siren"]: n["reason"] for n in data["not_counted"]}[specs[5]["siren"]] == "siren_mismatch"


def test_hostile_names_stay_data_in_every_format(broken):
    from cyberaudit.territory.html import render_html
    from cyberaudit.territory.render import render_csv, render_markdown

    root, _, hostile = broken
    data = barometer(root, history=False)
    html = render_html(data)
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "\x1b" not in html
    assert "<script" not in html.lower()
    import html as htmllib

    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html).group(1)
    assert htmllib.unescape(csp).startswith("default-src 'none'; style-src 'sha256-")
    assert "script-src 'none'" in htmllib.unescape(csp)
    assert 'src="http' not in html and "<link" not in html
    md = render_markdown(data)
    assert "<script>" not in md and "\\<script\\>" in md
    rows = [r for r in render_csv(data).splitlines() if r.startswith(hostile["siren"])]
    assert rows and ";'<script>" not in rows[0]
    import csv

    (row,) = csv.reader(rows, delimiter=";")
    assert row[1].startswith("<script>") and "\x1b" not in row[1]


def test_formula_like_names_are_defused_in_csv(tmp_path, territory):
    import csv

    from cyberaudit.territory.render import render_csv

    root = tmp_path / "t"
    spec = dict(territory[1][0], name="=HYPERLINK(\"http://x\")")
    synthetic.write_manifest(root, "P", [spec])
    synthetic.write_member(root, spec)
    text = render_csv(barometer(root, history=False))
    assert text.startswith("\ufeffsiren;name;")  # a French spreadsheet: BOM, semicolons
    rows = list(csv.reader(text.removeprefix("\ufeff").splitlines(), delimiter=";"))
    assert rows[1][1] == "'=HYPERLINK(\"http://x\")"


def test_member_without_assessment_is_evaluated_in_memory_only(tmp_path, territory):
    root = tmp_path / "t"
    spec = dict(territory[1][0], org_dpo=True)
    synthetic.write_manifest(root, "P", [spec])
    folder = synthetic.write_member(root, spec)
    (folder / "assessment.json").unlink()
    data = barometer(root, history=False)
    assert data["counted"] == 1 and data["members"][0]["evaluated_now"] is True
    assert not (folder / "assessment.json").exists()  # aggregate writes nothing into members
    dpo = next(i for i in data["indicators"] if i["id"] == "dpo_named")
    assert dpo["counts"]["yes"] == 1  # organisation.yaml names a DPO


def test_assessment_date_is_the_interview_not_the_last_scan(tmp_path, territory):
    import datetime as dt

    from cyberaudit.model import Answer
    from cyberaudit.territory.members import assessed_at

    a = synthetic.assessment_for(territory[1][0])
    assert assessed_at(a) == a.generated_at  # answers without a date: the evaluation date
    a.answers["gov.dpo.designated"] = Answer(value="yes", at=dt.datetime(2023, 2, 1, tzinfo=dt.UTC))
    a.answers["gov.cyber.measures"] = Answer(value="no", at=dt.datetime(2024, 5, 1))
    assert assessed_at(a) == dt.datetime(2024, 5, 1, tzinfo=dt.UTC)
    a.answers = {}
    assert assessed_at(a) is None  # scans only: never interviewed

    root = tmp_path / "t"
    scanned_only = dict(territory[1][1], answers={q: None for q in territory[1][1]["answers"]},
                        dated={q: None for q in territory[1][1]["dated"]})
    synthetic.write_manifest(root, "P", [territory[1][0], scanned_only])
    synthetic.write_member(root, territory[1][0])
    synthetic.write_member(root, scanned_only)
    data = barometer(root, history=False, as_of=territory[1][0]["assessed"])
    assert [(m["siren"], m["assessed_at"]) for m in data["stale"]] == [(scanned_only["siren"], None)]


def test_end_to_end_with_real_interview_answers_and_evaluation(tmp_path):
    """answers.yaml -> cyberaudit.assessment.evaluate -> assessment.json -> barometer, with the shipped question banks."""
    import datetime as dt

    from cyberaudit.assessment.evaluate import evaluate, save_assessment
    from cyberaudit.disk.workspace import Workspace
    from cyberaudit.interview.answers import save_many
    from cyberaudit.model import Answer
    from cyberaudit.territory.create import create_territory

    ms = [{"siren": synthetic.siren(800 + i), "name": f"Commune {i}", "kind": "commune"} for i in range(3)]
    root = create_territory(tmp_path / "t", "Pays", ms)
    at = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    plans = [
        {"gov.dpo.designated": "yes", "priv.register.exists": "yes", "priv.register.updated": "2026-01-10",
         "bcp.backup.offline": "yes", "bcp.backup.restore_tested": "2025-12-01", "eco.charter.adopted": "no"},
        {"gov.dpo.designated": "no", "priv.register.exists": "yes", "priv.register.updated": "2023-01-10",
         "bcp.backup.offline": "unknown", "eco.charter.adopted": "yes"},
        {},  # not interviewed yet
    ]
    for m, plan in zip(ms, plans, strict=True):
        ws = Workspace(root / "membres" / m["siren"])
        if plan:
            save_many(ws, {q: Answer(value=v, at=at) for q, v in plan.items()})
        save_assessment(ws, evaluate(ws, now=at))
    data = barometer(root, history=False)
    got = {i["id"]: {b: [p["siren"] for p in i["members"][b]] for b in ("yes", "partial", "no", "unknown")
                     if i["members"][b]} for i in data["indicators"]}
    s0, s1, s2 = (m["siren"] for m in ms)
    assert [m["siren"] for m in data["not_assessed"]] == [s2]  # nothing known: in no figure
    assert got["dpo_named"] == {"yes": [s0], "no": [s1]}
    assert got["register_current"] == {"yes": [s0], "no": [s1]}  # updated 2023: > 2 years
    assert got["backups_offline_tested"] == {"yes": [s0], "unknown": [s1]}
    assert got["sobriety_charter"] == {"yes": [s1], "no": [s0]}
    assert got["dmarc_reject"] == {"unknown": [s0, s1]}  # never scanned: unknown, not "no"
    assert data["grades"]["not_assessed"]["count"] == 1 and data["score"]["members"] == 2


def test_links_to_the_members_own_newest_report(tmp_path, territory):
    from cyberaudit.territory.html import render_html

    root = tmp_path / "t"
    spec = territory[1][0]
    synthetic.write_manifest(root, "P", [spec])
    folder = synthetic.write_member(root, spec)
    for day in ("2026-01-05", "2026-03-09"):
        (folder / "reports").mkdir(exist_ok=True)
        (folder / "reports" / f"rapport-{day}.html").write_text("<p>rapport</p>")
    data = barometer(root, history=False)
    assert data["members"][0]["page"] == f"membres/{spec['siren']}/reports/rapport-2026-03-09.html"
    html = render_html(data, out_dir="barometre")
    assert f'href="../membres/{spec["siren"]}/reports/rapport-2026-03-09.html"' in html


def test_every_indicator_reads_ids_that_exist():
    """Indicators point at live question IDs and probe checks (catches a renamed question or check)."""
    import fnmatch
    import importlib
    import pkgutil

    import cyberaudit.checks as checks
    from cyberaudit.content.loader import load_content
    from cyberaudit.territory.indicators import load_indicators

    for mod in pkgutil.iter_modules(checks.__path__):
        importlib.import_module(f"cyberaudit.checks.{mod.name}")
    questions = set(load_content().questions)
    from cyberaudit.records.rules_meta import RULES as RECORDS

    live = questions | set(checks.REGISTRY) | set(RECORDS)
    ids = [i.id for i in load_indicators()]
    assert len(ids) == len(set(ids)) >= 11
    for ind in load_indicators():
        for ref in ind.reads():
            if ref.startswith("organisation."):
                continue
            assert any(fnmatch.fnmatchcase(x, ref) for x in live), f"{ind.id} reads unknown {ref!r}"
