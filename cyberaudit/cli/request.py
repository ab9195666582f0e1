"""`cyberaudit request`: data-subject requests (GDPR art. 12, 15-22) and their one-month clock.

add --right R --received DATE --reference REF · extend ID --decided DATE --told DATE · close ID --answered DATE
--outcome O · list [--open] · export --format csv|ods. The work is done in cyberaudit.cli.records_cmds.
"""

from __future__ import annotations

from pathlib import Path

import typer

from ..i18n import t
from .register import _ws_option

RIGHTS_HELP = "access | rectification | erasure | restriction | portability | objection | automated_decision"
OUTCOMES_HELP = "granted | partial | refused | no_data | withdrawn | identity_unconfirmed"


def register(app: typer.Typer) -> None:
    sub = typer.Typer(help=t("Demandes d'exercice des droits (RGPD art. 12 et 15 à 22) et leur délai",
                             "Data subject requests (GDPR art. 12, 15-22) and their deadline"), no_args_is_help=True)
    app.add_typer(sub, name="request")

    @sub.command("add", help=t("Enregistrer une demande reçue (sans nom ni pièce d'identité : une référence de "
                               "classement)", "Record a request received (no name nor identity document: a filing "
                               "reference)"))
    def add_cmd(workspace: Path = _ws_option(),
                right: str = typer.Option(..., "--right", help=RIGHTS_HELP),
                received: str = typer.Option(..., "--received", help=t("Reçue le (AAAA-MM-JJ)", "Received on (YYYY-MM-DD)")),
                reference: str = typer.Option(..., "--reference", help=t("Où la demande est classée (n° de courrier, GED)",
                                                                         "Where the request is filed (mail number, DMS)")),
                channel: str = typer.Option(None, "--channel", help="letter | email | form | counter | other"),
                identity: bool = typer.Option(None, "--identity-checked/--identity-not-checked",
                                              help=t("Identité vérifiée ou non", "Identity checked or not")),
                activity: list[str] = typer.Option([], "--activity", help=t("Activité du registre (T-001), répétable",
                                                                             "Register activity (T-001), repeatable")),
                handler: str = typer.Option(None, "--handler", help=t("Suivie par", "Handled by"))) -> None:
        from . import records_cmds

        records_cmds.request_add(workspace, right=right, received=received, reference=reference, channel=channel,
                                 identity_checked=identity, activities=activity, handler=handler)

    @sub.command("extend", help=t("Prolonger de deux mois (la personne doit être prévenue dans le premier mois)",
                                  "Extend by two months (the person must be told within the first month)"))
    def extend_cmd(request_id: str = typer.Argument(..., metavar="ID"), workspace: Path = _ws_option(),
                   decided: str = typer.Option(..., "--decided", help=t("Décidée le (AAAA-MM-JJ)", "Decided on (YYYY-MM-DD)")),
                   told: str = typer.Option(..., "--told", help=t("Personne prévenue le (AAAA-MM-JJ)",
                                                                  "Person told on (YYYY-MM-DD)")),
                   reason: str = typer.Option(None, "--reason", help=t("Motifs donnés", "Reasons given"))) -> None:
        from . import records_cmds

        records_cmds.request_extend(workspace, request_id, decided=decided, told=told, reason=reason)

    @sub.command("close", help=t("Clore une demande répondue", "Close an answered request"))
    def close_cmd(request_id: str = typer.Argument(..., metavar="ID"), workspace: Path = _ws_option(),
                  answered: str = typer.Option(..., "--answered", help=t("Répondue le (AAAA-MM-JJ)", "Answered on (YYYY-MM-DD)")),
                  outcome: str = typer.Option(..., "--outcome", help=OUTCOMES_HELP),
                  refusal_reason: str = typer.Option(None, "--refusal-reason", help=t("Motifs d'un refus (art. 12(4))",
                                                                                      "Reasons for a refusal (art. 12(4))"))) -> None:
        from . import records_cmds

        records_cmds.request_close(workspace, request_id, answered=answered, outcome=outcome, refusal_reason=refusal_reason)

    @sub.command("list", help=t("Lister les demandes et leur échéance", "List requests and their due date"))
    def list_cmd(workspace: Path = _ws_option(),
                 open_only: bool = typer.Option(False, "--open", help=t("Seulement les demandes en cours", "Open requests only"))) -> None:
        from . import records_cmds

        records_cmds.request_list(workspace, open_only=open_only)

    @sub.command("export", help=t("Exporter les demandes : csv ou ods", "Export the requests: csv or ods"))
    def export_cmd(workspace: Path = _ws_option(), fmt: str = typer.Option(..., "--format", "-f", help="csv | ods"),
                   output: Path = typer.Option(None, "--output", "-o", help=t("Fichier de sortie", "Output file"))) -> None:
        from . import records_cmds

        records_cmds.export(workspace, "request", fmt=fmt, output=output)
