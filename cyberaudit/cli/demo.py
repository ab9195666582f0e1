"""`cyberaudit demo`: run the whole job offline on an embedded fictional commune."""

from __future__ import annotations

from pathlib import Path

import typer

from ..i18n import t


def register(app: typer.Typer) -> None:
    @app.command("demo", help=t(
        "Démonstration complète hors ligne : une commune fictive, son analyse enregistrée, ses réponses, "
        "son registre, son évaluation et ses rapports",
        "Complete offline demo: a fictional commune, its recorded scan, answers, register, assessment and reports"))
    def demo_cmd(
        output: Path = typer.Option(Path("cyberaudit-demo"), "--output", "-o",
                                    help=t("Dossier où écrire l'espace de démonstration",
                                           "Folder to write the demo workspace to")),
        formats: str = typer.Option(None, "--format", "-f",
                                    help=t("Formats du rapport (défaut : html,md,json et pdf si WeasyPrint)",
                                           "Report formats (default: html,md,json, and pdf with WeasyPrint)")),
    ) -> None:
        from .demo_run import run_demo_command

        run_demo_command(output, formats)
