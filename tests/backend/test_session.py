"""Session behaviour: rate limit, graceful shutdown, reference snapshots, the calendar warning in auth_ok."""

from __future__ import annotations

import asyncio
from typing import Any

from services.domain.workcalendar import CST
from tests.backend.conftest import Server


async def test_rate_limit_answers_rate_limited_and_recovers(server_factory: Any) -> None:
    srv = await server_factory(rate_per_s=5.0, rate_burst=10)
    client = await srv.client("duty")
    replies = await asyncio.gather(*(client.call("ping") for _ in range(30)))
    limited = [r for r in replies if not r["ok"]]
    assert 15 <= len(limited) <= 20
    assert all(r["error"]["code"] == "rate_limited" and r["error"]["retryable"] for r in limited)
    await asyncio.sleep(0.5)
    assert (await client.call("ping"))["ok"], "the bucket refills"


async def test_graceful_stop_closes_clients_with_1012(sqlite_server: Server) -> None:
    a, b = await sqlite_server.client("duty"), await sqlite_server.client("leader")
    await sqlite_server.hub.stop()
    for client in (a, b):
        await asyncio.wait_for(client.ws.wait_closed(), 5)
        assert client.ws.close_code == 1012
    sqlite_server.hub.stop = _noop  # type: ignore[method-assign]  # already stopped; the fixture stops it again


async def _noop() -> None:
    return None


async def test_auth_ok_carries_epoch_head_and_calendar_warning_for_unknown_year(sqlite_server: Server) -> None:
    from datetime import datetime

    sqlite_server.clock.now = datetime(2026, 12, 28, 9, 0, tzinfo=CST).timestamp()
    duty = await sqlite_server.client("duty")
    r = await duty.ok("case.report", {"channel": "hotline_12345", "category": "x", "title": "年末上报"})
    await duty.ok("case.register", {"id": r["id"], "expected_version": 1})
    d = await duty.ok("case.dispatch", {"id": r["id"], "expected_version": 2, "lead_department_id": 1,
                                        "resolution_class": "planned"})  # 15 working days: due in 2027
    assert d["case"]["due_at"].startswith("2027-01")
    fresh = await sqlite_server.client("leader")
    assert fresh.auth_ok["epoch"] == sqlite_server.store.epoch
    assert fresh.auth_ok["head_seq"] == sqlite_server.hub.published_seq
    assert [w["year"] for w in fresh.auth_ok["warnings"]] == [2027]
    assert "2027" in fresh.auth_ok["warnings"][0]["message"]
    snap = await fresh.ok("snapshot", {"what": ["warnings", "grids", "departments", "channels", "cameras",
                                                "service_points", "whistles"]})
    assert snap["warnings"][0]["code"] == "calendar_year_unknown"
    assert len(snap["grids"]) == 6 and len(snap["departments"]) == 5 and [c["id"] for c in snap["cameras"]] == [1, 2]


async def test_unsubscribe_stops_events(sqlite_server: Server) -> None:
    duty = await sqlite_server.client("duty")
    sub = await duty.ok("subscribe", {})
    await duty.ok("case.report", {"channel": "hotline_12345", "category": "x", "title": "a"})
    await duty.wait_events(1)
    await duty.ok("unsubscribe", {"sub": sub["sub"]})
    await duty.ok("case.report", {"channel": "hotline_12345", "category": "x", "title": "b"})
    await asyncio.sleep(0.2)
    assert len(duty.events) == 1
    assert (await duty.fail("unsubscribe", {"sub": sub["sub"]}))["code"] == "not_found"
