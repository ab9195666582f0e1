"""Renderers for scan results (table, Markdown). No logic, only presentation."""

from __future__ import annotations

from ..i18n import get_lang, t
from ..model import ScanResult, Status
from ..sanitize import strip_control
from ..words import SCAN_STATUS, SEVERITY, word

STATUS_STYLE = {"pass": "green", "fail": "bold red", "warn": "yellow", "info": "cyan", "error": "magenta"}


def status_label(status: Status) -> str:
    return word(SCAN_STATUS, status.value)


def severity_label(f) -> str:
    return word(SEVERITY, f.severity.value)


def _detail(f) -> str:
    if f.detail:
        return f.detail.pick()
    return ""


def render_table(result: ScanResult, console) -> None:
    from rich.markup import escape
    from rich.table import Table

    lang = get_lang()
    for tr in result.results:
        table = Table(title=escape(tr.target), title_justify="left", show_lines=False, expand=False)
        table.add_column(t("Contrôle", "Check"), no_wrap=True)
        table.add_column(t("Résultat", "Result"), no_wrap=True)
        table.add_column(t("Sévérité", "Severity"), no_wrap=True)
        table.add_column(t("Constat", "Finding"))
        for f in tr.findings:
            label = status_label(f.status)
            table.add_row(
                f.id, f"[{STATUS_STYLE[f.status.value]}]{label}[/]", severity_label(f),
                escape(strip_control(f.title.pick(lang) + (" — " + _detail(f) if f.detail else ""))),
            )
        console.print(table)


def _md_cell(text: str) -> str:
    text = strip_control(text)
    for ch in "\\|`*_[]<>#":
        text = text.replace(ch, "\\" + ch)
    return text


def render_markdown(result: ScanResult) -> str:
    lines = [f"# {t('Résultats de l’analyse', 'Scan results')}", ""]
    for tr in result.results:
        lines += [f"## {_md_cell(tr.target)}", "",
                  f"| {t('Contrôle', 'Check')} | {t('Résultat', 'Result')} | {t('Sévérité', 'Severity')} "
                  f"| {t('Constat', 'Finding')} |", "|---|---|---|---|"]
        for f in tr.findings:
            text = f.title.pick() + (" — " + _detail(f) if f.detail else "")
            lines.append(f"| `{f.id}` | {status_label(f.status)} | {severity_label(f)} | {_md_cell(text)} |")
        lines.append("")
    return "\n".join(lines)
