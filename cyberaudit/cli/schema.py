"""`cyberaudit schema [KIND]`: export the versioned JSON Schemas of cyberaudit's files."""

from __future__ import annotations

from pathlib import Path

import typer

from ..i18n import t


def register(app: typer.Typer) -> None:
    @app.command("schema", help=t("Exporter les schémas JSON des fichiers (organisation, scan, assessment…)",
                                  "Export the JSON Schemas of the files (organisation, scan, assessment…)"))
    def schema_cmd(
        kind: str = typer.Argument(None, help=t("Un seul schéma (sinon tous)", "One schema (default: all)")),
        output: Path = typer.Option(None, "--output", "-o",
                                    help=t("Dossier où écrire un fichier par schéma",
                                           "Folder to write one file per schema")),
    ) -> None:
        from ..disk.schemas import export_schemas

        export_schemas(kind, output)
