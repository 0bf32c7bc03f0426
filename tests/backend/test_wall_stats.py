"""`stats.wall` through the real server, on SQLite and PostgreSQL: every figure equals an independent replay of the
event log (tests/backend/wall_replay.py) after a week of varied work (tests/backend/wall_workload.py)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
import pytest_asyncio

from tests.backend.conftest import Server, report
from tests.backend.wall_replay import Replay, ts
from tests.backend.wall_workload import run_workload

ROLES = ("leader", "duty", "dept1", "village1", "grid1", "mediator", "admin", "intake", "analytics")


@pytest_asyncio.fixture
async def busy_server(server_factory: Any, db_url: str) -> Server:
    """The workload sends a few hundred requests in a burst: a roomier token bucket than the default."""
    return await server_factory(db_url, rate_burst=5000, rate_per_s=1000.0)


async def event_log(server: Server, upto: int) -> list[dict[str, Any]]:
    """Every event with seq 1..upto, replayed to a leader's subscription from the start of the log."""
    reader = await server.client("leader", console="wall-replay")
    await reader.ok("subscribe", {"after_seq": 0, "epoch": reader.auth_ok["epoch"]})
    events = await reader.wait_events(upto)
    return [e for e in events if e["seq"] <= upto]


def assert_same(got: dict[str, Any], expected: dict[str, Any]) -> None:
    """Key by key first, so a failure names the figure."""
    assert sorted(got) == sorted(expected)
    for key in expected:
        assert got[key] == expected[key], key


async def test_wall_equals_a_replay_of_the_event_log(busy_server: Server) -> None:
    await run_workload(busy_server)
    leader = await busy_server.client("leader", console="wall-1")
    week, month = await leader.ok("stats.wall", {"days": 7}), await leader.ok("stats.wall", {})
    today = await leader.ok("stats.today")
    assert week["as_of_seq"] == month["as_of_seq"] == today["as_of_seq"] == busy_server.hub.published_seq
    replay = Replay.from_events(await event_log(busy_server, week["as_of_seq"]), busy_server.clock.now)
    assert replay.report_times == {cid: ts(c["reported_at"]) for cid, c in replay.cases.items()}

    assert_same(today, replay.today())
    assert_same(week, replay.wall(7))
    assert_same(month, replay.wall(30))
    assert len(month["daily"]) == 30 and month["daily"][-1]["day"] == "2026-12-02"


async def test_the_workload_reaches_every_kind_of_figure(server_factory: Any) -> None:
    """Hand-counted from the timeline in wall_workload.py: guards the replay against agreeing with a wrong server."""
    server = await server_factory(rate_burst=5000, rate_per_s=1000.0)
    await run_workload(server)
    wall = await (await server.client("leader")).ok("stats.wall", {"days": 7})
    assert (wall["day"], wall["as_of"], wall["window_start"]) == (
        "2026-12-02", "2026-12-02T17:00:00+08:00", "2026-11-26T00:00:00+08:00")
    assert (wall["reported"], wall["closed"], wall["on_time_closure_rate"], wall["satisfaction_rate"]) == (6, 3, 2 / 3,
                                                                                                           0.5)
    assert wall["by_channel"] == {"hotline_12345": 3, "grid_app": 2, "video_alarm": 1}
    assert [h for h, n in enumerate(wall["hourly_today"]) if n] == [0, 8, 9, 14, 16]
    assert [h for h, n in enumerate(wall["hourly_yesterday"]) if n] == [10, 15, 23]
    assert [(d["day"][5:], d["closed"], d["on_time"]) for d in wall["daily"] if d["closed"]] == [
        ("11-30", 2, 0), ("12-01", 1, 1), ("12-02", 3, 2)]
    assert (wall["whistles_raised"], wall["whistle_calls_due_today"], wall["whistle_calls_arrived_on_time_today"]) \
        == (2, 2, 1)
    assert wall["whistle_arrival"] == {"calls_due": 3, "arrived_on_time": 1, "arrived_late": 1, "not_arrived": 1,
                                       "rate": 1 / 3}
    assert [d["department_id"] for d in wall["departments"]] == [1, 2, 3]
    assert wall["departments"][-1]["on_time_rate_window"] is None
    assert {t["township_id"] for t in wall["townships"]} == {1, 2, 3} and wall["overdue"] == 1
    assert wall["categories_today"][0] == {"category": "市容环境", "count": 3}


async def test_figures_agree_with_their_seq_while_cases_keep_coming(busy_server: Server) -> None:
    """Reports keep committing while the wall reads: each reply's figures are those of exactly its as_of_seq."""
    duty = await busy_server.client("duty")
    leader = await busy_server.client("leader", console="wall-1")
    stop = asyncio.Event()

    async def keep_reporting() -> None:
        channels = ("hotline_12345", "grid_app", "video_alarm")
        i = 0
        while not stop.is_set():
            await report(duty, channel=channels[i % 3], township_id=1 + i % 3, grid_id=None)
            i += 1

    writer = asyncio.ensure_future(keep_reporting())
    walls: list[dict[str, Any]] = []
    try:
        while len({w["as_of_seq"] for w in walls}) < 4 and len(walls) < 200:
            walls.append(await leader.ok("stats.wall", {"days": 7}))
    finally:
        stop.set()
        await writer
    assert len({w["as_of_seq"] for w in walls}) == 4, "the wall was read while cases were being reported"
    events = await event_log(busy_server, max(w["as_of_seq"] for w in walls))
    for wall in walls:
        expected = Replay.from_events([e for e in events if e["seq"] <= wall["as_of_seq"]], busy_server.clock.now)
        assert_same(wall, expected.wall(7))


async def test_every_role_reads_the_same_wall_without_personal_data(sqlite_server: Server) -> None:
    duty = await sqlite_server.client("duty")
    await report(duty)  # reporter 张三, 13812348000
    clients = {role: await sqlite_server.client(role) for role in ROLES}
    walls = {role: await c.ok("stats.wall", {"days": 30}) for role, c in clients.items()}
    assert all(w == walls["leader"] for w in walls.values())
    assert walls["leader"]["reported"] == 1
    for c in clients.values():
        assert not any("张" in f or "8000" in f for f in c.frames)


@pytest.mark.parametrize(("body", "path"), [
    ({"days": 3}, "body.days"),
    ({"days": 91}, "body.days"),
    ({"days": "x"}, "body.days"),
    ({"days": True}, "body.days"),
    ({"days": 7.5}, "body.days"),
    ({"window": 7}, "body.window"),
])
async def test_bad_wall_bodies_are_refused(sqlite_server: Server, body: dict[str, Any], path: str) -> None:
    err = await (await sqlite_server.client("leader")).fail("stats.wall", body)
    assert err["code"] == "invalid_format" and err["details"]["path"] == path


@pytest.mark.parametrize(("body", "path"), [
    ({"reported_from": "yesterday"}, "body.reported_from"),
    ({"reported_to": "2026-12-02T00:00:00"}, "body.reported_to"),  # no offset
    ({"closed_from": 1764604800}, "body.closed_from"),
    ({"registered_to": "2026-13-02T00:00:00+08:00"}, "body.registered_to"),
    ({"dispatched_from": "x" * 41}, "body.dispatched_from"),
    ({"on_time": "yes"}, "body.on_time"),
    ({"open_only": 1}, "body.open_only"),
    ({"channel": ""}, "body.channel"),
    ({"category": "类" * 65}, "body.category"),
    ({"lead_department_id": 1}, "body.lead_department_id"),
    ({"department_id": 0}, "body.department_id"),
])
async def test_bad_query_filters_are_refused(sqlite_server: Server, body: dict[str, Any], path: str) -> None:
    err = await (await sqlite_server.client("leader")).fail("cases.query", body)
    assert err["code"] == "invalid_format" and err["details"]["path"] == path


async def test_query_filters_combine(sqlite_server: Server) -> None:
    duty = await sqlite_server.client("duty")
    a = await report(duty, channel="grid_app", category="道路交通", township_id=2, grid_id=3)
    await report(duty)
    sqlite_server.clock.advance(3600)
    b = await report(duty, channel="grid_app", category="道路交通", township_id=2, grid_id=3)
    leader = await sqlite_server.client("leader")
    body = {"channel": "grid_app", "category": "道路交通", "township_id": 2, "open_only": True}
    assert [c["id"] for c in (await leader.ok("cases.query", body))["cases"]] == [b["id"], a["id"]]
    late = {**body, "reported_from": b["case"]["reported_at"], "reported_to": "2099-01-01T00:00:00+08:00"}
    assert [c["id"] for c in (await leader.ok("cases.query", late))["cases"]] == [b["id"]]
    assert (await leader.ok("cases.query", {**body, "on_time": True}))["cases"] == []
    assert (await leader.ok("cases.query", {**body, "reported_to": a["case"]["reported_at"]}))["cases"] == []
