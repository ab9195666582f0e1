"""`cyberaudit incident`: the work behind the thin typer module (interactive add/edit in cli/breach_ui.py)."""

from __future__ import annotations

import sys
from pathlib import Path

from ..errors import InputError
from ..i18n import t
from ..records import store
from ..records.clocks import BILL, breach_clocks
from ..records.timeutil import show
from .records_cmds import nis2_status, open_ws, parse_day, save_item, state_label
from .ui import out, safe


def incident_add(root: Path, *, resume: bool) -> None:
    from .breach_ui import BreachEditor, new_state

    ws, org, ctx = open_ws(root)
    kind = store.BREACHES
    drafts = [d for d in store.list_drafts(ws, kind) if not d.startswith("edit-")]
    if resume:
        if not drafts:
            raise InputError(t("aucun brouillon à reprendre", "no draft to continue"), field="--resume")
        draft_id = drafts[-1]
        state = store.load_draft(ws, kind, draft_id)
        out().print(t(f"Reprise du brouillon {draft_id}.", f"Continuing draft {draft_id}."))
    else:
        if drafts:
            out().print(t(f"[dim]Brouillon(s) en attente : {', '.join(drafts)} — `incident add --resume` pour reprendre "
                          "le dernier.[/]", f"[dim]Pending draft(s): {', '.join(drafts)} — `incident add --resume` "
                          "continues the last one.[/]"))
        taken = set()
        for d in drafts:
            try:
                taken.add(str(store.load_draft(ws, kind, d).get("target")))
            except InputError:
                continue
        year = ctx["now"].astimezone(ctx["tz"]).year
        target = store.next_id(ws, kind, year, taken)
        draft_id, state = target.lower(), new_state(target, "add")
        store.save_draft(ws, kind, draft_id, state)
    BreachEditor(ws, out(), draft_id, state, ctx=ctx, nis2=_nis2_applies(org)).run()


def _nis2_applies(org) -> bool:
    return nis2_status(org) in ("essential", "important")


def incident_edit(root: Path, breach_id: str) -> None:
    from .breach_ui import BreachEditor, new_state

    ws, org, ctx = open_ws(root)
    kind = store.BREACHES
    breach = store.load(ws, kind, breach_id, ctx)
    if breach.closed_on:
        raise InputError(t(f"{breach_id} est close depuis le {breach.closed_on} : elle ne se modifie plus ici "
                           "(éditer le fichier à la main si une erreur doit être corrigée)",
                           f"{breach_id} was closed on {breach.closed_on}: it is no longer edited here "
                           "(edit the file by hand to correct a mistake)"), field="id")
    draft_id = f"edit-{breach_id.lower()}"
    if store.draft_path(ws, kind, draft_id).is_file():
        state = store.load_draft(ws, kind, draft_id)
        out().print(t(f"Reprise de la modification en cours ({draft_id}).", f"Continuing the pending edit ({draft_id})."))
    else:
        state = new_state(breach_id, "edit", breach)
        store.save_draft(ws, kind, draft_id, state)
    BreachEditor(ws, out(), draft_id, state, ctx=ctx, nis2=_nis2_applies(org)).run()


def incident_list(root: Path) -> None:
    from rich.table import Table

    ws, org, ctx = open_ws(root)
    items = store.load_all(ws, store.BREACHES, ctx)
    if not items:
        out().print(t("Registre des violations vide : `cyberaudit incident add`.", "Empty breach log: `cyberaudit incident add`."))
        return
    tz, nis2 = ctx["tz"], nis2_status(org)
    table = Table(title=t(f"Registre des violations — {len(items)}", f"Breach log — {len(items)}"))
    for col in (t("Réf.", "Ref."), t("Résumé", "Summary"), t("Connaissance", "Aware"), "CNIL 72 h", t("Close", "Closed")):
        table.add_column(col)
    for b in items:
        c = breach_clocks(b, ctx["now"], nis2, tz)[0]
        table.add_row(b.id, safe(b.title), show(b.aware_at, tz), f"{state_label(c.state)} {show(c.due, tz)}",
                      str(b.closed_on or ""))
    out().print(table)


def incident_show(root: Path, breach_id: str) -> None:
    from ..records.screening import SUGGESTION, screen

    ws, org, ctx = open_ws(root)
    b = store.load(ws, store.BREACHES, breach_id, ctx)
    tz, c = ctx["tz"], out()
    c.rule(f"{b.id} — {safe(b.title)}")
    c.print(t(f"Début : {show(b.occurred_at, tz)} · connaissance : {show(b.aware_at, tz)} · fuseau {tz.key}",
              f"Start: {show(b.occurred_at, tz)} · aware: {show(b.aware_at, tz)} · zone {tz.key}"))
    c.print(t("[bold]Délais[/]", "[bold]Deadlines[/]"))
    for k in breach_clocks(b, ctx["now"], nis2_status(org), tz):
        bill = f" [dim]({t(*BILL)})[/]" if k.bill else ""
        note = f" [dim]— {safe(t(*k.note))}[/]" if k.note else ""
        done = t(f", fait le {show(k.done, tz)}", f", done {show(k.done, tz)}") if k.done else ""
        c.print(f"  {safe(t(*k.label))}{bill}{t(' : ', ': ')}{state_label(k.state)} — {t('échéance', 'due')} {show(k.due, tz)}{done}{note}",
                soft_wrap=True)
    s = screen(b)
    c.print(t("[bold]Pré-analyse du risque[/] (indicative : la décision revient au DPO)",
              "[bold]Risk screening[/] (indicative: the DPO decides)"))
    c.print("  " + safe(t("Notification CNIL : ", "CNIL notification: ") + t(*SUGGESTION[s.cnil])))
    c.print("  " + safe(t("Information des personnes : ", "Informing the people: ") + t(*SUGGESTION[s.people])))
    for title, reasons in ((t("risque", "risk"), s.for_notice), (t("risque élevé", "high risk"), s.for_high),
                           (t("en sens inverse", "the other way"), s.against), (t("à préciser", "missing"), s.gaps)):
        for r in reasons:
            c.print(f"  · [dim]{safe(title)}[/] {safe(t(*r))}")
    if s.divergence:
        c.print(f"  [yellow]![/] {safe(t(*s.divergence))}")


def incident_notice(root: Path, breach_id: str) -> None:
    from ..records.notice import notice_text

    ws, org, ctx = open_ws(root)
    b = store.load(ws, store.BREACHES, breach_id, ctx)
    sys.stdout.write(notice_text(b, org, ctx["tz"], ctx["now"], nis2_status(org)))


def incident_close(root: Path, breach_id: str, *, on: str | None) -> None:
    ws, org, ctx = open_ws(root)
    b = store.load(ws, store.BREACHES, breach_id, ctx)
    if b.closed_on:
        raise InputError(t(f"{breach_id} est déjà close (le {b.closed_on})", f"{breach_id} is already closed ({b.closed_on})"),
                         field="id")
    missing = []
    if not (b.cnil.notified or b.cnil.reason_not):
        missing.append(t("décision sur la notification CNIL (cnil)", "decision on the CNIL notification (cnil)"))
    if not (b.people.informed or b.people.reason_not):
        missing.append(t("décision sur l'information des personnes (people)", "decision on informing the people (people)"))
    if not b.measures_taken:
        missing.append(t("mesures prises (measures_taken)", "measures taken (measures_taken)"))
    if missing:
        raise InputError(t("avant de clore, consigner : ", "before closing, record: ") + "; ".join(missing)
                         + t(f" (`cyberaudit incident edit {breach_id}`)", f" (`cyberaudit incident edit {breach_id}`)"))
    day = parse_day(on, "--on") or ctx["now"].astimezone(ctx["tz"]).date()
    saved = save_item(ws, store.BREACHES, b.model_copy(update={"closed_on": day}), ctx)
    out().print(t(f"{saved.id} close le {saved.closed_on}.", f"{saved.id} closed on {saved.closed_on}."))
