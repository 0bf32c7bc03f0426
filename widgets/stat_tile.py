"""Big counters of the wall: `StatTile` (title, big value, a detail line; clickable) and `StatStrip` (a grid of them).

A tile is painted by hand: the title (20 px × scale, elided), the value (48 px × scale, bold; shrunk to fit rather
than clipped), the detail (17 px × scale, elided), a stripe in the tile's tone on the left. It repaints only when
what it shows changes, and a click emits its key so the wall can open the cases behind the number.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QEnterEvent, QFont, QFontMetrics, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QFrame, QGridLayout, QSizePolicy, QWidget

from widgets.wall_text import MISSING, draw_text, elide, fit_font, format_count, format_percent
from widgets.wall_theme import TONES, WALL_THEME, ScaledFonts, px, wall_font

TITLE_PX = 20
VALUE_PX = 48
DETAIL_PX = 17
MIN_VALUE_PX = 16
"""A value shrinks down to this (× scale) to fit a narrow tile, rather than being elided."""
PAD = 14
STRIPE = 6
GAP = 4


class StatTile(ScaledFonts, QFrame):
    clicked = Signal(str)
    """The tile's key."""

    def __init__(self, key: str, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self._title = title
        self._value_text = MISSING
        self._detail = ""
        self._tone = "normal"
        self._scale = 1.0
        self._hovered = False
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAccessibleName(title)
        self._make_fonts()

    # -- data -------------------------------------------------------------------------------------------------
    def title(self) -> str:
        return self._title

    def value_text(self) -> str:
        return self._value_text

    def detail(self) -> str:
        return self._detail

    def tone(self) -> str:
        return self._tone

    def set_title(self, title: str) -> None:
        if title != self._title:
            self._title = title
            self.update()

    def set_value(self, value: int | float | None, *, percent: bool = False, detail: str = "") -> None:
        """None → "—"; 12345 → "12,345"; with `percent` the value is a fraction: 0.935 → "93.5%"."""
        text = format_percent(value) if percent else format_count(value)
        if (text, detail) == (self._value_text, self._detail):
            return
        self._value_text, self._detail = text, detail
        self.update()

    def set_tone(self, tone: str) -> None:
        """"normal" | "good" | "warn" | "bad" (anything else counts as normal)."""
        tone = tone if tone in TONES else "normal"
        if tone != self._tone:
            self._tone = tone
            self.update()

    def shown_title(self) -> str:
        """The title as painted at the current size (ends in "…" when the tile is too narrow)."""
        return elide(self._title, self._title_font, self.text_rects()[0].width())

    def value_font_px(self) -> int:
        return self._value_font.pixelSize()

    # -- geometry ---------------------------------------------------------------------------------------------
    def _make_fonts(self) -> None:
        self._title_font = wall_font(self, TITLE_PX, self._scale)
        self._value_font = wall_font(self, VALUE_PX, self._scale, bold=True)
        self._detail_font = wall_font(self, DETAIL_PX, self._scale)

    def _line_heights(self) -> tuple[int, int, int]:
        return (QFontMetrics(self._title_font).height(), QFontMetrics(self._value_font).height(),
                QFontMetrics(self._detail_font).height())

    def sizeHint(self) -> QSize:
        title, value, detail = self._line_heights()
        pad = px(PAD, self._scale)
        return QSize(px(220, self._scale), 2 * pad + title + value + detail + 2 * px(GAP, self._scale))

    def minimumSizeHint(self) -> QSize:
        title, value, _ = self._line_heights()
        return QSize(px(120, self._scale), 2 * px(PAD * 0.6, self._scale) + title + value)

    def text_rects(self) -> tuple[QRect, QRect, QRect | None, QFont]:
        """Where the title, value and detail go, and the value's font. The block is centred vertically; when the
        tile is short the detail goes first, then the value shrinks (never clipped)."""
        pad, gap = px(PAD, self._scale), px(GAP, self._scale)
        left = pad + px(STRIPE, self._scale)
        width = max(1, self.width() - left - pad)
        title_h, _, detail_h = self._line_heights()
        room = self.height() - 2 * px(PAD * 0.5, self._scale)
        value_font = fit_font(self._value_text, self._value_font, width, px(MIN_VALUE_PX, self._scale))
        value_h = QFontMetrics(value_font).height()
        if title_h + gap + value_h > room:
            value_font.setPixelSize(max(px(MIN_VALUE_PX, self._scale),
                                        int(value_font.pixelSize() * (room - title_h - gap) / value_h)))
            value_h = QFontMetrics(value_font).height()
        show_detail = bool(self._detail) and title_h + value_h + detail_h + 2 * gap <= room
        block = title_h + gap + value_h + (gap + detail_h if show_detail else 0)
        top = max(0, (self.height() - block) // 2)
        title_rect = QRect(left, top, width, title_h)
        value_rect = QRect(left, title_rect.bottom() + 1 + gap, width, value_h)
        detail_rect = QRect(left, value_rect.bottom() + 1 + gap, width, detail_h) if show_detail else None
        return title_rect, value_rect, detail_rect, value_font

    # -- events -----------------------------------------------------------------------------------------------
    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(event.position().toPoint()):
            self.clicked.emit(self.key)
        super().mouseReleaseEvent(event)

    def enterEvent(self, event: QEnterEvent) -> None:
        self._hovered = True
        self.update()
        super().enterEvent(event)

    def leaveEvent(self, event: QEvent) -> None:
        self._hovered = False
        self.update()
        super().leaveEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self._paint_frame(painter)
        title_rect, value_rect, detail_rect, value_font = self.text_rects()
        draw_text(painter, title_rect, self._title, self._title_font, WALL_THEME.text_dim)
        draw_text(painter, value_rect, self._value_text, value_font, WALL_THEME.tone(self._tone))
        if detail_rect is not None:
            draw_text(painter, detail_rect, self._detail, self._detail_font, WALL_THEME.text_dim)
        painter.end()

    def _paint_frame(self, painter: QPainter) -> None:
        border = px(2, self._scale)
        radius = px(8, self._scale)
        frame = QRectF(self.rect()).adjusted(border / 2, border / 2, -border / 2, -border / 2)
        painter.setPen(QPen(QColor(WALL_THEME.hover if self._hovered else WALL_THEME.panel_border), border))
        painter.setBrush(QColor(WALL_THEME.tile))
        painter.drawRoundedRect(frame, radius, radius)
        stripe_color = WALL_THEME.accent if self._tone == "normal" else WALL_THEME.tone(self._tone)
        stripe = QRectF(frame.left() + border, frame.top() + radius, px(STRIPE, self._scale),
                        frame.height() - 2 * radius)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(stripe_color))
        painter.drawRoundedRect(stripe, border, border)


class StatStrip(QWidget):
    """A grid of `StatTile`s, `columns` wide, in the order given; `tile_clicked(key)` from any of them."""

    tile_clicked = Signal(str)

    def __init__(self, tiles: list[tuple[str, str]], columns: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tiles: dict[str, StatTile] = {}
        self._scale = 1.0
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        columns = max(1, columns)
        for index, (key, title) in enumerate(tiles):
            tile = StatTile(key, title, self)
            tile.clicked.connect(self.tile_clicked)
            self._tiles[key] = tile
            self._grid.addWidget(tile, index // columns, index % columns)
        for column in range(min(columns, len(tiles))):
            self._grid.setColumnStretch(column, 1)
        self._apply_spacing()

    def tile(self, key: str) -> StatTile:
        return self._tiles[key]

    def keys(self) -> list[str]:
        return list(self._tiles)

    def set_scale(self, scale: float) -> None:
        if scale != self._scale:
            self._scale = scale
            for tile in self._tiles.values():
                tile.set_scale(scale)
            self._apply_spacing()

    def _apply_spacing(self) -> None:
        self._grid.setSpacing(px(12, self._scale))
