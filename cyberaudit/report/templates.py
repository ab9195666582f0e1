"""Jinja2 environments over the `reports/` templates (restylable without touching code)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

HTML_TEMPLATE = "report.html.j2"
MD_TEMPLATE = "report.md.j2"
CSS_FILE = "report.css"


def templates_dir() -> Path:
    from ..content import content_dir

    return content_dir("reports")


@cache
def environment(kind: str, folder: str | None = None):
    """`kind` "html" (HTML autoescape) or "md" (every value escaped for Markdown by `finalize`)."""
    import jinja2

    from .markdown import md_escape

    loader = jinja2.FileSystemLoader(folder or str(templates_dir()))
    common = {"loader": loader, "undefined": jinja2.StrictUndefined, "trim_blocks": False,
              "lstrip_blocks": False, "keep_trailing_newline": True}
    if kind == "html":
        return jinja2.Environment(autoescape=True, **common)
    return jinja2.Environment(autoescape=False, finalize=md_escape, **common)
