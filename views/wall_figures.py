"""The wall's figures: which counters exist, their titles, how each is read from `stats.wall`, and its tone.

One table for the counters, so the situation page, the drill-down and the tests agree on what "办结" or "超期" is."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

CONTEXT = "WallFigures"
Stats = dict[str, Any]


def tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


@dataclass(frozen=True)
class Counter:
    key: str
    """Also the drill-down figure (services/drilldown.py), where the figure has cases behind it."""
    title: str
    value: Callable[[Stats], int | float | None]
    percent: bool = False
    tone: Callable[[Stats], str] = lambda _s: "normal"


def _rate_tone(key: str, good: float = 0.9, warn: float = 0.75) -> Callable[[Stats], str]:
    def tone(stats: Stats) -> str:
        rate = stats.get(key)
        if rate is None:
            return "normal"
        return "good" if rate >= good else "warn" if rate >= warn else "bad"
    return tone


def _arrival_today(stats: Stats) -> float | None:
    due = stats.get("whistle_calls_due_today") or 0
    return (stats.get("whistle_calls_arrived_on_time_today") or 0) / due if due else None


COUNTERS: tuple[Counter, ...] = (
    Counter("reported", QT_TRANSLATE_NOOP("WallFigures", "今日上报"), lambda s: s.get("reported")),
    Counter("registered", QT_TRANSLATE_NOOP("WallFigures", "立案"), lambda s: s.get("registered")),
    Counter("dispatched", QT_TRANSLATE_NOOP("WallFigures", "派遣"), lambda s: s.get("dispatched")),
    Counter("in_handling", QT_TRANSLATE_NOOP("WallFigures", "处置中"), lambda s: s.get("in_handling")),
    Counter("closed", QT_TRANSLATE_NOOP("WallFigures", "今日办结"), lambda s: s.get("closed"),
            tone=lambda _s: "good"),
    Counter("overdue", QT_TRANSLATE_NOOP("WallFigures", "超期"), lambda s: s.get("overdue"),
            tone=lambda s: "bad" if s.get("overdue") else "good"),
    Counter("on_time_rate", QT_TRANSLATE_NOOP("WallFigures", "按期办结率"), lambda s: s.get("on_time_closure_rate"),
            percent=True, tone=_rate_tone("on_time_closure_rate")),
    Counter("satisfaction", QT_TRANSLATE_NOOP("WallFigures", "满意率"), lambda s: s.get("satisfaction_rate"),
            percent=True, tone=_rate_tone("satisfaction_rate")),
    Counter("whistles", QT_TRANSLATE_NOOP("WallFigures", "今日吹哨"), lambda s: s.get("whistles_raised")),
    Counter("arrivals", QT_TRANSLATE_NOOP("WallFigures", "报到按时率"), _arrival_today, percent=True,
            tone=lambda s: _rate_tone("x")({"x": _arrival_today(s)})),
)
COUNTER_BY_KEY = {c.key: c for c in COUNTERS}

CHANNEL_SHORT_NAMES = {
    "hotline_12345": QT_TRANSLATE_NOOP("WallFigures", "12345热线"),
    "digital_city": QT_TRANSLATE_NOOP("WallFigures", "数字城管"),
    "peace_volunteer": QT_TRANSLATE_NOOP("WallFigures", "平安志愿者"),
    "municipal_platform": QT_TRANSLATE_NOOP("WallFigures", "市综治平台"),
    "grid_app": QT_TRANSLATE_NOOP("WallFigures", "网格员APP"),
    "citizen_app": QT_TRANSLATE_NOOP("WallFigures", "群众APP"),
    "walk_in": QT_TRANSLATE_NOOP("WallFigures", "来访窗口"),
    "video_alarm": QT_TRANSLATE_NOOP("WallFigures", "视频告警"),
}
"""The wall's short names of the demo's channels (a tile holds about five characters); others show their own name."""

CHANNEL_ORDER = ("hotline_12345", "digital_city", "peace_volunteer", "municipal_platform", "grid_app",
                 "citizen_app", "walk_in", "video_alarm")
"""The eight intake channels in the order the wall lists them (names come from the reference data)."""


def counter_detail(key: str, stats: Stats) -> str:
    """A small second line under some counters: what the rate is of."""
    if key == "on_time_rate":
        return tr("{0} 件办结").format(stats.get("closed", 0))
    if key == "arrivals":
        return tr("按时 {1}/{0}").format(stats.get("whistle_calls_due_today", 0),
                                       stats.get("whistle_calls_arrived_on_time_today", 0))
    return ""


def channel_title(code: str, name: str) -> str:
    return tr(CHANNEL_SHORT_NAMES[code]) if code in CHANNEL_SHORT_NAMES else name


def as_of_text(stats: Stats | None) -> str | None:
    """"10:32:05" from the figures' `as_of`, or None before the first figures."""
    if not stats or not stats.get("as_of"):
        return None
    try:
        return datetime.fromisoformat(stats["as_of"]).strftime("%H:%M:%S")
    except ValueError:
        return None
