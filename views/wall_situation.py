"""态势 — the wall's first page: today's counters, the live county map, intake by hour and by channel, the mix.

    ┌ counters ┬──────────────── county map ────────────────┬ intake per hour (today / yesterday) ┐
    │ (10, two │  cases by state, heat, cameras, alarms,     ├ by channel (8 tiles)                │
    │ columns) │  township labels with today's counts        ├ category mix                        │
    └──────────┴─────────────────────────────────────────────┴─────────────────────────────────────┘
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QWidget

from views.wall_figures import CHANNEL_ORDER, COUNTERS, channel_title, counter_detail, tr
from views.wall_page import WallPage
from widgets.county_map import CountyMap
from widgets.stat_tile import StatStrip
from widgets.wall_category import OTHER_CATEGORY, CategoryChart
from widgets.wall_charts import HourlyChart
from widgets.wall_panel import WallPanel


class SituationPage(WallPage):
    figure_clicked = Signal(str, object)
    """(figure, key): "reported", None · "channel", code · "category", name · "hour", h — for the drill-down."""

    def __init__(self, county_map: CountyMap, channel_names: dict[str, str] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.map = county_map
        self.counters = StatStrip([(c.key, tr(c.title)) for c in COUNTERS], columns=2)
        self.channels = StatStrip([(code, channel_title(code, (channel_names or {}).get(code, code)))
                                   for code in CHANNEL_ORDER], columns=4)
        self.hourly = HourlyChart()
        self.categories = CategoryChart()
        self.panels = {
            "counters": WallPanel(tr("今日总览"), self.counters),
            "map": WallPanel(tr("全县事件分布"), self.map),
            "hourly": WallPanel(tr("今日分时受理（对比昨日）"), self.hourly),
            "channels": WallPanel(tr("八大渠道今日受理"), self.channels),
            "categories": WallPanel(tr("今日事件类别"), self.categories),
        }
        self._layout()
        self.counters.tile_clicked.connect(lambda key: self.figure_clicked.emit(key, None))
        self.channels.tile_clicked.connect(lambda code: self.figure_clicked.emit("channel", code))
        self.hourly.hour_clicked.connect(lambda hour: self.figure_clicked.emit("hour", hour))
        self.categories.category_clicked.connect(self._on_category)

    def _on_category(self, name: str) -> None:
        if name != OTHER_CATEGORY:  # 其他 folds several categories; one query cannot list them
            self.figure_clicked.emit("category", name)

    def _layout(self) -> None:
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        p = self.panels
        grid.addWidget(p["counters"], 0, 0, 3, 1)
        grid.addWidget(p["map"], 0, 1, 3, 1)
        grid.addWidget(p["hourly"], 0, 2)
        grid.addWidget(p["channels"], 1, 2)
        grid.addWidget(p["categories"], 2, 2)
        grid.setColumnStretch(0, 20)
        grid.setColumnStretch(1, 46)
        grid.setColumnStretch(2, 34)
        for row, stretch in enumerate((34, 30, 36)):
            grid.setRowStretch(row, stretch)

    def set_channel_names(self, names: dict[str, str]) -> None:
        for code in CHANNEL_ORDER:
            if code in names:
                tile = self.channels.tile(code)
                tile.set_title(channel_title(code, names[code]))
                tile.setToolTip(names[code])

    def show_stats(self, stats: dict[str, Any]) -> None:
        for counter in COUNTERS:
            tile = self.counters.tile(counter.key)
            tile.set_value(counter.value(stats), percent=counter.percent, detail=counter_detail(counter.key, stats))
            tile.set_tone(counter.tone(stats))
        by_channel = stats.get("by_channel", {})
        for code in CHANNEL_ORDER:
            self.channels.tile(code).set_value(by_channel.get(code, 0))
        hour = _current_hour(stats)
        self.hourly.set_data(stats.get("hourly_today", [0] * 24), stats.get("hourly_yesterday", [0] * 24), hour)
        self.categories.set_data([(c["category"], c["count"]) for c in stats.get("categories_today", [])])



def _current_hour(stats: dict[str, Any]) -> int:
    text = str(stats.get("as_of", ""))
    try:
        return int(text[11:13])
    except ValueError:
        return 23
