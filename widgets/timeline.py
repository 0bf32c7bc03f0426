"""A vertical timeline: one row per event (time, actor, title, detail), a coloured dot and a rail on the left.

Pure Qt: the caller turns its events into `TimelineEntry` rows; this widget only lays them out and paints the rail.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRect, QSize, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QSizePolicy, QVBoxLayout, QWidget

from widgets.tint import tint

TONE_COLORS = {"normal": "#1565c0", "good": "#2e7d32", "warn": "#ef6c00", "bad": "#c62828", "muted": "#757575"}
RAIL_X = 12
"""Horizontal centre of the rail and the dots, in pixels from the row's left edge."""
DOT_RADIUS = 6
TEXT_LEFT = RAIL_X + DOT_RADIUS + 12
PAD_TOP, PAD_BOTTOM, PAD_RIGHT, DETAIL_GAP, META_GAP = 6, 12, 8, 3, 16


@dataclass(frozen=True)
class TimelineEntry:
    time_text: str
    actor: str
    title: str
    detail: str = ""
    tone: str = "normal"
    """normal / good / warn / bad / muted: the colour of the row's dot."""


class _TimelineRow(QWidget):
    """One entry, painted: the title (bold) and time · actor on the first line — on a line of their own when the row
    is too narrow for both — then the detail wrapped below; the rail and the dot on the left. Painting instead of
    child labels keeps the row's height exact for any width (word-wrapped labels misreport it in scroll areas)."""

    def __init__(self, entry: TimelineEntry, first: bool, last: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.entry, self._first, self._last = entry, first, last
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.setToolTip("\n".join(t for t in (entry.title, entry.detail) if t))

    def _meta(self) -> str:
        return f"{self.entry.time_text}  ·  {self.entry.actor}" if self.entry.actor else self.entry.time_text

    def _bold(self) -> QFont:
        font = QFont(self.font())
        font.setBold(True)
        return font

    def _layout(self, width: int) -> tuple[QRect, QRect, QRect, int]:
        """(title, meta, detail) rectangles and the row height for a width."""
        text_width = max(80, width - TEXT_LEFT - PAD_RIGHT)
        bold, plain = QFontMetrics(self._bold()), self.fontMetrics()
        line = max(bold.height(), plain.height())
        title_width = bold.horizontalAdvance(self.entry.title)
        meta_width = plain.horizontalAdvance(self._meta()) + 4  # +4: rounding slack, as for the title
        title = QRect(TEXT_LEFT, PAD_TOP, min(title_width + 4, text_width), line)  # +4: rounding slack
        if title.width() + META_GAP + meta_width <= text_width:
            meta = QRect(TEXT_LEFT + text_width - meta_width, PAD_TOP, meta_width, line)
            top = PAD_TOP + line
        else:
            meta = QRect(TEXT_LEFT, PAD_TOP + line, text_width, line)
            top = PAD_TOP + 2 * line
        detail = QRect(TEXT_LEFT, top + DETAIL_GAP, text_width, 0)
        if self.entry.detail:
            flags = int(Qt.TextFlag.TextWordWrap)
            detail.setHeight(plain.boundingRect(QRect(0, 0, text_width, 100_000), flags, self.entry.detail).height())
            top = detail.bottom() + 1
        return title, meta, detail, top + PAD_BOTTOM

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._layout(width)[3]

    def sizeHint(self) -> QSize:
        return QSize(480, self.heightForWidth(480))

    def minimumSizeHint(self) -> QSize:
        return QSize(200, PAD_TOP + self.fontMetrics().height() + PAD_BOTTOM)  # the real height is heightForWidth

    def paintEvent(self, event: QPaintEvent) -> None:
        title, meta, detail, _ = self._layout(self.width())
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        dot_y = title.center().y() + 0.5
        painter.setPen(QPen(QColor("#cfd8dc"), 2))
        top = 0.0 if not self._first else dot_y
        bottom = float(self.height()) if not self._last else dot_y
        if bottom > top:
            painter.drawLine(QPointF(RAIL_X, top), QPointF(RAIL_X, bottom))
        color = QColor(TONE_COLORS.get(self.entry.tone, TONE_COLORS["normal"]))
        painter.setPen(QPen(color.darker(120), 1.5))
        painter.setBrush(color)
        painter.drawEllipse(QPointF(RAIL_X, dot_y), DOT_RADIUS, DOT_RADIUS)
        painter.setPen(self.palette().color(QPalette.ColorRole.WindowText))
        painter.setFont(self._bold())
        painter.drawText(title, int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
                         QFontMetrics(self._bold()).elidedText(self.entry.title, Qt.TextElideMode.ElideRight,
                                                               title.width()))
        painter.setFont(self.font())
        painter.setPen(QColor("#616161"))
        painter.drawText(meta, int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
                         self.fontMetrics().elidedText(self._meta(), Qt.TextElideMode.ElideRight, meta.width()))
        if self.entry.detail:
            painter.setPen(self.palette().color(QPalette.ColorRole.WindowText))
            painter.drawText(detail, int(Qt.TextFlag.TextWordWrap), self.entry.detail)
        painter.end()


class TimelineView(QScrollArea):
    """The rows, oldest at the top; after an update the newest is scrolled into view."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._entries: list[TimelineEntry] = []
        self._empty_text = self.tr("暂无记录")
        self._rebuild()

    def set_empty_text(self, text: str) -> None:
        self._empty_text = text
        if not self._entries:
            self._rebuild()

    def set_entries(self, entries: list[TimelineEntry]) -> None:
        if entries == self._entries:
            return  # a refresh that brought nothing new: keep the scroll position
        self._entries = list(entries)
        self._rebuild()
        QTimer.singleShot(0, self, self._scroll_to_end)  # after the new rows are laid out

    def entries(self) -> list[TimelineEntry]:
        return list(self._entries)

    def _rebuild(self) -> None:
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(0)
        if not self._entries:
            empty = QLabel(self._empty_text)
            tint(empty, "#757575")
            layout.addWidget(empty)
        for i, entry in enumerate(self._entries):
            layout.addWidget(_TimelineRow(entry, first=i == 0, last=i == len(self._entries) - 1))
        layout.addStretch(1)
        self.setWidget(body)  # the old body is deleted by the scroll area
        body.show()

    def _scroll_to_end(self) -> None:
        bar = self.verticalScrollBar()
        bar.setValue(bar.maximum())
