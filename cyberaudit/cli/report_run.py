"""Library side of `cyberaudit report`: evaluate, save, render, print a summary, apply thresholds."""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError, ThresholdError
from ..i18n import get_lang, normalise, set_lang, t


def run_report_command(*, workspace: Path, formats: str, lang: str | None, output: Path | None,
                       fail_under: float | None, fail_on: str | None, templates: Path | None = None) -> None:
    from ..assessment.evaluate import evaluate, record_assessment
    from ..disk.workspace import Workspace
    from ..report import parse_formats, produce_reports
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
    assessment = record_assessment(ws, evaluate(ws))
    written, report, result = produce_reports(ws, fmts, lang, output, assessment=assessment, templates=templates)
    from ..report.common import number
    from .grade_summary import print_grade

    shown = number(result.score, lang)
    print_grade(ui.out(), report, result, lang, ws.root, written=written)
    if fail_under is not None and (result.score is None or result.score < fail_under):
        raise ThresholdError(t(f"score {shown} inférieur au seuil {number(fail_under, lang)}",
                               f"score {shown} below the threshold {number(fail_under, lang)}"))
    check_threshold(assessment.findings, severity)
