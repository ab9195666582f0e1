"""`cyberaudit report`: evaluate the workspace, score it, write the reports."""

from __future__ import annotations

from pathlib import Path

import typer

from ..i18n import t


def register(app: typer.Typer) -> None:
    @app.command(
        "report",
        help=t("Rapport noté avec plan d'action (HTML, PDF, Markdown, JSON)",
               "Scored report with action plan (HTML, PDF, Markdown, JSON)"),
    )
    def report_cmd(
        workspace: Path = typer.Option(Path("."), "--workspace", "-w",
                                       help=t("Espace de travail de l'organisation", "The organisation's workspace")),
        fmt: str = typer.Option("html,md,json", "--format", "-f",
                                help=t("Formats : html,pdf,md,json (séparés par des virgules)",
                                       "Formats: html,pdf,md,json (comma-separated)")),
        lang: str = typer.Option(None, "--lang", help=t("Langue du rapport : fr ou en", "Report language: fr or en")),
        output: Path = typer.Option(None, "--output", "-o",
                                    help=t("Dossier de sortie (défaut : reports/ de l'espace)",
                                           "Output folder (default: the workspace's reports/)")),
        templates: Path = typer.Option(None, "--templates",
                                       help=t("Dossier de modèles du territoire (report.html.j2, report.md.j2, "
                                              "report.css) qui remplacent ceux fournis",
                                              "Territory templates folder (report.html.j2, report.md.j2, report.css) "
                                              "overriding the shipped ones")),
        fail_under: float = typer.Option(None, "--fail-under", min=0, max=100,
                                         help=t("Code 1 si le score est inférieur à cette valeur (0-100)",
                                                "Exit 1 when the score is below this value (0-100)")),
        fail_on: str = typer.Option(None, "--fail-on",
                                    help=t("Code 1 si un échec atteint cette sévérité",
                                           "Exit 1 when a failure reaches this severity")),
    ) -> None:
        from .report_run import run_report_command

        run_report_command(workspace=workspace, formats=fmt, lang=lang, output=output, fail_under=fail_under,
                           fail_on=fail_on, templates=templates)
