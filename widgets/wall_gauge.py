"""A ring gauge for one rate of the wall (吹哨报到率, 按期办结率, …): a 270° arc, the percentage big in the middle,
a detail line under it. The arc is green, amber or red by thresholds; a click anywhere emits `clicked`.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFontMetrics, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from widgets.wall_text import MISSING, draw_text, fit_font, format_percent
from widgets.wall_theme import WALL_THEME, ScaledFonts, px, wall_font

START_DEG = 225
SPAN_DEG = 270
VALUE_PX = 52
DETAIL_PX = 18
RING_SHARE = 0.085
"""The ring's thickness as a share of the gauge's side."""


class RateGauge(ScaledFonts, QWidget):
    clicked = Signal()

    def __init__(self, parent: QWidget | None = None, good_at: float = 0.9, warn_at: float = 0.75) -> None:
        super().__init__(parent)
        self._rate: float | None = None
        self._detail = ""
        self._scale = 1.0
        self._good_at = good_at
        self._warn_at = warn_at
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._make_fonts()

    def set_rate(self, rate: float | None, detail: str = "") -> None:
        """`rate` a fraction 0..1 (None: no figure yet); `detail` e.g. "应到 48 · 已到 45"."""
        if rate is not None and not math.isfinite(rate):
            rate = None
        if (rate, detail) == (self._rate, self._detail):
            return
        self._rate, self._detail = rate, detail
        self.update()

    def set_thresholds(self, good_at: float, warn_at: float) -> None:
        """The arc is green from `good_at`, amber from `warn_at`, red below."""
        self._good_at, self._warn_at = good_at, warn_at
        self.update()

    def rate_text(self) -> str:
        return format_percent(self._rate)

    def detail_text(self) -> str:
        """The line under the percentage: the detail, or 暂无数据 while there is no rate and no detail."""
        if self._detail or self._rate is not None:
            return self._detail
        return self.tr("暂无数据")

    def tone(self) -> str:
        if self._rate is None:
            return "normal"
        if self._rate >= self._good_at:
            return "good"
        return "warn" if self._rate >= self._warn_at else "bad"

    def value_font_px(self) -> int:
        return self._value_font.pixelSize()

    def _make_fonts(self) -> None:
        self._value_font = wall_font(self, VALUE_PX, self._scale, bold=True)
        self._detail_font = wall_font(self, DETAIL_PX, self._scale)

    def sizeHint(self) -> QSize:
        return QSize(px(260, self._scale), px(240, self._scale))

    def minimumSizeHint(self) -> QSize:
        return QSize(px(140, self._scale), px(120, self._scale))

    def ring_geometry(self) -> tuple[QRectF, float, QRect]:
        """The ring's circle (through the middle of its pen), its thickness, and the detail line's rect below it:
        the open-bottomed ring plus the line, as big as the widget allows, centred."""
        detail_h = QFontMetrics(self._detail_font).height() if self.detail_text() else 0
        gap = px(6, self._scale) if detail_h else 0
        below = math.sin(math.radians(START_DEG - 180))  # how far the ring's ends reach below its centre, in radii
        radius = max(1.0, min((self.height() - detail_h - gap) / (1 + below + 2 * RING_SHARE),
                              self.width() / (2 + 2 * RING_SHARE)))
        ring = 2 * radius * RING_SHARE
        shape_h = ring + radius * (1 + below) + gap + detail_h
        centre_y = (self.height() - shape_h) / 2 + ring / 2 + radius
        circle = QRectF(self.width() / 2 - radius, centre_y - radius, 2 * radius, 2 * radius)
        detail = QRect(0, int(centre_y + radius * below + ring / 2 + gap), self.width(), detail_h)
        return circle, ring, detail

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(event.position().toPoint()):
            self.clicked.emit()
        super().mouseReleaseEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        circle, ring, detail_rect = self.ring_geometry()
        self._paint_arc(painter, circle, ring, 1.0, WALL_THEME.grid)
        if self._rate is not None and self._rate > 0:
            self._paint_arc(painter, circle, ring, min(1.0, self._rate), WALL_THEME.tone(self.tone()))
        self._paint_value(painter, circle, ring)
        if detail_rect.height():
            draw_text(painter, detail_rect, self.detail_text(), self._detail_font, WALL_THEME.text_dim,
                      Qt.AlignmentFlag.AlignHCenter)
        painter.end()

    def _paint_arc(self, painter: QPainter, circle: QRectF, ring: float, share: float, color: str) -> None:
        pen = QPen(QColor(color), ring)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawArc(circle, START_DEG * 16, -round(SPAN_DEG * share * 16))

    def _paint_value(self, painter: QPainter, circle: QRectF, ring: float) -> None:
        """The percentage, centred in the ring, shrunk to its inside when the gauge is small."""
        inner = circle.adjusted(ring, ring, -ring, -ring)
        text = self.rate_text()
        font = fit_font(text, self._value_font, int(inner.width() * 0.88), px(16, self._scale))
        if QFontMetrics(font).height() > inner.height() * 0.6:
            font.setPixelSize(max(px(16, self._scale), int(inner.height() * 0.6 / 1.3)))
        height = QFontMetrics(font).height()
        rect = QRect(int(inner.left()), int(inner.center().y() - height / 2), int(inner.width()), height)
        color = WALL_THEME.text_dim if text == MISSING else WALL_THEME.tone(self.tone())
        draw_text(painter, rect, text, font, color, Qt.AlignmentFlag.AlignHCenter)
