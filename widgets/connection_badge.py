"""A status-bar badge: the connection state in words and colour, and how long ago the last event came."""

from __future__ import annotations

import time

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

STATE_COLORS = {
    "connected": "#2e7d32", "connecting": "#f9a825", "reconnecting": "#ef6c00", "resyncing": "#1565c0",
    "auth_failed": "#c62828", "closed": "#757575",
}


class ConnectionBadge(QWidget):
    """`set_state(state, text)` from the session; `set_last_event(epoch seconds)` when events arrive."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._dot = QLabel("●", self)
        self._state = QLabel(self.tr("正在连接服务器…"), self)
        self._last = QLabel("", self)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 0, 6, 0)
        for label in (self._dot, self._state, self._last):
            layout.addWidget(label)
        self._last_event: float | None = None
        self.state = "connecting"
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self._show_age)
        self._timer.start()
        self.set_state("connecting", self.tr("正在连接服务器…"))

    def set_state(self, state: str, text: str) -> None:
        self.state = state
        self._dot.setStyleSheet(f"color: {STATE_COLORS.get(state, '#757575')}; font-size: 18px;")
        self._state.setText(text)

    def set_last_event(self, at: float) -> None:
        self._last_event = at
        self._show_age()

    def _show_age(self) -> None:
        if self._last_event is None:
            self._last.setText(self.tr("尚无事件"))
            return
        age = max(0, int(time.time() - self._last_event))
        clock = time.strftime("%H:%M:%S", time.localtime(self._last_event))
        self._last.setText(self.tr("最近事件 {0}（{1} 秒前）").format(clock, age))
