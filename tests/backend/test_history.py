"""The history fill (services/demo/history.py) on a real store: every rule runs at its past time, the sweeper's
events happen when they would have, the log's times never go backwards, and recent work is left open."""

from __future__ import annotations

import io
from collections import Counter
from datetime import datetime

import pytest

from config.schema import DEFAULT_HOLIDAY_DIR
from services.backend.seed import ensure_demo
from services.backend.store import Store, StoredEvent
from services.demo.director import parse_time
from services.demo.history import MONTH_S, ProgressLine, expected_cases, fill_history, next_sweep_time
from services.domain.workcalendar import CST, WorkCalendar
from tests.backend.conftest import make_rules

END = datetime(2026, 11, 23, 8, 0, tzinfo=CST).timestamp()  # a Monday morning
MONTHS, RATE = 0.25, 4.0


def all_events(store: Store, after: int) -> list[StoredEvent]:
    out: list[StoredEvent] = []
    while batch := store.events_after(after, 5000):
        out += batch
        after = batch[-1].seq
    return out


def test_history_runs_every_rule_at_its_past_time(db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    rules = make_rules()
    store = Store.open(db_url, rules, WorkCalendar(rules.working_hours, DEFAULT_HOLIDAY_DIR))
    try:
        ensure_demo(store)
        head = store.head_seq()
        lines = io.StringIO()
        result = fill_history(store, months=MONTHS, rate_per_hour=RATE, end=END, seed=5,
                              progress=ProgressLine(expected_cases(MONTHS, RATE), stream=lines))
        events = all_events(store, head)
        assert not result.failed, result.failed  # every step the director planned was accepted by the real rules
        check_times_and_kinds(store, events, result.created["case"])
        check_sweeps_fired_at_the_deadlines(events)
        check_recent_work_left_open(store)
        assert "历史数据 100%" in lines.getvalue() and f"{result.created['case']:,}" in lines.getvalue()
    finally:
        store.close()


def check_times_and_kinds(store: Store, events: list[StoredEvent], cases: int) -> None:
    start = END - MONTHS * MONTH_S
    assert all(start <= e.ts < END for e in events)
    assert [e.ts for e in events] == sorted(e.ts for e in events)  # times never go backwards along the seqs
    sim_users = {u["name"] for u in store.list_users() if u["name"].startswith("sim_")}
    assert {e.actor for e in events} <= {"system"} | sim_users
    kinds = Counter(e.kind for e in events)
    for kind in ("case.reported", "case.registered", "case.rejected", "case.dispatched", "case.returned",
                 "case.arbitrated", "case.signed", "case.sign_overdue", "case.extension_requested",
                 "case.extension_decided", "case.feedback", "case.verified", "case.reworked", "case.closed",
                 "case.evaluated", "case.overdue", "case.supervised", "whistle.raised", "whistle.approved",
                 "whistle.arrived", "whistle.resolved", "whistle.scored", "alarm.raised",
                 "alarm.dismissed", "alarm.converted", "dispute.opened", "dispute.assigned", "dispute.scheduled",
                 "dispute.session_recorded", "dispute.agreed"):
        assert kinds[kind], f"no {kind} in {dict(kinds)}"
    assert cases == kinds["case.reported"]


CLOCKED = {"dispatched", "returned", "handling"}


def check_sweeps_fired_at_the_deadlines(events: list[StoredEvent]) -> None:
    """Each sign-overdue / overdue flag comes at the first half-hour sweep after its deadline passed while the
    department's clock ran (a case in feedback is not flagged until a failed verification restarts the clock)."""
    entered: dict[int, float] = {}
    flagged = 0
    for e in events:
        if e.entity != "case":
            continue
        to = (e.data.get("change") or {}).get("to")
        if to in CLOCKED and (e.data.get("change") or {}).get("from") not in CLOCKED:
            entered[e.entity_id] = e.ts
        if e.kind in ("case.sign_overdue", "case.overdue"):
            flagged += 1
            key = "sign_due_at" if e.kind == "case.sign_overdue" else "due_at"
            deadline = parse_time(e.data["change"][key])
            assert deadline is not None
            since = max(deadline, entered[e.entity_id])
            assert deadline <= e.ts <= since + 45 * 60, (e.kind, e.entity_id, deadline, since, e.ts)
            assert e.actor == "system" and e.console == "deadline-sweeper"
    assert flagged
    late_signs = {e.entity_id for e in events if e.kind == "case.signed" and e.data["change"]["late"]}
    assert late_signs & {e.entity_id for e in events if e.kind == "case.sign_overdue"}


def check_recent_work_left_open(store: Store) -> None:
    snap = store.snapshot(["open_cases", "open_disputes"], now=END)
    states = Counter(c["state"] for c in snap["open_cases"])
    assert states["handling"] and states["dispatched"]
    assert max(parse_time(c["reported_at"]) or 0 for c in snap["open_cases"]) > END - 86400
    assert store.query_cases({"states": ["evaluated"], "limit": 1})["cases"]  # and older work is finished
    assert snap["open_disputes"]


def test_sweeps_happen_in_working_half_hours() -> None:
    rules = make_rules()
    store = Store.__new__(Store)  # next_sweep_time only reads the rules and the calendar
    store.rules, store.calendar = rules, WorkCalendar(rules.working_hours, DEFAULT_HOLIDAY_DIR)
    friday_evening = datetime(2026, 11, 20, 17, 31, tzinfo=CST).timestamp()
    assert next_sweep_time(store, friday_evening) == datetime(2026, 11, 23, 8, 30, tzinfo=CST).timestamp()
    tuesday = datetime(2026, 11, 24, 10, 0, 1, tzinfo=CST).timestamp()
    assert next_sweep_time(store, tuesday) == datetime(2026, 11, 24, 10, 30, tzinfo=CST).timestamp()
    national_day = datetime(2026, 10, 1, 9, 0, tzinfo=CST).timestamp()  # a statutory holiday
    assert next_sweep_time(store, national_day) > datetime(2026, 10, 7, 23, 0, tzinfo=CST).timestamp()
