"""CLI side of `cyberaudit demo`: run the demo and print a summary a newcomer can read."""

from __future__ import annotations

from pathlib import Path

from ..i18n import get_lang, t


def default_formats() -> list[str]:
    formats = ["html", "md", "json"]
    try:
        import weasyprint  # noqa: F401
    except Exception:  # missing, or its system libraries are missing
        return formats
    return [*formats, "pdf"]


def run_demo_command(output: Path, formats: str | None) -> None:
    from rich.panel import Panel
    from rich.table import Table

    from ..demo import run_demo
    from ..report import parse_formats
    from . import ui

    lang = get_lang()
    fmts = parse_formats(formats) if formats else default_formats()
    console = ui.out()
    console.print(t("[bold]cyberaudit — démonstration hors ligne[/]", "[bold]cyberaudit — offline demo[/]"))
    result = run_demo(output, formats=fmts, lang=lang)
    a, s, report = result.assessment, result.score, result.report
    org = a.organisation
    from ..report.explain import explanation, grade_text

    score_text = f"{s.score:.0f}/100" if s.score is not None else t("non évalué", "not assessed")
    lines = [
        f"[bold]{ui.safe(org.name)}[/] — {ui.safe(org.kind)}, {org.population or '?'} "
        + t("habitants", "inhabitants"),
        t(f"Note : [bold]{ui.safe(grade_text(s, lang))}[/]   Score : {score_text}",
          f"Grade: [bold]{ui.safe(grade_text(s, lang))}[/]   Score: {score_text}"),
        ui.safe(explanation(s, lang, f"--workspace {result.workspace}")),
    ]
    console.print(Panel("\n".join(lines), title=t("Résultat", "Result"), expand=False))

    themes = Table(title=t("Score par thème", "Score per theme"), title_justify="left")
    themes.add_column(t("Thème", "Theme"))
    themes.add_column("Score", justify="right")
    for th in s.themes:
        themes.add_row(ui.safe(th.title.pick(lang)),
                       f"{th.score:.0f}" if th.score is not None else t("non évalué", "not assessed"))
    console.print(themes)

    top = Table(title=t("Les cinq choses à faire en premier", "The five things to do first"), title_justify="left")
    top.add_column("#", justify="right")
    top.add_column(t("Action", "Action"))
    top.add_column(t("Qui", "Who"))
    top.add_column(t("Effort", "Effort"))
    for action in report.top5:
        top.add_row(str(action.rank), ui.safe(action.title), ui.safe(action.owner_label), ui.safe(action.effort_label))
    console.print(top)

    console.print(t("Espace de travail : ", "Workspace: ") + ui.safe(result.workspace))
    for path in result.reports:
        console.print(t("  rapport : ", "  report: ") + ui.safe(path))
    if "pdf" not in default_formats():
        console.print(t("[dim]PDF non produit : installez l'extra « pdf » (pip install -e '.\\[pdf]').[/]",
                        "[dim]No PDF: install the 'pdf' extra (pip install -e '.\\[pdf]').[/]"))
