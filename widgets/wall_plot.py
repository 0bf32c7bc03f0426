"""The pyqtgraph plot every wall chart sits on: dark, still (no pan, zoom or menu), ticks we choose, fonts that follow
the scale, a painted legend above it, "暂无数据" over it when there is nothing to show, and clicks mapped to data
coordinates (`clicked_at(x, y)`) so each chart can say which hour, day or category was clicked.
"""

from __future__ import annotations

import math

import pyqtgraph as pg
from pyqtgraph.GraphicsScene.mouseEvents import MouseClickEvent
from PySide6.QtCore import QEvent, QObject, QPoint, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QHBoxLayout, QSizePolicy, QVBoxLayout, QWidget

from widgets.wall_text import ElidedText
from widgets.wall_theme import WALL_THEME, px, wall_font

TICK_PX = 18
LEGEND_PX = 18
EMPTY_PX = 24
TICK_OFFSET = 8
LABEL_OVERHANG = 48


def nice_ticks(top: float, count: int = 4) -> list[int]:
    """Integer ticks from 0 to at least `top`, about `count` steps of 1, 2 or 5 × 10ⁿ: nice_ticks(37) → 0..40."""
    if top <= 0:
        return [0, 1]
    raw = top / max(1, count)
    magnitude = 10 ** math.floor(math.log10(raw)) if raw >= 1 else 1
    step = next((m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw), 10 * magnitude)
    step = max(1, int(step))
    last = math.ceil(top / step) * step
    return list(range(0, last + 1, step))


def thin_step(count: int, available_px: int, label_px: int) -> int:
    """Every how many labels to show so that `count` labels of `label_px` fit `available_px` (1 = all)."""
    if count <= 1 or label_px <= 0:
        return 1
    fits = max(1, available_px // label_px)
    return max(1, math.ceil(count / fits))


class Legend(QWidget):
    """The series' names with their swatch (a filled block for bars, a thick line for lines), right-aligned."""

    def __init__(self, entries: list[tuple[str, str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._entries = entries  # (label, colour, "bar" | "line" | "dash")
        self._scale = 1.0
        self._font = wall_font(self, LEGEND_PX, 1.0)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._fix_height()

    def labels(self) -> list[str]:
        return [label for label, _, _ in self._entries]

    def set_labels(self, labels: list[str]) -> None:
        entries = [(label, color, kind) for label, (_, color, kind) in zip(labels, self._entries, strict=False)]
        if entries != self._entries:
            self._entries = entries
            self.update()

    def set_scale(self, scale: float) -> None:
        self._scale = scale
        self._font = wall_font(self, LEGEND_PX, scale)
        self._fix_height()
        self.update()

    def _fix_height(self) -> None:
        self.setFixedHeight(QFontMetrics(self._font).height())

    def sizeHint(self) -> QSize:
        metrics = QFontMetrics(self._font)
        width = sum(metrics.horizontalAdvance(label) + px(60, self._scale) for label, _, _ in self._entries)
        return QSize(width, metrics.height())

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setFont(self._font)
        metrics = QFontMetrics(self._font)
        swatch, gap = px(26, self._scale), px(8, self._scale)
        right = self.width()
        for label, color, kind in reversed(self._entries):
            text_w = metrics.horizontalAdvance(label)
            text_left = right - text_w
            swatch_left = text_left - gap - swatch
            middle = self.height() / 2
            if kind == "bar":
                painter.fillRect(QRectF(swatch_left, middle - swatch * 0.3, swatch, swatch * 0.6), QColor(color))
            else:
                pen = QPen(QColor(color), px(4, self._scale))
                if kind == "dash":
                    pen.setStyle(Qt.PenStyle.DashLine)
                painter.setPen(pen)
                painter.drawLine(QPointF(swatch_left, middle), QPointF(swatch_left + swatch, middle))
            painter.setPen(QColor(WALL_THEME.text))
            painter.drawText(QRectF(text_left, 0, text_w + 1, self.height()), Qt.AlignmentFlag.AlignVCenter, label)
            right = swatch_left - px(24, self._scale)
        painter.end()


class WallPlot(QWidget):
    """A still, dark pyqtgraph plot with an optional legend; the charts put their items into `self.item`."""

    clicked_at = Signal(float, float)
    """A left click inside the plot item (axes included), in data coordinates."""
    plot_resized = Signal()
    """The plot area changed size (charts thin their labels and fit their rows to it)."""

    def __init__(self, legend: list[tuple[str, str, str]] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._scale = 1.0
        self._ticks: dict[str, list[tuple[float, str]]] = {}
        self._left_width = 0
        self._ranges: tuple[tuple[float, float], tuple[float, float]] | None = None
        self.legend = Legend(legend or [], self)
        self.legend.setVisible(bool(legend))
        self.plot = pg.PlotWidget(background=WALL_THEME.panel)
        self.plot.setFrameShape(pg.QtWidgets.QFrame.Shape.NoFrame)
        self.plot.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.plot.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.plot.viewport().setCursor(Qt.CursorShape.PointingHandCursor)
        self.item: pg.PlotItem = self.plot.getPlotItem()
        self._make_still()
        self.empty_note = ElidedText(self.tr("暂无数据"), EMPTY_PX, color=WALL_THEME.text_dim, parent=self.plot)
        self.empty_note.set_alignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_note.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.empty_note.hide()
        self.plot.scene().sigMouseClicked.connect(self._on_scene_click)
        self.plot.installEventFilter(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        header = QHBoxLayout()
        header.addStretch(1)
        header.addWidget(self.legend)
        layout.addLayout(header)
        layout.addWidget(self.plot, 1)
        self._layout = layout
        self._apply_scale()

    # -- set-up -----------------------------------------------------------------------------------------------
    def _make_still(self) -> None:
        self.item.setMouseEnabled(x=False, y=False)
        self.item.setMenuEnabled(False)
        self.item.hideButtons()
        self.item.getViewBox().disableAutoRange()
        self.item.getViewBox().setDefaultPadding(0)
        for name in ("top", "right"):
            self.item.hideAxis(name)
        for name in ("left", "bottom"):
            axis = self.item.getAxis(name)
            axis.setStyle(autoExpandTextSpace=False, tickLength=0, hideOverlappingLabels=False)
            axis.setPen(pg.mkPen(WALL_THEME.grid))
            axis.setTextPen(pg.mkPen(WALL_THEME.text_dim))

    def scale(self) -> float:
        return self._scale

    def tick_font(self) -> QFont:
        return wall_font(self, TICK_PX, self._scale)

    def set_scale(self, scale: float) -> None:
        if scale != self._scale:
            self._scale = scale
            self._apply_scale()

    def _apply_scale(self) -> None:
        font = self.tick_font()
        metrics = QFontMetrics(font)
        offset = px(TICK_OFFSET, self._scale)
        for name in ("left", "bottom"):
            axis = self.item.getAxis(name)
            axis.setTickFont(font)
            # labels may reach this far past the axis' ends (pyqtgraph drops them beyond; its default is 15 px)
            axis.setStyle(tickTextOffset=offset, hideOverlappingLabels=px(LABEL_OVERHANG, self._scale))
            axis.setPen(pg.mkPen(WALL_THEME.grid, width=px(2, self._scale)))
        self.item.getAxis("bottom").setHeight(metrics.height() + offset + px(4, self._scale))
        # room for half a tick label above the top tick and right of the last one (else they are cut)
        self.item.setContentsMargins(0, metrics.height() // 2 + px(2, self._scale), px(30, self._scale), 0)
        self.legend.set_scale(self._scale)
        self.empty_note.set_scale(self._scale)
        self._layout.setSpacing(px(6, self._scale))
        self._place_empty_note()

    # -- axes and ranges --------------------------------------------------------------------------------------
    def set_ticks(self, axis: str, ticks: list[tuple[float, str]]) -> None:
        """The axis' ticks as (position, label); nothing is redrawn when they are the ones shown."""
        if self._ticks.get(axis) != ticks:
            self._ticks[axis] = ticks
            self.item.getAxis(axis).setTicks([ticks])

    def ticks(self, axis: str) -> list[tuple[float, str]]:
        return list(self._ticks.get(axis, []))

    def set_left_width(self, labels: list[str], extra_px: int = 0) -> None:
        """Makes the left axis as wide as its widest label (plus the offset and `extra_px`)."""
        metrics = QFontMetrics(self.tick_font())
        widest = max((metrics.horizontalAdvance(label) for label in labels), default=0)
        width = widest + px(TICK_OFFSET + 6, self._scale) + extra_px
        if width != self._left_width:
            self._left_width = width
            self.item.getAxis("left").setWidth(width)

    def set_ranges(self, x: tuple[float, float], y: tuple[float, float]) -> None:
        if (x, y) != self._ranges:
            self._ranges = (x, y)
            self.item.getViewBox().setRange(xRange=x, yRange=y, padding=0)

    def plot_width(self) -> int:
        """Pixels across the data area (the plot without its left axis), from the widget's own geometry: the
        graphics layout settles later than a resize event."""
        return max(1, self.plot.width() - self._left_width - px(12, self._scale))

    def plot_height(self) -> int:
        bottom = self.item.getAxis("bottom")
        bottom_height = 0 if not bottom.isVisible() else int(bottom.fixedHeight or 0)
        return max(1, self.plot.height() - bottom_height - px(12, self._scale))

    # -- empty note -------------------------------------------------------------------------------------------
    def set_empty(self, empty: bool) -> None:
        self.empty_note.setVisible(empty)
        if empty:
            self.empty_note.raise_()
            self._place_empty_note()

    def is_empty_shown(self) -> bool:
        return self.empty_note.isVisibleTo(self)

    def _place_empty_note(self) -> None:
        height = self.empty_note.height()
        self.empty_note.setGeometry(0, (self.plot.height() - height) // 2, self.plot.width(), height)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.plot and event.type() == QEvent.Type.Resize:
            self._place_empty_note()
            self.plot_resized.emit()
        return super().eventFilter(watched, event)

    # -- clicks -----------------------------------------------------------------------------------------------
    def _on_scene_click(self, event: MouseClickEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton or event.double():
            return
        scene_pos = event.scenePos()
        if not self.item.sceneBoundingRect().contains(scene_pos):
            return
        point = self.item.getViewBox().mapSceneToView(scene_pos)
        self.clicked_at.emit(point.x(), point.y())

    def widget_pos(self, x: float, y: float) -> QPoint:
        """Where data point (x, y) is, in the coordinates of `self.plot.viewport()` (where a click lands)."""
        scene = self.item.getViewBox().mapViewToScene(QPointF(x, y))
        return self.plot.mapFromScene(scene)


def y_ticks(plot: WallPlot, top: float) -> float:
    """Puts integer ticks with thousands separators on the left axis; returns the y range's top."""
    ticks = nice_ticks(top)
    labels = [f"{t:,}" for t in ticks]
    plot.set_ticks("left", list(zip([float(t) for t in ticks], labels, strict=True)))
    plot.set_left_width(labels)
    return float(ticks[-1])


class WallChart(QWidget):
    """Base of the wall's charts: one `WallPlot` filling the widget; `set_scale` passes on and redraws."""

    def __init__(self, legend: list[tuple[str, str, str]] | None, parent: QWidget | None) -> None:
        super().__init__(parent)
        self._scale = 1.0
        self.wall_plot = WallPlot(legend, self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.wall_plot)
        self.wall_plot.clicked_at.connect(self._on_click)
        self.wall_plot.plot_resized.connect(self._relabel)

    def set_scale(self, scale: float) -> None:
        if scale != self._scale:
            self._scale = scale
            self.wall_plot.set_scale(scale)
            self._redraw()

    def _redraw(self) -> None:
        raise NotImplementedError

    def _relabel(self) -> None:
        """Labels that depend on the width (thinned ticks); cheap, nothing else changes."""

    def _on_click(self, x: float, y: float) -> None:
        raise NotImplementedError
