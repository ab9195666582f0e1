"""Renderers of a scan for people: the terminal table and Markdown, both a summary then the details.
Layout only: what to show, in which order and where each finding lies come from `scanview`."""

from __future__ import annotations

from collections.abc import Iterator

from ..i18n import t
from ..model import Status
from ..sanitize import strip_control
from ..scanview.tabular import text_of
from ..scanview.triage import TargetView, View
from ..words import HOST_ROLE, SCAN_STATUS, SEVERITY, word

STATUS_STYLE = {"pass": "green", "fail": "bold red", "warn": "yellow", "info": "cyan", "error": "magenta"}


def status_label(status: Status) -> str:
    return word(SCAN_STATUS, status.value)


def severity_label(f) -> str:
    return word(SEVERITY, f.severity.value)


def _number(n: int) -> str:
    return f"{n:,}".replace(",", "\u202f") if t("fr", "en") == "fr" else f"{n:,}"


def _seconds(s: float) -> str:
    text = f"{s:.1f}"
    return (text.replace(".", ",") if t("fr", "en") == "fr" else text) + " s"


def totals_parts(view: View) -> list[str]:
    n = view.totals
    parts = [t(f"{_number(len(view.targets))} cible(s)", f"{_number(len(view.targets))} target(s)"),
             t(f"{_number(n.get('fail', 0))} échec(s)", f"{_number(n.get('fail', 0))} failure(s)"),
             t(f"{_number(n.get('warn', 0))} à améliorer", f"{_number(n.get('warn', 0))} to improve"),
             t(f"{_number(n.get('error', 0))} non testé(s)", f"{_number(n.get('error', 0))} not tested"),
             t(f"{_number(n.get('pass', 0))} conforme(s)", f"{_number(n.get('pass', 0))} passed")]
    if view.elapsed is not None:
        parts.append(t(f"analyse en {_seconds(view.elapsed)}", f"scanned in {_seconds(view.elapsed)}"))
    parts[0] = t("Total : ", "Total: ") + parts[0]
    return parts


def totals_line(view: View) -> str:
    return " · ".join(totals_parts(view))


def _lines_of(parts: list[str], width: int) -> list[str]:
    """The parts joined by " · ", broken between parts only (a number never leaves its word)."""
    lines: list[str] = []
    for part in parts:
        if lines and len(lines[-1]) + 3 + len(part) <= width:
            lines[-1] += " · " + part
        else:
            lines.append(part)
    return lines


def _summary_cells(tv: TargetView, top: int = 3) -> list[str]:
    c = tv.counts
    return [tv.target, str(c.get("fail", 0)), str(c.get("warn", 0)), str(c.get("error", 0)),
            word(SEVERITY, tv.worst.value) if tv.worst else "—", "; ".join(f.title.pick() for f in tv.top[:top])]


def _summary_headers() -> list[str]:
    return [t("Cible", "Target"), t("Échecs", "Failed"), t("À améliorer", "To improve"),
            t("Non testés", "Not tested"), t("Pire sévérité", "Worst severity"),
            t("Principaux échecs", "Main failures")]


def _details_title(view: View) -> str:
    return t("Détails : tous les contrôles", "Details: every check") if view.show_all else \
        t("Détails : échecs, points à améliorer et contrôles non testés",
          "Details: failures, points to improve and untested checks")


def render_table(view: View, console) -> None:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    narrow = console.width < 100
    summary = Table(title=t("Synthèse, cibles les plus exposées d'abord", "Summary, most exposed targets first"),
                    title_justify="left", box=box.SIMPLE_HEAD, expand=False, pad_edge=False,
                    collapse_padding=True)
    longest = max((len(tv.target) for tv in view.targets), default=5)
    for i, head in enumerate(_summary_headers()):
        if 0 < i < 5:  # short numeric or one-word columns: their header on two lines
            head = head.replace(" ", "\n", 1)
        summary.add_column(head, justify="right" if 0 < i < 4 else "left", overflow="fold",
                           min_width=min(longest, 32) if i == 0 else None, ratio=1 if i == 5 else None)
    for tv in view.targets:
        cells = _summary_cells(tv, 2 if narrow else 3)
        styles = ["bold", "red" if cells[1] != "0" else "", "yellow" if cells[2] != "0" else "",
                  "magenta" if cells[3] != "0" else "", "", ""]
        summary.add_row(*(Text(strip_control(c), style=s) for c, s in zip(cells, styles, strict=True)))
    console.print(summary)
    for line in _lines_of(totals_parts(view), console.width):
        console.print(Text(line, style="bold"), no_wrap=True, overflow="fold")
    details = list(view.details())
    if not details:
        console.print(Text(t("Aucun échec, point à améliorer ni contrôle non testé.",
                             "No failure, point to improve or untested check.")))
        return
    console.print()
    console.print(Text(_details_title(view), style="bold underline"))
    wide = console.width >= 110
    for tv, rows in details:
        table = Table(title=Text(strip_control(tv.target), style="bold"), title_justify="left", box=box.SIMPLE_HEAD,
                      expand=True, pad_edge=False)
        widest = max(len(_host(r)) for r in rows)
        table.add_column(t("Hôte", "Host"), overflow="fold", min_width=min(widest, 28 if wide else 22),
                         max_width=max(min(widest, 28 if wide else 22), 12))
        if wide:
            table.add_column(t("Adresse", "Address"), overflow="fold")
        table.add_column(t("Résultat", "Result"), no_wrap=True)
        if wide:
            table.add_column(t("Sévérité", "Severity"), no_wrap=True)
        table.add_column(t("Constat", "Finding"), ratio=1)
        for i, row in enumerate(rows):
            f, loc = row.finding, row.location
            host, verdict = Text(strip_control(_host(row))), Text(status_label(f.status),
                                                                  style=STATUS_STYLE[f.status.value])
            finding = Text(f.id, style="dim")
            finding.append(" · " + strip_control(text_of(f)))
            if wide:
                cells = [host, Text(loc.endpoint, style="dim"), verdict, Text(severity_label(f)), finding]
            else:
                if loc.endpoint:
                    host.append("\n" + loc.endpoint, style="dim")
                verdict.append("\n" + severity_label(f))
                cells = [host, verdict, finding]
            last_of_host = i + 1 == len(rows) or rows[i + 1].location.host != loc.host
            table.add_row(*cells, end_section=last_of_host or not wide)
        console.print(table)


def _host(row) -> str:
    """The host, with its role when the name does not say it (MX, name server, other web name)."""
    loc = row.location
    return loc.host if loc.role in ("domain", "www", "host") else f"{loc.host} ({word(HOST_ROLE, loc.role)})"


def _md_cell(text: str) -> str:
    text = strip_control(text)
    for ch in "\\|`*_[]<>#":
        text = text.replace(ch, "\\" + ch)
    return text


def markdown_chunks(view: View) -> Iterator[str]:
    """The Markdown text, one target at a time: the summary table, the totals, then the details."""
    heads = _summary_headers()
    yield "\n".join([f"# {t('Résultats de l’analyse', 'Scan results')}", "",
                     f"## {t('Synthèse', 'Summary')}", "", "| " + " | ".join(heads) + " |",
                     "|---|" + "---:|" * 3 + "---|---|", ""])
    for tv in view.targets:
        yield "| " + " | ".join(_md_cell(c) for c in _summary_cells(tv)) + " |\n"
    yield f"\n{_md_cell(totals_line(view))}\n\n## {_md_cell(_details_title(view))}\n"
    for tv, rows in view.details():
        lines = [f"\n### {_md_cell(tv.target)}", "",
                 f"| {t('Contrôle', 'Check')} | {t('Résultat', 'Result')} | {t('Sévérité', 'Severity')} "
                 f"| {t('Hôte', 'Host')} | {t('Adresse', 'Address')} | {t('Constat', 'Finding')} |",
                 "|---|---|---|---|---|---|"]
        for row in rows:
            f, loc = row.finding, row.location
            host = f"{loc.host} ({word(HOST_ROLE, loc.role)})"
            lines.append(f"| `{f.id}` | {status_label(f.status)} | {severity_label(f)} | {_md_cell(host)} "
                         f"| {_md_cell(loc.endpoint)} | {_md_cell(text_of(f))} |")
        yield "\n".join(lines) + "\n"


def render_markdown(view: View) -> str:
    return "".join(markdown_chunks(view))
