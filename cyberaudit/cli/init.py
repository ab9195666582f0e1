"""`cyberaudit init DIR`: create one organisation's workspace (or, with --territory, a territory repo)."""

from __future__ import annotations

from pathlib import Path

import typer

from ..i18n import t


def register(app: typer.Typer) -> None:
    @app.command(
        "init",
        help=t("Créer l'espace de travail d'une organisation (ou d'un territoire avec --territory)",
               "Create an organisation's workspace (or a territory repository with --territory)"),
    )
    def init_cmd(
        directory: Path = typer.Argument(..., help=t("Dossier à créer", "Folder to create")),
        name: str = typer.Option(None, "--name", help=t("Nom de l'organisation", "Organisation name")),
        siren: str = typer.Option(None, "--siren", help="SIREN (9 chiffres)"),
        kind: str = typer.Option(None, "--kind", help=t("Profil (petite-commune, commune, epci, petr…)",
                                                        "Profile (petite-commune, commune, epci, petr…)")),
        population: int = typer.Option(None, "--population", min=0, help=t("Population", "Population")),
        domain: list[str] = typer.Option(None, "--domain", help=t("Domaine (répétable)", "Domain (repeatable)")),
        dpo_name: str = typer.Option(None, "--dpo-name", help=t("Nom du DPO", "DPO name")),
        dpo_email: str = typer.Option(None, "--dpo-email", help=t("Courriel du DPO", "DPO e-mail")),
        dpo_type: str = typer.Option(None, "--dpo-type", help="internal | external | shared"),
        it_provider: str = typer.Option(None, "--it-provider", help=t("Prestataire informatique", "IT provider")),
        territory: bool = typer.Option(False, "--territory",
                                       help=t("Créer un dépôt de territoire", "Create a territory repository")),
        force: bool = typer.Option(False, "--force", help=t("Écraser organisation.yaml", "Overwrite organisation.yaml")),
    ) -> None:
        from .init_run import init_organisation, init_territory

        if territory:
            init_territory(directory, name)
            return
        init_organisation(
            directory, name=name, siren=siren, kind=kind, population=population, domains=domain or [],
            dpo_name=dpo_name, dpo_email=dpo_email, dpo_type=dpo_type, it_provider=it_provider, force=force,
        )
