"""services/drilldown.py against the real server: for every count figure of `stats.wall`, paging through
`cases.query` with the figure's body lists exactly the cases the figure counts (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
import pytest_asyncio

from services.domain.workcalendar import CST
from services.drilldown import FIGURES, drill_body, split_figure
from tests.backend.conftest import RawClient, Server
from tests.backend.wall_replay import Replay
from tests.backend.wall_workload import run_workload

DAYS = 7
TODAY = (datetime(2026, 12, 2, tzinfo=CST), datetime(2026, 12, 3, tzinfo=CST))


@pytest_asyncio.fixture
async def busy_server(server_factory: Any, db_url: str) -> Server:
    return await server_factory(db_url, rate_burst=5000, rate_per_s=1000.0)


async def drill(client: RawClient, body: dict[str, Any]) -> list[int]:
    """Every case the body selects, newest first, a page of 3 at a time (so paging is exercised)."""
    ids: list[int] = []
    while True:
        page = (await client.ok("cases.query", {**body, "limit": 3, **({"before_id": ids[-1]} if ids else {})}))
        ids += [c["id"] for c in page["cases"]]
        if len(page["cases"]) < 3:
            return ids


def by_key(rows: list[dict[str, Any]], key: str) -> dict[str, dict[str, Any]]:
    return {str(r[key]): r for r in rows}


def wall_count(wall: dict[str, Any], figure: str) -> int | None:
    """The number `stats.wall` shows for a figure (None: a figure with no number of its own on the wall)."""
    name, key = split_figure(figure)
    daily = {d["day"]: d for d in wall["daily"]}
    towns, deps = by_key(wall["townships"], "township_id"), by_key(wall["departments"], "department_id")
    today_daily = daily[wall["day"]]
    counts: dict[str, Any] = {
        "closed_on_time": lambda: today_daily["on_time"],
        "closed_late": lambda: today_daily["closed"] - today_daily["on_time"],
        "channel": lambda: wall["by_channel"].get(key, 0),
        "category": lambda: {c["category"]: c["count"] for c in wall["categories_today"]}.get(key, 0),
        "hour": lambda: wall["hourly_today"][int(str(key))],
        "day": lambda: daily[str(key)]["reported"],
        "day_closed": lambda: daily[str(key)]["closed"],
        "township": lambda: towns.get(str(key), {}).get("reported_today", 0),
        "township_open": lambda: towns.get(str(key), {}).get("open", 0),
        "township_overdue": lambda: towns.get(str(key), {}).get("overdue", 0),
        "township_closed": lambda: towns.get(str(key), {}).get("closed_window", 0),
        "department": lambda: deps.get(str(key), {}).get("open", 0),
        "department_overdue": lambda: deps.get(str(key), {}).get("overdue", 0),
        "department_closed": lambda: deps.get(str(key), {}).get("closed_window", 0),
    }
    if name in counts:
        return int(counts[name]())
    return wall.get(name) if isinstance(wall.get(name), int) else None


async def test_each_figure_drills_into_exactly_its_cases(busy_server: Server) -> None:
    await run_workload(busy_server)
    leader = await busy_server.client("leader", console="wall-1")
    wall = await leader.ok("stats.wall", {"days": DAYS})
    reader = await busy_server.client("leader", console="wall-replay")
    await reader.ok("subscribe", {"after_seq": 0, "epoch": reader.auth_ok["epoch"]})
    replay = Replay.from_events(await reader.wait_events(wall["as_of_seq"]), busy_server.clock.now)
    expected = replay.figure_sets(DAYS)
    assert {split_figure(f)[0] for f in expected} == FIGURES  # every figure is exercised
    start, end = (d.isoformat() for d in TODAY)
    counted = 0
    for figure, cases in sorted(expected.items()):
        body = drill_body(figure, start, end, window_start_iso=wall["window_start"])
        got = await drill(leader, body)
        assert got == sorted(cases, reverse=True), figure
        shown = wall_count(wall, figure)
        if shown is not None:
            assert len(got) == shown, figure
            counted += 1
    assert counted >= len(expected) - 1  # all but `open`, which the wall shows per township and department


async def test_yesterday_hours_drill_with_yesterdays_bounds(busy_server: Server) -> None:
    await run_workload(busy_server)
    leader = await busy_server.client("leader")
    wall = await leader.ok("stats.wall", {"days": DAYS})
    start, end = (d - timedelta(days=1) for d in TODAY)
    for hour, n in enumerate(wall["hourly_yesterday"]):
        assert len(await drill(leader, drill_body("hour", start.isoformat(), end.isoformat(), hour))) == n


@pytest.mark.parametrize(("figure", "key", "window"), [
    ("nonsense", None, None),
    ("township", None, None),
    ("hour:24", None, None),
    ("hour", "x", None),
    ("township_closed:1", None, None),
])
def test_bad_figures_are_refused(figure: str, key: Any, window: str | None) -> None:
    with pytest.raises(ValueError):
        drill_body(figure, "2026-12-02T00:00:00+08:00", "2026-12-03T00:00:00+08:00", key, window_start_iso=window)


def test_figure_and_key_spellings_agree() -> None:
    day = ("2026-12-02T00:00:00+08:00", "2026-12-03T00:00:00+08:00")
    assert drill_body("township:3", *day) == drill_body("township", *day, 3) == drill_body("township", *day, "3")
    assert drill_body("hour:9", *day) == {"reported_from": "2026-12-02T09:00:00+08:00",
                                          "reported_to": "2026-12-02T10:00:00+08:00"}
    assert drill_body("day:2026-11-30", *day) == {"reported_from": "2026-11-30T00:00:00+08:00",
                                                  "reported_to": "2026-12-01T00:00:00+08:00"}
