"""Cases by category as horizontal bars, biggest first: as many rows as the height holds at a readable size, the rest
folded into one "其他" bar. Names too long for the label column end in "…"; each bar has its count at its end.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import Signal
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QWidget

from widgets.wall_plot import WallChart
from widgets.wall_text import elide
from widgets.wall_theme import WALL_THEME, px, wall_font

OTHER_CATEGORY = "__other__"
"""What `category_clicked` carries for the folded "其他" bar (`CategoryChart.other_names()` lists its members)."""
ROW_PX = 36
"""The least height of one bar's row at scale 1: below it, categories fold into 其他."""
MIN_ROWS_IN_VIEW = 5
"""Few categories do not become fat bars: the view keeps room for at least this many rows."""
BAR_HEIGHT = 0.62
LABEL_SHARE = 0.34
VALUE_PX = 18


class CategoryChart(WallChart):
    category_clicked = Signal(str)
    """The category's name, or `OTHER_CATEGORY` for the 其他 bar."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(None, parent)
        self._items: tuple[tuple[str, int], ...] = ()
        self._rows: list[tuple[str, int]] = []
        self._other: list[str] = []
        self._fit = 0
        self._bars = pg.BarGraphItem(x0=[], y=[], height=BAR_HEIGHT, width=[], pen=None, brush=WALL_THEME.accent)
        self._labels: list[pg.TextItem] = []
        plot = self.wall_plot
        plot.item.addItem(self._bars)
        plot.item.getViewBox().invertY(True)
        plot.item.hideAxis("bottom")
        plot.item.getAxis("left").setTextPen(pg.mkPen(WALL_THEME.text))
        self._redraw()

    def set_data(self, items: list[tuple[str, int]]) -> None:
        """(category, count) in any order; shown biggest first."""
        data = tuple((str(name), int(count or 0)) for name, count in items)
        if data == self._items:
            return
        self._items = data
        self._redraw()

    def rows(self) -> list[tuple[str, int]]:
        """The bars shown, top to bottom; the last is ("其他", sum) when categories were folded."""
        return list(self._rows)

    def other_names(self) -> list[str]:
        return list(self._other)

    def rows_that_fit(self) -> int:
        return max(1, self.wall_plot.plot_height() // px(ROW_PX, self._scale))

    # -- drawing ----------------------------------------------------------------------------------------------
    def _fold(self) -> None:
        ranked = sorted((item for item in self._items if item[1] > 0), key=lambda item: -item[1])
        self._fit = self.rows_that_fit()
        if len(ranked) <= self._fit:
            self._rows, self._other = ranked, []
            return
        keep = ranked[: self._fit - 1]
        rest = ranked[self._fit - 1:]
        self._rows = [*keep, (self.tr("其他"), sum(count for _, count in rest))]
        self._other = [name for name, _ in rest]

    def _redraw(self) -> None:
        self._fold()
        rows = self._rows
        n = len(rows)
        brushes = [WALL_THEME.muted if self._other and i == n - 1 else WALL_THEME.accent for i in range(n)]
        self._bars.setOpts(x0=[0] * n, y=list(range(n)), width=[count for _, count in rows], brushes=brushes)
        self._set_names()
        self._set_values()
        self.wall_plot.set_empty(n == 0)

    def _set_names(self) -> None:
        font = self.wall_plot.tick_font()
        limit = max(px(60, self._scale), int(self.width() * LABEL_SHARE))
        names = [elide(name, font, limit) for name, _ in self._rows]
        self.wall_plot.set_ticks("left", [(float(i), name) for i, name in enumerate(names)])
        self.wall_plot.set_left_width(names)

    def _set_values(self) -> None:
        """The count at each bar's end; the x range leaves room for the widest count after the longest bar."""
        font = wall_font(self, VALUE_PX, self._scale, bold=True)
        metrics = QFontMetrics(font)
        pad = px(8, self._scale)
        widest = max((metrics.horizontalAdvance(f"{c:,}") for _, c in self._rows), default=0) + 2 * pad
        top = max((count for _, count in self._rows), default=1)
        share = min(0.6, widest / self.wall_plot.plot_width())
        right = top / (1 - share)
        rows_in_view = max(len(self._rows), min(MIN_ROWS_IN_VIEW, self._fit))
        self.wall_plot.set_ranges((0.0, float(right)), (-0.5, rows_in_view - 0.5))
        gap = pad * right / self.wall_plot.plot_width()
        while len(self._labels) < len(self._rows):
            label = pg.TextItem(anchor=(0, 0.5), color=WALL_THEME.text)
            self.wall_plot.item.addItem(label)
            self._labels.append(label)
        for label in self._labels[len(self._rows):]:
            label.hide()
        for label, (i, (_, count)) in zip(self._labels, enumerate(self._rows), strict=False):
            label.setFont(font)
            label.setText(f"{count:,}")
            label.setPos(count + gap, i)
            label.show()

    def _relabel(self) -> None:
        if self.rows_that_fit() != self._fit:
            self._redraw()
        elif self._rows:
            self._set_names()
            self._set_values()

    def _on_click(self, x: float, y: float) -> None:
        row = round(y)
        if 0 <= row < len(self._rows):
            folded = bool(self._other) and row == len(self._rows) - 1
            self.category_clicked.emit(OTHER_CATEGORY if folded else self._rows[row][0])
