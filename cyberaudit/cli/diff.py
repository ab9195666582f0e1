"""`cyberaudit diff [OLD] [NEW]`: compare two assessments (files, folders or git revisions)."""

from __future__ import annotations

from pathlib import Path

import typer

from ..i18n import t


def register(app: typer.Typer) -> None:
    @app.command(
        "diff",
        help=t("Comparer deux évaluations : constats corrigés, nouveaux, aggravés ; score et note. "
               "OLD et NEW : fichier assessment.json, dossier d'espace de travail ou révision git (HEAD~1). "
               "Par défaut : HEAD contre la copie de travail.",
               "Compare two assessments: findings fixed, new, worse; score and grade. "
               "OLD and NEW: an assessment.json file, a workspace folder or a git revision (HEAD~1). "
               "Default: HEAD against the working tree."),
    )
    def diff_cmd(
        old: str = typer.Argument(None, help=t("Avant (défaut : HEAD)", "Before (default: HEAD)")),
        new: str = typer.Argument(None, help=t("Après (défaut : copie de travail)", "After (default: working tree)")),
        workspace: Path = typer.Option(None, "--workspace", "-w",
                                       help=t("Espace de travail (défaut : dossier courant)",
                                              "Workspace (default: current folder)")),
        fmt: str = typer.Option(None, "--format", "-f", help="table | markdown | json"),
        output: Path = typer.Option(None, "--output", "-o", help=t("Fichier de sortie", "Output file")),
        fail_on: str = typer.Option(None, "--fail-on",
                                    help=t("Code 1 si un problème nouveau ou aggravé atteint cette sévérité",
                                           "Exit 1 when a new or worse problem reaches this severity")),
    ) -> None:
        from .territory_cmds import run_diff_command

        run_diff_command(old=old, new=new, workspace=workspace, fmt=fmt, output=output, fail_on=fail_on)
