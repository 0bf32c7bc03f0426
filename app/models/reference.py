"""Reference data from the snapshot (townships, grids, departments, channels), looked up by the screens."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

K = TypeVar("K")


class Labels(Mapping[K, str]):
    """Chinese labels (marked for lupdate) that come out in the UI's language when looked up."""

    def __init__(self, labels: dict[K, str]) -> None:
        self._labels = labels

    def __getitem__(self, key: K) -> str:
        return QCoreApplication.translate("Reference", self._labels[key])

    def __iter__(self) -> Iterator[K]:
        return iter(self._labels)

    def __len__(self) -> int:
        return len(self._labels)

    def source(self) -> dict[K, str]:
        """The untranslated (Chinese) labels: tests compare them with services.domain's."""
        return dict(self._labels)


OPEN_CASE_STATES = frozenset({"reported", "registered", "dispatched", "returned", "handling", "feedback", "verified"})
STATE_LABELS: Labels[str] = Labels({
    "reported": QT_TRANSLATE_NOOP("Reference", "待受理"), "registered": QT_TRANSLATE_NOOP("Reference", "已立案"),
    "rejected": QT_TRANSLATE_NOOP("Reference", "不予立案"), "dispatched": QT_TRANSLATE_NOOP("Reference", "待签收"),
    "returned": QT_TRANSLATE_NOOP("Reference", "退回待仲裁"), "handling": QT_TRANSLATE_NOOP("Reference", "处置中"),
    "feedback": QT_TRANSLATE_NOOP("Reference", "待核查"), "verified": QT_TRANSLATE_NOOP("Reference", "核查通过"),
    "closed": QT_TRANSLATE_NOOP("Reference", "已结案"), "evaluated": QT_TRANSLATE_NOOP("Reference", "已评价"),
})
CLASS_LABELS: Labels[str] = Labels({
    "immediate": QT_TRANSLATE_NOOP("Reference", "及时办"), "coordinated": QT_TRANSLATE_NOOP("Reference", "协调办"),
    "planned": QT_TRANSLATE_NOOP("Reference", "统筹办"),
})
PRIORITY_LABELS: Labels[int] = Labels({
    1: QT_TRANSLATE_NOOP("Reference", "特急"), 2: QT_TRANSLATE_NOOP("Reference", "紧急"),
    3: QT_TRANSLATE_NOOP("Reference", "一般"), 4: QT_TRANSLATE_NOOP("Reference", "较缓"),
})
URGENCY_LABELS: Labels[str] = Labels({
    "on_track": QT_TRANSLATE_NOOP("Reference", "正常"), "due_soon": QT_TRANSLATE_NOOP("Reference", "即将超期"),
    "overdue": QT_TRANSLATE_NOOP("Reference", "已超期"), "escalated": QT_TRANSLATE_NOOP("Reference", "已升级"),
})
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
    cameras: dict[int, dict[str, Any]] = field(default_factory=dict)

    def load(self, snapshot: dict[str, Any]) -> None:
        """Takes whichever reference parts the snapshot carries; parts it lacks stay as they were."""
        for part, key in (("townships", "id"), ("grids", "id"), ("departments", "id"), ("channels", "code"),
                          ("mediators", "id"), ("cameras", "id")):
            if part in snapshot:
                setattr(self, part, {row[key]: row for row in snapshot[part]})

    def township_name(self, township_id: int | None) -> str:
        return self.townships.get(township_id, {}).get("name", "") if township_id is not None else ""

    def grid_name(self, grid_id: int | None) -> str:
        return self.grids.get(grid_id, {}).get("name", "") if grid_id is not None else ""

    def department_name(self, department_id: int | None) -> str:
        if department_id is None:
            return ""
        fallback = QCoreApplication.translate("Reference", "部门{0}").format(department_id)
        return str(self.departments.get(department_id, {}).get("name", fallback))

    def channel_label(self, code: str) -> str:
        name = self.channels.get(code, {}).get("name", code)
        return f"{CHANNEL_ICONS.get(code, '•')} {name}"

    def place(self, township_id: int | None, grid_id: int | None) -> str:
        return " / ".join(p for p in (self.township_name(township_id), self.grid_name(grid_id)) if p)
