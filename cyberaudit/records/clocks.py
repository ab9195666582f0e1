"""The legal clocks of a breach and of a request: deadline, and whether it is due, overdue, met or late.

Breach (from awareness, `aware_at`):
- CNIL: 72 hours (GDPR art. 33(1)); stopped by the notification, or by a recorded reason not to notify.
- NIS2, only for an organisation the bill would make an essential or important entity (profile fact
  `nis2`), and shown "au titre du projet de loi": early warning 24 h and notification 72 h after
  awareness; final report one month after the notification (directive 2022/2555 art. 23(4)(d)), counted
  from the notification deadline while no notification is recorded. A breach marked not significant
  (`nis2.significant: false`) has no NIS2 clock.
Request (from receipt, `received_on`): one month (art. 12(3)), three months from receipt when the
person was told of the extension on or before the last day of the first month. Month arithmetic:
timeutil.add_months (Regulation 1182/71 art. 3(2)(c)); a day-based deadline ends at 23:59:59 local time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from .model import Breach, Request
from .timeutil import add_months, end_of_day

STATES = {"due": ("à faire", "due"), "overdue": ("en retard", "overdue"), "met": ("fait dans le délai", "met"),
          "late": ("fait en retard", "done late"), "waived": ("sans objet (décision motivée)", "not required (reasoned)")}
NIS2_ENTITIES = ("essential", "important")
BILL = ("au titre du projet de loi", "under the bill")


@dataclass(frozen=True)
class Clock:
    key: str  # cnil | nis2_warning | nis2_notification | nis2_report | answer
    label: tuple[str, str]
    due: dt.datetime
    done: dt.datetime | None
    state: str  # a key of STATES
    bill: bool = False  # NIS2: derived from a bill, not from law in force
    note: tuple[str, str] | None = None

    def remaining(self, now: dt.datetime) -> dt.timedelta:
        return self.due - now


def _state(due: dt.datetime, done: dt.datetime | None, now: dt.datetime, waived: bool = False) -> str:
    if waived:
        return "waived"
    if done is not None:
        return "met" if done <= due else "late"
    return "due" if now <= due else "overdue"


def breach_clocks(b: Breach, now: dt.datetime, nis2_status: str | None, tz: ZoneInfo) -> list[Clock]:
    aware = b.aware_at.astimezone(dt.UTC)  # periods in hours are elapsed time
    cnil_due = aware + dt.timedelta(hours=72)  # elapsed time: crosses a DST change unchanged
    waived = b.cnil.notified is False and bool(b.cnil.reason_not)
    out = [Clock("cnil", ("Notification à la CNIL (72 h, art. 33(1))", "CNIL notification (72 h, art. 33(1))"),
                 cnil_due, b.cnil.notified_at if b.cnil.notified else None,
                 _state(cnil_due, b.cnil.notified_at if b.cnil.notified else None, now, waived),
                 note=("motifs du retard consignés", "reasons for the delay recorded") if b.cnil.delay_reason else None)]
    if nis2_status not in NIS2_ENTITIES or b.nis2.significant is False:
        return out
    n = b.nis2
    warn_due, notif_due = aware + dt.timedelta(hours=24), aware + dt.timedelta(hours=72)
    base = n.notification_at or notif_due
    report_due = end_of_day(add_months(base.astimezone(tz).date(), 1), tz)
    note = None if n.significant else ("si l'incident est important au sens du projet de loi",
                                       "if the incident is significant under the bill")
    out += [Clock("nis2_warning", ("NIS 2 : alerte précoce à l'ANSSI (24 h)", "NIS2: early warning to ANSSI (24 h)"),
                  warn_due, n.early_warning_at, _state(warn_due, n.early_warning_at, now), True, note),
            Clock("nis2_notification", ("NIS 2 : notification d'incident (72 h)", "NIS2: incident notification (72 h)"),
                  notif_due, n.notification_at, _state(notif_due, n.notification_at, now), True, note),
            Clock("nis2_report", ("NIS 2 : rapport final (1 mois après la notification)",
                                  "NIS2: final report (1 month after the notification)"),
                  report_due, n.report_at, _state(report_due, n.report_at, now), True, note)]
    return out


@dataclass(frozen=True)
class RequestClock:
    first_due: dt.date  # end of the first month
    due: dt.date  # the deadline that applies (extended or not)
    extended: bool  # a valid extension (person told within the first month)
    extension_late: bool  # an extension was recorded but the person was told after the first month
    state: str
    clock: Clock


def request_clock(r: Request, now: dt.datetime, tz: ZoneInfo) -> RequestClock:
    first = add_months(r.received_on, 1)
    ext = r.extension
    extended = ext is not None and ext.told_on <= first
    due = add_months(r.received_on, 3) if extended else first
    due_at = end_of_day(due, tz)
    done = end_of_day(r.answered_on, tz) if r.answered_on else None
    # answered on a day: met when that day is not after the due day
    state = _state(due_at, None, now) if done is None else "met" if r.answered_on <= due else "late"
    label = ("Réponse à la demande (1 mois, art. 12(3))", "Answer to the request (1 month, art. 12(3))") if not extended \
        else ("Réponse à la demande (prolongée de 2 mois, art. 12(3))", "Answer to the request (extended by 2 months)")
    note = ("prolongation annoncée après le premier mois : elle ne compte pas",
            "extension announced after the first month: it does not count") if ext and not extended else None
    return RequestClock(first, due, extended, ext is not None and not extended, state,
                        Clock("answer", label, due_at, done, state, note=note))
