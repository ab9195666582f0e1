"""`cyberaudit aggregate DIR`: the territory barometer (HTML, PDF, Markdown, JSON, CSV or a terminal table)."""

from __future__ import annotations

from pathlib import Path

import typer

from ..i18n import t


def register(app: typer.Typer) -> None:
    @app.command(
        "aggregate",
        help=t("Baromètre d'un territoire : indicateurs (part des membres), notes, thèmes, évolution mensuelle, "
               "membres non comptés",
               "Territory barometer: indicators (share of members), grades, themes, monthly trend, "
               "members not counted"),
    )
    def aggregate_cmd(
        directory: Path = typer.Argument(Path("."), help=t("Dépôt de territoire", "Territory repository")),
        fmt: str = typer.Option("table", "--format", "-f",
                                help=t("table, ou une liste parmi html,pdf,md,json,csv",
                                       "table, or a list among html,pdf,md,json,csv")),
        output: Path = typer.Option(None, "--output", "-o",
                                    help=t("Fichier, ou dossier (plusieurs formats : barometre.<ext>)",
                                           "File, or folder (several formats: barometre.<ext>)")),
        with_evidence: bool = typer.Option(False, "--with-evidence",
                                           help=t("Inclure les éléments techniques des constats (diffusion restreinte)",
                                                  "Include the findings' technical evidence (restricted)")),
        months: int = typer.Option(24, "--months", min=0, max=240,
                                   help=t("Mois d'historique git pour l'évolution (0 : aucun)",
                                          "Months of git history for the trend (0: none)")),
        as_of: str = typer.Option(None, "--as-of",
                                  help=t("Date de référence AAAA-MM-JJ (défaut : la plus récente évaluation)",
                                         "Reference date YYYY-MM-DD (default: the newest assessment)")),
        anonymise: bool = typer.Option(False, "--anonymise",
                                       help=t("Édition à publier : aucun nom ni SIREN, petits groupes fusionnés",
                                              "Edition to publish: no name or SIREN, small groups merged")),
        no_cache: bool = typer.Option(False, "--no-cache",
                                      help=t("Tout recalculer, sans le cache des fichiers inchangés "
                                             "(mêmes chiffres, plus lent)",
                                             "Compute everything again, without the cache of unchanged files "
                                             "(same figures, slower)")),
    ) -> None:
        from .territory_cmds import run_aggregate_command

        run_aggregate_command(directory=directory, fmt=fmt, output=output, with_evidence=with_evidence,
                              months=months, as_of=as_of, anonymise=anonymise, cache=not no_cache)
