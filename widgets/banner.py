"""An alert banner: one bold coloured strip across a window, until acknowledged or for a set time.

Data in (`show_message`), a signal out (`acknowledged`). A newer message replaces the one shown; the count of
messages not yet acknowledged is shown beside the button, so nothing passes unseen while the officer looks away.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QWidget

BANNER_TONES: dict[str, tuple[str, str]] = {
    # tone: (background, glyph)
    # glyphs are CJK characters: every CJK font has them (emoji and symbol glyphs are often missing)
    "urgent": ("#c62828", "急"),
    "overdue": ("#e65100", "超"),
    "escalated": ("#6a1b1b", "升"),
    "info": ("#1565c0", "讯"),
}


class Banner(QFrame):
    acknowledged = Signal()
    """The officer pressed 知道了 (or the hold time ran out: then `expired` too)."""
    expired = Signal()

    def __init__(self, parent: QWidget | None = None, hold_ms: int = 30_000) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._hold = QTimer(self)
        self._hold.setSingleShot(True)
        self._hold.timeout.connect(self._expire)
        self.hold_ms = hold_ms
        self.unread = 0
        self._sticky = False

        self.glyph = QLabel()
        self.glyph.setObjectName("glyph")
        self.glyph.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title = QLabel()
        self.detail = QLabel()
        self.detail.setWordWrap(False)
        self.detail.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.count = QLabel()
        self.button = QPushButton(self.tr("知道了"))
        self.button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.button.clicked.connect(self.acknowledge)
        for label, pixels, bold in ((self.glyph, 20, True), (self.title, 19, True), (self.detail, 16, False),
                                    (self.count, 15, False)):
            font = QFont(label.font())
            font.setPixelSize(pixels)
            font.setBold(bold)
            label.setFont(font)
        button_font = QFont(self.button.font())
        button_font.setPixelSize(16)
        button_font.setBold(True)
        self.button.setFont(button_font)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 8, 12, 8)
        layout.setSpacing(14)
        layout.addWidget(self.glyph)
        layout.addWidget(self.title)
        layout.addWidget(self.detail, 1)
        layout.addWidget(self.count)
        layout.addWidget(self.button)
        self._apply_tone("info")
        self.hide()

    def show_message(self, title: str, detail: str, tone: str = "info", hold_ms: int | None = None) -> None:
        """Shows the newest message (replacing the one shown) and restarts the hold time (`hold_ms`, default the
        banner's; 0 = until acknowledged)."""
        self.unread += 1
        self._apply_tone(tone)
        self.title.setText(title)
        self.detail.setText(detail)
        self.detail.setToolTip(detail)
        self.count.setText(self.tr("共 %n 条未确认", "", self.unread) if self.unread > 1 else "")
        self.show()
        hold = self.hold_ms if hold_ms is None else hold_ms
        self._sticky = self._sticky or hold <= 0  # one message that needs 知道了 keeps the banner up
        if self._sticky:
            self._hold.stop()
        else:
            self._hold.start(hold)

    def acknowledge(self) -> None:
        self._hold.stop()
        self.unread = 0
        self._sticky = False
        self.hide()
        self.acknowledged.emit()

    def _expire(self) -> None:
        self.acknowledge()
        self.expired.emit()

    def _apply_tone(self, tone: str) -> None:
        background, glyph = BANNER_TONES.get(tone, BANNER_TONES["info"])
        self.glyph.setText(glyph)
        self.setStyleSheet(
            f"QFrame#banner {{ background: {background}; border-radius: 6px; }}"
            f"QFrame#banner QLabel {{ color: white; background: transparent; }}"
            f"QFrame#banner QLabel#glyph {{ color: {background}; background: white; border-radius: 17px;"
            " min-width: 34px; max-width: 34px; min-height: 34px; max-height: 34px; }"
            "QFrame#banner QPushButton { background: white; color: #212121; border-radius: 4px;"
            " padding: 6px 18px; }"
        )
