"""`stats.wall` on the counters' big store (bench/counters.py): the whole call at 30 and 90 days, each part of it,
and the `cases.query` drill-down behind some of its figures. Imported by counters.py, not run on its own."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

TARGET_WALL_MS = 200.0
DRILL_FIGURES = ("reported", "closed", "overdue", "category:市容环境", "hour:9", "township:1", "township_open:1",
                 "township_closed:1", "department_closed:1", "day:-1")
"""`day:-1` stands for yesterday's date."""


def _best_of(fn: Callable[[], Any], runs: int = 5) -> float:
    fn()
    best = float("inf")
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best * 1e3


def wall_rows(store: Any, now: float, label: str, base_ms: float,
              timed: Callable[..., tuple[float, Any]]) -> tuple[list[list[Any]], list[str]]:
    rows: list[list[Any]] = []
    walls: dict[int, Any] = {}
    for days in (30, 90):
        ms, walls[days] = timed(lambda d=days: store.stats_wall(d, now))
        verdict = "met" if ms <= TARGET_WALL_MS else "MISSED"
        closed, calls = sum(d["closed"] for d in walls[days]["daily"]), walls[days]["whistle_arrival"]["calls_due"]
        rows.append([label, f"Store.stats_wall({days})", ms, f"{ms / base_ms:.2f}×",
                     f"target ≤ {TARGET_WALL_MS:.0f} ms: {verdict}; closed in the window {closed:,}, "
                     f"whistle calls due {calls}"])
    rows += drill_rows(store, now, label, base_ms, walls[30])
    return rows, [f"{label}: parts of stats_wall({days}), each inside one read transaction, best of 5 (ms): "
                  + ", ".join(f"{name} {ms:.1f}" for name, ms in wall_parts(store, now, days))
                  for days in (30, 90)]


def wall_parts(store: Any, now: float, days: int) -> list[tuple[str, float]]:
    """The queries of services/backend/wall_stats.py one by one (results fetched: SQLite streams a GROUP BY in
    index order, so a statement timer alone would see only its first row)."""
    from services.backend import tables as t
    from services.backend import wall_stats as ws

    span = ws.Days.at(now, days)
    parts: dict[str, Callable[[Any], Any]] = {
        "stats.today": lambda c: ws.today_counters(c, now),
        "reported per day+hour": lambda c: ws._reported_series(c, span),
        "closed per day": lambda c: ws._daily(c, span, [0] * days),
        "categories today": lambda c: ws._categories_today(c, span),
        "townships reported today": lambda c: ws._reported_today_by_township(c, span),
        "open per township": lambda c: ws._open_by(c, t.CaseRow.township_id, t.TownshipRow),
        "closed per township": lambda c: ws._closed_by(c, span, t.CaseRow.township_id, t.TownshipRow),
        "open per department": lambda c: ws._open_by(c, t.CaseRow.lead_department_id, t.DepartmentRow),
        "closed per department": lambda c: ws._closed_by(c, span, t.CaseRow.lead_department_id, t.DepartmentRow),
        "overdue per township+department": lambda c: ws._overdue_by(c),
        "whistle calls": lambda c: ws._whistle_calls(c, span),
    }
    with store.engines.read.begin() as conn:
        return [(name, _best_of(lambda fn=fn: fn(conn))) for name, fn in parts.items()]


def drill_rows(store: Any, now: float, label: str, base_ms: float, wall: dict[str, Any]) -> list[list[Any]]:
    """`cases.query` (first page, 200 cases) for some wall figures, with the bodies services/drilldown.py gives."""
    from services.domain.workcalendar import CST
    from services.drilldown import drill_body

    day0 = datetime.fromtimestamp(now, CST).replace(hour=0, minute=0, second=0, microsecond=0)
    start, end = day0.isoformat(), (day0 + timedelta(days=1)).isoformat()
    yesterday = (day0 - timedelta(days=1)).date().isoformat()
    rows = []
    for figure in DRILL_FIGURES:
        figure = figure.replace("day:-1", f"day:{yesterday}")
        body = {**drill_body(figure, start, end, window_start_iso=wall["window_start"]), "limit": 200}
        ms, out = _median_of(lambda b=body: store.query_cases(b, now))
        rows.append([label, f"cases.query drill-down {figure}", ms, f"{ms / base_ms:.2f}×",
                     f"first page: {len(out['cases'])} cases; body {sorted(body)}"])
    return rows


def _median_of(fn: Callable[[], Any], runs: int = 5) -> tuple[float, Any]:
    fn()
    times, out = [], None
    for _ in range(runs):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return sorted(times)[len(times) // 2] * 1e3, out
