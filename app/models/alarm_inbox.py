"""The open video alarms a duty officer must handle (告警待处置), kept from the snapshot and the event stream, each
with a snapshot of its camera's picture taken when the alarm came in.

An alarm is about a place and a time, never a person (services/domain/alarms.py). The protocol carries no files: the
snapshot is a JPEG written on this machine (`snapshots_dir`), and a case made of the alarm names it in its
description, with the camera, the place and the time."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import cv2
import numpy
from PySide6.QtCore import QObject, Signal

from app.session import Session
from services.client import Event
from services.domain.alarms import ALARM_CASE_CATEGORIES, ALARM_KINDS

log = logging.getLogger(__name__)


@dataclass
class InboxAlarm:
    alarm: dict[str, Any]
    snapshot: Path | None = None
    thumbnail: numpy.ndarray | None = field(default=None, repr=False)

    @property
    def id(self) -> int:
        return int(self.alarm["id"])

    @property
    def camera_id(self) -> int:
        return int(self.alarm["camera_id"])


class AlarmInbox(QObject):
    raised = Signal(object)
    """InboxAlarm: a new open alarm (not the ones already open at start)."""
    gone = Signal(int)
    """An alarm left the inbox (dismissed or converted, here or at another console)."""
    reset = Signal()

    def __init__(self, session: Session, snapshots_dir: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.snapshots_dir = snapshots_dir
        self.alarms: dict[int, InboxAlarm] = {}
        session.snapshot_loaded.connect(self.load)
        session.events_arrived.connect(self.apply)

    def load(self, snapshot: dict[str, Any]) -> None:
        if "open_alarms" in snapshot:
            self.alarms = {a["id"]: InboxAlarm(a) for a in snapshot["open_alarms"] if a.get("state") == "open"}
            self.reset.emit()

    def apply(self, events: list[Event]) -> None:
        for event in events:
            alarm = event.data.get("alarm")
            if not isinstance(alarm, dict):
                continue
            if alarm.get("state") == "open":
                known = self.alarms.get(alarm["id"])
                if known is None:
                    self.alarms[alarm["id"]] = item = InboxAlarm(alarm)
                    self.raised.emit(item)
                else:
                    known.alarm = alarm
            elif self.alarms.pop(alarm["id"], None) is not None:
                self.gone.emit(alarm["id"])

    def take_snapshot(self, item: InboxAlarm, frame: numpy.ndarray) -> Path | None:
        """Keeps the camera's picture of the moment: a JPEG on disk and a small copy for the list."""
        self.snapshots_dir.mkdir(parents=True, exist_ok=True)
        path = self.snapshots_dir / f"{item.alarm.get('code', item.id)}.jpg"
        if not cv2.imwrite(str(path), frame):
            log.warning("could not write the alarm snapshot %s", path)
            return None
        height, width = frame.shape[:2]
        scale = 160 / max(1, width)
        item.thumbnail = cv2.resize(frame, (160, max(1, int(height * scale))))
        item.snapshot = path
        return path


def kind_name(kind: str) -> str:
    return ALARM_KINDS.get(kind, kind)


def case_proposal(item: InboxAlarm, camera_name: str, place: str) -> dict[str, Any]:
    """The `alarm.to_case` body a duty officer starts from: category, title and description filled in."""
    alarm = item.alarm
    kind = kind_name(str(alarm.get("kind", "")))
    raised = alarm.get("raised_at") or ""
    when = datetime.fromisoformat(raised).strftime("%m-%d %H:%M:%S") if raised else ""
    parts = [f"视频告警 {alarm.get('code', '')}", kind, camera_name, place, when]
    if alarm.get("confidence") is not None:
        parts.append(f"置信度 {float(alarm['confidence']):.0%}")
    if item.snapshot is not None:
        parts.append(f"截图 {item.snapshot}")
    return {"id": item.id, "expected_version": alarm["version"],
            "category": ALARM_CASE_CATEGORIES.get(str(alarm.get("kind")), "安全隐患"),
            "title": f"{kind}：{camera_name}"[:200], "description": " · ".join(p for p in parts if p)[:4000]}
