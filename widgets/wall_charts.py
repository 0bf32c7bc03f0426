"""The wall's charts (pyqtgraph in the wall theme): reports by hour today against yesterday, the 30-day trend of
reported and closed cases, and the top categories. Each repaints only when `set_data` brings different data, shows
"暂无数据" when it has nothing, and says by a signal which hour, day or category a leader clicked.

`CategoryChart` lives in widgets/wall_category.py; `RankingList` (widgets/ranking_list.py) and `RateGauge`
(widgets/wall_gauge.py) are painted by hand. All are re-exported here, so the wall imports its figures from one module.
"""

from __future__ import annotations

import math

import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QWidget

from widgets.ranking_list import RankingList, RankRow
from widgets.wall_category import OTHER_CATEGORY, CategoryChart
from widgets.wall_gauge import RateGauge
from widgets.wall_plot import WallChart, thin_step, y_ticks
from widgets.wall_theme import WALL_THEME, px

__all__ = ["OTHER_CATEGORY", "CategoryChart", "HourlyChart", "RankRow", "RankingList", "RateGauge", "TrendChart"]

HOURS = 24
BAR_WIDTH = 0.62
LINE_PX = 3
SYMBOL_PX = 8
PARTIAL_ALPHA = 120


class HourlyChart(WallChart):
    """Reports per hour: today as bars (the hour under way lighter, outlined), yesterday as a dim dashed line."""

    hour_clicked = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__([(self.tr("今日"), WALL_THEME.accent, "bar"), (self.tr("昨日"), WALL_THEME.muted, "dash")],
                         parent)
        self._data: tuple[tuple[int, ...], tuple[int, ...], int] = ((0,) * HOURS, (0,) * HOURS, -1)
        self._bars = pg.BarGraphItem(x=list(range(HOURS)), height=[0] * HOURS, width=BAR_WIDTH, pen=None,
                                     brush=WALL_THEME.accent)
        self._yesterday = pg.PlotDataItem(antialias=True)
        self.wall_plot.item.addItem(self._yesterday)
        self.wall_plot.item.addItem(self._bars)
        self._redraw()

    def data(self) -> tuple[list[int], list[int], int]:
        return list(self._data[0]), list(self._data[1]), self._data[2]

    def set_data(self, today: list[int], yesterday: list[int], current_hour: int) -> None:
        """`today` and `yesterday`: counts for hours 0..23 (shorter lists are padded with 0); hours after
        `current_hour` show no bar today."""
        data = (_hours(today), _hours(yesterday), max(-1, min(HOURS - 1, int(current_hour))))
        if data == self._data:
            return
        self._data = data
        self._redraw()

    def _redraw(self) -> None:
        today, yesterday, current = self._data
        shown = [value if hour <= current else 0 for hour, value in enumerate(today)]
        # the hour under way is not over yet: a lighter bar with a full outline
        partial = pg.mkColor(WALL_THEME.accent)
        partial.setAlpha(PARTIAL_ALPHA)
        brushes = [partial if hour == current else pg.mkColor(WALL_THEME.accent) for hour in range(HOURS)]
        pens = [pg.mkPen(WALL_THEME.accent, width=px(2, self._scale)) if hour == current else pg.mkPen(None)
                for hour in range(HOURS)]
        self._bars.setOpts(height=shown, brushes=brushes, pens=pens)
        self._yesterday.setVisible(any(yesterday))  # a first day has no yesterday: no row of dots at zero
        self._yesterday.setData(list(range(HOURS)), list(yesterday),
                                pen=pg.mkPen(WALL_THEME.muted, width=px(LINE_PX, self._scale),
                                             style=Qt.PenStyle.DashLine),
                                symbol="o", symbolSize=px(SYMBOL_PX, self._scale), symbolPen=None,
                                symbolBrush=WALL_THEME.muted)
        top = y_ticks(self.wall_plot, max(max(shown), max(yesterday)))
        self.wall_plot.set_ranges((-0.6, HOURS - 0.4), (0, top * 1.04))
        self.wall_plot.set_empty(not any(shown) and not any(yesterday))
        self._relabel()

    def _relabel(self) -> None:
        label_px = QFontMetrics(self.wall_plot.tick_font()).horizontalAdvance("00:00") + px(16, self._scale)
        step = next(s for s in (1, 2, 3, 4, 6, 12) if s >= thin_step(HOURS, self.wall_plot.plot_width(), label_px))
        self.wall_plot.set_ticks("bottom", [(float(h), f"{h:02d}:00" if step > 1 else f"{h:02d}")
                                            for h in range(0, HOURS, step)])

    def _on_click(self, x: float, y: float) -> None:
        hour = round(x)
        if 0 <= hour < HOURS:
            self.hour_clicked.emit(hour)


class TrendChart(WallChart):
    """Reported and closed cases per day (30 days): two thick lines with points; x labels MM-DD, thinned to fit."""

    day_clicked = Signal(str)
    """The day as it was given to `set_data` (e.g. "2024-05-01")."""

    def __init__(self, parent: QWidget | None = None, reported_label: str | None = None,
                 closed_label: str | None = None) -> None:
        super().__init__([(reported_label or self.tr("上报"), WALL_THEME.accent, "line"),
                          (closed_label or self.tr("办结"), WALL_THEME.good, "line")], parent)
        self._data: tuple[tuple[str, ...], tuple[int, ...], tuple[int, ...]] = ((), (), ())
        self._reported = pg.PlotDataItem(antialias=True)
        self._closed = pg.PlotDataItem(antialias=True)
        self.wall_plot.item.addItem(self._reported)
        self.wall_plot.item.addItem(self._closed)
        self._redraw()

    def set_series_labels(self, reported: str, closed: str) -> None:
        self.wall_plot.legend.set_labels([reported, closed])

    def set_data(self, days: list[str], reported: list[int], closed: list[int]) -> None:
        """One entry per day, oldest first; `days` as "YYYY-MM-DD" (shown as MM-DD) or already "MM-DD"."""
        n = len(days)
        data = (tuple(days), tuple(_pad(reported, n)), tuple(_pad(closed, n)))
        if data == self._data:
            return
        self._data = data
        self._redraw()

    def _redraw(self) -> None:
        days, reported, closed = self._data
        xs = list(range(len(days)))
        for item, values, color in ((self._reported, reported, WALL_THEME.accent),
                                    (self._closed, closed, WALL_THEME.good)):
            item.setData(xs, list(values), pen=pg.mkPen(color, width=px(LINE_PX, self._scale)), symbol="o",
                         symbolSize=px(SYMBOL_PX, self._scale), symbolPen=None, symbolBrush=color)
        top = y_ticks(self.wall_plot, max((*reported, *closed), default=0))
        self.wall_plot.set_ranges((-0.5, max(len(days), 1) - 0.5), (0, top * 1.04))
        self.wall_plot.set_empty(not days or (not any(reported) and not any(closed)))
        self._relabel()

    def _relabel(self) -> None:
        days = self._data[0]
        label_px = QFontMetrics(self.wall_plot.tick_font()).horizontalAdvance("00-00") + px(18, self._scale)
        step = thin_step(len(days), self.wall_plot.plot_width(), label_px)
        # thin from the newest day backwards, so today always has its label
        ticks = [(float(i), _month_day(days[i])) for i in range(len(days) - 1, -1, -step)]
        self.wall_plot.set_ticks("bottom", sorted(ticks))

    def _on_click(self, x: float, y: float) -> None:
        days = self._data[0]
        index = round(x)
        if days and 0 <= index < len(days):
            self.day_clicked.emit(days[index])


def _hours(values: list[int]) -> tuple[int, ...]:
    return tuple(_pad(values, HOURS))


def _pad(values: list[int], n: int) -> list[int]:
    """`values` cut or padded with zeros to length n; None and non-finite numbers count as 0."""
    clean = [int(v) if v is not None and math.isfinite(v) else 0 for v in list(values)[:n]]
    return clean + [0] * (n - len(clean))


def _month_day(day: str) -> str:
    """"2024-05-01" → "05-01"; anything else as given."""
    return day[5:10] if len(day) >= 10 and day[4] == "-" else day
