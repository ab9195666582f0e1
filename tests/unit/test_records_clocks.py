"""Legal clocks at their boundaries: 72 h across daylight-saving changes, one month from 31 January,
an extension announced on day 31, NIS2 clocks only for entities the bill would cover."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from cyberaudit.records.clocks import breach_clocks, request_clock
from cyberaudit.records.model import Breach, Request
from cyberaudit.records.timeutil import TimeError, add_months, parse_datetime

PARIS = ZoneInfo("Europe/Paris")
LATER = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)  # "now" far after every date below


def at(text: str, tz: ZoneInfo = PARIS) -> dt.datetime:
    return parse_datetime(text, tz)


def breach(aware: str, **extra) -> Breach:
    data = {"id": "V-2026-001", "title": "Rançongiciel", "occurred_at": at(aware), "aware_at": at(aware), **extra}
    return Breach.model_validate(data, context={"now": LATER, "tz": PARIS})


def cnil(b: Breach, now: dt.datetime):
    return breach_clocks(b, now, None, PARIS)[0]


def test_72_hours_across_the_spring_change_land_one_hour_later_on_the_wall_clock():
    b = breach("2026-03-28 12:00")  # Saturday, +01:00; clocks go forward on Sunday 29 March
    due = cnil(b, LATER).due
    assert due == dt.datetime(2026, 3, 31, 11, 0, tzinfo=dt.UTC)  # 72 h of elapsed time
    assert due.astimezone(PARIS).strftime("%Y-%m-%d %H:%M %z") == "2026-03-31 13:00 +0200"
    assert cnil(b, at("2026-03-31 12:59")).state == "due"
    assert cnil(b, at("2026-03-31 13:01")).state == "overdue"  # naive wall-clock maths would have said 12:00
    on_time = breach("2026-03-28 12:00", cnil={"notified": True, "notified_at": at("2026-03-31 12:30").isoformat()})
    late = breach("2026-03-28 12:00", cnil={"notified": True, "notified_at": at("2026-03-31 13:01").isoformat()})
    assert cnil(on_time, LATER).state == "met" and cnil(late, LATER).state == "late"


def test_72_hours_across_the_autumn_change_land_one_hour_earlier():
    b = breach("2026-10-23 12:00")  # +02:00; back to +01:00 on Sunday 25 October
    due = cnil(b, LATER).due.astimezone(PARIS)
    assert due.strftime("%Y-%m-%d %H:%M %z") == "2026-10-26 11:00 +0100"
    assert cnil(b, at("2026-10-26 10:59")).state == "due" and cnil(b, at("2026-10-26 11:00")).state == "due"
    assert cnil(b, at("2026-10-26 11:01")).state == "overdue"


def test_reasoned_non_notification_stops_the_cnil_clock():
    b = breach("2026-03-28 12:00", cnil={"notified": False, "reason_not": "Données chiffrées, clé non compromise"})
    assert cnil(b, LATER).state == "waived"
    undecided = breach("2026-03-28 12:00", cnil={"notified": False})
    assert cnil(undecided, LATER).state == "overdue"


def test_wall_clock_times_that_do_not_exist_or_happen_twice_are_refused():
    with pytest.raises(TimeError, match="n'existe pas"):
        parse_datetime("2026-03-29 02:30", PARIS)
    with pytest.raises(TimeError, match="deux fois"):
        parse_datetime("2026-10-25 02:30", PARIS)
    first, second = parse_datetime("2026-10-25T02:30+02:00", PARIS), parse_datetime("2026-10-25T02:30+01:00", PARIS)
    assert second - first == dt.timedelta(hours=1)


def test_the_organisation_time_zone_decides_local_times():
    cayenne = ZoneInfo("America/Cayenne")
    assert parse_datetime("2026-03-28 12:00", cayenne) == dt.datetime(2026, 3, 28, 15, 0, tzinfo=dt.UTC)
    assert parse_datetime("2026-03-28 12:00", PARIS) == dt.datetime(2026, 3, 28, 11, 0, tzinfo=dt.UTC)


def test_nis2_clocks_only_for_essential_or_important_entities():
    b = breach("2026-03-28 12:00", nis2={"notification_at": at("2026-03-30 09:00").isoformat()})
    assert [c.key for c in breach_clocks(b, LATER, "not_covered", PARIS)] == ["cnil"]
    assert [c.key for c in breach_clocks(b, LATER, "to_check", PARIS)] == ["cnil"]
    clocks = {c.key: c for c in breach_clocks(b, LATER, "essential", PARIS)}
    assert clocks["nis2_warning"].due.astimezone(PARIS).strftime("%d %H:%M") == "29 13:00"  # 24 h over the change
    assert clocks["nis2_notification"].state == "met"
    assert clocks["nis2_report"].due.astimezone(PARIS).strftime("%Y-%m-%d %H:%M") == "2026-04-30 23:59"
    assert all(c.bill for k, c in clocks.items() if k.startswith("nis2"))
    not_significant = breach("2026-03-28 12:00", nis2={"significant": False})
    assert [c.key for c in breach_clocks(not_significant, LATER, "important", PARIS)] == ["cnil"]


def test_final_report_counts_from_the_notification_deadline_until_one_is_recorded():
    b = breach("2026-01-28 10:00")  # notification deadline 31 January 10:00 -> report by 28 February
    report = {c.key: c for c in breach_clocks(b, LATER, "important", PARIS)}["nis2_report"]
    assert report.due.astimezone(PARIS).date() == dt.date(2026, 2, 28)


@pytest.mark.parametrize(("start", "months", "end"), [
    ((2026, 1, 31), 1, (2026, 2, 28)), ((2028, 1, 31), 1, (2028, 2, 29)), ((2026, 3, 31), 1, (2026, 4, 30)),
    ((2026, 1, 15), 1, (2026, 2, 15)), ((2026, 11, 30), 3, (2027, 2, 28)), ((2026, 12, 31), 1, (2027, 1, 31)),
])
def test_calendar_months(start, months, end):
    assert add_months(dt.date(*start), months) == dt.date(*end)


def request(received: dt.date, **extra) -> Request:
    data = {"id": "D-2026-001", "right": "access", "received_on": received, "reference": "Courrier 14", **extra}
    return Request.model_validate(data, context={"now": LATER, "tz": PARIS})


def test_request_received_on_31_january_is_due_at_the_end_of_february():
    r = request(dt.date(2026, 1, 31))
    rc = request_clock(r, LATER, PARIS)
    assert rc.due == dt.date(2026, 2, 28) and not rc.extended
    assert request_clock(r, at("2026-02-28 23:59"), PARIS).state == "due"
    assert request_clock(r, at("2026-03-01 00:00"), PARIS).state == "overdue"
    answered = {"outcome": "granted"}
    assert request_clock(request(dt.date(2026, 1, 31), answered_on=dt.date(2026, 2, 28), **answered), LATER,
                         PARIS).state == "met"
    assert request_clock(request(dt.date(2026, 1, 31), answered_on=dt.date(2026, 3, 1), **answered), LATER,
                         PARIS).state == "late"


def test_extension_told_on_the_last_day_of_the_first_month_counts():
    # received 1 March: day 31 is 1 April, the last day of the first month -> three months from receipt
    ext = {"decided_on": dt.date(2026, 3, 25), "told_on": dt.date(2026, 4, 1)}
    rc = request_clock(request(dt.date(2026, 3, 1), extension=ext), LATER, PARIS)
    assert rc.extended and rc.first_due == dt.date(2026, 4, 1) and rc.due == dt.date(2026, 6, 1)
    # received 31 January, extended on 28 February: 30 April (three months from receipt, not 28 Feb + 2 months)
    ext = {"decided_on": dt.date(2026, 2, 20), "told_on": dt.date(2026, 2, 28)}
    assert request_clock(request(dt.date(2026, 1, 31), extension=ext), LATER, PARIS).due == dt.date(2026, 4, 30)


def test_extension_told_on_day_31_after_a_february_does_not_count():
    # received 1 February: the first month ends on 1 March; day 31 is 4 March, too late
    ext = {"decided_on": dt.date(2026, 2, 20), "told_on": dt.date(2026, 3, 4)}
    rc = request_clock(request(dt.date(2026, 2, 1), extension=ext), LATER, PARIS)
    assert not rc.extended and rc.extension_late and rc.due == dt.date(2026, 3, 1)
    assert rc.state == "overdue" and rc.clock.note is not None
