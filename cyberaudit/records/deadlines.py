"""What is due and overdue across the workspace: breach clocks, request clocks, register entries not
reviewed for 12 months, certificates of the last scan that expire within 30 days.

Items carry IDs, dates and states only (no personal data): the report and `cyberaudit deadlines` show them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from .clocks import breach_clocks, request_clock
from .model import Breach, Request
from .timeutil import add_months, end_of_day

REVIEW_MONTHS = 12
CERT_DAYS = 30
SOON_DAYS = 30  # a register review shows from 30 days before it falls due
KINDS = {"breach": ("Violation", "Breach"), "request": ("Demande", "Request"),
         "register": ("Registre", "Record"), "certificate": ("Certificat", "Certificate")}


@dataclass(frozen=True)
class Item:
    kind: str  # a key of KINDS
    ref: str  # item ID, activity ID or host
    what: tuple[str, str]
    due: dt.datetime | None  # None: never reviewed
    state: str  # due | overdue
    bill: bool = False  # NIS2: under the bill

    def public(self) -> dict[str, Any]:
        return {"kind": self.kind, "id": self.ref, "what": {"fr": self.what[0], "en": self.what[1]},
                "due": self.due.isoformat() if self.due else None, "state": self.state, "bill": self.bill}


def collect(breaches: list[Breach], requests: list[Request], *, now: dt.datetime, tz: ZoneInfo,
            nis2_status: str | None) -> list[Item]:
    out = []
    for b in breaches:
        if b.closed_on is not None:
            continue
        for c in breach_clocks(b, now, nis2_status, tz):
            if c.state in ("due", "overdue"):
                out.append(Item("breach", b.id, c.label, c.due.astimezone(tz), c.state, c.bill))
    for r in requests:
        rc = request_clock(r, now, tz)
        if rc.state in ("due", "overdue"):
            out.append(Item("request", r.id, rc.clock.label, rc.clock.due, rc.state))
    return out


def register_items(activities, *, now: dt.datetime, tz: ZoneInfo) -> list[Item]:
    today = now.astimezone(tz).date()
    out = []
    for a in activities:
        if getattr(a, "status", None) == "archived":
            continue
        last = a.updated or a.created
        what = ("Revue annuelle de l'activité (non revue depuis 12 mois)", "Yearly review of the activity (12 months)")
        if last is None:
            out.append(Item("register", a.id, ("Activité jamais datée : à revoir", "Activity never dated: review it"),
                            None, "overdue"))
            continue
        due = add_months(last, REVIEW_MONTHS)
        if today > due:
            out.append(Item("register", a.id, what, end_of_day(due, tz), "overdue"))
        elif (due - today).days <= SOON_DAYS:
            out.append(Item("register", a.id, what, end_of_day(due, tz), "due"))
    return out


def certificate_items(findings, *, now: dt.datetime) -> list[Item]:
    """tls.cert.expiry findings of the last scan whose certificate ends within 30 days (or has ended)."""
    seen: dict[str, Item] = {}
    for f in findings or []:
        if f.id != "tls.cert.expiry" or not f.target:
            continue
        try:
            end = dt.datetime.fromisoformat(str(f.evidence.get("not_after")))
        except ValueError:
            continue
        if end.tzinfo is None:
            end = end.replace(tzinfo=dt.UTC)
        if end - now > dt.timedelta(days=CERT_DAYS):
            continue
        item = Item("certificate", f.target, ("Renouvellement du certificat TLS", "TLS certificate renewal"), end,
                    "overdue" if end < now else "due")
        if f.target not in seen or end < (seen[f.target].due or end):
            seen[f.target] = item
    return list(seen.values())


def order(items: list[Item]) -> list[Item]:
    """Overdue first, then by due date (an item never reviewed comes first)."""
    never = dt.datetime.min.replace(tzinfo=dt.UTC)
    return sorted(items, key=lambda i: (i.state != "overdue", i.due or never, i.kind, i.ref))
