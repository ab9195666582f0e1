"""Jinja2 environments over the `reports/` templates (restylable without touching code)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

HTML_TEMPLATE = "report.html.j2"
MD_TEMPLATE = "report.md.j2"
ELECTED_HTML = "elus.html.j2"
ELECTED_MD = "elus.md.j2"
# document -> (HTML template, Markdown template)
DOCUMENTS = {"complete": (HTML_TEMPLATE, MD_TEMPLATE), "elected": (ELECTED_HTML, ELECTED_MD)}
CSS_FILE = "report.css"


def css_path(folder: str | None = None) -> Path:
    """The stylesheet: the override folder's when it has one, else the shipped one."""
    if folder and (Path(folder) / CSS_FILE).is_file():
        return Path(folder) / CSS_FILE
    return templates_dir() / CSS_FILE


def check_folder(folder: Path) -> None:
    """--templates must be a folder; a template there that does not parse is an input error with its line."""
    import jinja2

    from ..errors import InputError
    from ..i18n import t

    if not folder.is_dir():
        raise InputError(t("dossier de modèles introuvable", "templates folder not found"), file=str(folder),
                         field="--templates")
    for path in sorted(folder.rglob("*.j2")):
        if path.is_file():
            try:
                jinja2.Environment().parse(path.read_text("utf-8"))
            except jinja2.TemplateSyntaxError as exc:
                raise InputError(t(f"modèle invalide : {exc.message}", f"invalid template: {exc.message}"),
                                 file=str(path), line=exc.lineno) from None
            except UnicodeDecodeError:
                raise InputError(t("modèle non UTF-8", "template is not UTF-8"), file=str(path)) from None


def templates_dir() -> Path:
    from ..content.locate import content_dir

    return content_dir("reports")


@cache
def environment(kind: str, folder: str | None = None):
    """`kind` "html" (HTML autoescape) or "md" (every value escaped for Markdown by `finalize`)."""
    import jinja2

    from .markdown import md_escape

    # A territory's own folder overrides the shipped templates file by file.
    default = jinja2.FileSystemLoader(str(templates_dir()))
    loader = jinja2.ChoiceLoader([jinja2.FileSystemLoader(folder), default]) if folder else default
    common = {"loader": loader, "undefined": jinja2.StrictUndefined, "trim_blocks": False,
              "lstrip_blocks": False, "keep_trailing_newline": True}
    if kind == "html":
        return jinja2.Environment(autoescape=True, **common)
    return jinja2.Environment(autoescape=False, finalize=md_escape, **common)
