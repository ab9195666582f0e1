"""The IT provider's view of a scan (issue 21), on fifteen communes served by real knot, nginx and SMTP
servers on loopback: the summary and details on a pseudo-terminal at 120 and 80 columns, NO_COLOR, a pipe,
--only, --lang en, and the CSV (into XLSX and ODS), JUnit (schema-validated) and Markdown formats."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from .communes import CommuneLab
from .pipes import ROOT

pytestmark = pytest.mark.lab
XSD = ROOT / "tests" / "data" / "junit" / "JUnit.xsd"
ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07]*\x07|\x1b[()][0-9A-B]|[\r\x07]")
COLOUR = re.compile(r"\x1b\[[0-9;]*(3[0-9]|9[0-7]|38;)[0-9;]*m")
CHECK_ID = re.compile(r"\b(dns|mail|tls|web)\.[a-z0-9_]+\.[a-z0-9_]+\b")
STATUS_WORDS = ("ÉCHEC", "ATTENTION", "NON TESTÉ", "OK", "INFO")


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    with CommuneLab(tmp_path_factory.mktemp("communes")) as lab:
        yield lab


def scan_args(lab, *extra) -> list[str]:
    return ["scan", *lab.domains, *lab.args(), "--checks", "dns,mail,tls,web", "--timeout", "2", *extra]


def child_env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "NO_COLOR", "CYBERAUDIT_LANG")}
    env.update(PYTHONPATH=str(ROOT), TERM="xterm-256color", **extra)
    return env


def on_pty(args: list[str], *, cols: int, **env) -> tuple[int, str]:
    """Run the CLI with stdin, stdout and stderr on a pseudo-terminal of `cols` columns."""
    pexpect = pytest.importorskip("pexpect")
    child = pexpect.spawn(sys.executable, ["-m", "cyberaudit", *args], cwd=str(ROOT), env=child_env(**env),
                          dimensions=(50, cols), encoding="utf-8", timeout=240)
    out = child.read()
    child.close()
    return child.exitstatus, out


def piped(args: list[str], **env) -> tuple[int, str, str]:
    done = subprocess.run([sys.executable, "-m", "cyberaudit", *args], capture_output=True, cwd=ROOT,
                          env=child_env(**env), timeout=240)
    return done.returncode, done.stdout.decode(), done.stderr.decode()


def summary_rows(text: str) -> list[list[str]]:
    """The summary's rows: the lines that start with a scanned domain (before the totals line)."""
    head = text[text.index("Synthèse" if "Synthèse" in text else "Summary"):text.index("Total")]
    return [ln.split() for ln in head.splitlines() if re.match(r"\s*commune\d\d\.lab\s", ln)]


def detail_lines(text: str) -> list[str]:
    return text[text.index("Détails" if "Détails" in text else "Details"):].splitlines()


@pytest.fixture(scope="module")
def truth(lab):
    """The scan as JSON: what the summary is checked against."""
    code, out, err = piped(scan_args(lab, "--format", "json"))
    assert code == 0, err
    doc = json.loads(out)
    return {r["target"]: r["findings"] for r in doc["results"]}


RANK = {"critical": 4, "high": 3, "medium": 2, "low": 1, "info": 0}


def test_summary_then_details_on_a_terminal(lab, truth):
    code, raw = on_pty(scan_args(lab), cols=120)
    assert code == 0, raw
    assert COLOUR.search(raw), "a terminal gets colours"
    text = ANSI.sub("", raw)
    rows = summary_rows(text)
    assert sorted(r[0] for r in rows) == sorted(lab.domains)  # one row per domain
    for r in rows:  # the counts are the scan's
        statuses = [f["status"] for f in truth[r[0]]]
        assert r[1:4] == [str(statuses.count("fail")), str(statuses.count("warn")), str(statuses.count("error"))]

    def worst_bad(domain):  # an untested check ranks like a failed one
        return max((RANK[f.get("severity", "medium")] for f in truth[domain] if f["status"] in ("fail", "error")),
                   default=-1)
    order = [worst_bad(r[0]) for r in rows]
    assert order == sorted(order, reverse=True), "worst first"
    assert rows[0][0] in ("commune03.lab", "commune11.lab")  # the expired certificates (critical)
    totals = re.search(r"Total : 15 cible\(s\) · (\d+) échec\(s\) · (\d+) à améliorer · (\d+) non testé\(s\) · "
                       r"(\d+) conforme\(s\) · analyse en \d+,\d s", text)
    assert totals, text[-2000:]
    every = [f["status"] for fs in truth.values() for f in fs]
    assert [int(x) for x in totals.groups()] == [every.count(s) for s in ("fail", "warn", "error", "pass")]
    details = detail_lines(text)
    hosts = set(lab.domains) | {f"www.{d}" for d in lab.domains} | {"mx.lab", "mx-ancien.lab", "mx-muet.lab"}
    id_lines = [ln for ln in details if CHECK_ID.search(ln)]
    assert len(id_lines) == sum(s in ("fail", "warn", "error") for s in every)  # every non-passing row, once
    for ln in id_lines:  # every row starts with its host; its address and port, then its verdict
        cells = ln.split()
        assert cells[0] in hosts and ({"ÉCHEC", "ATTENTION", "NON"} & set(cells[1:5])), ln
        assert "OK" not in cells[:5], "no passing row without --all"
    expired = [ln for ln in id_lines if "tls.cert.expiry" in ln]
    assert {ln.split()[0] for ln in expired} == {"commune03.lab", "www.commune03.lab", "commune11.lab",
                                                 "www.commune11.lab"}
    assert all(re.search(r" 127\.\d+\.\d+\.\d+:443 ", ln) for ln in expired)  # the address and port served
    silent = [ln for ln in id_lines if ln.split()[:2] == ["mx-muet.lab", "(MX)"]]
    assert len(silent) == 2 and all(re.search(r" 127\.\d+\.\d+\.\d+:25 .*NON TESTÉ", ln) for ln in silent)
    dns_rows = [ln for ln in id_lines if " dns." in ln]
    assert dns_rows and all(not re.search(r"\d+:\d+ ", ln) for ln in dns_rows)  # zone-wide: no endpoint


def test_all_shows_passing_rows_and_no_color_at_80_columns_keeps_words_whole(lab, truth):
    code, raw = on_pty(scan_args(lab, "--all", "--only", "dns,tls.cert"), cols=80, NO_COLOR="1")
    assert code == 0, raw
    assert not re.search(r"\x1b\[[0-9;]*m", raw)  # no colour nor style (the progress bar still moves the cursor)
    text = ANSI.sub("", raw)
    assert "Analyse" in text[:text.index("Synthèse")]  # the progress bar (on the terminal's stderr), then:
    text = text[text.index("Synthèse"):]
    assert all(len(ln) <= 80 for ln in text.splitlines()), max(text.splitlines(), key=len)
    details = "\n".join(detail_lines(text))
    found = {m.group(0) for m in CHECK_ID.finditer(details)}
    assert found and all(i.startswith(("dns.", "tls.cert.")) for i in found)
    assert "dns.zone.resolves" in found and re.search(r"^\s*\S+\s+OK\s", details, re.M)  # passing rows shown
    # evidence is wrapped between words: every word of every detail shown is printed whole
    words = set(re.findall(r"\S+", details))
    for domain, findings in truth.items():
        for f in findings:
            if f["id"].startswith(("dns.", "tls.cert.")) and f.get("detail"):
                for w in f["detail"]["fr"].split():
                    assert len(w) > 30 or w in words, (domain, f["id"], w)


def test_piped_output_is_plain_and_english_with_lang_en(lab):
    code, out, err = piped(["--lang", "en", *scan_args(lab, "--only", "mail.spf.policy,mail.dmarc")])
    assert code == 0, err
    assert "\x1b" not in out and "\x1b" not in err  # neither colours nor a progress bar
    assert "Summary, most exposed targets first" in out and "Total: 15 target(s)" in out
    assert "FAIL" in out and "ÉCHEC" not in out and "Synthèse" not in out
    found = {m.group(0) for m in CHECK_ID.finditer(out)}
    assert found and all(i == "mail.spf.policy" or i.startswith("mail.dmarc.") for i in found)


def test_csv_opens_in_a_spreadsheet_with_french_headers(lab, truth, tmp_path):
    code, out, err = piped(scan_args(lab, "--format", "csv"))
    assert code == 0, err
    assert out.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(out.lstrip("\ufeff"), newline=""), delimiter=";"))
    assert rows[0] == ["Cible", "Hôte", "Rôle de l'hôte", "Adresse", "Port", "Identifiant", "Contrôle", "Résultat",
                       "Sévérité", "Constat", "Que faire", "Références"]
    flagged = sum(f["status"] in ("fail", "warn", "error") for fs in truth.values() for f in fs)
    assert len(rows) - 1 == flagged and {r[0] for r in rows[1:]} == set(lab.domains)
    assert {r[7] for r in rows[1:]} <= {"Non conforme", "À améliorer", "Non testé"}
    mx = [r for r in rows if r[1] == "mx-muet.lab"]
    assert mx and all(r[2] == "MX" and r[4] == "25" and r[3] for r in mx)
    # into a real workbook, as a spreadsheet would take the cells: no cell becomes a formula
    import openpyxl

    wb = openpyxl.Workbook()
    for r in rows:
        wb.active.append(r)
    wb.save(tmp_path / "scan.xlsx")
    back = openpyxl.load_workbook(tmp_path / "scan.xlsx").active
    assert [c.value for c in back[1]] == rows[0]
    assert all(c.data_type != "f" for line in back.iter_rows() for c in line)
    assert [[c.value or "" for c in line] for line in back.iter_rows(min_row=2)] == rows[1:]
    ods_round_trip(rows, tmp_path / "scan.ods")


def ods_round_trip(rows: list[list[str]], path: Path) -> None:
    from odf.opendocument import OpenDocumentSpreadsheet, load
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    table = Table(name="Analyse")
    for r in rows:
        tr = TableRow()
        for value in r:
            cell = TableCell(valuetype="string")
            cell.addElement(P(text=value))
            tr.addElement(cell)
        table.addElement(tr)
    doc.spreadsheet.addElement(table)
    doc.save(str(path))
    back = load(str(path)).spreadsheet.getElementsByType(Table)[0]
    got = [[str(c) for c in tr.getElementsByType(TableCell)] for tr in back.getElementsByType(TableRow)]
    assert got == rows


def test_junit_validates_and_has_one_case_per_check_and_host(lab, truth):
    xmlschema = pytest.importorskip("xmlschema")
    code, out, err = piped(scan_args(lab, "--format", "junit", "--only", "tls,mail"))
    assert code == 0, err
    xmlschema.XMLSchema(str(XSD)).validate(out)
    import xml.etree.ElementTree as ET

    suites = {s.get("name"): s for s in ET.fromstring(out).findall("testsuite")}
    assert set(suites) == set(lab.domains)
    for domain, findings in truth.items():
        kept = [f for f in findings if f["id"].startswith(("tls.", "mail."))]
        cases = suites[domain].findall("testcase")
        assert sorted((c.get("classname"), c.get("name")) for c in cases) == \
            sorted((f.get("target", domain), f["id"]) for f in kept)
        assert int(suites[domain].get("failures")) == sum(f["status"] == "fail" for f in kept)
        assert int(suites[domain].get("errors")) == sum(f["status"] == "error" for f in kept)
    expired = next(c for c in suites["commune03.lab"].findall("testcase")
                   if (c.get("classname"), c.get("name")) == ("www.commune03.lab", "tls.cert.expiry"))
    assert expired.find("failure").get("message").startswith("Certificat en cours de validité — ")
    silent = next(c for c in suites["commune05.lab"].findall("testcase") if c.get("classname") == "mx-muet.lab")
    assert silent.find("error") is not None and ":25" in silent.find("error").text


def test_markdown_reads_summary_then_details(lab, tmp_path):
    report = tmp_path / "scan.md"
    code, _, err = piped(scan_args(lab, "--format", "markdown", "--output", str(report)))
    assert code == 0, err
    text = report.read_text()
    assert text.index("## Synthèse") < text.index("Total : 15 cible(s)") < text.index("## Détails")
    table = [ln for ln in text[:text.index("## Détails")].splitlines() if ln.startswith("| commune")]
    assert len(table) == 15
    sections = re.findall(r"^### (\S+)$", text, re.M)
    assert [s.replace("\\", "") for s in sections] == [ln.split(" | ")[0][2:].replace("\\", "") for ln in table
                                                       if ln.split(" | ")[1:4] != ["0", "0", "0"]]
    assert re.search(r"\| `tls\.cert\.expiry` \| ÉCHEC \| Critique \| www\.commune03\.lab \(www\) \| "
                     r"127\.\d+\.\d+\.\d+:443 \|", text)
