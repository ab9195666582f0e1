"""`cyberaudit register`: the RGPD record of processing activities (art. 30).

add [--from-template T] [--resume] · discard [DRAFT|--all] [--yes] · edit ID · list · show ID · remove ID [--yes] ·
check [--format table|json|markdown] · export --format csv|xlsx|ods|md|json [--output FILE] ·
import FILE [--partial] · templates. The work is done in cyberaudit.cli.register_cmds.
"""

from __future__ import annotations

from pathlib import Path

import typer

from ..i18n import t

WS_HELP = ("Dossier de l'espace de travail", "Workspace folder")


def _ws_option() -> Path:
    return typer.Option(Path("."), "--workspace", "-w", help=t(*WS_HELP))


def register(app: typer.Typer) -> None:
    sub = typer.Typer(help=t("Registre des activités de traitement (RGPD art. 30)",
                             "Record of processing activities (GDPR art. 30)"), no_args_is_help=True)
    app.add_typer(sub, name="register")

    @sub.command("add", help=t("Ajouter une activité, champ par champ (chaque réponse est gardée en brouillon)",
                               "Add an activity, field by field (every answer is kept as a draft)"))
    def add_cmd(
        workspace: Path = _ws_option(),
        from_template: str = typer.Option(None, "--from-template", "-t",
                                          help=t("Partir d'un modèle (voir `register templates`)",
                                                 "Start from a template (see `register templates`)")),
        resume: bool = typer.Option(False, "--resume", help=t("Reprendre le dernier brouillon",
                                                              "Continue the last draft")),
        by: str = typer.Option(None, "--by", help=t("Qui fait la mise à jour", "Who makes the update")),
    ) -> None:
        from . import register_cmds as commands

        commands.add(workspace, template=from_template, resume=resume, by=by)

    @sub.command("discard", help=t("Abandonner un brouillon (le dernier, celui nommé, ou tous avec --all)",
                                   "Discard a draft (the last one, the one named, or all with --all)"))
    def discard_cmd(draft: str = typer.Argument(None, metavar="BROUILLON"), workspace: Path = _ws_option(),
                    all_: bool = typer.Option(False, "--all", help=t("Tous les brouillons", "Every draft")),
                    yes: bool = typer.Option(False, "--yes", "-y", help=t("Ne pas demander de confirmation",
                                                                          "Do not ask for confirmation"))) -> None:
        from . import register_cmds as commands

        commands.discard(workspace, draft, every=all_, yes=yes)

    @sub.command("edit", help=t("Modifier une activité, champ par champ", "Edit an activity, field by field"))
    def edit_cmd(activity_id: str = typer.Argument(..., metavar="ID"), workspace: Path = _ws_option(),
                 by: str = typer.Option(None, "--by", help=t("Qui fait la mise à jour", "Who makes the update"))) -> None:
        from . import register_cmds as commands

        commands.edit(workspace, activity_id, by=by)

    @sub.command("list", help=t("Lister les activités du registre", "List the activities of the record"))
    def list_cmd(workspace: Path = _ws_option()) -> None:
        from . import register_cmds as commands

        commands.list_activities(workspace)

    @sub.command("show", help=t("Afficher une activité et ses points de contrôle", "Show an activity and its check results"))
    def show_cmd(activity_id: str = typer.Argument(..., metavar="ID"), workspace: Path = _ws_option()) -> None:
        from . import register_cmds as commands

        commands.show(workspace, activity_id)

    @sub.command("remove", help=t("Supprimer une activité (après confirmation)", "Remove an activity (after confirmation)"))
    def remove_cmd(activity_id: str = typer.Argument(..., metavar="ID"), workspace: Path = _ws_option(),
                   yes: bool = typer.Option(False, "--yes", "-y", help=t("Ne pas demander de confirmation",
                                                                         "Do not ask for confirmation"))) -> None:
        from . import register_cmds as commands

        commands.remove(workspace, activity_id, yes=yes)

    @sub.command("check", help=t("Vérifier le registre comme le ferait un DPO", "Check the record as a DPO would"))
    def check_cmd(workspace: Path = _ws_option(),
                  fmt: str = typer.Option("table", "--format", "-f", help="table | json | markdown"),
                  all_: bool = typer.Option(False, "--all", help=t("Montrer aussi les points conformes",
                                                                   "Also show passed checks"))) -> None:
        from . import register_cmds as commands

        commands.check(workspace, fmt=fmt, show_all=all_)

    @sub.command("export", help=t("Exporter le registre (modèle CNIL) : csv, xlsx, ods, md, json",
                                  "Export the record (CNIL model): csv, xlsx, ods, md, json"))
    def export_cmd(workspace: Path = _ws_option(),
                   fmt: str = typer.Option(..., "--format", "-f", help="csv | xlsx | ods | md | json"),
                   output: Path = typer.Option(None, "--output", "-o", help=t("Fichier de sortie", "Output file"))) -> None:
        from . import register_cmds as commands

        commands.export(workspace, fmt=fmt, output=output)

    @sub.command("import", help=t("Importer un registre (csv, xlsx, ods, json) ; rien n'est importé si une ligne "
                                  "est illisible, sauf --partial",
                                  "Import a record (csv, xlsx, ods, json); nothing is imported if a row is "
                                  "unreadable, unless --partial"))
    def import_cmd(file: Path = typer.Argument(..., metavar="FICHIER"), workspace: Path = _ws_option(),
                   partial: bool = typer.Option(False, "--partial", help=t("Importer les lignes lisibles",
                                                                           "Import the readable rows"))) -> None:
        from . import register_cmds as commands

        code = commands.import_file(workspace, file, partial=partial)
        if code:
            raise typer.Exit(code)

    @sub.command("templates", help=t("Lister les modèles d'activités", "List the activity templates"))
    def templates_cmd(workspace: Path = _ws_option()) -> None:
        from . import register_cmds as commands

        commands.templates(workspace)
