"""`scan --format csv|junit|markdown` on a result holding hostile strings: formula-safe cells, valid JUnit XML
(the vendored Ant/Jenkins schema, tests/data/junit), Markdown in the summary-then-details order."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest

from cyberaudit.cli.scan_output import print_result
from cyberaudit.model import Finding, ScanResult, TargetResult, Text

XSD = Path(__file__).resolve().parents[1] / "data" / "junit" / "JUnit.xsd"
HOSTILE = '=HYPERLINK("http://x.invalid","clic") \x1b[31mrouge\x1b[0m <b>&amp;</b> \x00\ufffe'


def hostile_result() -> ScanResult:
    def f(cid, status, severity="high", target=None, detail="constat", **ev):
        return Finding(id=cid, status=status, severity=severity, target=target, evidence=ev,
                       title=Text(fr=f"Titre {cid}", en=f"Title {cid}"), detail=Text(fr=detail, en=detail),
                       remediation=Text(fr="Corriger", en="Fix"), references=["rfc:7489"])
    a = TargetResult(target="ville.fr", findings=[
        f("mail.dmarc.policy", "fail", detail=HOSTILE),
        f("tls.cert.expiry", "error", "critical", target="www.ville.fr", address="192.0.2.1", detail="-2+3"),
        f("dns.caa.present", "warn", "low", detail="@SUM(A1)"),
        f("dns.zone.resolves", "pass")])
    b = TargetResult(target="bourg.fr", findings=[f("dns.zone.resolves", "pass")])
    return ScanResult(tool_version="0.0-test", started_at=dt.datetime(2026, 3, 1, 9, 30, tzinfo=dt.UTC),
                      checks=["dns", "mail", "tls"], results=[b, a])


def printed(capsys, fmt, **kw) -> str:
    print_result(hostile_result(), fmt, None, elapsed=1.5, **kw)
    return capsys.readouterr().out


def test_csv_has_french_headers_one_row_per_non_passing_finding_and_no_formula(capsys):
    text = printed(capsys, "csv")
    assert text.startswith("\ufeff") and "\r\n" in text
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter=";"))
    assert rows[0][:7] == ["Cible", "Hôte", "Rôle de l'hôte", "Adresse", "Port", "Identifiant", "Contrôle"]
    assert [r[5] for r in rows[1:]] == ["mail.dmarc.policy", "dns.caa.present", "tls.cert.expiry"]
    www = rows[3]
    assert www[1:5] == ["www.ville.fr", "www", "192.0.2.1", "443"] and www[7] == "Non testé"
    for row in rows:
        for cell in row:
            assert cell[:1] not in ("=", "+", "-", "@", "\t", "\r") and "\x1b" not in cell and "\x00" not in cell
    assert rows[1][9].startswith("'=HYPERLINK") and rows[3][9] == "'-2+3"
    everything = list(csv.reader(io.StringIO(printed(capsys, "csv", show_all=True).lstrip("\ufeff"), newline=""), delimiter=";"))
    assert len(everything) == 1 + 5  # --all: the passing rows of both targets too


def test_junit_validates_against_the_schema_and_maps_fail_and_error(capsys):
    xmlschema = pytest.importorskip("xmlschema")
    text = printed(capsys, "junit")
    schema = xmlschema.XMLSchema(str(XSD))
    schema.validate(text)  # raises with the first violation
    import xml.etree.ElementTree as ET

    root = ET.fromstring(text)
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == ["ville.fr", "bourg.fr"]  # worst first
    ville = suites[0]
    assert (ville.get("tests"), ville.get("failures"), ville.get("errors")) == ("4", "1", "1")
    assert ville.get("timestamp") == "2026-03-01T09:30:00"
    cases = {(c.get("classname"), c.get("name")): c for c in ville.findall("testcase")}
    failure = cases[("ville.fr", "mail.dmarc.policy")].find("failure")
    assert failure.get("message").startswith("Titre mail.dmarc.policy — =HYPERLINK")
    assert "\x1b" not in failure.get("message") and "<b>&amp;</b>" in failure.get("message")
    assert cases[("www.ville.fr", "tls.cert.expiry")].find("error").get("type") == "error:critical"
    assert list(cases[("ville.fr", "dns.zone.resolves")]) == []  # passed
    assert "dns.caa.present" in ville.find("system-out").text  # a warning is listed, not failed


def test_markdown_has_the_summary_table_then_the_details(capsys):
    text = printed(capsys, "markdown")
    summary, details = text.index("## Synthèse"), text.index("## Détails")
    assert summary < details
    assert text.index("| ville.fr |") < text.index("| bourg.fr |") < details
    assert "analyse en 1,5 s" in text
    body = text[details:]
    assert "### ville.fr" in body and "### bourg.fr" not in body  # nothing to detail there
    assert "| `tls.cert.expiry` | NON TESTÉ | Critique | www.ville.fr (www) | 192.0.2.1:443 |" in body
    assert "\\=HYPERLINK" not in body and "\x1b" not in body and "\\<b\\>" in body
