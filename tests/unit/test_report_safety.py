"""Hostile data stays data: <script>, </style>, javascript: URLs, Markdown links, pipes and ANSI escapes
coming from outside (banners, records, answers) render inert in HTML, Markdown and JSON.
(The PDF text is checked in tests/lab/test_report_browser.py, with pdftotext.)"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cyberaudit.model import Finding, Text
from cyberaudit.report import render
from tests.unit.test_report_samples import ESC, HOSTILE, Content, Profile, assessment

KW = {"profile": Profile(), "content": Content()}
ALLOWED_TAGS = {"html", "head", "meta", "title", "style", "body", "header", "nav", "main", "section", "footer",
                "h1", "h2", "h3", "h4", "p", "dl", "dt", "dd", "ul", "ol", "li", "a", "strong", "span", "br", "div",
                "table", "caption", "thead", "tbody", "tr", "th", "td", "code", "article", "svg", "desc", "g",
                "rect", "text"}


def hostile_assessment():
    a = assessment()
    a.organisation.name = "Commune <script>alert(1)</script>"
    a.organisation.assessor = f"{ESC}[31mMme{ESC}[0m Rouge"
    for f in a.findings:
        if f.id == "mail.dmarc.policy":
            f.target = "a|b](javascript:alert(1))"
    return a


class Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.attrs, self.text, self.styles = [], [], [], []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.extend(attrs)
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        (self.styles if self._in_style else self.text).append(data)


def test_html_renders_hostile_data_as_text():
    html = render(hostile_assessment(), "html", "fr", **KW).decode()
    assert ESC not in html
    p = Collector()
    p.feed(html)
    assert set(p.tags) <= ALLOWED_TAGS, set(p.tags) - ALLOWED_TAGS  # no script, img, iframe...
    assert p.tags.count("style") == 1
    for name, value in p.attrs:
        assert not name.startswith("on"), name
        assert "javascript:" not in (value or "").lower() or name == "title", (name, value)
    hrefs = [v for n, v in p.attrs if n == "href"]
    assert hrefs and all(h.startswith("#") for h in hrefs)  # only the table of contents links
    css = "".join(p.styles)
    assert "alert" not in css and "script" not in css  # the </style> in the data did not end the stylesheet
    text = "".join(p.text)
    assert HOSTILE["banner"] in text  # shown, literally, as text
    assert "javascript:alert(document.domain)" in text
    assert "ROUGE" in text and "[31m" not in text
    assert "Commune <script>alert(1)</script>" in text


def _unescaped_pipes(line: str) -> int:
    return len(re.findall(r"(?<!\\)\|", line))


def test_markdown_renders_hostile_data_as_text():
    md = render(hostile_assessment(), "md", "fr", **KW).decode()
    assert ESC not in md and "[31m" not in md
    assert "<script" not in md.lower() and "<img" not in md.lower() and "<b>" not in md
    assert "&lt;script&gt;" in md
    assert not re.search(r"(?<!\\)\]\((javascript|http)", md)  # no live link: every ] is escaped
    assert r"\[clic\]" in md
    assert "ROUGE" in md
    # tables keep their shape: a pipe in the data is escaped
    lines = md.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("|") and i + 1 < len(lines) and re.match(r"^\|[-:| ]+\|$", lines[i + 1]):
            width = _unescaped_pipes(line)
            j = i + 2
            while j < len(lines) and lines[j].startswith("|"):
                assert _unescaped_pipes(lines[j]) == width, lines[j]
                j += 1
    assert r"a\|b\](javascript:alert(1))" in md


def test_json_keeps_data_exact_but_escaped():
    raw = render(hostile_assessment(), "json", "fr", **KW)
    assert ESC.encode() not in raw  # control characters are \u001b-escaped by JSON
    data = json.loads(raw)
    rdp = next(f for f in data["findings"] if f["id"] == "ports.rdp.exposed")
    assert rdp["evidence"] == HOSTILE  # other tools get the exact evidence
    shown = [line for t in data["report"]["themes"] for f in t["findings"] for line in f["evidence"]
             if f["id"] == "ports.rdp.exposed"]
    assert shown and not any(ESC in v for v in shown)  # the worded view is cleaned

TOKENS = [*"<>/\"'&|[]()`*_#-!:;=\\\n\t ", "\x1b", "\x07", "\x9b", "\u202e", "script", "style", "javascript",
          "a", "é", "1", "."]
NASTY = st.lists(st.sampled_from(TOKENS), max_size=30).map("".join)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(NASTY, NASTY, max_size=4), NASTY, NASTY)
def test_fuzzed_outside_text_never_becomes_markup(evidence, target, note):
    a = assessment(hostile=False)
    a.findings.append(Finding(id="web.headers.security", status="warn", severity="medium",
                              title=Text(fr="En-têtes", en="Headers"), detail=Text(fr=note, en=note),
                              target=target, evidence=evidence, theme="web", remediation=Text(fr="x", en="x")))
    html = render(a, "html", "fr", **KW).decode()
    p = Collector()
    p.feed(html)
    assert set(p.tags) <= ALLOWED_TAGS and p.tags.count("style") == 1
    assert all(not n.startswith("on") for n, _ in p.attrs)
    assert ESC not in html and "\x9b" not in html and "\u202e" not in html
    md = render(a, "md", "fr", **KW).decode()
    assert ESC not in md and "\u202e" not in md and "<" not in md.replace("&lt;", "")
    assert not re.search(r"(?<!\\)\]\(", md)  # no link syntax from data
    assert render(a, "json", "fr", **KW) == render(a, "json", "fr", **KW)
