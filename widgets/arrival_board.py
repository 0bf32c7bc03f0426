"""Rows of (name, countdown pill, detail): one per called department of a whistle, under a title line.

Data in: `set_rows` names the rows (rebuilt only when the set of rows changes), `set_row` updates one row's
countdown and detail every few seconds. The caller computes the words and tones; this widget only lays them out.
"""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QGridLayout, QLabel, QVBoxLayout, QWidget

from widgets.countdown import CountdownPill


def _font(widget: QWidget, pixels: int, bold: bool) -> None:
    font = QFont(widget.font())
    font.setPixelSize(pixels)
    font.setBold(bold)
    widget.setFont(font)


class ArrivalBoard(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel()
        self.title.setWordWrap(True)
        _font(self.title, 16, True)
        self._grid = QGridLayout()
        self._grid.setHorizontalSpacing(14)
        self._grid.setVerticalSpacing(8)
        self._grid.setColumnStretch(2, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addWidget(self.title)
        layout.addLayout(self._grid)
        layout.addStretch(1)
        self._keys: list[int] = []
        self._pills: dict[int, CountdownPill] = {}
        self._details: dict[int, QLabel] = {}

    def set_rows(self, rows: list[tuple[int, str]]) -> None:
        """(key, name) per row, in order; rebuilds only if the keys differ from the rows shown."""
        keys = [key for key, _ in rows]
        if keys == self._keys:
            return
        while self._grid.count():
            item = self._grid.takeAt(0)
            if item is not None and item.widget() is not None:
                item.widget().deleteLater()
        self._keys, self._pills, self._details = keys, {}, {}
        for row, (key, name) in enumerate(rows):
            label = QLabel(name)
            _font(label, 17, True)
            pill = CountdownPill()
            detail = QLabel()
            _font(detail, 15, False)
            self._grid.addWidget(label, row, 0)
            self._grid.addWidget(pill, row, 1)
            self._grid.addWidget(detail, row, 2)
            self._pills[key], self._details[key] = pill, detail

    def set_row(self, key: int, text: str, tone: str, fraction: float | None, detail: str) -> None:
        if key in self._pills:
            self._pills[key].set_value(text, tone, fraction)
            self._details[key].setText(detail)

    def pill(self, key: int) -> CountdownPill | None:
        return self._pills.get(key)

    def detail(self, key: int) -> str:
        label = self._details.get(key)
        return label.text() if label is not None else ""
