"""Text on the wall: number formats and a painted, elided label.

Numbers carry thousands separators (12,345); rates are fractions shown as percentages with one decimal (0.935 →
93.5%); a missing value is an em dash. Names too long for their place end in "…" (never cut mid-glyph).
"""

from __future__ import annotations

import functools
import math

from PySide6.QtCore import QPointF, QRect, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QFontInfo,
    QFontMetrics,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QResizeEvent,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from widgets.wall_theme import WALL_THEME, wall_font

MISSING = "—"


def format_count(value: int | float | None) -> str:
    """12345 → "12,345"; 3.25 → "3.3" (one decimal for a non-integral float); None or NaN → "—"."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return MISSING
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.1f}"
    return f"{int(value):,}"


def format_percent(fraction: float | None) -> str:
    """A fraction 0..1 as a percentage with one decimal: 0.935 → "93.5%"; None or NaN → "—"."""
    if fraction is None or not math.isfinite(fraction):
        return MISSING
    return f"{fraction * 100:.1f}%"


def elide(text: str, font: QFont, width: int) -> str:
    """The text, ending in "…" if it is wider than `width` pixels in this font."""
    return QFontMetrics(font).elidedText(text, Qt.TextElideMode.ElideRight, max(0, width))


def fit_font(text: str, font: QFont, width: int, min_px: int) -> QFont:
    """The font, shrunk (not below `min_px`) until the text fits `width`: big numbers shrink rather than clip."""
    fitted = QFont(font)
    size = fitted.pixelSize()
    while size > min_px and QFontMetrics(fitted).horizontalAdvance(text) > width:
        size = max(min_px, int(size * 0.92))
        fitted.setPixelSize(size)
    return fitted


SYNTHETIC_BOLD_LIMIT_PX = 64
"""Qt draws glyphs bigger than this as outlines, and there a font without a bold face (WenQuanYi Micro Hei, the
font Debian installs) loses the bold Qt synthesizes for smaller sizes: big bold numbers on a 4K wall came out thin.
`draw_text` strokes the outline itself for those."""
STROKE_SHARE = 0.035


@functools.lru_cache(maxsize=16)
def _has_bold_face(family: str) -> bool:
    return any("bold" in style.lower() or "heavy" in style.lower() for style in QFontDatabase.styles(family))


def needs_stroked_bold(font: QFont) -> bool:
    """Whether bold text in this font must be drawn as a stroked outline to look bold (see SYNTHETIC_BOLD_LIMIT_PX)."""
    return font.bold() and font.pixelSize() > SYNTHETIC_BOLD_LIMIT_PX and not _has_bold_face(QFontInfo(font).family())


def draw_text(painter: QPainter, rect: QRect, text: str, font: QFont, color: str,
              align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft) -> str:
    """Draws the text elided to the rect's width, vertically centred; returns what was drawn."""
    shown = elide(text, font, rect.width())
    if needs_stroked_bold(font):
        _draw_stroked(painter, rect, shown, font, color, align)
        return shown
    painter.setFont(font)
    painter.setPen(QColor(color))
    painter.drawText(rect, align | Qt.AlignmentFlag.AlignVCenter, shown)
    return shown


def _draw_stroked(painter: QPainter, rect: QRect, text: str, font: QFont, color: str,
                  align: Qt.AlignmentFlag) -> None:
    metrics = QFontMetrics(font)
    width = metrics.horizontalAdvance(text)
    if align & Qt.AlignmentFlag.AlignHCenter:
        x = rect.left() + (rect.width() - width) / 2
    elif align & Qt.AlignmentFlag.AlignRight:
        x = rect.right() + 1 - width
    else:
        x = rect.left()
    baseline = rect.top() + (rect.height() - metrics.height()) / 2 + metrics.ascent()
    path = QPainterPath()
    path.addText(QPointF(x, baseline), font, text)
    pen = QPen(QColor(color), font.pixelSize() * STROKE_SHARE)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(pen)
    painter.setBrush(QColor(color))
    painter.drawPath(path)
    painter.restore()


class ElidedText(QWidget):
    """One line of painted text in a pixel size × scale; elided with "…" when narrower than the text (the full text
    is then the tooltip). Repaints only when the text, colour or size changes."""

    def __init__(self, text: str = "", base_px: float = 18, bold: bool = False,
                 color: str = WALL_THEME.text, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._text = text
        self._base_px = base_px
        self._bold = bold
        self._color = color
        self._scale = 1.0
        self._align = Qt.AlignmentFlag.AlignLeft
        self._font = wall_font(self, base_px, 1.0, bold)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._refresh_geometry()

    def text(self) -> str:
        return self._text

    def shown_text(self) -> str:
        """What is painted at the current width (the text, or its elided form)."""
        return elide(self._text, self._font, self.width())

    def color(self) -> str:
        return self._color

    def text_font(self) -> QFont:
        return QFont(self._font)

    def set_text(self, text: str) -> None:
        if text != self._text:
            self._text = text
            self._refresh_geometry()
            self.update()

    def set_color(self, color: str) -> None:
        if color != self._color:
            self._color = color
            self.update()

    def set_alignment(self, align: Qt.AlignmentFlag) -> None:
        self._align = align
        self.update()

    def set_scale(self, scale: float) -> None:
        if scale != self._scale:
            self._scale = scale
            self._font = wall_font(self, self._base_px, scale, self._bold)
            self._refresh_geometry()
            self.update()

    def natural_width(self) -> int:
        return QFontMetrics(self._font).horizontalAdvance(self._text) + 2

    def sizeHint(self) -> QSize:
        return QSize(self.natural_width(), QFontMetrics(self._font).height())

    def minimumSizeHint(self) -> QSize:
        return QSize(QFontMetrics(self._font).horizontalAdvance("…") * 2, QFontMetrics(self._font).height())

    def _refresh_geometry(self) -> None:
        self.setFixedHeight(QFontMetrics(self._font).height())
        self.setToolTip(self._text if self.natural_width() > self.width() else "")
        self.updateGeometry()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.setToolTip(self._text if self.natural_width() > self.width() else "")

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        draw_text(painter, self.rect(), self._text, self._font, self._color, self._align)
        painter.end()
