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
        export_schemas(kind, output)


def export_schemas(kind: str | None, output: Path | None) -> None:
    from ..disk.fileio import dumps_json, write_json
    from ..disk.schemas import MODELS, all_schemas, version_of
    from ..errors import InputError
    from . import ui

    if kind is not None and kind not in MODELS:
        raise InputError(t(f"schéma inconnu {kind!r} ; possibles : {', '.join(MODELS)}",
                           f"unknown schema {kind!r}; known: {', '.join(MODELS)}"))
    schemas = all_schemas()
    if kind is not None:
        schemas = {kind: schemas[kind]}
    if output:
        for k, s in schemas.items():
            write_json(Path(output) / f"{k}.{version_of(k)}.schema.json", s)
        ui.err().print(t(f"{len(schemas)} schéma(s) écrit(s) dans {ui.safe(output)}",
                         f"{len(schemas)} schema(s) written to {ui.safe(output)}"))
    else:
        ui.out().file.write(dumps_json(schemas[kind] if kind else schemas))
