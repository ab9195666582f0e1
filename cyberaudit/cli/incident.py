"""`cyberaudit incident`: the personal-data breach log (GDPR art. 33(5)).

add [--resume] · edit ID · list · show ID · notice ID · close ID [--on DATE] · export --format csv|ods.
The work is done in cyberaudit.cli.incident_cmds (export: records_cmds).
"""

from __future__ import annotations

from pathlib import Path

import typer

from ..i18n import t
from .register import _ws_option


def register(app: typer.Typer) -> None:
    sub = typer.Typer(help=t("Registre des violations de données (RGPD art. 33) et délais de notification",
                             "Personal-data breach log (GDPR art. 33) and notification deadlines"), no_args_is_help=True)
    app.add_typer(sub, name="incident")

    @sub.command("add", help=t("Consigner une violation, champ par champ (chaque réponse est gardée en brouillon)",
                               "Record a breach, field by field (every answer is kept as a draft)"))
    def add_cmd(workspace: Path = _ws_option(),
                resume: bool = typer.Option(False, "--resume", help=t("Reprendre le dernier brouillon",
                                                                      "Continue the last draft"))) -> None:
        from . import incident_cmds

        incident_cmds.incident_add(workspace, resume=resume)

    @sub.command("edit", help=t("Compléter ou corriger une violation", "Complete or correct a breach"))
    def edit_cmd(breach_id: str = typer.Argument(..., metavar="ID"), workspace: Path = _ws_option()) -> None:
        from . import incident_cmds

        incident_cmds.incident_edit(workspace, breach_id)

    @sub.command("list", help=t("Lister les violations et le délai de 72 h", "List breaches and the 72-hour clock"))
    def list_cmd(workspace: Path = _ws_option()) -> None:
        from . import incident_cmds

        incident_cmds.incident_list(workspace)

    @sub.command("show", help=t("Afficher les délais et la pré-analyse du risque d'une violation",
                                "Show a breach's deadlines and risk screening"))
    def show_cmd(breach_id: str = typer.Argument(..., metavar="ID"), workspace: Path = _ws_option()) -> None:
        from . import incident_cmds

        incident_cmds.incident_show(workspace, breach_id)

    @sub.command("notice", help=t("Texte pré-rempli de la notification à la CNIL, prêt à coller",
                                  "Pre-filled text of the CNIL notification, ready to paste"))
    def notice_cmd(breach_id: str = typer.Argument(..., metavar="ID"), workspace: Path = _ws_option()) -> None:
        from . import incident_cmds

        incident_cmds.incident_notice(workspace, breach_id)

    @sub.command("close", help=t("Clore une violation (décisions CNIL et personnes consignées)",
                                 "Close a breach (CNIL and people decisions recorded)"))
    def close_cmd(breach_id: str = typer.Argument(..., metavar="ID"), workspace: Path = _ws_option(),
                  on: str = typer.Option(None, "--on", help=t("Date de clôture (AAAA-MM-JJ), aujourd'hui par défaut",
                                                              "Closing date (YYYY-MM-DD), today by default"))) -> None:
        from . import incident_cmds

        incident_cmds.incident_close(workspace, breach_id, on=on)

    @sub.command("export", help=t("Exporter le registre des violations : csv ou ods", "Export the breach log: csv or ods"))
    def export_cmd(workspace: Path = _ws_option(), fmt: str = typer.Option(..., "--format", "-f", help="csv | ods"),
                   output: Path = typer.Option(None, "--output", "-o", help=t("Fichier de sortie", "Output file"))) -> None:
        from . import records_cmds

        records_cmds.export(workspace, "breach", fmt=fmt, output=output)
