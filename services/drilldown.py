"""Which cases stand behind a figure of the leaders' wall: the `cases.query` body for each (docs/PROTOCOL.md §16).

Qt-free, so the wall and the tests share one definition. For every count figure, paging through `cases.query`
with the body returned here (`before_id`) lists exactly the cases `stats.wall` counts in that figure
(tests/backend/test_wall_drilldown.py checks it against the server). A rate drills into the cases it is a rate of
(on-time closure rate and satisfaction: `closed`).

Figures (`figure` is `name` or `name:key`; `key` may also be passed on its own):

| figure | counted in `stats.wall` as | cases |
|---|---|---|
| `reported`, `registered`, `dispatched` | same names | that step's time falls on the day |
| `closed`, `closed_on_time`, `closed_late` | `closed` (on-time: `on_time_closure_rate`) | closed (结案) on the day |
| `in_handling`, `overdue`, `open` | `in_handling`, `overdue` | now in those states (any day) |
| `channel:<code>`, `category:<name>` | `by_channel`, `categories_today` | reported on the day through / in it |
| `hour:<0..23>` | `hourly_today` (`hourly_yesterday` with yesterday's bounds) | reported in that hour of the day |
| `day:<YYYY-MM-DD>`, `day_closed:<YYYY-MM-DD>` | `daily[].reported`, `daily[].closed` | reported / closed that day |
| `township:<id>` | `townships[].reported_today` | of the township, reported on the day |
| `township_open:<id>`, `township_overdue:<id>` | `townships[].open`, `.overdue` | its open / open overdue cases |
| `township_closed:<id>` | `townships[].closed_window` | of the township, closed in the window |
| `department:<id>`, `department_overdue:<id>` | `departments[].open`, `.overdue` | led by it, open / open and overdue |
| `department_closed:<id>` | `departments[].closed_window` | led by it, closed in the window |

The `*_closed:<id>` figures need `window_start_iso` (`stats.wall`'s `window_start`); the window ends with the day.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

IN_HANDLING_STATES = ["dispatched", "handling", "feedback", "returned"]
CLOSED_STATES = ["closed", "evaluated"]
"""A case is closed (结案) in these states; a rejection also sets `closed_at` but stays `rejected`."""

Body = dict[str, Any]


def _during(step: str, start: str, end: str) -> Body:
    return {f"{step}_from": start, f"{step}_to": end}


def _closed(start: str, end: str) -> Body:
    return {"states": CLOSED_STATES, **_during("closed", start, end)}


def _hour(day_start: str, hour: int) -> Body:
    if not 0 <= hour <= 23:
        raise ValueError(f"hour must be 0..23, got {hour}")
    start = datetime.fromisoformat(day_start) + timedelta(hours=hour)
    return _during("reported", start.isoformat(), (start + timedelta(hours=1)).isoformat())


def _day(step: str, day: str, zone_of: str) -> Body:
    """That local day, in the zone of the given day bounds (CST on the wall)."""
    start = datetime.fromisoformat(day).replace(tzinfo=datetime.fromisoformat(zone_of).tzinfo)
    return _during(step, start.isoformat(), (start + timedelta(days=1)).isoformat())


_PLAIN: dict[str, Callable[[str, str], Body]] = {
    "reported": lambda s, e: _during("reported", s, e),
    "registered": lambda s, e: _during("registered", s, e),
    "dispatched": lambda s, e: _during("dispatched", s, e),
    "closed": _closed,
    "closed_on_time": lambda s, e: {**_closed(s, e), "on_time": True},
    "closed_late": lambda s, e: {**_closed(s, e), "on_time": False},
    "in_handling": lambda _s, _e: {"states": IN_HANDLING_STATES},
    "overdue": lambda _s, _e: {"open_only": True, "overdue": True},
    "open": lambda _s, _e: {"open_only": True},
}
_KEYED: dict[str, Callable[[str, str, Any], Body]] = {
    "channel": lambda s, e, k: {**_during("reported", s, e), "channel": str(k)},
    "category": lambda s, e, k: {**_during("reported", s, e), "category": str(k)},
    "hour": lambda s, _e, k: _hour(s, int(k)),
    "day": lambda s, _e, k: _day("reported", str(k), s),
    "day_closed": lambda s, _e, k: {"states": CLOSED_STATES, **_day("closed", str(k), s)},
    "township": lambda s, e, k: {**_during("reported", s, e), "township_id": int(k)},
    "township_open": lambda _s, _e, k: {"open_only": True, "township_id": int(k)},
    "township_overdue": lambda _s, _e, k: {"open_only": True, "overdue": True, "township_id": int(k)},
    "department": lambda _s, _e, k: {"open_only": True, "department_id": int(k)},
    "department_overdue": lambda _s, _e, k: {"open_only": True, "overdue": True, "department_id": int(k)},
}
_WINDOW_OWNERS = {"township_closed": "township_id", "department_closed": "department_id"}
FIGURES = frozenset(_PLAIN) | frozenset(_KEYED) | frozenset(_WINDOW_OWNERS)


def split_figure(figure: str, key: str | int | None = None) -> tuple[str, str | int | None]:
    """`"township:3"` → `("township", "3")`; a separate `key` wins."""
    name, sep, inline = figure.partition(":")
    return name, key if key is not None else (inline if sep else None)


def drill_body(figure: str, day_start_iso: str, day_end_iso: str, key: str | int | None = None, *,
               window_start_iso: str | None = None) -> Body:
    """The `cases.query` body listing the cases behind `figure` for the day [day_start_iso, day_end_iso).

    Raises ValueError for an unknown figure, a keyed figure without its key (or with a bad one), and a
    `*_closed` figure without `window_start_iso`.
    """
    name, key = split_figure(figure, key)
    if name in _PLAIN:
        return _PLAIN[name](day_start_iso, day_end_iso)
    if name not in _KEYED and name not in _WINDOW_OWNERS:
        raise ValueError(f"unknown wall figure {figure!r}; known: {', '.join(sorted(FIGURES))}")
    if key is None or key == "":
        raise ValueError(f"figure {name!r} needs a key ({name}:<key>)")
    if name in _KEYED:
        return _KEYED[name](day_start_iso, day_end_iso, key)
    if window_start_iso is None:
        raise ValueError(f"figure {name!r} needs window_start_iso (stats.wall's window_start)")
    return {**_closed(window_start_iso, day_end_iso), _WINDOW_OWNERS[name]: int(key)}
