"""The department load bookkeeping (Qt-free part of app/models/departments.py): incremental per-case contributions,
overdue by flag or by the clock, whistle arrivals; checked against a full recount on random histories."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from typing import Any

from app.models.departments import CaseFacts, Load, LoadTally

T0 = 1_800_000_000.0


def iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).isoformat()


def case(cid: int, state: str, lead: int | None, *, due: float | None = None, overdue: bool = False,
         version: int = 1) -> dict[str, Any]:
    return {"id": cid, "version": version, "state": state, "lead_department_id": lead, "overdue": overdue,
            "due_at": iso(due) if due is not None else None}


def test_open_overdue_and_awaiting_sign_per_department() -> None:
    tally = LoadTally()
    changed = tally.reset([(1, case(1, "dispatched", 3, due=T0 + 100)), (2, case(2, "handling", 3, overdue=True)),
                           (3, case(3, "registered", None)), (4, case(4, "feedback", 5, due=T0 - 10))], T0)
    assert changed == {3, 5}
    assert tally.get(3) == Load(open=2, overdue=1, awaiting_sign=1)
    # feedback: the department's clock has stopped, so a passed due_at alone is not overdue
    assert tally.get(5) == Load(open=1, overdue=0, awaiting_sign=0)
    assert tally.get(99) == Load()


def test_a_changed_case_moves_its_contribution() -> None:
    tally = LoadTally()
    tally.reset([(1, case(1, "registered", None))], T0)
    assert tally.update(1, case(1, "dispatched", 2, due=T0 + 50, version=2), T0) == {2}
    assert tally.get(2) == Load(open=1, awaiting_sign=1)
    assert tally.update(1, case(1, "dispatched", 2, due=T0 + 50, version=3), T0) == set()  # nothing that counts
    assert tally.update(1, case(1, "returned", 2, due=T0 + 50, version=4), T0) == {2}  # returned: not its load
    assert tally.get(2) == Load()
    assert tally.update(1, case(1, "dispatched", 7, due=T0 + 50, version=5), T0) == {7}
    assert tally.update(1, None, T0) == {7}  # left the open cases
    assert tally.get(7) == Load()


def test_time_alone_makes_a_case_overdue() -> None:
    tally = LoadTally()
    tally.reset([(1, case(1, "handling", 4, due=T0 + 60)), (2, case(2, "handling", 4, due=T0 + 120))], T0)
    assert tally.get(4).overdue == 0
    assert tally.tick(T0 + 59) == set()
    assert tally.tick(T0 + 60) == {4}
    assert tally.get(4).overdue == 1
    tally.update(2, case(2, "feedback", 4, due=T0 + 120, version=2), T0 + 61)  # fed back in time
    assert tally.tick(T0 + 500) == set()
    assert tally.get(4) == Load(open=2, overdue=1)


def test_whistle_arrivals_are_counted_beside_the_cases() -> None:
    tally = LoadTally()
    assert tally.set_arrivals({1: 2, 3: 1}) == {1, 3}
    assert tally.set_arrivals({1: 2, 4: 1}) == {3, 4}
    assert tally.get(1).awaiting_arrival == 2 and tally.get(3).awaiting_arrival == 0
    tally.reset([(9, case(9, "dispatched", 1, due=T0 + 9))], T0)  # a reset keeps the arrivals
    assert tally.get(1) == Load(open=1, awaiting_sign=1, awaiting_arrival=2)


def test_facts_ignore_cases_without_a_lead() -> None:
    assert CaseFacts.of(case(1, "dispatched", None)) is None
    assert CaseFacts.of(None) is None


def test_incremental_equals_a_full_recount() -> None:
    rng = random.Random(7)
    states = ["registered", "dispatched", "returned", "handling", "feedback", "verified", None]
    tally = LoadTally()
    current: dict[int, dict[str, Any]] = {}
    now = T0
    tally.reset([], now)
    for step in range(5_000):
        cid = rng.randrange(1, 200)
        state = rng.choice(states)
        if state is None:
            current.pop(cid, None)
            tally.update(cid, None, now)
        else:
            lead = rng.randrange(1, 12) if state != "registered" else None
            current[cid] = case(cid, state, lead, due=now + rng.uniform(-50, 300), overdue=rng.random() < 0.1,
                                version=step + 1)
            tally.update(cid, current[cid], now)
        now += rng.uniform(0, 5)
        if step % 17 == 0:
            tally.tick(now)
    tally.tick(now)
    recount = LoadTally()
    recount.reset(list(current.items()), now)
    for department in range(1, 12):
        assert tally.get(department) == recount.get(department), department
