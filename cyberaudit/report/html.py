"""HTML format: one self-contained file (inline CSS and SVG, no external resource, strict CSP)."""

from __future__ import annotations

import base64
import hashlib

from .templates import DOCUMENTS, css_path, environment
from .view import Report


def csp(css: str) -> str:
    """Nothing may load or run: only the one inline stylesheet (by hash) and data: images."""
    digest = base64.b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode("ascii")
    return ("default-src 'none'; style-src 'sha256-" + digest + "'; img-src data:; font-src 'none'; "
            "script-src 'none'; connect-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'")


def render(report: Report, folder: str | None = None, document: str = "complete") -> bytes:
    """The complete report, or with document="elected" the elected officials' report."""
    from markupsafe import Markup

    from ..sanitize import strip_control

    with open(css_path(folder), encoding="utf-8") as fh:
        css = strip_control(fh.read(), keep_newlines=True).replace("</", "<\\/")
    template = environment("html", folder).get_template(DOCUMENTS[document][0])
    text = template.render(r=report, L=report.L, css=Markup(css), csp=csp(css))
    return text.encode("utf-8")
