"""Library side of `cyberaudit report`: evaluate, save, render, print a summary, apply thresholds."""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError, ThresholdError
from ..i18n import get_lang, normalise, set_lang, t


def run_report_command(*, workspace: Path, formats: str, lang: str | None, output: Path | None,
                       fail_under: float | None, fail_on: str | None, templates: Path | None = None) -> None:
    from ..assessment.evaluate import evaluate, save_assessment
    from ..disk.workspace import Workspace
    from ..report import build_report, parse_formats, write_reports
    from . import ui
    from .scan_run import check_threshold, parse_fail_on

    if lang is not None:
        if lang.strip().lower() not in ("fr", "en"):
            raise InputError(t("--lang attend fr ou en", "--lang expects fr or en"), field="--lang")
        set_lang(lang)
    lang = normalise(get_lang())
    fmts = parse_formats(formats)
    severity = parse_fail_on(fail_on)
    if "pdf" in fmts:
        from ..report import pdf

        pdf.require()  # the clear "WeasyPrint is not installed" message, before any work
    if templates is not None:
        from ..report.templates import check_folder

        check_folder(Path(templates))
    ws = Workspace(workspace)
    ws.require()
    assessment = evaluate(ws)
    save_assessment(ws, assessment)
    written = write_reports(ws, fmts, lang, output, templates=templates)
    _, result = build_report(assessment, lang)
    from ..report.common import number, percent

    console = ui.out()
    grade = result.grade or "—"
    shown = number(result.score, lang)
    if result.grade is None:
        console.print(t("[bold]Rien n'est encore évalué[/] : lancez `cyberaudit assess` et `cyberaudit scan`.",
                        "[bold]Nothing is assessed yet[/]: run `cyberaudit assess` and `cyberaudit scan`."))
    else:
        console.print(t(f"[bold]Note {grade}[/] — score {shown}/100 — couverture {percent(result.coverage.ratio, lang)}",
                        f"[bold]Grade {grade}[/] — score {shown}/100 — coverage {percent(result.coverage.ratio, lang)}"),
                      soft_wrap=True)
    if result.cap is not None:
        where = f" ({ui.safe(result.cap.target)})" if result.cap.target else ""
        console.print(t("Note plafonnée par : ", "Grade capped by: ") + ui.safe(result.cap.title.pick(lang)) + where,
                      soft_wrap=True)
    for path in written:
        console.print(f"  {ui.safe(path)}", soft_wrap=True)
    if fail_under is not None and (result.score is None or result.score < fail_under):
        raise ThresholdError(t(f"score {shown} inférieur au seuil {number(fail_under, lang)}",
                               f"score {shown} below the threshold {number(fail_under, lang)}"))
    check_threshold(assessment.findings, severity)
