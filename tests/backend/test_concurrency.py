"""Two dispatchers, one case: exactly one winner, through the server and at the database itself."""

from __future__ import annotations

import asyncio
import threading
import uuid
from typing import Any

from services.backend.store import Store
from services.domain.errors import DomainError
from services.domain.model import Actor, Role
from tests.backend.conftest import Server, make_store, report

RACES = 200


async def test_two_consoles_dispatch_the_same_case_200_times(server_factory: Any, db_url: str) -> None:
    server: Server = await server_factory(db_url, rate_per_s=10_000.0, rate_burst=10_000)  # races, not rate limits
    duty, duty2 = await server.client("duty"), await server.client("duty2")
    for i in range(RACES):
        r = await report(duty, grid_id=None, title=f"race {i}")
        reg = await duty.ok("case.register", {"id": r["id"], "expected_version": 1})
        body = {"id": r["id"], "expected_version": reg["version"], "resolution_class": "immediate"}
        a, b = await asyncio.gather(duty.call("case.dispatch", {**body, "lead_department_id": 1}),
                                    duty2.call("case.dispatch", {**body, "lead_department_id": 2}))
        winners = [x for x in (a, b) if x["ok"]]
        losers = [x for x in (a, b) if not x["ok"]]
        assert len(winners) == 1, (i, a, b)
        assert losers[0]["error"]["code"] == "conflict"
        assert losers[0]["error"]["details"]["current"]["lead_department_id"] == \
            winners[0]["result"]["case"]["lead_department_id"]
    detail = await duty.ok("cases.query", {"states": ["dispatched"], "limit": 1000})
    assert len(detail["cases"]) == RACES


def race_dispatch(first: Store, second: Store, a: Actor, b: Actor, case_id: int) -> dict[str, str]:
    """Both stores dispatch `case_id` (version 2) released by one barrier; returns each actor's outcome."""
    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def dispatch(store: Store, actor: Actor, lead: int) -> None:
        barrier.wait()
        try:
            store.execute("case.dispatch", actor, {"id": case_id, "expected_version": 2, "lead_department_id": lead,
                                                   "resolution_class": "immediate"}, uuid.uuid4().hex)
            outcomes[actor.name] = "ok"
        except DomainError as exc:
            outcomes[actor.name] = exc.code

    threads = [threading.Thread(target=dispatch, args=(first, a, 1)),
               threading.Thread(target=dispatch, args=(second, b, 2))]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return outcomes


def test_two_store_instances_race_at_the_database_level(db_url: str) -> None:
    """Two independent stores (as two server processes would be): the DB alone must pick one winner."""
    first = make_store(db_url)
    second = Store.open(db_url, first.rules, first.calendar)
    try:
        duty_a = Actor(1, "a", Role.duty_officer, console="A")
        duty_b = Actor(2, "b", Role.duty_officer, console="B")
        wins = {"a": 0, "b": 0}
        for i in range(RACES):
            r = first.execute("case.report", duty_a, {"channel": "hotline_12345", "category": "x",
                                                      "title": f"race {i}"}, None)
            first.execute("case.register", duty_a, {"id": r.result["id"], "expected_version": 1}, None)
            outcomes = race_dispatch(first, second, duty_a, duty_b, r.result["id"])
            assert sorted(outcomes.values()) == ["conflict", "ok"], (i, outcomes)
            wins["a" if outcomes["a"] == "ok" else "b"] += 1
        events = first.events_after(0, limit=10 * RACES)
        assert [e.seq for e in events] == list(range(1, len(events) + 1)), "event log has a gap"
        assert sum(1 for e in events if e.kind == "case.dispatched") == RACES
    finally:
        second.close()
        first.close()
