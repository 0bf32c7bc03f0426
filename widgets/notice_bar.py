"""A one-message bar above a panel: success, information, warning or error, in words, until replaced or closed."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton, QWidget

from widgets.tint import badge, tint

LEVEL_STYLES = {
    "info": ("#e3f2fd", "#0d47a1", "#90caf9"),
    "success": ("#e8f5e9", "#1b5e20", "#a5d6a7"),
    "warning": ("#fff3e0", "#8a3c00", "#ffb74d"),
    "error": ("#ffebee", "#8e0000", "#ef9a9a"),
}
"""level -> (background, text, border). Coloured through the palette: a style sheet would drop the inherited font."""


class NoticeBar(QFrame):
    """Hidden until `show_notice`; the close button hides it again."""

    closed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.Box)
        self.setFrameShadow(QFrame.Shadow.Plain)
        self._level = ""
        self._label = QLabel()
        self._label.setWordWrap(True)
        self._label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        close = QToolButton()
        close.setText("×")
        close.setToolTip(self.tr("关闭提示"))
        close.setAutoRaise(True)
        close.clicked.connect(self.clear)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 8, 6, 8)
        layout.addWidget(self._label, 1)
        layout.addWidget(close, 0, Qt.AlignmentFlag.AlignTop)
        self.hide()

    def show_notice(self, text: str, level: str = "info") -> None:
        background, color, border = LEVEL_STYLES.get(level, LEVEL_STYLES["info"])
        self._level = level
        badge(self, background, border)  # the plain frame line is drawn in the text colour: the border
        tint(self._label, color)
        self._label.setText(text)
        self.show()

    def clear(self) -> None:
        if self.isHidden() and not self._label.text():
            return
        self._label.clear()
        self._level = ""
        self.hide()
        self.closed.emit()

    def text(self) -> str:
        return self._label.text()

    def level(self) -> str:
        """The shown message's level, "" when nothing is shown."""
        return self._level
