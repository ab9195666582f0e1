"""`cyberaudit deadlines`: what is due or overdue (breaches, requests, register reviews, certificates)."""

from __future__ import annotations

from pathlib import Path

import typer

from ..i18n import t
from .register import _ws_option


def register(app: typer.Typer) -> None:
    @app.command("deadlines", help=t("Échéances dues et dépassées : violations (72 h CNIL, NIS 2), demandes (1 mois), "
                                     "registre non revu depuis 12 mois, certificats qui expirent sous 30 jours",
                                     "Due and overdue deadlines: breaches (72 h CNIL, NIS2), requests (1 month), register "
                                     "not reviewed for 12 months, certificates expiring within 30 days"))
    def deadlines_cmd(workspace: Path = _ws_option(),
                      fmt: str = typer.Option("table", "--format", "-f", help="table | json")) -> None:
        from . import records_cmds

        records_cmds.deadlines(workspace, fmt=fmt)
