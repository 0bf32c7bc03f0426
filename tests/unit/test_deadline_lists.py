"""Which list a case belongs in (due soon / overdue) and what its countdown says, on a clock the test controls."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from app.models.cases import CaseRow
from views.deadline_lists import (
    deadline_text,
    deadline_tone,
    is_due_soon,
    is_overdue,
    pressing_key,
    sign_overdue,
    urgency,
)

# dispatched Monday 08:30, 及时办: sign by 10:30, due soon Wednesday 11:18, due Wednesday 17:30, escalated Monday
TIMES = {"dispatched_at": "2026-11-30T08:30:00+08:00", "sign_due_at": "2026-11-30T10:30:00+08:00",
         "due_soon_at": "2026-12-02T11:18:00+08:00", "due_at": "2026-12-02T17:30:00+08:00",
         "escalate_at": "2026-12-07T17:30:00+08:00"}


def at(text: str) -> float:
    return datetime.fromisoformat(f"2026-{text}:00+08:00").timestamp()


def row(state: str = "handling", **flags: Any) -> CaseRow:
    case = {"id": 1, "code": "NC-1", "state": state, "reported_at": "2026-11-30T08:00:00+08:00",
            "overdue": False, "escalated": False, "sign_overdue": False, "supervision_count": 0, **TIMES, **flags}
    return CaseRow.of(case)


def test_on_track_is_in_neither_list() -> None:
    now = at("12-01T09:00")
    assert urgency(row(), now) == "on_track"
    assert not is_due_soon(row(), now) and not is_overdue(row(), now)
    assert deadline_text(row(), now) == "剩1天8小时" and deadline_tone(row(), now) == "waiting"


def test_past_80_percent_is_due_soon() -> None:
    now = at("12-02T15:00")
    assert is_due_soon(row(), now) and not is_overdue(row(), now)
    assert deadline_text(row(), now) == "剩2小时30分" and deadline_tone(row(), now) == "warn"


def test_past_the_limit_is_overdue_then_escalated() -> None:
    now = at("12-03T09:30")
    assert is_overdue(row(), now) and not is_due_soon(row(), now)
    assert deadline_text(row(), now) == "超期16小时0分" and deadline_tone(row(), now) == "overdue"
    later = at("12-08T17:30")
    assert urgency(row(), later) == "escalated" and deadline_text(row(), later) == "已升级 · 超期6天0小时"


def test_the_sweepers_flags_count_even_when_the_clock_estimate_lags() -> None:
    early = at("12-01T09:00")
    assert is_overdue(row(overdue=True), early) and urgency(row(overdue=True), early) == "overdue"
    assert urgency(row(overdue=True, escalated=True), early) == "escalated"


def test_unsigned_dispatch_past_its_sign_deadline_is_listed_as_overdue() -> None:
    now = at("11-30T11:00")
    dispatched = row("dispatched")
    assert sign_overdue(dispatched, now) and is_overdue(dispatched, now)
    assert deadline_text(dispatched, now) == "剩2天6小时 · 签收超时30分"
    assert not sign_overdue(row("handling"), now)  # signed: the sign deadline no longer matters
    assert sign_overdue(row("dispatched", sign_overdue=True), at("11-30T09:00"))
    assert not is_due_soon(row("dispatched"), at("12-02T15:00"))  # unsigned and due soon: the overdue list has it


def test_the_clock_stops_at_feedback() -> None:
    late = at("12-04T09:00")
    assert not is_overdue(row("feedback"), late)  # fed back in time, verification pending: not the department's delay
    assert is_overdue(row("feedback", overdue=True), late)
    assert deadline_text(row("feedback", overdue=True), late) == "超期（已反馈待核查）"
    assert not is_due_soon(row("feedback"), at("12-02T15:00"))


def test_cases_outside_the_department_clock_are_not_listed() -> None:
    for state in ("reported", "registered", "verified"):
        assert not is_overdue(row(state, overdue=True), at("12-09T09:00"))
        assert not is_due_soon(row(state), at("12-02T15:00"))


def test_most_pressing_first() -> None:
    unsigned, signed = row("dispatched"), row("handling")
    assert pressing_key(unsigned, 0) < pressing_key(signed, 0)  # the sign deadline comes first
    no_deadline = CaseRow.of({"id": 2, "state": "handling", "reported_at": TIMES["dispatched_at"]})
    assert pressing_key(no_deadline, 0) == float("inf")
