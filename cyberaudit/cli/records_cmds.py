"""`cyberaudit incident`, `request` and `deadlines`: the work behind the thin typer modules.

Libraries (cyberaudit.records) compute; this module reads the workspace, prints (Rich, every outside
string made inert with ui.safe) and writes through records.store (atomic, under the workspace lock).
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from ..disk.fileio import atomic_write, dumps_json
from ..disk.workspace import Workspace
from ..errors import InputError
from ..i18n import t
from ..records import store
from ..records.clocks import BILL, STATES, breach_clocks, request_clock
from ..records.model import OUTCOMES, RIGHTS, Extension, Request
from ..records.timeutil import TimeError, parse_date, show
from .ui import err, out, safe

COLOUR = {"due": "yellow", "overdue": "red", "met": "green", "late": "magenta", "waived": "cyan"}


def _open(root: Path):
    ws = Workspace(root)
    org = ws.load_organisation()
    return ws, org, store.context(org)


def nis2_status(org) -> str | None:
    from ..content.loader import load_content

    try:
        return load_content().profile(org.kind).facts.nis2.status
    except (AttributeError, KeyError, InputError):
        return None


def _state(key: str) -> str:
    return f"[{COLOUR[key]}]{t(*STATES[key])}[/]"


def _date(value: str | None, what: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return parse_date(value)
    except TimeError as exc:
        raise InputError(str(exc), field=what) from None


# --------------------------------------------------------------------------- incident


def incident_add(root: Path, *, resume: bool) -> None:
    from .breach_ui import BreachEditor, new_state

    ws, org, ctx = _open(root)
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

    ws, org, ctx = _open(root)
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

    ws, org, ctx = _open(root)
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
        table.add_row(b.id, safe(b.title), show(b.aware_at, tz), f"{_state(c.state)} {show(c.due, tz)}",
                      str(b.closed_on or ""))
    out().print(table)


def incident_show(root: Path, breach_id: str) -> None:
    from ..records.screening import SUGGESTION, screen

    ws, org, ctx = _open(root)
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
        c.print(f"  {safe(t(*k.label))}{bill} : {_state(k.state)} — {t('échéance', 'due')} {show(k.due, tz)}{done}{note}",
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

    ws, org, ctx = _open(root)
    b = store.load(ws, store.BREACHES, breach_id, ctx)
    sys.stdout.write(notice_text(b, org, ctx["tz"], ctx["now"], nis2_status(org)))


def incident_close(root: Path, breach_id: str, *, on: str | None) -> None:
    ws, org, ctx = _open(root)
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
    day = _date(on, "--on") or ctx["now"].astimezone(ctx["tz"]).date()
    saved = _save(ws, store.BREACHES, b.model_copy(update={"closed_on": day}), ctx)
    out().print(t(f"{saved.id} close le {saved.closed_on}.", f"{saved.id} closed on {saved.closed_on}."))


def _save(ws, kind, item, ctx):
    from pydantic import ValidationError

    from ..disk.fileio import describe_error
    from ..records.model import dump

    try:
        return store.save(ws, kind, kind.model.model_validate(dump(item), context=ctx), ctx)
    except ValidationError as exc:
        e = exc.errors(include_url=False)[0]
        raise InputError(describe_error(e), field=".".join(str(p) for p in e["loc"]) or None) from None


# --------------------------------------------------------------------------- request


def request_add(root: Path, *, right: str, received: str, reference: str, channel: str | None,
                identity_checked: bool | None, activities: list[str], handler: str | None) -> None:
    ws, org, ctx = _open(root)
    if right not in RIGHTS:
        raise InputError(t(f"droit inconnu {right!r} ; possibles : {', '.join(RIGHTS)}",
                           f"unknown right {right!r}; known: {', '.join(RIGHTS)}"), field="--right")
    day = _date(received, "--received")
    rid = store.next_id(ws, store.REQUESTS, day.year)
    data = {"id": rid, "right": right, "received_on": day, "reference": reference, "channel": channel,
            "identity_checked": identity_checked, "activities": [a.strip().upper() for a in activities],
            "handler": handler or (org.dpo.name if org.dpo else None)}
    saved = _save(ws, store.REQUESTS, Request.model_construct(**{k: v for k, v in data.items() if v is not None}), ctx)
    rc = request_clock(saved, ctx["now"], ctx["tz"])
    out().print(t(f"[green]Enregistrée[/] : requests/{saved.id}.yaml — réponse due au plus tard le {rc.due}.",
                  f"[green]Saved[/]: requests/{saved.id}.yaml — answer due by {rc.due}."))


def _open_request(ws, ctx, request_id: str) -> Request:
    r = store.load(ws, store.REQUESTS, request_id, ctx)
    if r.closed:
        raise InputError(t(f"{request_id} est close (répondue le {r.answered_on}) : une demande close ne se rouvre "
                           "pas ; enregistrer une nouvelle demande si la personne revient",
                           f"{request_id} is closed (answered on {r.answered_on}): a closed request is not reopened; "
                           "record a new request if the person comes back"), field="id")
    return r


def request_extend(root: Path, request_id: str, *, decided: str, told: str, reason: str | None) -> None:
    ws, _org, ctx = _open(root)
    r = _open_request(ws, ctx, request_id)
    ext = Extension.model_construct(decided_on=_date(decided, "--decided"), told_on=_date(told, "--told"), reason=reason)
    saved = _save(ws, store.REQUESTS, r.model_copy(update={"extension": ext}), ctx)
    rc = request_clock(saved, ctx["now"], ctx["tz"])
    if rc.extension_late:
        err().print(t(f"[yellow]Attention[/] : la personne a été prévenue après le premier mois (échéance du "
                      f"{rc.first_due}) ; la prolongation ne compte pas, la demande reste due au {rc.due}.",
                      f"[yellow]Warning[/]: the person was told after the first month (due {rc.first_due}); the "
                      f"extension does not count, the request stays due on {rc.due}."))
    else:
        out().print(t(f"{saved.id} prolongée : réponse due au plus tard le {rc.due}.",
                      f"{saved.id} extended: answer due by {rc.due}."))


def request_close(root: Path, request_id: str, *, answered: str, outcome: str, refusal_reason: str | None) -> None:
    ws, _org, ctx = _open(root)
    r = _open_request(ws, ctx, request_id)
    if outcome not in OUTCOMES:
        raise InputError(t(f"issue inconnue {outcome!r} ; possibles : {', '.join(OUTCOMES)}",
                           f"unknown outcome {outcome!r}; known: {', '.join(OUTCOMES)}"), field="--outcome")
    saved = _save(ws, store.REQUESTS, r.model_copy(update={"answered_on": _date(answered, "--answered"),
                                                            "outcome": outcome, "refusal_reason": refusal_reason}), ctx)
    rc = request_clock(saved, ctx["now"], ctx["tz"])
    out().print(t(f"{saved.id} close : {t(*STATES[rc.state])} (échéance {rc.due}).",
                  f"{saved.id} closed: {t(*STATES[rc.state])} (due {rc.due})."))


def request_list(root: Path, *, open_only: bool) -> None:
    from rich.table import Table

    ws, _org, ctx = _open(root)
    items = [r for r in store.load_all(ws, store.REQUESTS, ctx) if not (open_only and r.closed)]
    if not items:
        out().print(t("Aucune demande suivie : `cyberaudit request add`.", "No request tracked: `cyberaudit request add`."))
        return
    table = Table(title=t(f"Demandes d'exercice des droits — {len(items)}", f"Data subject requests — {len(items)}"))
    for col in (t("Réf.", "Ref."), t("Droit", "Right"), t("Reçue", "Received"), t("Échéance", "Due"), t("État", "State"),
                t("Classement", "Filed at")):
        table.add_column(col)
    for r in items:
        rc = request_clock(r, ctx["now"], ctx["tz"])
        table.add_row(r.id, t(*RIGHTS[r.right]), str(r.received_on), str(rc.due) + (" *" if rc.extended else ""),
                      _state(rc.state), safe(r.reference))
    out().print(table)


# --------------------------------------------------------------------------- export / deadlines


def export(root: Path, kind_name: str, *, fmt: str, output: Path | None) -> None:
    from ..records.export import FORMATS
    from ..records.export import export as build

    if fmt not in FORMATS:
        raise InputError(t(f"format inconnu {fmt!r} : csv ou ods", f"unknown format {fmt!r}: csv or ods"), field="--format")
    ws, _org, ctx = _open(root)
    kind = store.BREACHES if kind_name == "breach" else store.REQUESTS
    data = build(kind_name, store.load_all(ws, kind, ctx), fmt, now=ctx["now"], tz=ctx["tz"])
    if output is None and fmt == "ods":
        output = ws.path("reports") / f"{kind.folder}.ods"
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    atomic_write(output, data)
    err().print(t(f"Écrit : {safe(output)}", f"Written: {safe(output)}"))


def deadlines(root: Path, *, fmt: str) -> int:
    from ..records import deadlines as dl
    from ..register import store as register_store
    from .register_cmds import probe_findings

    if fmt not in ("table", "json"):
        raise InputError(t("format inconnu : table ou json", "unknown format: table or json"), field="--format")
    ws, org, ctx = _open(root)
    now, tz = ctx["now"], ctx["tz"]
    items = dl.collect(store.load_all(ws, store.BREACHES, ctx), store.load_all(ws, store.REQUESTS, ctx), now=now, tz=tz,
                       nis2_status=nis2_status(org))
    items += dl.register_items(register_store.load_all(ws), now=now, tz=tz)
    items += dl.certificate_items(probe_findings(ws) or [], now=now)
    items = dl.order(items)
    if fmt == "json":
        sys.stdout.write(dumps_json({"schema": "cyberaudit/deadlines/v1", "timezone": tz.key,
                                     "at": now.isoformat(), "items": [i.public() for i in items]}))
        return 0
    if not items:
        out().print(t("Rien d'échu ni d'imminent.", "Nothing due or overdue."))
        return 0
    from rich.table import Table

    table = Table(title=t(f"Échéances — fuseau {tz.key}", f"Deadlines — zone {tz.key}"))
    for col in (t("État", "State"), t("Registre", "Log"), t("Réf.", "Ref."), t("Échéance", "Deadline"), t("Date limite", "Due by")):
        table.add_column(col)
    for i in items:
        bill = f" [dim]({t(*BILL)})[/]" if i.bill else ""
        table.add_row(_state(i.state), t(*dl.KINDS[i.kind]), safe(i.ref), safe(t(*i.what)) + bill, show(i.due, tz))
    out().print(table)
    late = sum(i.state == "overdue" for i in items)
    out().print(t(f"{late} en retard, {len(items) - late} à faire.", f"{late} overdue, {len(items) - late} due."))
    return 0

