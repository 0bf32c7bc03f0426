"""A ranking of townships or departments for the wall: rank, name, a bar, a value text per row, painted by hand.

Rows are shown in the order given (the caller ranks them, best first: what "best" means is its business) and as many
as the height holds at a readable size; there is never a scroll bar. A click on a row emits its id.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QPoint, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFontMetrics, QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from widgets.wall_text import draw_text, elide
from widgets.wall_theme import WALL_THEME, ScaledFonts, px, wall_font

ROW_MIN = 40
ROW_MAX = 54
NAME_PX = 19
VALUE_PX = 19
RANK_PX = 17
NAME_SHARE = 0.36
"""The name column takes at most this share of the width; longer names end in "…"."""
PODIUM = 3


@dataclass(frozen=True)
class RankRow:
    id: int
    name: str
    fraction: float | None
    """Length of the bar, 0..1 (clamped); None: no bar."""
    value_text: str
    tone: str = "normal"
    """"normal" | "good" | "warn" | "bad": the bar's colour."""


class RankingList(ScaledFonts, QWidget):
    row_clicked = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: tuple[RankRow, ...] = ()
        self._scale = 1.0
        self._hover = -1
        self.setMouseTracking(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._make_fonts()

    def set_rows(self, rows: list[RankRow]) -> None:
        if tuple(rows) == self._rows:
            return
        self._rows = tuple(rows)
        self._hover = -1
        self.update()

    def rows(self) -> list[RankRow]:
        return list(self._rows)

    def name_font_px(self) -> int:
        return self._name_font.pixelSize()

    def _make_fonts(self) -> None:
        self._name_font = wall_font(self, NAME_PX, self._scale)
        self._value_font = wall_font(self, VALUE_PX, self._scale, bold=True)
        self._rank_font = wall_font(self, RANK_PX, self._scale, bold=True)
        self._empty_font = wall_font(self, 24, self._scale)

    def sizeHint(self) -> QSize:
        return QSize(px(420, self._scale), px(ROW_MAX, self._scale) * max(5, min(len(self._rows), 10)))

    def minimumSizeHint(self) -> QSize:
        return QSize(px(200, self._scale), px(ROW_MIN, self._scale) * 2)

    # -- layout -----------------------------------------------------------------------------------------------
    def row_height(self) -> int:
        if not self._rows:
            return px(ROW_MAX, self._scale)
        share = self.height() // len(self._rows)
        return max(px(ROW_MIN, self._scale), min(px(ROW_MAX, self._scale), share))

    def visible_count(self) -> int:
        """How many rows are shown: all, or as many as fit the height."""
        return min(len(self._rows), max(0, self.height() // self.row_height()))

    def row_rect(self, index: int) -> QRect:
        height = self.row_height()
        return QRect(0, index * height, self.width(), height)

    def row_at(self, point: QPoint) -> int:
        """Index of the visible row under the point, or -1."""
        if not self.rect().contains(point):
            return -1
        index = point.y() // self.row_height()
        return index if 0 <= index < self.visible_count() else -1

    def columns(self) -> tuple[QRect, QRect, QRect, QRect]:
        """Rank, name, bar and value columns of the first row (the others are the same, lower down)."""
        height = self.row_height()
        gap = px(12, self._scale)
        rank_w = max(height - px(8, self._scale), QFontMetrics(self._rank_font).horizontalAdvance("00") + gap)
        value_w = max((QFontMetrics(self._value_font).horizontalAdvance(r.value_text) for r in self._rows),
                      default=0) + px(4, self._scale)
        widest_name = max((QFontMetrics(self._name_font).horizontalAdvance(r.name) for r in self._rows), default=0)
        name_w = min(widest_name + px(4, self._scale), int(self.width() * NAME_SHARE))
        rank = QRect(0, 0, rank_w, height)
        name = QRect(rank.right() + 1 + gap, 0, name_w, height)
        value = QRect(self.width() - value_w, 0, value_w, height)
        bar = QRect(name.right() + 1 + gap, 0, max(0, value.left() - gap - name.right() - 1 - gap), height)
        return rank, name, bar, value

    def shown_name(self, index: int) -> str:
        """The name as painted in row `index` (elided when too long)."""
        return elide(self._rows[index].name, self._name_font, self.columns()[1].width())

    # -- events -----------------------------------------------------------------------------------------------
    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        index = self.row_at(event.position().toPoint())
        if event.button() == Qt.MouseButton.LeftButton and index >= 0:
            self.row_clicked.emit(self._rows[index].id)
        super().mouseReleaseEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        self._set_hover(self.row_at(event.position().toPoint()))
        super().mouseMoveEvent(event)

    def leaveEvent(self, event: QEvent) -> None:
        self._set_hover(-1)
        super().leaveEvent(event)

    def _set_hover(self, index: int) -> None:
        if index != self._hover:
            old, self._hover = self._hover, index
            for changed in (old, index):
                if changed >= 0:
                    self.update(self.row_rect(changed))

    # -- painting ---------------------------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if not self._rows:
            draw_text(painter, self.rect(), self.tr("暂无数据"), self._empty_font, WALL_THEME.text_dim,
                      Qt.AlignmentFlag.AlignCenter)
        else:
            columns = self.columns()
            for index in range(self.visible_count()):
                self._paint_row(painter, index, columns)
        painter.end()

    def _paint_row(self, painter: QPainter, index: int, columns: tuple[QRect, QRect, QRect, QRect]) -> None:
        row = self._rows[index]
        top = self.row_rect(index).top()
        rank, name, bar, value = (rect.translated(0, top) for rect in columns)
        if index == self._hover:
            painter.fillRect(self.row_rect(index), QColor(WALL_THEME.tile))
        self._paint_rank(painter, rank, index + 1)
        draw_text(painter, name, row.name, self._name_font, WALL_THEME.text)
        self._paint_bar(painter, bar, row)
        draw_text(painter, value, row.value_text, self._value_font, WALL_THEME.tone(row.tone),
                  Qt.AlignmentFlag.AlignRight)

    def _paint_rank(self, painter: QPainter, rect: QRect, rank: int) -> None:
        side = min(rect.width(), rect.height()) - px(10, self._scale)
        badge = QRectF(rect.left() + (rect.width() - side) / 2, rect.top() + (rect.height() - side) / 2, side, side)
        podium = rank <= PODIUM
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(WALL_THEME.accent if podium else WALL_THEME.tile))
        painter.drawRoundedRect(badge, px(6, self._scale), px(6, self._scale))
        painter.setFont(self._rank_font)
        painter.setPen(QColor(WALL_THEME.background if podium else WALL_THEME.text))
        painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, str(rank))

    def _paint_bar(self, painter: QPainter, rect: QRect, row: RankRow) -> None:
        if rect.width() <= 0:
            return
        thickness = max(px(8, self._scale), int(rect.height() * 0.34))
        track = QRectF(rect.left(), rect.center().y() - thickness / 2, rect.width(), thickness)
        radius = thickness / 2
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(WALL_THEME.grid))
        painter.drawRoundedRect(track, radius, radius)
        if row.fraction is None or not math.isfinite(row.fraction) or row.fraction <= 0:
            return
        fill = QRectF(track)
        fill.setWidth(max(thickness, track.width() * min(1.0, row.fraction)))
        painter.setBrush(QColor(WALL_THEME.accent if row.tone == "normal" else WALL_THEME.tone(row.tone)))
        painter.drawRoundedRect(fill, radius, radius)
