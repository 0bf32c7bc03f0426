"""The counters behind `stats.today` and the leaders' wall (`stats.wall`, docs/PROTOCOL.md §16).

Every figure is read inside the caller's one read transaction, so all of them reflect the same `as_of_seq`.
Each figure is one indexed query (bench/counters.py times them on 1,000,000 cases); Python only folds their
grouped rows. "Today" is the local (CST) calendar day of `now`; China has no daylight saving time, so the hours
of a day start whole hours after its midnight.

Closures: `on_time` is set only by `case.close`, so `on_time IS NOT NULL` marks real closures (a rejection sets
`closed_at` too). No state predicate beside a bare time range: without ANALYZE, SQLite would pick a state index and
walk every closed case (bench/counters.py, docs/BENCHMARKS.md). The per-township and per-department closures do
name the states: there the index (owner, state, closed_at, on_time) serves owner, state and range together.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Integer, cast, func, literal_column, select, union_all

from services.backend import tables as t
from services.backend.serialize import iso
from services.domain.model import OPEN_STATES
from services.domain.workcalendar import CST

HOUR_S = 3600.0
IN_HANDLING_STATES = ("dispatched", "handling", "feedback", "returned")
OPEN_STATE_VALUES = tuple(sorted(s.value for s in OPEN_STATES))
CLOSED_STATE_VALUES = ("closed", "evaluated")
WHISTLE_LOOKBACK_DAYS = 60
"""Whistles approved this many days before the window are still read: a call is due `arrival_limit_days`
working days after approval (one by default), which even across the Spring Festival is under two weeks."""


@dataclass(frozen=True)
class Days:
    """The local days the figures cover: today, yesterday and the `count`-day window that ends today."""

    now: float
    count: int
    today: datetime
    """Local midnight starting today."""

    @classmethod
    def at(cls, now: float, count: int = 1) -> Days:
        local = datetime.fromtimestamp(now, CST)
        return cls(now, count, local.replace(hour=0, minute=0, second=0, microsecond=0))

    def start(self, days_back: int) -> float:
        return (self.today - timedelta(days=days_back)).timestamp()

    @property
    def today0(self) -> float:
        return self.start(0)

    @property
    def today1(self) -> float:
        return self.start(-1)

    @property
    def window0(self) -> float:
        return self.start(self.count - 1)

    def label(self, days_back: int) -> str:
        return (self.today - timedelta(days=days_back)).date().isoformat()


def head_seq(conn: Connection) -> int:
    return int(conn.execute(select(func.coalesce(func.max(t.EventRow.seq), 0))).scalar_one())


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _as_int(value: Any) -> int:
    return int(value or 0)


# -- stats.today -----------------------------------------------------------------------------------
def today_counters(conn: Connection, now: float) -> dict[str, Any]:
    """`stats.today`: the day's counters with the seq they reflect (call inside one read transaction)."""
    days = Days.at(now)
    day0, day1 = days.today0, days.today1
    c = t.CaseRow
    seq = head_seq(conn)

    def count(*where: Any) -> int:
        return int(conn.execute(select(func.count()).select_from(c).where(*where)).scalar_one())

    by_channel = {str(k): int(v) for k, v in conn.execute(
        select(c.channel, func.count()).where(c.reported_at >= day0, c.reported_at < day1).group_by(c.channel))}
    closed = conn.execute(select(func.count(), func.sum(cast(c.on_time, Integer)))
                          .where(c.closed_at >= day0, c.closed_at < day1, c.on_time.is_not(None))).one()
    sat = conn.execute(select(func.count(), func.sum(cast(c.satisfaction >= 4, Integer)))
                       .where(c.closed_at >= day0, c.closed_at < day1, c.satisfaction.is_not(None))).one()
    overdue = sum(count(c.state == s, c.overdue.is_(True)) for s in OPEN_STATE_VALUES)  # ix_cases_state_overdue
    w = t.WhistleRow
    whistles_raised = int(conn.execute(select(func.count()).select_from(w)
                                       .where(w.raised_at >= day0, w.raised_at < day1)).scalar_one())
    return {
        "as_of_seq": seq, "day": days.label(0), "as_of": iso(now),
        "reported": sum(by_channel.values()),
        "registered": count(c.registered_at >= day0, c.registered_at < day1),
        "dispatched": count(c.dispatched_at >= day0, c.dispatched_at < day1),
        "in_handling": count(c.state.in_(IN_HANDLING_STATES)),
        "closed": _as_int(closed[0]),
        "on_time_closure_rate": _rate(_as_int(closed[1]), _as_int(closed[0])),
        "overdue": overdue,
        "satisfaction_rate": _rate(_as_int(sat[1]), _as_int(sat[0])),
        "whistles_raised": whistles_raised,
        "by_channel": by_channel,
    }


# -- stats.wall ------------------------------------------------------------------------------------
def wall(conn: Connection, now: float, days: int) -> dict[str, Any]:
    """`stats.wall`: everything `stats.today` returns plus the wall's series, rankings and whistle arrivals."""
    span = Days.at(now, days)
    out = today_counters(conn, now)
    calls = _whistle_calls(conn, span)
    overdue_towns, overdue_deps = _overdue_by(conn)
    reported_days, hourly = _reported_series(conn, span)
    out.update({
        "days": days, "window_start": iso(span.window0),
        "whistle_calls_due_today": calls.due_today,
        "whistle_calls_arrived_on_time_today": calls.on_time_today,
        "hourly_today": hourly[24:],
        "hourly_yesterday": hourly[:24],
        "daily": _daily(conn, span, reported_days),
        "categories_today": _categories_today(conn, span),
        "townships": _townships(conn, span, overdue_towns),
        "departments": _departments(conn, span, overdue_deps),
        "whistle_arrival": calls.window(),
    })
    return out


def _range_counts(conn: Connection, column: Any, bounds: list[tuple[float, float]], *extra: Any,
                  where: tuple[Any, ...] = ()) -> list[tuple[int, ...]]:
    """`count(*)` (and `extra` aggregates) for each [lo, hi) range of `column`, in the order of `bounds`.

    One statement of UNION ALL arms, each a range of an index that covers it: no sort and no row lookups, where a
    GROUP BY over a computed bucket cost SQLite a temporary B-tree four times the scan (docs/BENCHMARKS.md).
    """
    arms = [select(literal_column(str(i)), func.count(), *extra).select_from(t.CaseRow)
            .where(column >= lo, column < hi, *where) for i, (lo, hi) in enumerate(bounds)]
    out: list[tuple[int, ...]] = [(0,) * (1 + len(extra))] * len(bounds)
    for i, *values in conn.execute(union_all(*arms)):
        out[int(i)] = tuple(_as_int(v) for v in values)
    return out


def _reported_series(conn: Connection, span: Days) -> tuple[list[int], list[int]]:
    """Cases reported on each day of the window (oldest first) and in each hour of yesterday and today."""
    days = [(span.start(back), span.start(back - 1)) for back in range(span.count - 1, -1, -1)]
    y0 = span.start(1)
    hours = [(y0 + h * HOUR_S, y0 + (h + 1) * HOUR_S) for h in range(48)]
    counts = [n for (n,) in _range_counts(conn, t.CaseRow.reported_at, days + hours)]
    return counts[:len(days)], counts[len(days):]


def _daily(conn: Connection, span: Days, reported: list[int]) -> list[dict[str, Any]]:
    c = t.CaseRow
    days = [(span.start(back), span.start(back - 1)) for back in range(span.count - 1, -1, -1)]
    closed = _range_counts(conn, c.closed_at, days, func.sum(cast(c.on_time, Integer)),
                           where=(c.on_time.is_not(None),))  # ix_cases_closed_on_time
    return [{"day": span.label(span.count - 1 - i), "reported": reported[i], "closed": closed[i][0],
             "on_time": closed[i][1]} for i in range(span.count)]


def _categories_today(conn: Connection, span: Days) -> list[dict[str, Any]]:
    c = t.CaseRow
    n = func.count().label("n")
    rows = conn.execute(select(c.category, n).where(c.reported_at >= span.today0, c.reported_at < span.today1)
                        .group_by(c.category).order_by(n.desc(), c.category))
    return [{"category": category, "count": int(count)} for category, count in rows]


def _open_by(conn: Connection, column: Any, reference: Any) -> dict[int, int]:
    """Open cases per township or lead department: a multi-probe of the covering index (column, state, …)."""
    rows = conn.execute(select(column, func.count())
                        .where(column.in_(select(reference.id)), t.CaseRow.state.in_(OPEN_STATE_VALUES))
                        .group_by(column))
    return {int(k): int(n) for k, n in rows}


def _closed_by(conn: Connection, span: Days, column: Any, reference: Any) -> dict[int, tuple[int, int]]:
    """Closures (结案) in the window and of them on time, per township or lead department.

    Index (column, state, closed_at, on_time): one range per (owner, closed state), in owner order, so the
    GROUP BY needs no sort. A closed case is in state closed or evaluated exactly when `on_time` is set.
    """
    c = t.CaseRow
    rows = conn.execute(select(column, func.count(), func.sum(cast(c.on_time, Integer)))
                        .where(column.in_(select(reference.id)), c.state.in_(CLOSED_STATE_VALUES),
                               c.closed_at >= span.window0, c.closed_at < span.today1, c.on_time.is_not(None))
                        .group_by(column))
    return {int(k): (int(n), _as_int(on_time)) for k, n, on_time in rows}


def _overdue_by(conn: Connection) -> tuple[dict[int, int], dict[int, int]]:
    """Open overdue cases per township and per lead department (ix_cases_state_overdue, then the rows)."""
    c = t.CaseRow
    rows = conn.execute(select(c.township_id, c.lead_department_id, func.count())
                        .where(c.state.in_(OPEN_STATE_VALUES), c.overdue.is_(True))
                        .group_by(c.township_id, c.lead_department_id))
    towns: dict[int, int] = {}
    deps: dict[int, int] = {}
    for town, dep, n in rows:
        if town is not None:
            towns[town] = towns.get(town, 0) + int(n)
        if dep is not None:
            deps[dep] = deps.get(dep, 0) + int(n)
    return towns, deps


def _reported_today_by_township(conn: Connection, span: Days) -> dict[int, int]:
    c = t.CaseRow
    rows = conn.execute(select(c.township_id, func.count())
                        .where(c.reported_at >= span.today0, c.reported_at < span.today1, c.township_id.is_not(None))
                        .group_by(c.township_id))
    return {int(k): int(n) for k, n in rows}


def _townships(conn: Connection, span: Days, overdue: dict[int, int]) -> list[dict[str, Any]]:
    """Every township with a case reported today, open, overdue or closed in the window; by id."""
    reported = _reported_today_by_township(conn, span)
    open_ = _open_by(conn, t.CaseRow.township_id, t.TownshipRow)
    closed = _closed_by(conn, span, t.CaseRow.township_id, t.TownshipRow)
    out = []
    for town in sorted(set(reported) | set(open_) | set(overdue) | set(closed)):
        n, on_time = closed.get(town, (0, 0))
        out.append({"township_id": town, "reported_today": reported.get(town, 0), "open": open_.get(town, 0),
                    "overdue": overdue.get(town, 0), "closed_window": n, "on_time_window": on_time,
                    "on_time_rate_window": _rate(on_time, n)})
    return out


def _departments(conn: Connection, span: Days, overdue: dict[int, int]) -> list[dict[str, Any]]:
    """Lead departments ranked by on-time rate in the window (none last), then closures, then id."""
    open_ = _open_by(conn, t.CaseRow.lead_department_id, t.DepartmentRow)
    closed = _closed_by(conn, span, t.CaseRow.lead_department_id, t.DepartmentRow)
    out = []
    for dep in set(open_) | set(overdue) | set(closed):
        n, on_time = closed.get(dep, (0, 0))
        out.append({"department_id": dep, "open": open_.get(dep, 0), "overdue": overdue.get(dep, 0),
                    "closed_window": n, "on_time_window": on_time, "on_time_rate_window": _rate(on_time, n)})
    out.sort(key=lambda d: (d["on_time_rate_window"] is None, -(d["on_time_rate_window"] or 0.0),
                            -d["closed_window"], d["department_id"]))
    return out


# -- whistle calls ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class WhistleCalls:
    due_today: int
    on_time_today: int
    due_window: int
    """Calls due in the window whose arrival time has passed or that arrived already."""
    on_time_window: int
    late_window: int

    def window(self) -> dict[str, Any]:
        return {"calls_due": self.due_window, "arrived_on_time": self.on_time_window,
                "arrived_late": self.late_window,
                "not_arrived": self.due_window - self.on_time_window - self.late_window,
                "rate": _rate(self.on_time_window, self.due_window)}


def _whistle_calls(conn: Connection, span: Days) -> WhistleCalls:
    """Calls live inside their whistle's row (a small JSON list); whistles are few (a handful a day), so the
    approved ones of the window are read and their calls counted here."""
    w = t.WhistleRow
    since = span.start(span.count - 1 + WHISTLE_LOOKBACK_DAYS)
    rows = conn.execute(select(w.calls).where(w.approved_at >= since))
    due_today = on_time_today = due = on_time = late = 0
    for (calls,) in rows:
        for call in calls or ():
            at = float(call["arrival_due_at"])
            if span.today0 <= at < span.today1:
                due_today += 1
                on_time_today += call.get("on_time") is True
            if span.window0 <= at < span.today1 and (call.get("arrived_at") is not None or at <= span.now):
                due += 1
                on_time += call.get("on_time") is True
                late += call.get("on_time") is False
    return WhistleCalls(due_today, on_time_today, due, on_time, late)
