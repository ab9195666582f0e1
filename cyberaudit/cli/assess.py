"""`cyberaudit assess`: the DPO's guided, resumable assessment (organisation, scans, interview, register, report)."""

from __future__ import annotations

from pathlib import Path

import typer

from ..i18n import t


def register(app: typer.Typer) -> None:
    @app.command(
        "assess",
        help=t("Entretien guidé (ANSSI, CNIL, RGPD) qui reprend là où il s'est arrêté ; chaque réponse est "
               "enregistrée aussitôt.",
               "Guided, resumable interview (ANSSI, CNIL, GDPR); every answer is saved at once."),
    )
    def assess(
        workspace: Path = typer.Option(Path("."), "--workspace", "-w",
                                       help=t("Dossier de l'espace de travail", "Workspace folder")),
        review: bool = typer.Option(False, "--review",
                                    help=t("Revoir les questions déjà répondues", "Walk the answered questions again")),
        theme: str = typer.Option(None, "--theme",
                                  help=t("Un seul thème (governance, rgpd, identity, …)",
                                         "One theme only (governance, rgpd, identity, …)")),
        answers: Path = typer.Option(None, "--answers",
                                     help=t("Importer les réponses d'un fichier (même format que answers.yaml), "
                                            "sans question", "Import answers from a file (answers.yaml format), "
                                            "non-interactive")),
        no_scan: bool = typer.Option(False, "--no-scan", help=t("Ne pas proposer l'analyse technique",
                                                                 "Do not offer the technical scan")),
        by: str = typer.Option(None, "--by", help=t("Nom de la personne qui répond (par défaut : l'évaluateur ou "
                                                     "le DPO de organisation.yaml)",
                                                     "Name of the person answering (default: assessor or DPO)")),
    ) -> None:
        from .assess_steps import run
        from .ui import out

        code = run(workspace=workspace, review=review, theme=theme, answers_file=answers, no_scan=no_scan,
                   by=by, console=out())
        if code:
            raise typer.Exit(code)
