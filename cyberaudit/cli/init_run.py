"""Library side of `cyberaudit init`."""

from __future__ import annotations

import sys
from pathlib import Path

from pydantic import ValidationError

from ..errors import InputError
from ..i18n import t


def _ask(value, prompt_fr: str, prompt_en: str, field: str, *, required: bool = True):
    if value not in (None, ""):
        return value
    if not sys.stdin.isatty():
        if required:
            raise InputError(t(f"valeur manquante : --{field}", f"missing value: --{field}"), field=field)
        return None
    import typer

    return typer.prompt(t(prompt_fr, prompt_en), default="" if not required else None, show_default=False) or None


def build_organisation(*, name, siren, kind, population=None, domains=(), dpo_name=None, dpo_email=None,
                       dpo_type=None, it_provider=None):
    from ..content.locate import profile_ids
    from ..model import Organisation

    known = profile_ids()
    if known and kind not in known:
        raise InputError(t(f"profil inconnu {kind!r} ; possibles : {', '.join(known)}",
                           f"unknown kind {kind!r}; known: {', '.join(known)}"), field="kind")
    data = {
        "name": name, "siren": siren, "kind": kind, "population": population,
        "inventory": {"domains": [{"name": d} for d in domains]},
    }
    if dpo_name or dpo_email or dpo_type:
        data["dpo"] = {"name": dpo_name, "email": dpo_email, "type": dpo_type}
    if it_provider:
        data["it_provider"] = {"name": it_provider}
    try:
        return Organisation.model_validate(data)
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        field = ".".join(str(p) for p in err["loc"])
        from ..disk.fileio import describe_error

        raise InputError(describe_error(err), field=field) from None


def init_organisation(directory: Path, *, force: bool = False, **fields) -> None:
    from ..disk.workspace import create
    from . import ui
    from .grade_summary import workspace_arg

    missing = [k for k in ("name", "siren", "kind") if fields.get(k) in (None, "")]
    if missing and sys.stdin.isatty():
        # Interactive: the same questions as `assess` in an empty folder, each field checked as it is typed.
        from ..content.loader import load_content
        from ..disk.workspace import Workspace
        from .assess_steps import Prompter, Stop, ask_organisation

        existing = Workspace(directory)
        if existing.exists() and not force:  # said before any question, not after them
            raise InputError(t("un espace de travail existe déjà ici", "a workspace already exists here"),
                             file=str(existing.organisation_path))
        console = ui.out()
        try:
            ask_organisation(Prompter(console), Path(directory), load_content(), preset=fields, force=force,
                             intro=False)
        except Stop:
            console.print(t("\nFin de saisie : rien n'a été créé.", "\nEnd of input: nothing was created."))
            raise InputError(t("saisie interrompue", "input interrupted")) from None
        ws_root = Path(directory)
    else:
        for key in missing:
            raise InputError(t(f"valeur manquante : --{key}", f"missing value: --{key}"), field=key)
        ws_root = create(directory, build_organisation(**fields), force=force).root
        ui.out().print(t(f"Espace de travail créé : {ui.safe(ws_root)}", f"Workspace created: {ui.safe(ws_root)}"))
    where = workspace_arg(ws_root)
    ui.out().print(t(f"Étapes suivantes : cyberaudit assess {where} · cyberaudit scan {where} · "
                     f"cyberaudit report {where}",
                     f"Next steps: cyberaudit assess {where} · cyberaudit scan {where} · cyberaudit report {where}"),
                   soft_wrap=True)


def init_territory(directory: Path, name: str | None) -> None:
    from . import ui

    name = _ask(name, "Nom du territoire", "Territory name", "name")
    from ..territory.create import create_territory

    path = create_territory(directory, name)
    ui.out().print(t(f"Dépôt de territoire créé : {ui.safe(path)}", f"Territory repository created: {ui.safe(path)}"))
