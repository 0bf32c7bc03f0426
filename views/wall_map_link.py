"""Feeds the wall's county map: builds the page once from the first snapshot's townships and grids, then passes on
only what changed — cases placed by app/models/wall_map.py, cameras from the reference data, open alarms."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QObject

from app.context import WindowContext
from app.models.map_points import PlacedCase
from app.models.wall_map import WallMapFeed
from views.case_text import format_time
from views.wall_figures import tr
from widgets.county_map import CountyMap
from widgets.map_markers import MapAlarm, MapCamera, MapCase

ALARM_KIND_NAMES = {
    "crowd": QT_TRANSLATE_NOOP("WallFigures", "人员聚集"), "fire_smoke": QT_TRANSLATE_NOOP("WallFigures", "烟火"),
    "intrusion": QT_TRANSLATE_NOOP("WallFigures", "区域入侵"),
    "night_activity": QT_TRANSLATE_NOOP("WallFigures", "夜间异常活动"),
    "traffic_accident": QT_TRANSLATE_NOOP("WallFigures", "交通事故"),
    "illegal_dumping": QT_TRANSLATE_NOOP("WallFigures", "违规倾倒"),
    "flooding": QT_TRANSLATE_NOOP("WallFigures", "积水内涝"),
}


class MapLink(QObject):
    def __init__(self, county_map: CountyMap, feed: WallMapFeed, context: WindowContext, outline_path: Path,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.map, self.feed, self.context, self.outline_path = county_map, feed, context, outline_path
        self.built = False
        context.session.snapshot_loaded.connect(self._on_snapshot)
        feed.cases_reset.connect(lambda placed: self.map.set_cases(map_case(p) for p in placed))
        feed.cases_changed.connect(self._on_cases_changed)
        feed.alarms_reset.connect(lambda alarms: self.map.set_alarms(self._alarms(alarms)))
        feed.alarms_changed.connect(self._on_alarms_changed)

    def _on_snapshot(self, snapshot: dict[str, Any]) -> None:
        if not self.built and snapshot.get("townships"):
            self.map.build(self.outline_path, snapshot["townships"], snapshot.get("grids", []))
            self.built = True
        if "cameras" in snapshot:
            self.map.set_cameras(MapCamera(c["id"], c["lat"], c["lon"], c["name"]) for c in snapshot["cameras"]
                                 if c.get("lat") is not None and c.get("lon") is not None)

    def _on_cases_changed(self, upserts: list[PlacedCase], removed: list[int]) -> None:
        if upserts:
            self.map.upsert_cases(map_case(p) for p in upserts)
        if removed:
            self.map.remove_cases(removed)

    def _on_alarms_changed(self, upserts: list[dict[str, Any]], removed: list[int]) -> None:
        if upserts:
            self.map.upsert_alarms(self._alarms(upserts))
        if removed:
            self.map.remove_alarms(removed)

    def _alarms(self, alarms: list[dict[str, Any]]) -> list[MapAlarm]:
        cameras = self.context.reference.cameras
        out = []
        for alarm in alarms:
            if alarm.get("lat") is None or alarm.get("lon") is None:
                continue
            camera = cameras.get(alarm.get("camera_id"), {}).get("name", "")
            out.append(MapAlarm(alarm["id"], alarm["lat"], alarm["lon"], f"{alarm_kind(alarm)} · {camera} · "
                                f"{format_time(alarm.get('raised_at'))}"))
        return out


def alarm_kind(alarm: dict[str, Any]) -> str:
    """The alarm's kind as the wall names it (人员聚集, 占道经营, …)."""
    return tr(ALARM_KIND_NAMES.get(alarm.get("kind", ""), alarm.get("kind", "")))


def map_case(placed: PlacedCase) -> MapCase:
    tooltip = f"{placed.category}：{placed.title}" if placed.category else placed.title
    return MapCase(placed.id, placed.lat, placed.lon, placed.layer, tooltip, placed.today, placed.estimated)
