"""Findings from the breach log and the request log, and the summary the report and the barometer read.

    found, meta = assess(ws, org, now=now, nis2_status="essential")

Findings (source "records", theme rgpd) carry item IDs as targets and never a person's data. The
interview questions priv.breach.log and priv.rights.procedure name them in `confirms` (see joins.py).
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from ..model import Finding
from . import rules_meta as R
from . import store
from .clocks import breach_clocks, request_clock
from .model import Breach, Request
from .screening import screen
from .timeutil import org_zone, show

DOC_FIELDS = (("nature", ("nature", "nature")), ("data_categories", ("catégories de données", "data categories")),
              ("consequences", ("conséquences", "consequences")), ("measures_taken", ("mesures prises", "measures taken")))


def _cnil(b: Breach, now: dt.datetime, tz: ZoneInfo) -> Finding:
    c = breach_clocks(b, now, None, tz)[0]
    when = show(c.due, tz)
    ev = {"clock": c.state, "due": c.due.isoformat()}
    if c.state == "met":
        return R.finding(R.CNIL_DEADLINE, "pass", target=b.id, evidence=ev)
    if c.state == "waived":
        return R.finding(R.CNIL_DEADLINE, "pass", target=b.id, evidence=ev,
                         detail=("Non notifiée : motif consigné.", "Not notified: reason recorded."))
    if c.state == "due":
        return R.finding(R.CNIL_DEADLINE, "info", target=b.id, evidence=ev,
                         detail=(f"Délai en cours : décision à prendre avant le {when}.",
                                 f"Clock running: decide before {when}."))
    if c.state == "late":
        reasons = bool(b.cnil.delay_reason)
        return R.finding(R.CNIL_DEADLINE, "warn" if reasons else "fail", target=b.id, evidence=ev,
                         detail=(f"Notifiée après l'échéance du {when}" + (", motifs du retard consignés." if reasons
                                                                          else ", sans motif du retard consigné."),
                                 f"Notified after the {when} deadline" + (", reasons for the delay recorded." if reasons
                                                                          else ", no reason for the delay recorded.")))
    return R.finding(R.CNIL_DEADLINE, "fail", target=b.id, evidence=ev,
                     detail=(f"Échéance du {when} dépassée sans notification ni motif consigné.",
                             f"Deadline of {when} passed with neither a notification nor a recorded reason."))


def _documented(b: Breach) -> Finding:
    missing = [label for key, label in DOC_FIELDS if getattr(b, key) in (None, "", [])]
    if not missing:
        return R.finding(R.DOCUMENTED, "pass", target=b.id)
    return R.finding(R.DOCUMENTED, "warn", target=b.id, evidence={"missing": [k for k, _ in DOC_FIELDS
                                                                              if getattr(b, k) in (None, "", [])]},
                     detail=("À compléter : " + ", ".join(m[0] for m in missing) + ".",
                             "To complete: " + ", ".join(m[1] for m in missing) + "."))


def _people(b: Breach) -> Finding | None:
    p = b.people
    if p.informed or (p.informed is False and p.reason_not):
        return R.finding(R.PEOPLE_INFORMED, "pass", target=b.id)
    if b.risk == "high":
        return R.finding(R.PEOPLE_INFORMED, "fail", target=b.id, evidence={"risk": "high"},
                         detail=("Risque élevé retenu par le DPO, personnes non informées et aucune exception "
                                 "consignée.", "High risk found by the DPO, people not told and no exception recorded."))
    if screen(b).people == "likely_required" and b.risk is None:
        return R.finding(R.PEOPLE_INFORMED, "warn", target=b.id, evidence={"screening": "likely_required"},
                         detail=("La pré-analyse suggère un risque élevé : décision à prendre et à consigner.",
                                 "The screening suggests a high risk: a decision to take and record."))
    return None


def _request(r: Request, now: dt.datetime, tz: ZoneInfo) -> Finding:
    rc = request_clock(r, now, tz)
    ev = {"clock": rc.state, "due": rc.due.isoformat(), "right": r.right}
    if rc.extension_late:
        ev["extension"] = "told_after_first_month"
    status = {"met": "pass", "due": "info", "late": "fail", "overdue": "fail"}[rc.state]
    detail = {"met": None,
              "due": (f"En cours : réponse due au plus tard le {rc.due}.", f"Open: answer due by {rc.due}."),
              "late": (f"Répondue le {r.answered_on}, après l'échéance du {rc.due}.",
                       f"Answered on {r.answered_on}, after the {rc.due} deadline."),
              "overdue": (f"Sans réponse : échéance du {rc.due} dépassée.", f"Unanswered: deadline of {rc.due} passed.")}
    d = detail[rc.state]
    if rc.extension_late and d:
        d = (d[0] + " Prolongation annoncée après le premier mois : elle ne compte pas.",
             d[1] + " Extension announced after the first month: it does not count.")
    return R.finding(R.REQUEST_DEADLINE, status, target=r.id, evidence=ev, detail=d)


def check(breaches: list[Breach], requests: list[Request], *, now: dt.datetime, tz: ZoneInfo) -> list[Finding]:
    out: list[Finding] = []
    if breaches:
        out.append(R.finding(R.BREACH_LOG, "pass", target=None, evidence={"log": "breaches/"}))
    for b in sorted(breaches, key=lambda x: x.id):
        out += [_cnil(b, now, tz), _documented(b)]
        people = _people(b)
        if people is not None:
            out.append(people)
    out += [_request(r, now, tz) for r in sorted(requests, key=lambda x: x.id)]
    return out


def assess(ws, org, *, now: dt.datetime, nis2_status: str | None) -> tuple[list[Finding], dict[str, Any]]:
    """Findings and the report's summary (counts and overdue items by ID: no personal data)."""
    from .deadlines import collect

    ctx = store.context(org, now)
    breaches = store.load_all(ws, store.BREACHES, ctx)
    requests = store.load_all(ws, store.REQUESTS, ctx)
    tz = org_zone(org)
    items = collect(breaches, requests, now=now, tz=tz, nis2_status=nis2_status)
    meta = {
        "breach_log": bool(breaches),
        "breaches": {"total": len(breaches), "open": sum(b.closed_on is None for b in breaches),
                     "notified": sum(bool(b.cnil.notified) for b in breaches)},
        "requests": {"total": len(requests), "open": sum(not r.closed for r in requests),
                     "late": sum(request_clock(r, now, tz).state in ("late", "overdue") for r in requests)},
        "overdue": [i.public() for i in items if i.state == "overdue"],
        "due": [i.public() for i in items if i.state == "due"],
        "timezone": tz.key,
    }
    return check(breaches, requests, now=now, tz=tz), meta
