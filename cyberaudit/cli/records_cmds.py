"""`cyberaudit request`, `deadlines` and the exports; helpers shared with cli/incident_cmds.py.

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
from ..records.clocks import BILL, STATES, request_clock
from ..records.model import OUTCOMES, RIGHTS, Extension, Request
from ..records.timeutil import TimeError, parse_date, show
from .ui import err, out, safe

COLOUR = {"due": "yellow", "overdue": "red", "met": "green", "late": "magenta", "waived": "cyan"}


def open_ws(root: Path):
    ws = Workspace(root)
    org = ws.load_organisation()
    return ws, org, store.context(org)


def nis2_status(org) -> str | None:
    from ..content.loader import load_content

    try:
        return load_content().profile(org.kind).facts.nis2.status
    except (AttributeError, KeyError, InputError):
        return None


def state_label(key: str) -> str:
    return f"[{COLOUR[key]}]{t(*STATES[key])}[/]"


def parse_day(value: str | None, what: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return parse_date(value)
    except TimeError as exc:
        raise InputError(str(exc), field=what) from None


def save_item(ws, kind, item, ctx):
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
    ws, org, ctx = open_ws(root)
    if right not in RIGHTS:
        raise InputError(t(f"droit inconnu {right!r} ; possibles : {', '.join(RIGHTS)}",
                           f"unknown right {right!r}; known: {', '.join(RIGHTS)}"), field="--right")
    day = parse_day(received, "--received")
    rid = store.next_id(ws, store.REQUESTS, day.year)
    data = {"id": rid, "right": right, "received_on": day, "reference": reference, "channel": channel,
            "identity_checked": identity_checked, "activities": [a.strip().upper() for a in activities],
            "handler": handler or (org.dpo.name if org.dpo else None)}
    saved = save_item(ws, store.REQUESTS, Request.model_construct(**{k: v for k, v in data.items() if v is not None}), ctx)
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
    ws, _org, ctx = open_ws(root)
    r = _open_request(ws, ctx, request_id)
    ext = Extension.model_construct(decided_on=parse_day(decided, "--decided"), told_on=parse_day(told, "--told"), reason=reason)
    saved = save_item(ws, store.REQUESTS, r.model_copy(update={"extension": ext}), ctx)
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
    ws, _org, ctx = open_ws(root)
    r = _open_request(ws, ctx, request_id)
    if outcome not in OUTCOMES:
        raise InputError(t(f"issue inconnue {outcome!r} ; possibles : {', '.join(OUTCOMES)}",
                           f"unknown outcome {outcome!r}; known: {', '.join(OUTCOMES)}"), field="--outcome")
    saved = save_item(ws, store.REQUESTS, r.model_copy(update={"answered_on": parse_day(answered, "--answered"),
                                                            "outcome": outcome, "refusal_reason": refusal_reason}), ctx)
    rc = request_clock(saved, ctx["now"], ctx["tz"])
    out().print(t(f"{saved.id} close : {t(*STATES[rc.state])} (échéance {rc.due}).",
                  f"{saved.id} closed: {t(*STATES[rc.state])} (due {rc.due})."))


def request_list(root: Path, *, open_only: bool) -> None:
    from rich.table import Table

    ws, _org, ctx = open_ws(root)
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
                      state_label(rc.state), safe(r.reference))
    out().print(table)


# --------------------------------------------------------------------------- export / deadlines


def export(root: Path, kind_name: str, *, fmt: str, output: Path | None) -> None:
    from ..records.export import FORMATS
    from ..records.export import export as build

    if fmt not in FORMATS:
        raise InputError(t(f"format inconnu {fmt!r} : csv ou ods", f"unknown format {fmt!r}: csv or ods"), field="--format")
    ws, _org, ctx = open_ws(root)
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
    ws, org, ctx = open_ws(root)
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
        table.add_row(state_label(i.state), t(*dl.KINDS[i.kind]), safe(i.ref), safe(t(*i.what)) + bill, show(i.due, tz))
    out().print(table)
    late = sum(i.state == "overdue" for i in items)
    out().print(t(f"{late} en retard, {len(items) - late} à faire.", f"{late} overdue, {len(items) - late} due."))
    return 0

