"""What the wall's map shows, kept current from the snapshot and the event stream: cases placed in their layers,
open alarms, and the day they count for. The map widget only hears the differences (upserts and removals), so a
burst of events becomes one small batch and an unchanged case costs nothing."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from shapely.geometry.base import BaseGeometry

from app.models.map_points import CST, CountyPlacer, PlacedCase, day_bounds, place_case
from app.session import Reply, Session
from services.client import Event

log = logging.getLogger(__name__)

DAY_CHECK_MS = 30_000
"""How often the feed checks whether the local day changed (yesterday's closures leave the map at midnight)."""
CLOSED_TODAY_LIMIT = 1000


class WallMapFeed(QObject):
    cases_reset = Signal(object)
    """list[PlacedCase]: everything on the map (after a snapshot, a new day)."""
    cases_changed = Signal(object, object)
    """(list[PlacedCase] added or changed, list[int] removed)."""
    alarms_reset = Signal(object)
    """list[dict]: the open alarms (wire form)."""
    alarms_changed = Signal(object, object)
    """(list[dict] raised or changed, list[int] gone)."""

    def __init__(self, session: Session, outline: BaseGeometry, now: Callable[[], float],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session, self.outline, self.now = session, outline, now
        self.placer = CountyPlacer(outline, [], [])
        self.day = day_bounds(now())
        self.raw: dict[int, dict[str, Any]] = {}
        self.placed: dict[int, PlacedCase] = {}
        self.alarms: dict[int, dict[str, Any]] = {}
        self.unplaceable: set[int] = set()
        """Cases with neither a position nor a known place: counted everywhere, drawn nowhere."""
        session.snapshot_loaded.connect(self.load)
        session.events_arrived.connect(self.apply)
        self._day_timer = QTimer(self)
        self._day_timer.setInterval(DAY_CHECK_MS)
        self._day_timer.timeout.connect(self.check_day)
        self._day_timer.start()

    # -- the snapshot -------------------------------------------------------------------------------
    def load(self, snapshot: dict[str, Any]) -> None:
        if "townships" in snapshot or "grids" in snapshot:
            self.placer = CountyPlacer(self.outline, snapshot.get("townships", []), snapshot.get("grids", []))
        self.day = day_bounds(self.now())
        self.raw = {c["id"]: c for c in snapshot.get("open_cases", [])}
        self._rebuild()
        if "open_alarms" in snapshot:
            self.alarms = {a["id"]: a for a in snapshot["open_alarms"] if a.get("state") == "open"}
            self.alarms_reset.emit(list(self.alarms.values()))
        self._ask_closed_today()

    def _ask_closed_today(self) -> None:
        """The snapshot holds open cases only; today's closures come from a query (later ones from events)."""
        start = _iso(self.day[0])
        body = {"states": ["closed", "evaluated"], "closed_from": start, "limit": CLOSED_TODAY_LIMIT}
        self.session.request("cases.query", body, self._on_closed_today)

    def _on_closed_today(self, reply: Reply) -> None:
        if not reply.ok or reply.result is None:
            log.warning("today's closed cases not loaded: %s", reply.error)
            return
        upserts = []
        for case in reply.result.get("cases", []):
            if case["id"] not in self.raw:
                self.raw[case["id"]] = case
                placed = self._place(case)
                if placed is not None:
                    upserts.append(placed)
        if upserts:
            self.cases_changed.emit(upserts, [])

    def _rebuild(self) -> None:
        self.placed.clear()
        self.unplaceable.clear()
        for case in list(self.raw.values()):
            self._place(case)
        self.cases_reset.emit(list(self.placed.values()))

    def _place(self, case: dict[str, Any]) -> PlacedCase | None:
        """Places one case and records it; None (and forgotten) when it is no longer on the map."""
        placed = place_case(case, self.placer, self.day)
        case_id = case["id"]
        if placed is None:
            self.placed.pop(case_id, None)
            if case.get("lat") is None and case.get("grid_id") is None and case.get("township_id") is None:
                self.unplaceable.add(case_id)
            return None
        self.unplaceable.discard(case_id)
        self.placed[case_id] = placed
        return placed

    # -- events ---------------------------------------------------------------------------------------
    def apply(self, events: list[Event]) -> None:
        changed: dict[int, PlacedCase] = {}
        removed: set[int] = set()
        alarms_up: dict[int, dict[str, Any]] = {}
        alarms_gone: set[int] = set()
        for event in events:
            case = event.data.get("case")
            if isinstance(case, dict):
                self._apply_case(case, changed, removed)
            alarm = event.data.get("alarm")
            if isinstance(alarm, dict):
                self._apply_alarm(alarm, alarms_up, alarms_gone)
        if changed or removed:
            self.cases_changed.emit(list(changed.values()), sorted(removed))
        if alarms_up or alarms_gone:
            self.alarms_changed.emit(list(alarms_up.values()), sorted(alarms_gone))

    def _apply_case(self, case: dict[str, Any], changed: dict[int, PlacedCase], removed: set[int]) -> None:
        case_id = case["id"]
        before = self.placed.get(case_id)
        self.raw[case_id] = case
        after = self._place(case)
        if after is None:
            self.raw.pop(case_id, None)
            changed.pop(case_id, None)
            if before is not None or case_id in changed:
                removed.add(case_id)
        elif after != before:
            changed[case_id] = after
            removed.discard(case_id)

    def _apply_alarm(self, alarm: dict[str, Any], up: dict[int, dict[str, Any]], gone: set[int]) -> None:
        alarm_id = alarm["id"]
        if alarm.get("state") == "open":
            self.alarms[alarm_id] = alarm
            up[alarm_id] = alarm
            gone.discard(alarm_id)
        elif self.alarms.pop(alarm_id, None) is not None or alarm_id in up:
            up.pop(alarm_id, None)
            gone.add(alarm_id)

    def check_day(self) -> None:
        """A new local day (midnight, or the first server time heard from a demo clock that runs elsewhere):
        yesterday's closures leave the map and today's are read."""
        day = day_bounds(self.now())
        if day != self.day:
            self.day = day
            self.raw = {i: c for i, c in self.raw.items() if c.get("state") not in ("closed", "evaluated")}
            self._rebuild()
            self._ask_closed_today()

    def open_case_ids(self) -> set[int]:
        return {i for i, p in self.placed.items() if p.layer != "closed_today"}


def _iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, CST).isoformat(timespec="seconds")
