"""Reference data from the snapshot (townships, grids, departments, channels), looked up by the screens."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from services.domain.model import CASE_STATE_LABELS, RESOLUTION_CLASS_LABELS

OPEN_CASE_STATES = frozenset({"reported", "registered", "dispatched", "returned", "handling", "feedback", "verified"})
STATE_LABELS: dict[str, str] = {s.value: label for s, label in CASE_STATE_LABELS.items()}
CLASS_LABELS: dict[str, str] = {c.value: label for c, label in RESOLUTION_CLASS_LABELS.items()}
PRIORITY_LABELS = {1: "特急", 2: "紧急", 3: "一般", 4: "较缓"}
URGENCY_LABELS = {"on_track": "正常", "due_soon": "即将超期", "overdue": "已超期", "escalated": "已升级"}
CHANNEL_ICONS = {  # a short glyph per channel, shown beside its name (no icon files needed, reads on any screen)
    "hotline_12345": "☎", "digital_city": "▣", "peace_volunteer": "♥", "municipal_platform": "◆",
    "grid_app": "▦", "citizen_app": "✉", "walk_in": "☺", "video_alarm": "◉",
}


@dataclass
class Reference:
    townships: dict[int, dict[str, Any]] = field(default_factory=dict)
    grids: dict[int, dict[str, Any]] = field(default_factory=dict)
    departments: dict[int, dict[str, Any]] = field(default_factory=dict)
    channels: dict[str, dict[str, Any]] = field(default_factory=dict)
    mediators: dict[int, dict[str, Any]] = field(default_factory=dict)

    def load(self, snapshot: dict[str, Any]) -> None:
        """Takes whichever reference parts the snapshot carries; parts it lacks stay as they were."""
        for part, key in (("townships", "id"), ("grids", "id"), ("departments", "id"), ("channels", "code"),
                          ("mediators", "id")):
            if part in snapshot:
                setattr(self, part, {row[key]: row for row in snapshot[part]})

    def township_name(self, township_id: int | None) -> str:
        return self.townships.get(township_id, {}).get("name", "") if township_id is not None else ""

    def grid_name(self, grid_id: int | None) -> str:
        return self.grids.get(grid_id, {}).get("name", "") if grid_id is not None else ""

    def department_name(self, department_id: int | None) -> str:
        if department_id is None:
            return ""
        return self.departments.get(department_id, {}).get("name", f"部门{department_id}")

    def channel_label(self, code: str) -> str:
        name = self.channels.get(code, {}).get("name", code)
        return f"{CHANNEL_ICONS.get(code, '•')} {name}"

    def place(self, township_id: int | None, grid_id: int | None) -> str:
        return " / ".join(p for p in (self.township_name(township_id), self.grid_name(grid_id)) if p)
