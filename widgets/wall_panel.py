"""A titled panel of the wall: its title on the left of the header, "数据截至 hh:mm:ss" on the right, the body below.

The panel paints its own dark frame (no style sheet), so it looks the same in any window. When the figures are
stale (the connection is down, or nothing new came for too long) the time turns amber and says so.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QFrame, QHBoxLayout, QSizePolicy, QVBoxLayout, QWidget

from widgets.wall_text import ElidedText
from widgets.wall_theme import WALL_THEME, px

TITLE_PX = 22
AS_OF_PX = 17
MARGIN = 14
RADIUS = 8
BORDER = 2
ACCENT_BAR = 5


@runtime_checkable
class Scalable(Protocol):
    def set_scale(self, scale: float) -> None: ...


class WallPanel(QFrame):
    """`set_as_of("10:32:05")`, `set_as_of(None)` (no time shown), `set_as_of(t, stale=True)` (amber, 已过时).
    `set_scale` scales the header and frame, and the body too when the body has a `set_scale`."""

    def __init__(self, title: str, body: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("wallPanel")
        self.body = body
        self._scale = 1.0
        self._as_of: tuple[str | None, bool] = (None, False)
        self.title_label = ElidedText(title, TITLE_PX, bold=True, color=WALL_THEME.text)
        self.as_of_label = ElidedText("", AS_OF_PX, color=WALL_THEME.text_dim)
        self.as_of_label.set_alignment(Qt.AlignmentFlag.AlignRight)
        self.as_of_label.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.as_of_label.hide()
        self._header = QHBoxLayout()
        self._header.addWidget(self.title_label, 1)
        self._header.addWidget(self.as_of_label, 0)
        self._layout = QVBoxLayout(self)
        self._layout.addLayout(self._header)
        self._layout.addWidget(body, 1)
        self._layout.addStretch(0)  # a body that cannot grow stays under the header, not in the panel's middle
        self._apply_metrics()

    def title(self) -> str:
        return self.title_label.text()

    def set_title(self, title: str) -> None:
        self.title_label.set_text(title)

    def as_of_text(self) -> str:
        """The header's time text as shown (empty when no time is set)."""
        return self.as_of_label.text() if self.as_of_label.isVisibleTo(self) else ""

    def set_as_of(self, hhmmss: str | None, stale: bool = False) -> None:
        if (hhmmss, stale) == self._as_of:
            return
        self._as_of = (hhmmss, stale)
        if hhmmss is None:
            self.as_of_label.hide()
            return
        text = self.tr("数据截至 %1").replace("%1", hhmmss)
        if stale:
            text += self.tr("（已过时）")
        self.as_of_label.set_text(text)
        self.as_of_label.set_color(WALL_THEME.stale if stale else WALL_THEME.text_dim)
        self._fit_as_of()
        self.as_of_label.show()

    def set_scale(self, scale: float) -> None:
        if scale == self._scale:
            return
        self._scale = scale
        self.title_label.set_scale(scale)
        self.as_of_label.set_scale(scale)
        if isinstance(self.body, Scalable):
            self.body.set_scale(scale)
        self._apply_metrics()
        self.update()

    def _fit_as_of(self) -> None:
        self.as_of_label.setFixedWidth(self.as_of_label.natural_width())

    def _apply_metrics(self) -> None:
        margin = px(MARGIN, self._scale)
        self._layout.setContentsMargins(margin + px(ACCENT_BAR, self._scale), margin, margin, margin)
        self._layout.setSpacing(px(10, self._scale))
        self._header.setSpacing(px(16, self._scale))
        self._fit_as_of()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        border = px(BORDER, self._scale)
        radius = px(RADIUS, self._scale)
        frame = QRectF(self.rect()).adjusted(border / 2, border / 2, -border / 2, -border / 2)
        painter.setPen(QPen(QColor(WALL_THEME.panel_border), border))
        painter.setBrush(QColor(WALL_THEME.panel))
        painter.drawRoundedRect(frame, radius, radius)
        title = self.title_label.geometry()
        bar = QRectF(px(MARGIN, self._scale) * 0.6, title.top() + title.height() * 0.15,
                     px(ACCENT_BAR, self._scale), title.height() * 0.7)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(WALL_THEME.accent))
        painter.drawRect(bar)
        painter.end()
