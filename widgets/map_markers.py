"""What the county map shows: plain marker records, the layer names, and their compact wire form for the page.

Qt-free. The caller (the wall's view) turns its cases, cameras and alarms into these records; the map widget only
stores and ships them. On the wire a record is a short JSON array, not an object: a batch of 10,000 cases is
~0.6 MB this way and ~1.2 MB with keys, and it is encoded on the Qt thread.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

CASE_LAYERS: tuple[str, ...] = ("new", "dispatched", "overdue", "closed_today")
"""Case layers by state: 新上报 (reported/registered), 已派遣/处置中, 超期, 今日办结."""
LAYERS: tuple[str, ...] = (*CASE_LAYERS, "heat", "cameras", "alarms", "labels", "grids")
"""Every layer `CountyMap.set_layer_visible` accepts ("grids": the grid boundaries)."""
LAYER_TITLES: dict[str, str] = {
    "new": "新上报", "dispatched": "已派遣/处置中", "overdue": "超期", "closed_today": "今日办结",
    "heat": "今日热力", "cameras": "摄像头", "alarms": "告警", "labels": "镇街名称", "grids": "网格边界",
}
"""Names of the layers in the page's layer control (the page has its own copy in county_map.js)."""


@dataclass(frozen=True)
class MapCase:
    """A case marker. `estimated`: the caller placed it at its grid's centre (no coordinates, or outside the county)."""

    id: int
    lat: float
    lon: float
    layer: str
    tooltip: str
    today: bool
    estimated: bool = False

    def __post_init__(self) -> None:
        if self.layer not in CASE_LAYERS:
            raise ValueError(f"case {self.id}: unknown layer {self.layer!r} (one of {', '.join(CASE_LAYERS)})")
        _check_position("case", self.id, self.lat, self.lon)


@dataclass(frozen=True)
class MapCamera:
    id: int
    lat: float
    lon: float
    name: str

    def __post_init__(self) -> None:
        _check_position("camera", self.id, self.lat, self.lon)


@dataclass(frozen=True)
class MapAlarm:
    id: int
    lat: float
    lon: float
    tooltip: str

    def __post_init__(self) -> None:
        _check_position("alarm", self.id, self.lat, self.lon)


def _check_position(kind: str, ident: int, lat: float, lon: float) -> None:
    """A NaN or an impossible coordinate would break the page's clustering for every marker, so refuse it here."""
    if not (math.isfinite(lat) and math.isfinite(lon) and -90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
        raise ValueError(f"{kind} {ident}: position ({lat}, {lon}) is not a latitude/longitude")


Marker = MapCase | MapCamera | MapAlarm


def wire(marker: Marker) -> list[Any]:
    """The page's array form: a case [id, lat, lon, layer, tooltip, today, estimated]; camera, alarm [id, lat, lon,
    text]."""
    if isinstance(marker, MapCase):
        return [marker.id, marker.lat, marker.lon, marker.layer, marker.tooltip, int(marker.today),
                int(marker.estimated)]
    text = marker.name if isinstance(marker, MapCamera) else marker.tooltip
    return [marker.id, marker.lat, marker.lon, text]
