"""Reports: one view-model (`build.Report`), one module per format.

    render(assessment, "html", "fr", previous=None) -> bytes
    write_reports(ws, ["html", "md", "json", "pdf"], "fr", output_dir=None) -> [paths]

Formats: html (self-contained), md, json (schema cyberaudit/report/v2), pdf (WeasyPrint, optional).
Two documents: the complete report (rapport-DATE.*) and the elected officials' one (rapport-DATE-elus.*,
at most six A4 pages; html, md and pdf). The JSON output, with the raw data, is one file.
The same assessment gives the same bytes in every format.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, NamedTuple

FORMATS = ("html", "pdf", "md", "json")
EXTENSIONS = {"html": "html", "pdf": "pdf", "md": "md", "json": "json"}


def parse_formats(value: str | list[str] | None) -> list[str]:
    from ..errors import InputError
    from ..i18n import t

    if not value:
        return ["html", "md", "json"]
    items = value.split(",") if isinstance(value, str) else list(value)
    out = []
    for item in items:
        item = item.strip().lower()
        if item == "markdown":
            item = "md"
        if not item:
            continue
        if item not in FORMATS:
            raise InputError(t(f"format inconnu {item!r} ; possibles : html, pdf, md, json",
                               f"unknown format {item!r}; known: html, pdf, md, json"), field="--format")
        if item not in out:
            out.append(item)
    return out


def _profile_and_content(kind: str):
    from ..content.loader import load_content

    content = load_content()
    return content.profile(kind), content


def build_report(assessment, lang: str, *, previous=None, profile: Any = None, content: Any = None):
    """(Report, Score) for an assessment; profile/content default to the shipped checklists."""
    from ..assessment.scoring import score
    from .build import build

    if profile is None:
        profile, content = _profile_and_content(assessment.organisation.kind)
    result = score(assessment, profile)
    return build(assessment, result, profile, lang=lang, content=content, previous=previous), result


DOCUMENTS = ("complete", "elected")  # the complete report, and the elected officials' one (not in JSON)


def render(assessment, fmt: str, lang: str = "fr", *, previous=None, profile: Any = None,
           content: Any = None, document: str = "complete") -> bytes:
    """One report format as bytes; `document` "elected" is the elected officials' report (html, md, pdf)."""
    (fmt,) = parse_formats(fmt)
    report, result = build_report(assessment, lang, previous=previous, profile=profile, content=content)
    document = "complete" if fmt == "json" else document  # JSON is one file, whatever the document
    return render_all(report, assessment, result, [fmt], documents=(document,))[document, fmt]


def render_all(report, assessment, result, fmts: list[str], folder: str | None = None,
               documents: tuple[str, ...] = DOCUMENTS) -> dict[tuple[str, str], bytes]:
    """Every (document, format) asked, as bytes: the one table of report formats.

    The HTML page of a document is rendered once and shared by the html and pdf outputs; JSON is one
    file (the complete document, with the raw data).
    """
    from . import html, json_out, markdown, pdf

    pages: dict[str, bytes] = {}

    def page(document: str) -> bytes:
        if document not in pages:
            pages[document] = html.render(report, folder, document)
        return pages[document]

    renderers = {
        "html": page,
        "pdf": lambda document: pdf.render(page(document)),
        "md": lambda document: markdown.render(report, folder, document),
        "json": lambda document: json_out.render(report, assessment, result) if document == "complete" else None,
    }
    outputs: dict[tuple[str, str], bytes] = {}
    for fmt in fmts:
        for document in documents:
            data = renderers[fmt](document)
            if data is not None:
                outputs[document, fmt] = data
    return outputs


def report_basename(assessment, lang: str, document: str = "complete") -> str:
    """rapport-2026-11-20 (complete) and rapport-2026-11-20-elus (elected officials)."""
    day = assessment.generated_at.date().isoformat() if assessment.generated_at else "undated"
    if document == "elected":
        return f"rapport-{day}-elus" if lang == "fr" else f"report-{day}-elected-en"
    return f"rapport-{day}" if lang == "fr" else f"report-{day}-en"


class Produced(NamedTuple):
    paths: list[Path]
    report: Any  # build.Report
    result: Any  # scoring.Score


def write_reports(ws, formats, lang: str = "fr", output_dir=None, *, profile: Any = None,
                  content: Any = None, templates: Path | None = None) -> list[Path]:
    """Write the reports of the workspace's assessment (evaluated first if there is none); their paths."""
    return produce_reports(ws, formats, lang, output_dir, profile=profile, content=content, templates=templates).paths


def produce_reports(ws, formats, lang: str = "fr", output_dir=None, *, assessment=None, profile: Any = None,
                    content: Any = None, templates: Path | None = None) -> Produced:
    """Write the reports of an assessment (default: the workspace's saved one, evaluated first if there is none).

    Returns the paths with the report and score they were made from, so a caller printing a summary
    shows the very numbers of the files (the report is built once).
    `templates`: a folder whose report.html.j2 / report.md.j2 / report.css override the shipped ones.
    Every format is rendered before anything is written, so a failure (e.g. PDF without
    WeasyPrint) leaves no partial set of files behind.
    """
    import os

    from ..assessment.evaluate import evaluate, load_assessment, previous_assessment, record_assessment
    from ..disk.fileio import atomic_write_all
    from ..disk.workspace import ASSESSMENT, REPORTS_DIR, Workspace
    from ..errors import InputError
    from ..i18n import t

    ws = ws if isinstance(ws, Workspace) else Workspace(ws)
    fmts = parse_formats(formats)
    if assessment is None:
        path = ws.path(ASSESSMENT)
        assessment = load_assessment(path) if path.exists() else record_assessment(ws, evaluate(ws))
    previous = previous_assessment(ws, assessment)
    report, result = build_report(assessment, lang, previous=previous, profile=profile, content=content)
    outputs = render_all(report, assessment, result, fmts, str(templates) if templates else None)
    folder = Path(output_dir) if output_dir else ws.path(REPORTS_DIR)
    files = {folder / f"{report_basename(assessment, lang, document)}.{EXTENSIONS[fmt]}": data
             for (document, fmt), data in outputs.items()}
    with ws.lock():
        try:
            folder.mkdir(parents=True, exist_ok=True)
            if not os.access(folder, os.W_OK):
                raise PermissionError(13, "Permission denied")
        except OSError as exc:
            raise InputError(t(f"écriture impossible ({exc.strerror or exc})", f"cannot write ({exc.strerror or exc})"),
                             file=str(folder), field="--output" if output_dir else None) from None
        atomic_write_all(files)  # every format or none (a full disk is a WriteError, exit 4)
    return Produced(list(files), report, result)
