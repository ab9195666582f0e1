"""The steps of `cyberaudit assess`, in order, each skippable and each saved before the next:

1. the organisation (asked and created when the workspace has none);
2. the scans of the declared inventory (within its declared scope), saved to scans/latest.json;
3. the interview (assess_ui.Interview), every answer saved as it is given;
4. the record of processing (`cyberaudit register`) and its check results, when that module exists;
5. the report (evaluate, then the report files).

`--answers FILE` replaces all of this by a validated, all-or-nothing import of answers.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.console import Console

from ..errors import CyberauditError, InputError
from ..i18n import get_lang, t
from ..model import Status
from ..themes import THEMES

KIND_ORDER = ["petite-commune", "commune", "grande-commune", "epci", "petr", "departement", "syndicat-mixte"]


class Stop(Exception):
    """End of input: stop the flow (everything given so far is saved)."""


class Prompter:
    def __init__(self, console: Console):
        self.console = console

    def read(self, prompt: str) -> str:
        try:
            return self.console.input(prompt)
        except EOFError:
            raise Stop from None

    def confirm(self, prompt: str, default: bool) -> bool:
        hint = t(" [O/n] ", " [Y/n] ") if default else t(" [o/N] ", " [y/N] ")
        while True:
            raw = self.read(prompt + hint).strip().lower()
            if not raw:
                return default
            if raw in ("o", "oui", "y", "yes"):
                return True
            if raw in ("n", "non", "no"):
                return False

    def ask(self, prompt: str, check=None, required: bool = False):
        """Ask until `check(text)` accepts (it raises ValueError with a reason otherwise)."""
        from .ui import safe

        while True:
            raw = self.read(prompt).strip()
            if not raw and not required:
                return None
            try:
                return check(raw) if check else (raw or None if not required else raw)
            except ValueError as exc:
                self.console.print(f"[red]{safe(exc)}[/]")


# --------------------------------------------------------------------------- 1. organisation


def ask_organisation(p: Prompter, root: Path, content, *, preset: dict | None = None, force: bool = False,
                     intro: bool = True) -> Any:
    """Ask the organisation field by field, each checked as it is typed (the SIREN with its checksum).

    `preset`: values already given (e.g. `init --name … --siren …`): those are checked, not asked.
    """
    from .. import names
    from ..disk.workspace import create
    from ..model import Contact, DomainAsset, Dpo, Inventory, Organisation, siren_is_valid

    c = p.console
    preset = {k: v for k, v in (preset or {}).items() if v not in (None, "", [], ())}
    if intro:
        c.rule(t("Étape 1 — l'organisation", "Step 1 — the organisation"))
        c.print(t(f"Aucune organisation dans {root} : quelques questions pour la créer.",
                  f"No organisation in {root}: a few questions to create it."))

    def nonempty(v: str) -> str:
        if not v:
            raise ValueError(t("valeur obligatoire", "required value"))
        return v

    def siren(v: str) -> str:
        v = v.replace(" ", "")
        if not siren_is_valid(v):
            raise ValueError(t("SIREN invalide (9 chiffres, clé de contrôle)", "invalid SIREN (9 digits, checksum)"))
        return v

    kinds = [k for k in KIND_ORDER if k in content.profiles] + sorted(set(content.profiles) - set(KIND_ORDER))

    def kind(v: str) -> str:
        if v.isdigit() and 1 <= int(v) <= len(kinds):
            return kinds[int(v) - 1]
        if v in kinds:
            return v
        raise ValueError(t("choisissez un numéro de la liste", "pick a number from the list"))

    def population(v: str) -> int:
        n = v.replace(" ", "").replace("\u202f", "")
        if not n.isdigit():
            raise ValueError(t("un nombre d'habitants", "a number of inhabitants"))
        return int(n)

    def domains(v: str) -> list[str]:
        out = []
        for part in v.replace(";", ",").split(","):
            if part.strip():
                out.append(names.normalise_domain(part.strip()))
        return out

    def given(key: str, check, option: str):
        """A value passed as an option, checked like a typed one (a wrong one is an input error)."""
        try:
            return check(str(preset[key])) if check else preset[key]
        except ValueError as exc:
            raise InputError(str(exc), field=option) from None

    def field(key: str, option: str, prompt: str, check=None, required: bool = False, show=None):
        if key in preset:
            return given(key, check, option)
        if show:
            show()
        return p.ask(prompt, check, required=required)

    def list_kinds() -> None:
        for i, k in enumerate(kinds, 1):
            c.print(f"  {i}. {content.profiles[k].title.pick()}")

    def dpo_type(v: str) -> str:
        if v.isdigit() and 1 <= int(v) <= 3:
            return dpo_types[int(v) - 1]
        if v in dpo_types:
            return v
        raise ValueError(t("1, 2 ou 3", "1, 2 or 3"))

    dpo_types = ["internal", "external", "shared"]
    name = field("name", "--name", t("Nom de la collectivité : ", "Name of the authority: "), nonempty, True)
    siren_v = field("siren", "--siren", t("SIREN : ", "SIREN: "), siren, True)
    kind_v = field("kind", "--kind", t("Type (numéro) : ", "Kind (number): "), kind, True, list_kinds)
    pop = field("population", "--population", t("Population (Entrée si inconnue) : ",
                                                 "Population (Enter if unknown): "), population)
    dpo_name = field("dpo_name", "--dpo-name", t("Nom du DPO (Entrée si aucun) : ", "DPO name (Enter if none): "))
    dpo_email = field("dpo_email", "--dpo-email", t("Courriel du DPO : ", "DPO e-mail: ")) if dpo_name else None
    dpo_kind = field("dpo_type", "--dpo-type",
                     t("DPO 1. interne  2. externe  3. mutualisé entre collectivités (Entrée si inconnu) : ",
                       "DPO 1. internal  2. external  3. shared between authorities (Enter if unknown): "),
                     dpo_type) if dpo_name else None
    provider = field("it_provider", "--it-provider", t("Prestataire informatique (Entrée si aucun) : ",
                                                       "IT provider (Enter if none): "))
    if "domains" in preset:
        doms = [given_domain for d in preset["domains"] for given_domain in domains(str(d))]
    else:
        doms = p.ask(t("Domaines (séparés par des virgules, ex. mairie-exemple.fr) : ",
                       "Domains (comma-separated, e.g. town-example.fr): "), domains) or []
    org = Organisation(
        name=name, siren=siren_v, kind=kind_v, population=pop,
        dpo=Dpo(name=dpo_name, email=dpo_email, type=dpo_kind) if dpo_name else None,
        it_provider=Contact(name=provider) if provider else None,
        inventory=Inventory(domains=[DomainAsset(name=d) for d in doms]),
    )
    create(root, org, force=force)
    c.print(t(f"[green]✓ organisation.yaml créé dans {root}[/]", f"[green]✓ organisation.yaml created in {root}[/]"))
    return org


# --------------------------------------------------------------------------- 2. scans


def offer_scan(p: Prompter, ws, org) -> None:
    from ..disk.workspace import LATEST_SCAN
    from .ui import safe

    c = p.console
    c.rule(t("Étape 2 — l'analyse technique", "Step 2 — the technical scan"))
    assets = org.inventory.all_assets()
    if not assets:
        c.print(t("Aucun domaine ni hôte déclaré dans organisation.yaml : analyse passée.",
                  "No domain or host declared in organisation.yaml: scan skipped."))
        return
    exists = ws.path(LATEST_SCAN).exists()
    question = (t("Une analyse existe déjà. La relancer ?", "A scan already exists. Run it again?") if exists else
                t(f"Analyser maintenant les {len(assets)} actifs déclarés (dans leur périmètre autorisé) ?",
                  f"Scan the {len(assets)} declared assets now (within their authorised scope)?"))
    if not p.confirm(question, default=not exists):
        c.print(t("Analyse passée (plus tard : cyberaudit scan --workspace …).",
                  "Scan skipped (later: cyberaudit scan --workspace …)."))
        return
    from ..disk.fileio import write_json
    from ..probes import pipeline as scanning
    from ..probes import scope
    from .scan_run import build_net

    try:
        targets, fams = scope.targets_from_organisation(org, None)
        result = scanning.scan(targets, fams, build_net(None, None, 5.0, 16))
    except CyberauditError as exc:
        c.print(t("[red]Analyse impossible[/] : ", "[red]Scan failed[/]: ") + safe(exc))
        return
    with ws.lock():
        write_json(ws.path(LATEST_SCAN), result)
    found = result.findings()
    bad = [f for f in found if f.status in (Status.FAIL, Status.WARN)]
    untested = sum(1 for f in found if f.status is Status.ERROR)
    c.print(t(f"[green]✓ Analyse enregistrée[/] : {len(found)} constats, dont {len(bad)} à traiter ou confirmer "
              f"et {untested} non testés.",
              f"[green]✓ Scan saved[/]: {len(found)} findings, {len(bad)} to fix or confirm, {untested} not tested."))
    for f in bad[:10]:
        c.print(f"  - [{'red' if f.status is Status.FAIL else 'yellow'}]{safe(f.status.value)}[/] "
                f"{safe(f.title.pick())} — {safe(f.target or '')}")


def probe_findings(ws) -> list:
    from ..disk.fileio import load_json
    from ..disk.workspace import LATEST_SCAN
    from ..model import ScanResult

    data = load_json(ws.path(LATEST_SCAN), missing_ok=True)
    if data is None:
        return []
    try:
        return ScanResult.model_validate(data).findings()
    except Exception:  # an unreadable scan must not block the interview
        return []


# --------------------------------------------------------------------------- 4. register, 5. report


def show_register(p: Prompter, ws, org) -> None:
    import datetime as dt

    from .ui import safe

    c = p.console
    c.rule(t("Étape 4 — le registre des traitements", "Step 4 — the record of processing"))
    from ..register import rules, store

    try:
        activities = list(store.load_all(ws))
        found = list(rules.check(activities, org, today=dt.date.today(), probe_findings=probe_findings(ws)))
    except CyberauditError as exc:
        c.print(t("[red]Registre illisible[/] : ", "[red]Unreadable record[/]: ") + safe(exc))
        return
    bad = [f for f in found if f.status in (Status.FAIL, Status.WARN)]
    c.print(t(f"{len(activities)} activité(s) au registre ; {len(bad)} point(s) à corriger.",
              f"{len(activities)} activit(y/ies) in the record; {len(bad)} point(s) to fix."))
    for f in bad[:10]:
        c.print(f"  - {safe(f.title.pick())}" + (f" ({safe(f.target)})" if f.target else ""))
    from .grade_summary import workspace_arg

    where = workspace_arg(ws.root)
    c.print(t(f"Compléter : cyberaudit register add {where} --from-template MODÈLE · vérifier : "
              f"cyberaudit register check {where}",
              f"Complete: cyberaudit register add {where} --from-template TEMPLATE · check: "
              f"cyberaudit register check {where}"), soft_wrap=True)


def offer_report(p: Prompter, ws) -> None:
    """Step 5: show the grade, coverage and first actions, then offer to write the reports."""
    from ..assessment.evaluate import evaluate, record_assessment
    from ..report import build_report, produce_reports
    from .grade_summary import print_grade
    from .ui import safe

    c = p.console
    lang = get_lang()
    c.rule(t("Étape 5 — le résultat et le rapport", "Step 5 — the result and the report"))
    try:
        assessment = record_assessment(ws, evaluate(ws))
        report, score = build_report(assessment, lang)
    except CyberauditError as exc:
        c.print(t("[red]Évaluation impossible[/] : ", "[red]Assessment failed[/]: ") + safe(exc))
        return
    print_grade(c, report, score, lang, ws.root)
    if not p.confirm(t("Écrire les rapports maintenant (HTML, Markdown, JSON) ?",
                       "Write the reports now (HTML, Markdown, JSON)?"), default=True):
        return
    try:
        written = produce_reports(ws, "html,md,json", lang, assessment=assessment).paths
    except CyberauditError as exc:
        c.print(t("[red]Rapport impossible[/] : ", "[red]Report failed[/]: ") + safe(exc))
        return
    for path in written:
        c.print(t("[green]✓ écrit[/] ", "[green]✓ written[/] ") + safe(path))


# --------------------------------------------------------------------------- non-interactive import


def import_answers(ws, content, profile, path: Path, population: int | None, by: str | None) -> int:
    """Validate every answer of FILE, then save them all in one atomic write (nothing on error)."""
    from ..interview.answers import check_answers, load, load_file, save_many, stamp

    new, lines = load_file(path)
    checked = check_answers(content, profile, new, lines, str(path), existing=load(ws), population=population)
    save_many(ws, {qid: stamp(a, by=by) for qid, a in checked.items()})
    return len(checked)


def check_theme(theme: str | None) -> str | None:
    if theme is None:
        return None
    if theme not in THEMES:
        raise InputError(t(f"thème inconnu {theme!r} ; thèmes : {', '.join(THEMES)}",
                           f"unknown theme {theme!r}; themes: {', '.join(THEMES)}"), field="--theme")
    return theme


# --------------------------------------------------------------------------- the whole flow


def run(*, workspace: Path, review: bool, theme: str | None, answers_file: Path | None, no_scan: bool,
        by: str | None, console: Console) -> int:
    from ..content.loader import load_content
    from ..disk.workspace import Workspace
    from .assess_ui import Interview
    from .grade_summary import workspace_arg
    from .ui import safe

    theme = check_theme(theme)
    content = load_content()
    ws = Workspace(workspace)
    if answers_file is not None:
        org = ws.load_organisation()
        profile = content.profile(org.kind)
        n = import_answers(ws, content, profile, Path(answers_file), org.population, by)
        console.print(t(f"{n} réponse(s) importée(s) dans {ws.root / 'answers.yaml'}",
                        f"{n} answer(s) imported into {ws.root / 'answers.yaml'}"))
        return 0
    p = Prompter(console)
    try:
        org = ask_organisation(p, ws.root, content) if not ws.exists() else ws.load_organisation()
        console.print(t(f"[bold]{safe(org.name)}[/] — profil {safe(org.kind)}",
                        f"[bold]{safe(org.name)}[/] — profile {safe(org.kind)}"))
        if not no_scan and not review and theme is None:
            offer_scan(p, ws, org)
        console.rule(t("Étape 3 — l'entretien", "Step 3 — the interview"))
        interview = Interview(ws=ws, content=content, profile=content.profile(org.kind), console=console,
                              population=org.population, theme=theme, review=review,
                              by=by or org.assessor or (org.dpo.name if org.dpo else None),
                              probe_findings=probe_findings(ws))
        counts = interview.run()
    except Stop:
        console.print(t("\nFin de saisie : tout ce qui a été répondu est enregistré.",
                        "\nEnd of input: everything answered is saved."))
        return 0
    except KeyboardInterrupt:
        console.print(t(f"\nInterrompu (Ctrl-C) : tout ce qui a été répondu est enregistré. Reprise : "
                        f"cyberaudit assess {workspace_arg(ws.root)}",
                        f"\nInterrupted (Ctrl-C): everything answered is saved. Resume: "
                        f"cyberaudit assess {workspace_arg(ws.root)}"), soft_wrap=True)
        return 130
    total = counts["answered"] + counts["remaining"]
    console.print(t(f"{counts['session']} réponse(s) donnée(s) pendant cette séance ; {counts['answered']} sur {total} "
                    f"en tout ; {counts['remaining']} question(s) sans réponse.",
                    f"{counts['session']} answer(s) given in this session; {counts['answered']} of {total} in all; "
                    f"{counts['remaining']} question(s) unanswered."))
    if counts["quit"]:
        console.print(t(f"Reprise : cyberaudit assess {workspace_arg(ws.root)} (continue à la première question "
                        "sans réponse).",
                        f"Resume: cyberaudit assess {workspace_arg(ws.root)} (continues at the first unanswered "
                        "question)."), soft_wrap=True)
        return 0
    if review or theme is not None:
        return 0
    try:
        show_register(p, ws, org)
        offer_report(p, ws)
    except Stop:
        return 0
    return 0
