"""The HTML report in a real browser (Debian's headless Chromium) and the PDF through poppler.

How "no network request" is checked: Chromium runs with a network log (`--log-net-log`) and with every
connection sent to a proxy on a closed loopback port (so nothing can leave the machine, whatever
happens). In the log, a request made on behalf of a page carries that page's network isolation key
(`file://` for our report); Chromium's own background traffic (component updater, time, accounts)
carries none, so it is told apart reliably. A control page that does load an image proves the
detection works, and another proves that console messages (including CSP violations) are seen.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from tests.lab.util import free_port, lab_address, require_binary
from tests.unit.test_report_samples import ESC, HOSTILE, Content, Profile, assessment

pytestmark = pytest.mark.lab
KW = {"profile": Profile(), "content": Content()}
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def chromium(page: Path, tmp: Path, *extra: str) -> dict:
    """Run headless Chromium on a file; return its DOM/stdout, console lines and page-initiated requests."""
    exe = require_binary("chromium", package="chromium")
    proxy = f"http://{lab_address('report')}:{free_port()}"  # nothing listens there
    netlog = tmp / f"net-{page.stem}-{len(extra)}.json"
    profile = tmp / f"profile-{page.stem}-{len(extra)}"
    cmd = [exe, *FLAGS, f"--user-data-dir={profile}", f"--proxy-server={proxy}", "--proxy-bypass-list=<-loopback>",
           f"--log-net-log={netlog}", "--enable-logging=stderr", "--v=0", "--virtual-time-budget=2000",
           *extra, page.as_uri()]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=90)
    assert proc.returncode == 0, proc.stderr[-2000:]
    console = [line for line in proc.stderr.splitlines() if ":CONSOLE" in line]
    return {"stdout": proc.stdout, "console": console, "requests": page_requests(netlog)}


def page_requests(netlog: Path) -> list[str]:
    data = json.loads(netlog.read_text("utf-8"))
    types = {v: k for k, v in data["constants"]["logEventTypes"].items()}
    urls = []
    for event in data["events"]:
        params = event.get("params") or {}
        if types.get(event["type"]) == "URL_REQUEST_START_JOB" and "file://" in params.get("network_isolation_key", ""):
            urls.append(params.get("url", ""))
    return urls


@pytest.fixture(scope="module")
def report_html(tmp_path_factory) -> Path:
    from cyberaudit.report import render

    a = assessment()
    a.organisation.name = "Commune <script>alert(1)</script>"
    path = tmp_path_factory.mktemp("report") / "rapport.html"
    path.write_bytes(render(a, "html", "fr", **KW))
    return path


def test_detection_controls_work(tmp_path):
    leaky = tmp_path / "leaky.html"
    leaky.write_text('<!DOCTYPE html><p>x</p><script>console.error("boom")</script>'
                     '<img src="http://192.0.2.10/pixel.png" alt="">', encoding="utf-8")
    result = chromium(leaky, tmp_path, "--dump-dom")
    assert "http://192.0.2.10/pixel.png" in result["requests"]
    assert any("boom" in line for line in result["console"])
    strict = tmp_path / "strict.html"
    strict.write_text('<!DOCTYPE html><meta http-equiv="Content-Security-Policy" content="default-src \'none\'">'
                      '<p>x</p><img src="http://192.0.2.10/pixel.png" alt="">', encoding="utf-8")
    result = chromium(strict, tmp_path, "--dump-dom")
    assert result["requests"] == [] and any("Content Security Policy" in line for line in result["console"])


def test_report_renders_with_grade_and_scores_no_console_error_no_request(report_html, tmp_path):
    from cyberaudit.report import build_report

    report, score = build_report(assessment(), "fr", **KW)
    result = chromium(report_html, tmp_path, "--dump-dom")
    assert result["console"] == []
    assert result["requests"] == []
    dom = result["stdout"]
    grade = re.search(r'<span class="grade [^"]*" id="grade"[^>]*>([A-F])</span>', dom)
    assert grade and grade.group(1) == score.grade
    table = dom.split('id="theme-scores"', 1)[1].split("</table>", 1)[0]
    for theme in report.themes:
        assert re.search(rf"<th scope=\"row\">{re.escape(theme.title)}</th><td>{re.escape(theme.score_text)}</td>",
                         table), theme.title
    assert "<script>" not in dom.lower()  # the hostile name stayed text
    assert "Commune &lt;script&gt;alert(1)&lt;/script&gt;" in dom


def test_screenshot_of_first_page(report_html, tmp_path):
    from PIL import Image

    shot = tmp_path / "shot.png"
    result = chromium(report_html, tmp_path, "--window-size=1280,1600", f"--screenshot={shot}")
    assert result["requests"] == [] and result["console"] == []
    image = Image.open(shot).convert("RGB")
    assert image.size == (1280, 1600)
    colours = image.getcolors(maxcolors=1 << 20)
    assert colours is not None and len(colours) > 50  # text, badges and chart, not a blank page
    grade_red = sum(n for n, c in colours if c[0] > 120 and c[1] < 80 and c[2] < 80)
    assert grade_red > 1000  # the grade badge (E or F here: a red-brown background) is painted


def test_pdf_pages_and_text(tmp_path):
    from cyberaudit.report import render

    pdftoppm = require_binary("pdftoppm", package="poppler-utils")
    pdftotext = require_binary("pdftotext", package="poppler-utils")
    pdf = tmp_path / "rapport.pdf"
    data = render(assessment(), "pdf", "fr", **KW)
    assert data == render(assessment(), "pdf", "fr", **KW)  # deterministic bytes
    pdf.write_bytes(data)
    subprocess.run([pdftoppm, "-r", "30", "-png", str(pdf), str(tmp_path / "page")], check=True, timeout=60)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert 6 <= len(pages) <= 30
    text = subprocess.run([pdftotext, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True,
                          timeout=60).stdout
    assert ESC not in text
    for expected in ("Commune de Test-sur-Loire", "Synthèse", "Plan d'action priorisé", "Annexe",
                     "Bureau à distance (RDP) exposé"):
        assert expected in text, expected
    flat = re.sub(r"\s+", "", text)
    assert re.sub(r"\s+", "", HOSTILE["banner"]) in flat  # shown as text, not interpreted
    assert b"/JavaScript" not in data and b"/URI (javascript" not in data  # no script, no live javascript: link


def _demo(tmp_path, formats):
    import datetime as dt

    from cyberaudit.assessment.evaluate import evaluate, save_assessment
    from cyberaudit.demo import write_demo_workspace
    from cyberaudit.disk.workspace import Workspace
    from cyberaudit.report import build_report, write_reports

    ws = Workspace(write_demo_workspace(tmp_path / "demo"))
    a = evaluate(ws, now=dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC))
    save_assessment(ws, a)
    written = write_reports(ws, formats, "fr")
    _, score = build_report(a, "fr")
    return a, score, written


def test_demo_report_in_browser(tmp_path):
    """The demo workspace's two HTML reports: the pages a newcomer and the mayor see first."""
    _, score, written = _demo(tmp_path, ["html"])
    complete, elected = written
    assert elected.name.endswith("-elus.html")
    for page in (complete, elected):
        result = chromium(page, tmp_path, "--dump-dom")
        assert result["console"] == [] and result["requests"] == []
        dom = result["stdout"]
        assert f'id="grade" role="img" aria-label="Note {score.grade}">{score.grade}</span>' in dom
        assert "Commune de Val-d&#39;Exemple" in dom or "Commune de Val-d'Exemple" in dom
        assert 'id="explanation"' in dom and "Couverture" in dom


# Words of the English interface that must never show in a French report (whole words, case-sensitive).
ENGLISH = ["Pass", "Fail", "Warn", "High", "Medium", "Low", "Critical", "Unknown", "Not tested", "To improve",
           "Evidence", "Severity", "Interview", "Register", "Grade", "Coverage", "Technical test", "Who",
           "Not assessed", "provisional", "Elected officials", "IT provider", "References"]


def _pdf_text(pdf: Path, tmp: Path) -> tuple[int, str]:
    pdftoppm = require_binary("pdftoppm", package="poppler-utils")
    pdftotext = require_binary("pdftotext", package="poppler-utils")
    out = tmp / pdf.stem
    subprocess.run([pdftoppm, "-r", "20", "-png", str(pdf), str(out)], check=True, timeout=120)
    pages = len(list(tmp.glob(f"{pdf.stem}-*.png")))
    text = subprocess.run([pdftotext, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True,
                          timeout=60).stdout
    return pages, text


def test_demo_pdfs_elected_short_complete_and_all_in_french(tmp_path):
    a, score, written = _demo(tmp_path, ["pdf"])
    complete, elected = written
    e_pages, e_text = _pdf_text(elected, tmp_path)
    c_pages, c_text = _pdf_text(complete, tmp_path)
    assert 1 <= e_pages <= 6, e_pages  # the elected officials' report fits in six A4 pages
    assert c_pages > e_pages
    assert "rapport pour les élus" in e_text.lower() and f"Note : {score.grade}" in e_text
    assert "Les premières actions à engager" in e_text and "Situation réglementaire" in e_text
    assert "Plan d'action priorisé" in c_text and "Questions restées sans réponse sûre" in c_text
    # raw evidence never shows: no key of any finding's evidence written as a key (art35_3, probe_findings...)
    keys = {k for f in a.findings for k in f.evidence if "_" in k or any(ch.isdigit() for ch in k)}
    keys |= {"answer", "by", "at", "score"}
    assert {"art35_3", "cnil_types", "wp248_inferred", "probe_findings"} <= keys  # the demo does carry them
    for name, text in (("elus", e_text), ("complet", c_text)):
        flat = re.sub(r"\s+", " ", text)
        for key in sorted(keys):
            pattern = rf"(?<![\w.-]){re.escape(key)} ?:" if key in ("answer", "by", "at", "score") else \
                rf"(?<![\w.-]){re.escape(key)}(?![\w.-])"
            assert not re.search(pattern, flat), (name, key)
        for word in ENGLISH:
            assert not re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", flat), (name, word)
        assert "{'" not in flat and "['" not in flat and "': " not in flat  # no Python/JSON tables
    answer = next(f for f in a.findings if f.source == "interview" and f.evidence.get("answer") == "no")
    by = answer.evidence["by"]
    assert re.search(rf"Réponse : non, donnée par {re.escape(by)} le \d\d/\d\d/\d{{4}}", re.sub(r"\s+", " ", c_text))


def _with_privacy():
    from cyberaudit.checks import privacy
    from tests.unit.test_privacy_judges import GA, obs

    a = assessment()
    found = privacy.judge_visit(obs([GA], links=[{"href": "https://ville.fr/ml", "text": "Mentions légales"}]))
    return assessment(findings=list(a.findings) + found)


def test_website_section_listed_in_contents_in_browser_and_pdf(tmp_path):
    from PIL import Image

    from cyberaudit.report import render

    page = tmp_path / "site.html"
    page.write_bytes(render(_with_privacy(), "html", "fr", **KW))
    result = chromium(page, tmp_path, "--dump-dom")
    assert result["requests"] == [] and result["console"] == []
    toc = result["stdout"].split('<nav class="toc"', 1)[1].split("</nav>", 1)[0]
    entries = re.findall(r'<a href="#([\w-]+)">([^<]+)</a>', toc)
    ids = [i for i, _ in entries]
    assert ("website", "Site internet et vie privée") in entries and ids.index("website") == ids.index("rgpd") + 1
    assert set(ids) <= set(re.findall(r'<section id="([\w-]+)"', result["stdout"]))  # every entry has a target
    shot = tmp_path / "site.png"
    assert chromium(page, tmp_path, "--window-size=1280,1000", f"--screenshot={shot}")["console"] == []
    assert len(Image.open(shot).convert("RGB").getcolors(maxcolors=1 << 20) or []) > 50  # painted, not blank
    pdf = tmp_path / "site.pdf"
    pdf.write_bytes(render(_with_privacy(), "pdf", "fr", **KW))
    pages, text = _pdf_text(pdf, tmp_path)
    assert pages >= 6 and text.count("Site internet et vie privée") >= 2  # contents entry and section title
    assert "Pouvez-vous ajouter un bouton" in text
    plain = tmp_path / "plain.html"
    plain.write_bytes(render(assessment(), "html", "fr", **KW))  # no privacy scan: neither entry nor section
    assert "#website" not in plain.read_text("utf-8") and 'id="website"' not in plain.read_text("utf-8")
