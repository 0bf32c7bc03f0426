"""services/domain/deadlines.py: sign, due soon, due, escalation and arrival deadlines on the working-day clock.

Expected instants are worked out by hand from the working periods 08:30-12:00 and 14:00-17:30 (7 h a day)
and the 2026 notice (March 2026 has no holiday; National Day is 10-01..10-07, 10-10 is a working Saturday).
"""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta, timezone

import pytest

from config.schema import CaseRules, Rules, load_rules
from services.domain.deadlines import DeadlinePolicy, Urgency, to_dt
from services.domain.model import ResolutionClass
from services.domain.workcalendar import WorkCalendar

TZ = timezone(timedelta(hours=8))
DAY = 7 * 3600
RC = ResolutionClass


def ts(y: int, m: int, d: int, hh: int = 0, mm: int = 0) -> float:
    return datetime(y, m, d, hh, mm, tzinfo=TZ).timestamp()


def show(t: float) -> str:
    return datetime.fromtimestamp(t, TZ).strftime("%Y-%m-%d %a %H:%M:%S")


@pytest.fixture
def policy() -> DeadlinePolicy:
    rules = load_rules()
    return DeadlinePolicy(WorkCalendar(rules.working_hours), rules)


def test_to_dt_is_china_time():
    assert to_dt(ts(2026, 3, 9, 9, 0)) == datetime(2026, 3, 9, 9, 0, tzinfo=TZ)
    assert to_dt(ts(2026, 3, 9, 9, 0)).utcoffset() == timedelta(hours=8)


@pytest.mark.parametrize(("cls", "days"), [(RC.immediate, 3), (RC.coordinated, 7), (RC.planned, 15)])
def test_class_limits_in_working_days(policy, cls, days):
    assert policy.limit_seconds(cls) == days * DAY
    assert policy.limit_seconds(cls, extension_days=2) == (days + 2) * DAY


@pytest.mark.parametrize(("dispatched", "sign_due"), [
    (ts(2026, 3, 9, 9, 0), ts(2026, 3, 9, 11, 0)),
    (ts(2026, 3, 9, 11, 0), ts(2026, 3, 9, 15, 0)),     # 1 h before lunch, 1 h after
    (ts(2026, 3, 9, 16, 0), ts(2026, 3, 10, 9, 0)),     # 1.5 h today, 0.5 h tomorrow
    (ts(2026, 3, 6, 16, 0), ts(2026, 3, 9, 9, 0)),      # Friday -> Monday
    (ts(2026, 3, 7, 11, 0), ts(2026, 3, 9, 10, 30)),    # dispatched on a Saturday
    (ts(2026, 9, 30, 16, 30), ts(2026, 10, 8, 9, 30)),  # across National Day
])
def test_sign_due_is_two_working_hours(policy, dispatched, sign_due):
    got = policy.for_dispatch(dispatched, RC.immediate).sign_due_at
    assert got == sign_due, show(got)


def test_friday_16_00_dispatch_lands_next_week(policy):
    d = policy.for_dispatch(ts(2026, 3, 6, 16, 0), RC.immediate)
    # limit 3 days = 21 h; Fri gives 1.5 h, Mon 7, Tue 7 -> 15.5 h, Wed 08:30-12:00 + 14:00-16:00.
    assert d.due_at == ts(2026, 3, 11, 16, 0), show(d.due_at)
    # 80 % = 16.8 h: 15.5 h by Tue evening, 1.3 h (78 min) on Wed -> 09:48.
    assert d.due_soon_at == ts(2026, 3, 11, 9, 48), show(d.due_soon_at)
    # 2x = 42 h: 1.5 + 5 x 7 = 36.5 h by Fri 03-13, 5.5 h on Mon 03-16 -> 16:00.
    assert d.escalate_at == ts(2026, 3, 16, 16, 0), show(d.escalate_at)
    assert d.sign_due_at == ts(2026, 3, 9, 9, 0), show(d.sign_due_at)


@pytest.mark.parametrize(("cls", "due"), [
    (RC.coordinated, ts(2026, 3, 17, 16, 0)),   # 49 h: 1.5 + 35 (03-09..13) + 7 (03-16) + 5.5 (Tue 03-17)
    (RC.planned, ts(2026, 3, 27, 16, 0)),       # 105 h: 1.5 + 70 (two weeks) + 28 (03-23..26) + 5.5
])
def test_friday_dispatch_longer_classes(policy, cls, due):
    got = policy.for_dispatch(ts(2026, 3, 6, 16, 0), cls).due_at
    assert got == due, show(got)


def test_due_soon_is_80_percent_and_escalation_2x_of_the_limit_in_working_time(policy):
    start = ts(2026, 9, 28, 10, 17)
    for cls in RC:
        d = policy.for_dispatch(start, cls)
        limit = policy.limit_seconds(cls)
        between = policy.calendar.working_seconds_between
        assert between(to_dt(start), to_dt(d.due_soon_at)) == pytest.approx(0.8 * limit, abs=1e-6)
        assert between(to_dt(start), to_dt(d.due_at)) == pytest.approx(limit, abs=1e-6)
        assert between(to_dt(start), to_dt(d.escalate_at)) == pytest.approx(2 * limit, abs=1e-6)
        assert d.sign_due_at < d.due_soon_at < d.due_at < d.escalate_at


def test_deadline_across_national_day_2026(policy):
    d = policy.for_dispatch(ts(2026, 9, 30, 15, 0), RC.immediate)
    # 2.5 h on 09-30, 7 h on 10-08 and 10-09, 4.5 h on the working Saturday 10-10 -> 15:00.
    assert d.due_at == ts(2026, 10, 10, 15, 0), show(d.due_at)
    assert d.sign_due_at == ts(2026, 9, 30, 17, 0)


def test_extension_days_lengthen_the_limit(policy):
    d = policy.for_dispatch(ts(2026, 3, 9, 9, 0), RC.immediate, extension_days=2)
    assert d.due_at == ts(2026, 3, 16, 9, 0), show(d.due_at)   # 5 working days after Mon 09:00
    assert d.sign_due_at == ts(2026, 3, 9, 11, 0)             # signing is not extended


def test_other_rules_are_honoured():
    rules = dataclasses.replace(Rules(), case=CaseRules(sign_limit_hours=4.0, due_soon_ratio=0.5))
    p = DeadlinePolicy(WorkCalendar(rules.working_hours), rules)
    d = p.for_dispatch(ts(2026, 3, 9, 9, 0), RC.immediate)
    assert d.sign_due_at == ts(2026, 3, 9, 15, 0)
    # half of 21 h = 10.5 h: 6.5 h on Monday from 09:00, 3.5 h + 0.5 h on Tuesday -> 14:30.
    assert d.due_soon_at == ts(2026, 3, 10, 14, 30)


# -- urgency -------------------------------------------------------------------------------------
@pytest.mark.parametrize(("now", "expected"), [
    (0.0, Urgency.on_track),
    (99.999, Urgency.on_track),
    (100.0, Urgency.due_soon),
    (199.999, Urgency.due_soon),
    (200.0, Urgency.overdue),
    (399.999, Urgency.overdue),
    (400.0, Urgency.escalated),
    (10_000.0, Urgency.escalated),
])
def test_urgency_boundaries(now, expected):
    assert DeadlinePolicy.urgency(now, 100.0, 200.0, 400.0) is expected


def test_urgency_without_deadlines():
    assert DeadlinePolicy.urgency(1e12, None, None, None) is Urgency.on_track
    assert DeadlinePolicy.urgency(1e12, 100.0, None, 400.0) is Urgency.on_track
    assert DeadlinePolicy.urgency(300.0, None, 200.0, None) is Urgency.overdue
    assert DeadlinePolicy.urgency(150.0, None, 200.0, None) is Urgency.on_track
    assert DeadlinePolicy.urgency(1e12, 100.0, 200.0, None) is Urgency.overdue


def test_urgency_on_real_deadlines(policy):
    d = policy.for_dispatch(ts(2026, 3, 6, 16, 0), RC.immediate)
    u = lambda now: policy.urgency(now, d.due_soon_at, d.due_at, d.escalate_at)  # noqa: E731
    assert u(ts(2026, 3, 11, 9, 47)) is Urgency.on_track
    assert u(ts(2026, 3, 11, 9, 48)) is Urgency.due_soon
    assert u(ts(2026, 3, 11, 15, 59)) is Urgency.due_soon
    assert u(ts(2026, 3, 11, 16, 0)) is Urgency.overdue
    assert u(ts(2026, 3, 16, 15, 59)) is Urgency.overdue
    assert u(ts(2026, 3, 16, 16, 0)) is Urgency.escalated


def test_remaining_working_seconds(policy):
    d = policy.for_dispatch(ts(2026, 3, 6, 16, 0), RC.immediate)
    assert policy.remaining_working_seconds(ts(2026, 3, 6, 16, 0), d.due_at) == 3 * DAY
    assert policy.remaining_working_seconds(ts(2026, 3, 7, 12, 0), d.due_at) == 3 * DAY - 1.5 * 3600
    assert policy.remaining_working_seconds(ts(2026, 3, 12, 9, 0), d.due_at) == -(1.5 + 0.5) * 3600


# -- whistles ------------------------------------------------------------------------------------
@pytest.mark.parametrize(("approved", "due"), [
    (ts(2026, 3, 9, 10, 0), ts(2026, 3, 10, 10, 0)),
    (ts(2026, 3, 6, 16, 0), ts(2026, 3, 9, 16, 0)),     # Fri 1.5 h + Mon 5.5 h
    (ts(2026, 3, 9, 20, 0), ts(2026, 3, 10, 17, 30)),   # evening: the whole next day
    (ts(2026, 9, 30, 10, 0), ts(2026, 10, 8, 10, 0)),   # across National Day
])
def test_arrival_due_is_one_working_day(policy, approved, due):
    got = policy.arrival_due(approved)
    assert got == due, show(got)


def test_resolution_due_matches_the_dispatch_due(policy):
    for cls in RC:
        start = ts(2026, 9, 30, 15, 0)
        assert policy.resolution_due(start, cls) == policy.for_dispatch(start, cls).due_at
    assert policy.resolution_due(ts(2026, 3, 6, 16, 0), RC.immediate) == ts(2026, 3, 11, 16, 0)


# -- into 2027 -----------------------------------------------------------------------------------
def test_december_2026_dispatch_due_in_2027_without_a_notice(policy):
    d = policy.for_dispatch(ts(2026, 12, 30, 10, 0), RC.coordinated)
    # 49 h: 5.5 h on Wed 12-30, 7 h on 12-31 (12.5), then weekdays only (2027 unknown):
    # Fri 01-01 (19.5), Mon-Thu 01-04..07 (47.5), 1.5 h on Fri 01-08 -> 10:00.
    assert d.due_at == ts(2027, 1, 8, 10, 0), show(d.due_at)
    assert [w.year for w in policy.calendar.warnings()] == [2027]


def test_december_2026_dispatch_due_in_2027_with_a_notice(tmp_path):
    (tmp_path / "2027.toml").write_text(
        'year = 2027\nsource = "test notice"\nholidays = [2027-01-01]\nworkdays = []\n', encoding="utf-8")
    rules = load_rules()
    p = DeadlinePolicy(WorkCalendar(rules.working_hours, tmp_path), rules)
    d = p.for_dispatch(ts(2026, 12, 30, 10, 0), RC.coordinated)
    # as above, but 01-01 is off: 12.5 h by 12-31, 35 h on 01-04..08 (47.5), 1.5 h on Mon 01-11.
    assert d.due_at == ts(2027, 1, 11, 10, 0), show(d.due_at)
    assert p.calendar.warnings() == []
    assert p.for_dispatch(ts(2026, 12, 31, 17, 0), RC.immediate).sign_due_at == ts(2027, 1, 4, 10, 0)
