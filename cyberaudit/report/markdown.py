"""Markdown format, for reading in a git forge. Every value is escaped (no links, HTML or tables from data)."""

from __future__ import annotations

import re

from ..sanitize import strip_control
from .common import BIDI
from .templates import DOCUMENTS, environment
from .view import Report

_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
_LEADING = re.compile(r"^(\s*)(?:([#+=-])|(\d+)([.)]))(?=\s|$)")  # block markers need a space after


def md_escape(value) -> str:
    """Inline-safe Markdown: control characters removed, one line, punctuation and HTML escaped."""
    if value is None:
        return ""
    text = BIDI.sub("", strip_control(str(value)))
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _SPECIAL.sub(r"\\\1", text)
    return _LEADING.sub(_leading, text)


def _leading(m: re.Match) -> str:
    if m.group(2):
        return m.group(1) + "\\" + m.group(2)
    return m.group(1) + m.group(3) + "\\" + m.group(4)


def render(report: Report, folder: str | None = None, document: str = "complete") -> bytes:
    text = environment("md", folder).get_template(DOCUMENTS[document][1]).render(r=report, L=report.L)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.encode("utf-8")
