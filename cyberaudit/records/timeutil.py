"""Time in the organisation's zone: parsing local times (DST-aware), calendar months, clock states.

Periods in hours (72 h) are elapsed time: they are added in UTC and shown in the organisation's zone,
so a deadline that crosses a daylight-saving change lands one hour later or earlier on the wall clock.
Periods in months follow Regulation (EEC, Euratom) No 1182/71, art. 3(2)(c): a period of months ends on
the day of the last month that has the same date as the day it runs from; when that day does not exist
in the last month, on that month's last day (31 January + 1 month -> 28/29 February). The day of
receipt is not counted (1182/71 art. 3(1)), which the "same date" rule already gives. The tool does not move a
deadline that falls on a Saturday, Sunday or public holiday to the next working day (1182/71 art. 3(4) would
allow it): it shows the earlier date, the safe one for the organisation.
"""

from __future__ import annotations

import calendar
import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..i18n import t

DEFAULT_TZ = "Europe/Paris"


class TimeError(ValueError):
    """A date or time that cannot be used (the message says why, in the current language)."""


def zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or DEFAULT_TZ)
    except (ZoneInfoNotFoundError, ValueError):
        raise TimeError(t(f"fuseau horaire inconnu {name!r} (ex. Europe/Paris, America/Cayenne)",
                          f"unknown time zone {name!r} (e.g. Europe/Paris, America/Cayenne)")) from None


def org_zone(org) -> ZoneInfo:
    return zone(getattr(org, "timezone", None))


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def localize(naive: dt.datetime, tz: ZoneInfo) -> dt.datetime:
    """A wall-clock time in `tz`; an hour skipped or repeated by a daylight-saving change is an error."""
    first, second = naive.replace(tzinfo=tz, fold=0), naive.replace(tzinfo=tz, fold=1)
    back = first.astimezone(dt.UTC).astimezone(tz).replace(tzinfo=None)
    if back != naive:
        raise TimeError(t(f"l'heure {naive:%Y-%m-%d %H:%M} n'existe pas dans le fuseau {tz.key} "
                          "(passage à l'heure d'été)",
                          f"{naive:%Y-%m-%d %H:%M} does not exist in {tz.key} (daylight-saving change)"))
    if first.utcoffset() != second.utcoffset():
        raise TimeError(t(f"l'heure {naive:%Y-%m-%d %H:%M} existe deux fois dans le fuseau {tz.key} "
                          "(retour à l'heure d'hiver) : précisez le décalage, ex. +02:00 ou +01:00",
                          f"{naive:%Y-%m-%d %H:%M} happens twice in {tz.key} (end of daylight saving): "
                          "give the offset, e.g. +02:00 or +01:00"))
    return first.astimezone(dt.timezone(first.utcoffset()))  # fixed offset: arithmetic in elapsed time


def parse_datetime(text: str, tz: ZoneInfo, *, date_only_ok: bool = False) -> dt.datetime:
    """'2026-03-28 14:30' (organisation's local time), '2026-03-28T14:30+01:00', or a date when allowed."""
    raw = str(text).strip()
    try:
        if len(raw) == 10:
            if not date_only_ok:
                raise TimeError(t("heure attendue : AAAA-MM-JJ HH:MM", "time expected: YYYY-MM-DD HH:MM"))
            return localize(dt.datetime.combine(dt.date.fromisoformat(raw), dt.time()), tz)
        value = dt.datetime.fromisoformat(raw)
    except ValueError:
        raise TimeError(t(f"date et heure {raw!r} illisibles : AAAA-MM-JJ HH:MM (heure locale)",
                          f"unreadable date and time {raw!r}: YYYY-MM-DD HH:MM (local time)")) from None
    if value.tzinfo is None:
        return localize(value, tz)
    return value


def parse_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(str(text).strip())
    except ValueError:
        raise TimeError(t(f"date {text!r} illisible : AAAA-MM-JJ", f"unreadable date {text!r}: YYYY-MM-DD")) from None


def add_months(day: dt.date, months: int) -> dt.date:
    """Same date `months` later; the last day of that month when it has no such date (1182/71 art. 3(2)(c))."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def end_of_day(day: dt.date, tz: ZoneInfo) -> dt.datetime:
    """The last moment of a day in `tz` (a period in days or months ends with the expiry of its last hour)."""
    return localize(dt.datetime.combine(day, dt.time(23, 59, 59)), tz)


def show(moment: dt.datetime | dt.date | None, tz: ZoneInfo) -> str:
    """A moment as the organisation reads it: 2026-03-31 13:00 (+02:00)."""
    if moment is None:
        return "—"
    if not isinstance(moment, dt.datetime):
        return moment.isoformat()
    local = moment.astimezone(tz)
    offset = local.strftime("%z")
    return f"{local:%Y-%m-%d %H:%M} ({offset[:3]}:{offset[3:]})"
