"""Domain objects <-> rows and wire dicts. Wire times are ISO 8601 in China Standard Time (+08:00)."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Any

from services.domain.model import Case, CaseState, ResolutionClass, Whistle, WhistleCall, WhistleState
from services.domain.workcalendar import CST

CASE_COLUMNS = tuple(f.name for f in dataclasses.fields(Case))
WHISTLE_COLUMNS = tuple(f.name for f in dataclasses.fields(Whistle))


def iso(ts: float | None) -> str | None:
    return None if ts is None else datetime.fromtimestamp(ts, CST).isoformat(timespec="seconds")


def parse_iso(value: str) -> float:
    return datetime.fromisoformat(value).timestamp()


def wire_times(value: Any, key: str = "") -> Any:
    """Converts every float under a key ending in `_at` to ISO text, recursively."""
    if isinstance(value, dict):
        return {k: wire_times(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [wire_times(v, key) for v in value]
    if key.endswith("_at") and isinstance(value, int | float) and not isinstance(value, bool):
        return iso(float(value))
    return value


def case_from_row(row: Any) -> Case:
    m = row._mapping if hasattr(row, "_mapping") else row
    values = {name: m[name] for name in CASE_COLUMNS}
    values["state"] = CaseState(values["state"])
    if values["resolution_class"] is not None:
        values["resolution_class"] = ResolutionClass(values["resolution_class"])
    values["co_department_ids"] = list(values["co_department_ids"] or [])
    return Case(**values)


CASE_TIME_COLUMNS = tuple(name for name in CASE_COLUMNS if name.endswith("_at"))


def case_to_row(case: Case) -> dict[str, Any]:
    """Shallow (dataclasses.asdict deep-copies every field and was a third of a write's cost)."""
    values = {name: getattr(case, name) for name in CASE_COLUMNS}
    values["state"] = case.state.value
    values["resolution_class"] = case.resolution_class.value if case.resolution_class else None
    values["co_department_ids"] = list(case.co_department_ids)
    if case.extension_pending is not None:
        values["extension_pending"] = dict(case.extension_pending)
    return values


def case_to_wire(case: Case) -> dict[str, Any]:
    return row_to_wire(case_to_row(case))


def row_to_wire(row: Any) -> dict[str, Any]:
    """A stored case row (mapping) straight to its wire dict: the snapshot path for thousands of rows."""
    m = row._mapping if hasattr(row, "_mapping") else row
    out = {name: m[name] for name in CASE_COLUMNS}
    for name in CASE_TIME_COLUMNS:
        value = out[name]
        if value is not None:
            out[name] = iso(value)
    pending = out["extension_pending"]
    if pending:
        out["extension_pending"] = wire_times(pending)
    out["co_department_ids"] = list(out["co_department_ids"] or [])
    return out


def whistle_from_row(row: Any) -> Whistle:
    m = row._mapping if hasattr(row, "_mapping") else row
    values = {name: m[name] for name in WHISTLE_COLUMNS}
    values["state"] = WhistleState(values["state"])
    if values["resolution_class"] is not None:
        values["resolution_class"] = ResolutionClass(values["resolution_class"])
    values["calls"] = [WhistleCall(**c) for c in (values["calls"] or [])]
    return Whistle(**values)


def whistle_to_row(whistle: Whistle) -> dict[str, Any]:
    values = dataclasses.asdict(whistle)
    values["state"] = whistle.state.value
    values["resolution_class"] = whistle.resolution_class.value if whistle.resolution_class else None
    return values


def whistle_to_wire(whistle: Whistle) -> dict[str, Any]:
    return wire_times(whistle_to_row(whistle))
