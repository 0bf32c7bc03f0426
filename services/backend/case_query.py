"""`cases.query`: the filters of its body as one SELECT over `cases`, newest first (docs/PROTOCOL.md §16).

Every figure of the leaders' wall can be drilled into with these filters (services/drilldown.py builds the
bodies). When a time range is given it drives the query: the other filters are then written so that no index
serves them. SQLite is never ANALYZEd and, without statistics, prefers an equality on an indexed column
(township, lead department, category, state) over a range — and would walk every case of that township to find
today's. One exception: a township or lead department with `states` and a `closed_*` range only is served whole by
the index (owner, state, closed_at, on_time) (bench/counters.py measures the drill-down queries on 1,000,000 cases).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, select

from services.backend import tables as t
from services.backend.serialize import parse_iso
from services.domain.model import OPEN_STATES
from services.protocol import CASE_TIME_FILTERS

DEFAULT_LIMIT = 200
OPEN_STATE_VALUES = sorted(s.value for s in OPEN_STATES)


def _time_ranges(body: dict[str, Any]) -> list[ColumnElement[bool]]:
    c = t.CaseRow.__table__.c
    out: list[ColumnElement[bool]] = []
    for step in CASE_TIME_FILTERS:
        column = c[f"{step}_at"]
        if body.get(f"{step}_from") is not None:
            out.append(column >= parse_iso(body[f"{step}_from"]))
        if body.get(f"{step}_to") is not None:
            out.append(column < parse_iso(body[f"{step}_to"]))
    return out


def _plain(column: Any, indexed: bool) -> Any:
    """The column itself, or an expression of it no index serves (`x + 0`, `x || ''`) when a range drives."""
    if indexed:
        return column
    return column.concat("") if column.type.python_type is str else column + 0


def _filters(body: dict[str, Any], indexed: bool) -> list[ColumnElement[bool]]:
    c = t.CaseRow
    out: list[ColumnElement[bool]] = []
    if body.get("states"):
        out.append(_plain(c.state, indexed).in_(body["states"]))
    if body.get("open_only"):
        out.append(_plain(c.state, indexed).in_(OPEN_STATE_VALUES))
    equal = {"township_id": c.township_id, "department_id": c.lead_department_id, "channel": c.channel,
             "category": c.category}
    for key, column in equal.items():
        if body.get(key) is not None:
            out.append(_plain(column, indexed) == body[key])
    if body.get("overdue") is not None:
        out.append(c.overdue.is_(body["overdue"]))
    if body.get("on_time") is not None:
        out.append(c.on_time.is_(body["on_time"]))
    if body.get("before_id"):
        out.append(c.id < body["before_id"])
    return out


def _owner_closures(body: dict[str, Any]) -> bool:
    """Closures of one township or department in a period: the owner's (…, state, closed_at) index serves it."""
    other_ranges = any(body.get(f"{step}_{end}") is not None for step in CASE_TIME_FILTERS if step != "closed"
                       for end in ("from", "to"))
    owner = body.get("township_id") is not None or body.get("department_id") is not None
    return owner and bool(body.get("states")) and not other_ranges


def case_query(body: dict[str, Any]) -> Select[Any]:
    """The SELECT for a validated `cases.query` body (an `open_only: false` filters nothing)."""
    ranges = _time_ranges(body)
    c = t.CaseRow
    where = ranges + _filters(body, indexed=not ranges or _owner_closures(body))
    return select(c.__table__).where(*where).order_by(c.id.desc()).limit(body.get("limit", DEFAULT_LIMIT))
