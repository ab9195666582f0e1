"""Typer application: a thin layer that parses arguments, calls the library, prints.

Each command lives in its own module `cyberaudit/cli/<name>.py` exposing
`register(app: typer.Typer) -> None`. Command modules import only typer, rich
and light modules at top level; heavy work is imported inside command bodies so
that `cyberaudit --help` stays fast.
"""

from __future__ import annotations

import importlib

import typer

from .. import __version__
from ..i18n import t

# (module, command name, French help, English help)
COMMANDS: list[tuple[str, str, str, str]] = [
    ("init", "init", "Créer l'espace de travail d'une organisation (ou d'un territoire)",
     "Create an organisation's (or a territory's) workspace"),
    ("scan", "scan", "Analyser les domaines et hôtes : DNS, messagerie, TLS, web, ports, MFA",
     "Scan domains and hosts: DNS, mail, TLS, web, ports, MFA"),
    ("assess", "assess", "Entretien guidé (ANSSI, CNIL, RGPD) qui reprend là où il s'est arrêté",
     "Guided, resumable interview (ANSSI, CNIL, GDPR)"),
    ("register", "register", "Registre des activités de traitement (RGPD art. 30)",
     "Record of processing activities (GDPR art. 30)"),
    ("incident", "incident", "Registre des violations de données (RGPD art. 33) et délais de notification",
     "Personal-data breach log (GDPR art. 33) and notification deadlines"),
    ("request", "request", "Demandes d'exercice des droits (RGPD art. 12 et 15 à 22) et leur délai",
     "Data subject requests (GDPR art. 12, 15-22) and their deadline"),
    ("deadlines", "deadlines", "Échéances dues et dépassées (violations, demandes, registre, certificats)",
     "Due and overdue deadlines (breaches, requests, register, certificates)"),
    ("report", "report", "Rapport noté avec plan d'action (HTML, PDF, Markdown, JSON)",
     "Scored report with action plan (HTML, PDF, Markdown, JSON)"),
    ("diff", "diff", "Comparer deux évaluations", "Compare two assessments"),
    ("aggregate", "aggregate", "Baromètre d'un territoire à partir des espaces de ses membres",
     "Territory barometer from its members' workspaces"),
    ("demo", "demo", "Démonstration complète hors ligne sur une commune fictive",
     "Complete offline demo on a fictional commune"),
    ("checklists", "checklists", "Questionnaires et profils : lister, afficher, vérifier",
     "Question banks and profiles: list, show, lint"),
    ("schema", "schema", "Exporter les schémas JSON des fichiers", "Export the JSON Schemas of the files"),
]


def _version_callback(value: bool) -> None:
    if value:
        typer.echo(f"cyberaudit {__version__}")
        raise typer.Exit()


def command_named(argv: list[str]) -> str | None:
    """The command an argument list runs (`cyberaudit --lang en scan ...` -> "scan"), if it is one of ours."""
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--lang":
            i += 2
            continue
        if arg.startswith("-"):
            if arg in ("-h", "--help", "--version", "--"):
                return None  # the application's own help or version: every command is listed
            i += 1
            continue
        return arg if any(arg == name for _, name, _, _ in COMMANDS) else None
    return None


def build_app(only: str | None = None) -> typer.Typer:
    """The application; with `only`, just that command (start-up: a run imports and converts one command
    module, not all of them). Its help page and its behaviour are the same either way."""
    app = typer.Typer(
        name="cyberaudit",
        help=t(
            "Audit de cybersécurité et RGPD pour les collectivités territoriales.",
            "Cybersecurity and GDPR auditor for French local authorities.",
        ),
        no_args_is_help=True,
        add_completion=False,
        rich_markup_mode=None,
        context_settings={"help_option_names": ["-h", "--help"]},
        pretty_exceptions_enable=False,
    )

    @app.callback()
    def _main(
        lang: str = typer.Option(
            "fr", "--lang", envvar="CYBERAUDIT_LANG",
            help=t("Langue des messages : fr ou en", "Language of messages: fr or en"),
        ),
        debug: bool = typer.Option(
            False, "--debug", help=t("Afficher la trace complète des erreurs", "Show full error tracebacks")
        ),
        version: bool = typer.Option(
            False, "--version", callback=_version_callback, is_eager=True,
            help=t("Afficher la version", "Show the version"),
        ),
    ) -> None:
        pass

    for module, name, fr, en in COMMANDS:
        if only is not None and name != only:
            continue
        importlib.import_module(f"{__name__}.{module}").register(app)
        _set_short_help(app, name, t(fr, en))
    return app


def _set_short_help(app: typer.Typer, name: str, text: str) -> None:
    """Use the table's one-line help in the command list (Click would cut at the first period)."""
    for info in [*app.registered_commands, *app.registered_groups]:
        if getattr(info, "name", None) == name and hasattr(info, "short_help") and not info.short_help:
            info.short_help = text
