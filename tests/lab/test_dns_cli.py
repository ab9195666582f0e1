"""`cyberaudit scan` end to end against a real knot: formats, exit codes, bad input."""

from __future__ import annotations

import json
import re

import pytest


@pytest.fixture
def mail_lab(knot_lab):
    lab = knot_lab()
    lab.add_zone("lab.", "", signed=True)
    lab.add_zone("bon.lab.", """
        @ MX 10 mx
        mx A 192.0.2.1
        @ TXT "v=spf1 mx -all"
        _dmarc TXT "v=DMARC1; p=reject; rua=mailto:dmarc@bon.lab"
    """, signed=True)
    lab.add_zone("ouvert.lab.", '@ MX 10 mx\nmx A 192.0.2.1\n@ TXT "v=spf1 +all"\n')
    lab.start()
    return lab


def test_json_output_has_stable_ids_references_and_themes(mail_lab, run_cli, tmp_path):
    anchor = tmp_path / "anchor.txt"
    anchor.write_text(mail_lab.trust_anchor())
    code, out, err = run_cli("scan", "bon.lab", "--nameserver", mail_lab.nameserver, "--checks", "dns,mail",
                             "--format", "json", "--timeout", "1", "--trust-anchor", anchor)
    assert code == 0, err
    doc = json.loads(out)
    assert doc["schema"] == "cyberaudit/scan/v2" and doc["checks"] == ["dns", "mail"]
    found = {f["id"]: f for f in doc["results"][0]["findings"]}
    for cid in ("dns.ns.redundancy", "dns.dnssec.valid", "dns.caa.present", "dns.axfr.refused",
                "dns.cname.dangling", "dns.ipv6.present", "mail.mx.present", "mail.spf.policy",
                "mail.spf.lookup_limit", "mail.dmarc.policy", "mail.dmarc.reporting", "mail.dkim.present",
                "mail.mta_sts.policy", "mail.tls_rpt.present"):
        assert cid in found, cid
    assert found["dns.dnssec.valid"]["status"] == "pass"
    cat = doc["catalogue"]  # check metadata once per document, keyed by ID
    assert "title" not in found["mail.spf.policy"] and "references" not in found["mail.spf.policy"]
    assert cat["mail.spf.policy"]["references"] == ["rfc:7208", "anssi-pa-066:R44"]
    assert cat["mail.dmarc.policy"]["theme"] == "mail" and found["mail.dmarc.policy"]["status"] == "pass"
    assert cat["dns.caa.present"]["title"]["fr"] and cat["dns.caa.present"]["explanation"]["en"]


def test_table_fail_on_and_exit_codes(mail_lab, run_cli, tmp_path):
    code, out, _ = run_cli("scan", "bon.lab", "ouvert.lab", "--nameserver", mail_lab.nameserver,
                           "--checks", "mail", "--timeout", "1")
    assert code == 0
    assert "ouvert.lab" in out and "mail.spf.policy" in out and "ÉCHEC" in out
    assert "Haute" in out and not re.search(r"\b(high|medium|low|info)\b", out)  # French severities
    code, _, err = run_cli("scan", "ouvert.lab", "--nameserver", mail_lab.nameserver, "--checks", "mail",
                           "--timeout", "1", "--fail-on", "high", "--format", "json")
    assert code == 1 and "high" in err
    code, _, _ = run_cli("scan", "ouvert.lab", "--nameserver", mail_lab.nameserver, "--checks", "mail",
                         "--timeout", "1", "--fail-on", "critical", "--format", "json")
    assert code == 0
    report = tmp_path / "r.md"
    code, _, _ = run_cli("--lang", "en", "scan", "ouvert.lab", "--nameserver", mail_lab.nameserver, "--checks",
                         "mail", "--timeout", "1", "--format", "markdown", "--output", report)
    assert code == 0 and "| `mail.spf.policy` | FAIL | High |" in report.read_text()


@pytest.mark.parametrize("bad", ["a..b", "-oN/tmp/x", "$(id).fr", "exemple"])
def test_invalid_domain_is_an_input_error(run_cli, bad):
    code, out, err = run_cli("scan", bad, "--nameserver", "127.0.0.1:1", "--checks", "dns")
    assert code == 2 and "Traceback" not in err and out == ""


def test_bad_trust_anchor_and_nameserver_are_input_errors(run_cli, tmp_path):
    anchor = tmp_path / "anchor.txt"
    anchor.write_text("lab. IN A 192.0.2.1\n")
    code, _, err = run_cli("scan", "bon.lab", "--trust-anchor", anchor, "--checks", "dns")
    assert code == 2 and "anchor.txt" in err
    code, _, err = run_cli("scan", "bon.lab", "--nameserver", "pas-une-ip", "--checks", "dns")
    assert code == 2


def test_nothing_testable_exits_3(knot_lab, blackhole, run_cli):
    dead = blackhole()
    code, out, err = run_cli("scan", "muet.lab", "--nameserver", f"{dead}:53", "--checks", "dns,mail",
                             "--timeout", "0.2", "--format", "json")
    assert code == 3
    assert {f["status"] for f in json.loads(out)["results"][0]["findings"]} == {"error"}
