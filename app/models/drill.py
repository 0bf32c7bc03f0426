"""Which cases stand behind a figure the leader clicked on the wall: the `cases.query` body for it, on a given local
day. The definitions are services/drilldown.py's, the same the server's counters use."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from app.models.map_points import CST
from services.drilldown import drill_body

DRILL_LIMIT = 500
"""The newest this many cases behind a figure (the drill-down says when there are more)."""
ALIASES = {"on_time_rate": "closed", "satisfaction": "closed"}
"""Rates drill into the cases they are rates of."""
NO_CASES = frozenset({"whistles", "arrivals"})
"""Figures about whistles: no cases behind them (the console's 吹哨报到 tab lists whistles)."""


def _iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, CST).isoformat(timespec="seconds")


def drill_query(figure: str, key: Any, day: tuple[float, float]) -> dict[str, Any] | None:
    """The `cases.query` body for a figure on the given local day, or None when the figure has no cases behind it."""
    if figure in NO_CASES:
        return None
    body = drill_body(ALIASES.get(figure, figure), _iso(day[0]), _iso(day[1]), key)
    return {**body, "limit": DRILL_LIMIT}
