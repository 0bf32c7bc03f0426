"""Where each case goes on the wall's map and in which layer: pure functions of the case, the day and the county.

A case without coordinates, or with coordinates outside the county (a typo, a phone's stale fix), is placed at the
centre of its grid (else its township) and flagged as estimated, so it is still counted where it belongs and the wall
says the position is not exact. A case with neither a position nor a place cannot be drawn: it is left off the map
(it still counts in every figure)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from shapely.errors import GEOSException
from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import unary_union
from shapely.prepared import prep

CST = timezone(timedelta(hours=8))
OPEN_STATES = frozenset({"reported", "registered", "dispatched", "returned", "handling", "feedback", "verified"})
NEW_STATES = frozenset({"reported", "registered"})
CLOSED_STATES = frozenset({"closed", "evaluated"})
CASE_LAYERS = ("new", "dispatched", "overdue", "closed_today")


@dataclass(frozen=True)
class PlacedCase:
    id: int
    lat: float
    lon: float
    layer: str
    today: bool
    estimated: bool
    title: str
    category: str


def case_layer(case: dict[str, Any], day_start: float, day_end: float) -> str | None:
    """new | dispatched | overdue | closed_today, or None: not on the map (rejected, closed another day)."""
    state = case.get("state")
    if state in OPEN_STATES:
        if case.get("overdue") or case.get("urgency") in ("overdue", "escalated"):
            return "overdue"
        return "new" if state in NEW_STATES else "dispatched"
    if state in CLOSED_STATES and _within(case.get("closed_at"), day_start, day_end):
        return "closed_today"
    return None


def _within(value: Any, start: float, end: float) -> bool:
    ts = _timestamp(value)
    return ts is not None and start <= ts < end


def _timestamp(value: Any) -> float | None:
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str) and value:
        try:
            return datetime.fromisoformat(value).timestamp()
        except ValueError:
            return None
    return None


class CountyPlacer:
    """Checks positions against the county outline and knows each grid's and township's centre."""

    def __init__(self, outline: BaseGeometry | None, townships: Iterable[dict[str, Any]],
                 grids: Iterable[dict[str, Any]]) -> None:
        self._outline = prep(outline) if outline is not None and not outline.is_empty else None
        self._grid_centres = _centres(grids)
        self._township_centres = _centres(townships)

    def place(self, case: dict[str, Any]) -> tuple[float, float, bool] | None:
        """(lat, lon, estimated), or None when the case has neither a usable position nor a known place."""
        lat, lon = case.get("lat"), case.get("lon")
        if isinstance(lat, int | float) and isinstance(lon, int | float) and self._inside(lat, lon):
            return float(lat), float(lon), False
        for centres, key in ((self._grid_centres, "grid_id"), (self._township_centres, "township_id")):
            centre = centres.get(case.get(key))  # type: ignore[arg-type]
            if centre is not None:
                return centre[0], centre[1], True
        return None

    def _inside(self, lat: float, lon: float) -> bool:
        return self._outline is None or self._outline.contains(Point(lon, lat))


def _centres(rows: Iterable[dict[str, Any]]) -> dict[int, tuple[float, float]]:
    """A point inside each area (its representative point: the centroid of a crescent may lie outside it)."""
    out = {}
    for row in rows:
        geometry = row.get("geometry")
        if geometry:
            point = shape(geometry).representative_point()
            out[row["id"]] = (point.y, point.x)
    return out


def place_case(case: dict[str, Any], placer: CountyPlacer, day: tuple[float, float]) -> PlacedCase | None:
    layer = case_layer(case, *day)
    if layer is None:
        return None
    where = placer.place(case)
    if where is None:
        return None
    reported = _timestamp(case.get("reported_at"))
    today = reported is not None and day[0] <= reported < day[1]
    return PlacedCase(case["id"], where[0], where[1], layer, today or layer == "closed_today", where[2],
                      str(case.get("title", "")), str(case.get("category", "")))


class GeometryFileError(Exception):
    """The county outline file is missing or is not a polygon GeoJSON: the wall cannot start without it."""


def load_county_outline(path: Path) -> BaseGeometry:
    """The county outline (degrees) from a GeoJSON FeatureCollection, Feature or geometry, or a clear error."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise GeometryFileError(f"县域边界文件不存在 / county outline file missing: {path}") from exc
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise GeometryFileError(f"县域边界文件无法读取 / county outline file unreadable: {path}: {exc}") from exc
    try:
        features = doc["features"] if doc.get("type") == "FeatureCollection" else [doc]
        geometry = unary_union([shape(f.get("geometry", f)) for f in features])
    except (AttributeError, KeyError, TypeError, ValueError, GEOSException) as exc:
        raise GeometryFileError(f"县域边界文件不是有效的 GeoJSON / not valid GeoJSON: {path}: {exc}") from exc
    if geometry.is_empty or geometry.geom_type not in ("Polygon", "MultiPolygon"):
        raise GeometryFileError(f"县域边界文件中没有多边形 / no polygon in the outline file: {path}")
    return geometry


def day_bounds(now: float) -> tuple[float, float]:
    """Today's local (CST) calendar day as [start, end) timestamps: the day every wall figure counts."""
    local = datetime.fromtimestamp(now, CST)
    start = local.replace(hour=0, minute=0, second=0, microsecond=0)
    return start.timestamp(), (start + timedelta(days=1)).timestamp()
