"""A countdown pill: a rounded, coloured label with a thin bar of the time used, readable from across the room.

Data in, nothing out: the caller computes the text, the tone and the share of the window already used (on the
server's clock) and calls `set_value` every few seconds. The widget only draws; it knows no deadline rules.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

TONES: dict[str, tuple[str, str]] = {
    # tone: (background, text)
    "waiting": ("#e3f2fd", "#0d47a1"),   # time left
    "warn": ("#fff3e0", "#e65100"),      # little time left
    "overdue": ("#ffebee", "#b71c1c"),   # deadline passed, still waiting
    "ok": ("#e8f5e9", "#1b5e20"),        # done in time
    "late": ("#fce4ec", "#880e4f"),      # done, but late
    "idle": ("#eceff1", "#37474f"),      # no deadline
}
BAR_HEIGHT = 4
PIXEL_SIZE = 16


class CountdownPill(QWidget):
    """`set_value("剩 5小时20分", "waiting", 0.3)`: the text, its tone (a key of TONES), the used share or None."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._text = ""
        self._tone = "idle"
        self._fraction: float | None = None
        font = QFont(self.font())
        font.setPixelSize(PIXEL_SIZE)
        font.setBold(True)
        self.setFont(font)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)

    # -- data in ------------------------------------------------------------------------------------
    def set_value(self, text: str, tone: str, fraction: float | None = None) -> None:
        tone = tone if tone in TONES else "idle"
        fraction = None if fraction is None else min(1.0, max(0.0, fraction))
        if (text, tone, fraction) == (self._text, self._tone, self._fraction):
            return
        resize = len(text) != len(self._text)
        self._text, self._tone, self._fraction = text, tone, fraction
        self.setToolTip(text)
        if resize:
            self.updateGeometry()
        self.update()

    def text(self) -> str:
        return self._text

    def tone(self) -> str:
        return self._tone

    # -- drawing ------------------------------------------------------------------------------------
    def sizeHint(self) -> QSize:
        metrics = QFontMetrics(self.font())
        return QSize(metrics.horizontalAdvance(self._text or "—") + 28, metrics.height() + 14 + BAR_HEIGHT)

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def paintEvent(self, event: QPaintEvent) -> None:
        background, foreground = TONES[self._tone]
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(self.rect()).adjusted(1, 1, -1, -1)
        painter.setPen(QPen(QColor(foreground).lighter(160), 1))
        painter.setBrush(QColor(background))
        painter.drawRoundedRect(rect, 8, 8)
        if self._fraction is not None:
            bar = QRectF(rect.left() + 8, rect.bottom() - BAR_HEIGHT - 3, (rect.width() - 16), BAR_HEIGHT)
            painter.setPen(Qt.PenStyle.NoPen)
            track = QColor(foreground)
            track.setAlpha(40)
            painter.setBrush(track)
            painter.drawRoundedRect(bar, 2, 2)
            painter.setBrush(QColor(foreground))
            painter.drawRoundedRect(QRectF(bar.left(), bar.top(), bar.width() * self._fraction, bar.height()), 2, 2)
        painter.setPen(QColor(foreground))
        text_rect = rect.adjusted(10, 0, -10, -(BAR_HEIGHT + 2 if self._fraction is not None else 0))
        painter.drawText(text_rect, Qt.AlignmentFlag.AlignCenter, self._text or "—")
        painter.end()
