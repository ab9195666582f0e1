"""The `cyberaudit register` commands (the CLI module only parses arguments and calls these)."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from ..disk.fileio import atomic_write, dumps_json
from ..disk.workspace import LATEST_SCAN, Workspace
from ..errors import InputError
from ..i18n import t
from ..model import Finding, Status, sort_findings
from ..register import export as export_mod
from ..register import importer, rules, store
from ..register import vocab as V
from ..register.model import LEGAL_BASES, Activity
from ..report.common import SEVERITY, STATUS
from .grade_summary import workspace_arg


def _word(table: dict[str, tuple[str, str]], key: str) -> str:
    return t(*table[key]) if key in table else key


def _console():
    from .ui import out

    return out()


def _safe(x) -> str:
    from .ui import safe

    return safe(x)


def _open(root: Path):
    ws = Workspace(root)
    return ws, ws.load_organisation()


def probe_findings(ws: Workspace) -> list[Finding] | None:
    """Findings of the last scan (None when there is none or it cannot be read)."""
    from ..disk.fileio import load_json
    from ..model import ScanResult

    path = ws.path(LATEST_SCAN)
    try:
        data = load_json(path, missing_ok=True)
        return None if data is None else ScanResult.model_validate(data).findings()
    except Exception:  # noqa: BLE001 - an unreadable scan must not block the register check
        from .ui import err

        err().print(t("[yellow]Analyse illisible, ignorée[/] : ", "[yellow]Unreadable scan, ignored[/]: ") + _safe(path))
        return None


# --------------------------------------------------------------------------- add / edit


def _editor(ws, draft_id: str, state: dict, by: str | None, org):
    from .register_ui import Editor

    return Editor(ws, _console(), draft_id, state, by=by or org.assessor or (org.dpo.name if org.dpo else None), org=org)


def add(root: Path, *, template: str | None, resume: bool, by: str | None) -> Activity | None:
    from ..register import templates as tpl
    from .register_ui import new_state

    ws, org = _open(root)
    if resume:
        drafts = store.list_drafts(ws)
        if not drafts:
            raise InputError(t("aucun brouillon à reprendre", "no draft to continue"), field="--resume")
        draft_id = drafts[-1]
        state = store.load_draft(ws, draft_id)
        _console().print(t(f"Reprise du brouillon {draft_id}.", f"Continuing draft {draft_id}."))
        return _editor(ws, draft_id, state, by, org).run()
    pending = store.list_drafts(ws)
    if pending:
        where = workspace_arg(ws.root)
        _console().print(t(f"[dim]Brouillon(s) en attente : {', '.join(pending)} — reprendre le dernier : "
                           f"cyberaudit register add {where} --resume ; abandonner : "
                           f"cyberaudit register discard {where}[/]",
                           f"[dim]Pending draft(s): {', '.join(pending)} — continue the last one: "
                           f"cyberaudit register add {where} --resume; discard: cyberaudit register discard {where}[/]"),
                         soft_wrap=True)
    if not template:
        template = _pick_template(tpl.for_profile(org.kind))
    base = None
    if template:
        chosen = tpl.get(template)
        staff = org.staff if org.staff is not None or not chosen.needs_staff() else _ask_staff(ws)
        base = chosen.activity("T-000", staff=staff)
    taken = {d.get("target") for d in (_draft_or_none(ws, x) for x in store.list_drafts(ws)) if d}
    target = store.next_id(ws, taken={x for x in taken if x})
    draft_id = target.lower()
    state = new_state(target, "add", base, template)
    store.save_draft(ws, draft_id, state)
    return _editor(ws, draft_id, state, by, org).run()


def _ask_staff(ws) -> int | None:
    """The headcount the CNIL "fewer than 250 people" DPIA exemption depends on; kept in organisation.yaml."""
    from ..register import org_import

    c = _console()
    while True:
        try:
            raw = c.input(t("Effectif de l'organisme (nombre d'agents), dont dépend l'exemption d'AIPD « moins de 250 "
                            "personnes » (Entrée si inconnu) : ",
                            "Headcount of the organisation (staff), on which the 'fewer than 250 people' DPIA "
                            "exemption depends (Enter if unknown): ")).strip()
        except (EOFError, OSError):
            return None
        if not raw:
            c.print(t("Effectif inconnu : l'exemption n'est pas proposée.", "Headcount unknown: no exemption proposed."))
            return None
        if raw.isdigit():
            org_import.set_staff(ws, int(raw))
            c.print(t(f"organisation.yaml : effectif {int(raw)} enregistré (staff).",
                      f"organisation.yaml: headcount {int(raw)} saved (staff)."))
            return int(raw)
        c.print(t("[red]Nombre entier attendu.[/]", "[red]Whole number expected.[/]"))


def _pick_template(choices) -> str | None:
    """Offer the templates of the organisation's profile; Enter starts from an empty record."""
    c = _console()
    c.print(t("Modèles pour ce type d'organisation :", "Templates for this kind of organisation:"))
    for i, x in enumerate(choices, 1):
        c.print(f"  {i}. {_safe(x.title.pick())} [dim]({x.id})[/]")
    while True:
        try:
            raw = c.input(t("Modèle (numéro, ou Entrée pour une fiche vide) : ",
                            "Template (number, or Enter for an empty record): ")).strip()
        except (EOFError, OSError):
            return None
        if not raw:
            return None
        if raw.isdigit() and 1 <= int(raw) <= len(choices):
            return choices[int(raw) - 1].id
        if raw in {x.id for x in choices}:
            return raw
        c.print(t("[red]Modèle inconnu.[/]", "[red]Unknown template.[/]"))


def _draft_or_none(ws, draft_id: str) -> dict | None:
    try:
        return store.load_draft(ws, draft_id)
    except InputError:
        return None


def edit(root: Path, activity_id: str, *, by: str | None) -> Activity | None:
    from .register_ui import new_state

    ws, org = _open(root)
    draft_id = f"edit-{activity_id.lower()}"
    existing = _draft_or_none(ws, draft_id) if store.draft_path(ws, draft_id).is_file() else None
    if existing:
        _console().print(t(f"Reprise de la modification en cours ({draft_id}).", f"Continuing the pending edit ({draft_id})."))
        state = existing
    else:
        state = new_state(activity_id, "edit", store.load(ws, activity_id))
        store.save_draft(ws, draft_id, state)
    return _editor(ws, draft_id, state, by, org).run()


# --------------------------------------------------------------------------- list / show / remove / templates


def discard(root: Path, draft: str | None, *, every: bool, yes: bool) -> list[str]:
    """Delete drafts (after confirmation): the one named, all with --all, else the last one."""
    ws, _org = _open(root)
    drafts = store.list_drafts(ws)
    if draft is not None:
        if draft not in drafts:
            raise InputError(t(f"brouillon {draft!r} introuvable ; brouillons : {', '.join(drafts) or 'aucun'}",
                               f"draft {draft!r} not found; drafts: {', '.join(drafts) or 'none'}"), field="BROUILLON")
        chosen = [draft]
    elif not drafts:
        raise InputError(t("aucun brouillon à abandonner", "no draft to discard"))
    else:
        chosen = drafts if every else drafts[-1:]
    c = _console()
    if not yes:
        try:
            ok = c.input(t(f"Abandonner {', '.join(chosen)} ? Les réponses de ce brouillon seront perdues (o/N) : ",
                           f"Discard {', '.join(chosen)}? The answers of this draft will be lost (y/N): "))
        except (EOFError, OSError):  # no terminal to answer: nothing is deleted
            ok = ""
        if ok.strip().lower() not in ("o", "oui", "y", "yes"):
            c.print(t("Rien n'a été supprimé.", "Nothing was deleted."))
            return []
    for d in chosen:
        store.delete_draft(ws, d)
    c.print(t(f"Brouillon(s) abandonné(s) : {', '.join(chosen)}", f"Draft(s) discarded: {', '.join(chosen)}"))
    return chosen


def list_activities(root: Path) -> None:
    from rich.table import Table

    ws, _org = _open(root)
    acts = store.load_all(ws)
    c = _console()
    if not acts:
        where = workspace_arg(ws.root)
        c.print(t(f"Registre vide : cyberaudit register add {where} --from-template ID "
                  f"(voir cyberaudit register templates {where}).",
                  f"Empty record: cyberaudit register add {where} --from-template ID "
                  f"(see cyberaudit register templates {where})."), soft_wrap=True)
        _pending_drafts(ws, c)
        return
    table = Table(title=t(f"Registre — {len(acts)} activité(s)", f"Record — {len(acts)} activit(y/ies)"))
    for col in ("ID", t("Réf.", "Ref."), t("Nom", "Name"), t("Rôle", "Role"), t("Base légale", "Lawful basis"),
                t("Mise à jour", "Updated"), t("Statut", "Status")):
        table.add_column(col, no_wrap=col == "ID")
    for a in acts:
        table.add_row(a.id, _safe(a.reference or ""), _safe(a.name), V.label("roles", a.role),
                      ", ".join(LEGAL_BASES[b.basis][0] for b in a.legal_bases), str(a.updated or ""),
                      V.label("status", a.status))
    c.print(table)
    _pending_drafts(ws, c)


def _pending_drafts(ws, c) -> None:
    drafts = store.list_drafts(ws)
    if drafts:
        where = workspace_arg(ws.root)
        c.print(t(f"Brouillon(s) en cours : {', '.join(drafts)} (reprendre : cyberaudit register add {where} --resume ; "
                  f"abandonner : cyberaudit register discard {where})",
                  f"Pending draft(s): {', '.join(drafts)} (continue: cyberaudit register add {where} --resume; "
                  f"discard: cyberaudit register discard {where})"), soft_wrap=True)


def show(root: Path, activity_id: str) -> None:
    from rich.markdown import Markdown

    ws, org = _open(root)
    act = store.load(ws, activity_id)
    c = _console()
    c.print(Markdown(export_mod.to_markdown([act], org).split("\n## ", 1)[1].join(["## ", ""])))
    found = rules.check_activity(act, today=dt.date.today(), by_asset=_by_asset(ws), staff=org.staff)
    bad = [f for f in found if f.status in (Status.FAIL, Status.WARN)]
    c.print(t(f"Contrôle : {len(found) - len(bad)} point(s) conforme(s), {len(bad)} à corriger.",
              f"Check: {len(found) - len(bad)} point(s) passed, {len(bad)} to fix."))
    for f in bad:
        c.print(f"  [red]✗[/] {_safe(f.title.pick())} [dim]({f.id})[/]" + (f" — {_safe(f.detail.pick())}" if f.detail else ""))


def _by_asset(ws):
    found = probe_findings(ws)
    return None if found is None else rules._index_probe(found)


def remove(root: Path, activity_id: str, *, yes: bool) -> None:
    ws, _org = _open(root)
    act = store.load(ws, activity_id)
    if not yes:
        try:
            answer = _console().input(t(f"Supprimer {act.id} « {_safe(act.name)} » ? (o/N) : ",
                                        f"Remove {act.id} '{_safe(act.name)}'? (y/N): "))
        except (EOFError, OSError):  # no terminal: treated as "no"
            answer = ""
        if answer.strip().lower() not in ("o", "oui", "y", "yes"):
            _console().print(t("Rien n'a été supprimé.", "Nothing was removed."))
            return
    store.remove(ws, activity_id)
    _console().print(t(f"Supprimée : {act.id}", f"Removed: {act.id}"))


def templates(root: Path) -> None:
    from rich.table import Table

    from ..register import templates as tpl

    kind = None
    ws = Workspace(root)
    if ws.exists():
        kind = ws.load_organisation().kind
    table = Table(title=t("Modèles d'activités", "Activity templates"))
    table.add_column("ID", no_wrap=True)
    table.add_column(t("Activité", "Activity"))
    table.add_column(t("Pour", "For"))
    fit = {x.id for x in tpl.for_profile(kind)} if kind else None
    for x in tpl.load_templates().values():
        mark = "" if fit is None or x.id in fit else t(" (hors profil)", " (not in profile)")
        table.add_row(x.id, _safe(x.title.pick()) + mark, ", ".join(x.profiles))
    _console().print(table)


# --------------------------------------------------------------------------- check / export / import


def run_check(root: Path, *, today: dt.date | None = None) -> tuple[list[Activity], list[Finding]]:
    from ..checks import known_ids
    from ..content.loader import load_content

    ws, org = _open(root)
    acts = store.load_all(ws)
    probe = probe_findings(ws)
    return acts, rules.check(acts, org, today=today or dt.date.today(), probe_findings=probe,
                             evidence_findings=probe, known_ids=known_ids(load_content()))


def check(root: Path, *, fmt: str, show_all: bool = False) -> None:
    if fmt not in ("table", "json", "markdown"):
        raise InputError(t("format inconnu : table, json ou markdown", "unknown format: table, json or markdown"),
                         field="--format")
    acts, found = run_check(root)
    found = sort_findings(found)
    if fmt == "json":
        sys.stdout.write(dumps_json({"schema": "cyberaudit/register-check/v1", "activities": len(acts),
                                     "findings": [f.model_dump(mode="json", exclude_none=True) for f in found]}))
        return
    shown = found if show_all else [f for f in found if f.status not in (Status.PASS, Status.INFO)]
    bad = [f for f in found if f.status in (Status.FAIL, Status.WARN)]
    summary = t(f"{len(acts)} activité(s) ; {len(found)} point(s) contrôlé(s) ; {len(bad)} à corriger.",
                f"{len(acts)} activit(y/ies); {len(found)} point(s) checked; {len(bad)} to fix.")
    if fmt == "markdown":
        from ..register.export import _md

        lines = [f"# {t('Contrôle du registre', 'Record check')}", "", summary, "",
                 f"| {t('Activité', 'Activity')} | {t('Point', 'Check')} | {t('Résultat', 'Result')} | "
                 f"{t('Gravité', 'Severity')} | {t('Détail', 'Detail')} | {t('Références', 'References')} |",
                 "|---|---|---|---|---|---|"]
        for f in shown:
            lines.append(f"| {_md(f.target or '—')} | {_md(f.title.pick())} (`{f.id}`) | {_word(STATUS, f.status.value)} | "
                         f"{_word(SEVERITY, f.severity.value)} | {_md(f.detail.pick() if f.detail else '')} | "
                         f"{', '.join(f.references)} |")
        sys.stdout.write("\n".join(lines) + "\n")
        return
    from rich.table import Table

    table = Table(title=t("Contrôle du registre", "Record check"))
    for col in (t("Activité", "Activity"), "ID", t("Résultat", "Result"), t("Gravité", "Severity"),
                t("Constat", "Finding")):
        table.add_column(col)
    colour = {"fail": "red", "warn": "yellow", "pass": "green", "info": "cyan", "error": "magenta"}
    for f in shown:
        what = _safe(f.title.pick()) + (f"\n[dim]{_safe(f.detail.pick())}[/]" if f.detail else "")
        table.add_row(f.target or "—", f.id, f"[{colour[f.status.value]}]{_word(STATUS, f.status.value)}[/]",
                      _word(SEVERITY, f.severity.value), what)
    c = _console()
    if shown:
        c.print(table)
    c.print(summary)


def export(root: Path, *, fmt: str, output: Path | None) -> None:
    if fmt not in export_mod.FORMATS:
        raise InputError(t(f"format inconnu {fmt!r} : {', '.join(export_mod.FORMATS)}",
                           f"unknown format {fmt!r}: {', '.join(export_mod.FORMATS)}"), field="--format")
    ws, org = _open(root)
    data = export_mod.export(store.load_all(ws), org, fmt)
    if output is None and fmt in ("xlsx", "ods"):
        output = ws.path("reports") / f"registre.{fmt}"
    if output is None:
        sys.stdout.buffer.write(data) if hasattr(sys.stdout, "buffer") else sys.stdout.write(data.decode("utf-8"))
        sys.stdout.flush()
        return
    atomic_write(output, data)
    from .ui import err

    err().print(t(f"Écrit : {_safe(output)}", f"Written: {_safe(output)}"))


def import_file(root: Path, path: Path, *, partial: bool) -> int:
    from ..register import org_import
    from .ui import err

    ws, _org = _open(root)
    result = importer.read(path)
    for e in result.errors:
        err().print(f"[red]✗[/] {_safe(path)} : {_safe(e)}", soft_wrap=True)
    if result.errors and not partial:
        raise InputError(t(f"{len(result.errors)} erreur(s) : rien n'a été importé (--partial pour importer les "
                           "lignes lisibles)",
                           f"{len(result.errors)} error(s): nothing was imported (--partial imports the readable rows)"),
                         file=str(path))
    for what in result.skipped:
        err().print(t("[dim]Ignoré : ", "[dim]Skipped: ") + _safe(what) + "[/]")
    if result.blank:
        _console().print(t("0 activité (modèle vierge de la CNIL)", "0 activities (blank CNIL model)"))
        return 0
    today = dt.date.today()
    with ws.lock():  # IDs are read, numbered and written by one writer at a time
        existing = store.load_all(ws)
        acts = importer.number(result.activities, existing)
        acts = [a if a.updated else store.stamp(a, today=today) for a in acts]
        store.save_many(ws, acts)
    filled = org_import.fill(ws, result.organisation)
    if filled:
        _console().print(t("organisation.yaml complété depuis le classeur : ", "organisation.yaml completed from the "
                           "workbook: ") + _safe(", ".join(filled)))
    ids = {a.id for a in existing}
    replaced = sorted(a.id for a in acts if a.id in ids)
    incomplete = sorted(a.id for a in acts if a.status == "incomplete")
    _console().print(t(f"{len(acts)} activité(s) importée(s)", f"{len(acts)} activit(y/ies) imported")
                     + (t(f", dont {len(replaced)} remplacée(s) : {', '.join(replaced)}",
                          f", {len(replaced)} replaced: {', '.join(replaced)}") if replaced else "")
                     + (t(f" ; {len(incomplete)} sans fiche détaillée, à compléter : {', '.join(incomplete)}",
                          f"; {len(incomplete)} without a detailed record, to complete: {', '.join(incomplete)}")
                        if incomplete else "")
                     + (t(f" ; {len(result.errors)} ligne(s) ignorée(s)", f"; {len(result.errors)} row(s) skipped")
                        if result.errors else ""))
    return 0
