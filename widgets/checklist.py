"""A searchable checklist: rows of (id, text), any number checked. Data in (`set_items`), `changed` out.

Checked ids survive `set_items` when their rows are still there, so a list refreshed under the user's hands keeps
what they ticked.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

ID_ROLE = Qt.ItemDataRole.UserRole + 1


class Checklist(QWidget):
    changed = Signal()
    """The set of checked ids changed."""

    def __init__(self, parent: QWidget | None = None, placeholder: str = "") -> None:
        super().__init__(parent)
        self.search = QLineEdit()
        self.search.setPlaceholderText(placeholder or self.tr("输入名称筛选"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._filter)
        self.list = QListWidget()
        self.list.setAlternatingRowColors(True)
        self.list.itemChanged.connect(lambda _item: self.changed.emit())
        font = QFont(self.list.font())
        font.setPixelSize(16)
        self.list.setFont(font)
        self.search.setFont(font)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.search)
        layout.addWidget(self.list, 1)

    def set_items(self, items: list[tuple[int, str, str]]) -> None:
        """(id, text, tooltip) rows, in the order given."""
        keep = set(self.checked_ids())
        self.list.blockSignals(True)
        self.list.clear()
        for item_id, text, tip in items:
            item = QListWidgetItem(text)
            item.setData(ID_ROLE, item_id)
            item.setToolTip(tip)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsSelectable)
            item.setCheckState(Qt.CheckState.Checked if item_id in keep else Qt.CheckState.Unchecked)
            self.list.addItem(item)
        self.list.blockSignals(False)
        self._filter(self.search.text())
        self.changed.emit()

    def checked_ids(self) -> list[int]:
        return [item.data(ID_ROLE) for item in self._items() if item.checkState() == Qt.CheckState.Checked]

    def has(self, item_id: int) -> bool:
        return self._item(item_id) is not None

    def set_checked(self, item_id: int, checked: bool = True) -> bool:
        """Ticks (or unticks) a row and scrolls to it; False when there is no such row."""
        item = self._item(item_id)
        if item is None:
            return False
        item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        if item.isHidden():
            self.search.clear()
        self.list.scrollToItem(item)
        return True

    def clear_checks(self) -> None:
        self.list.blockSignals(True)
        for item in self._items():
            item.setCheckState(Qt.CheckState.Unchecked)
        self.list.blockSignals(False)
        self.changed.emit()

    def _items(self) -> list[QListWidgetItem]:
        return [self.list.item(i) for i in range(self.list.count())]

    def _item(self, item_id: int) -> QListWidgetItem | None:
        return next((item for item in self._items() if item.data(ID_ROLE) == item_id), None)

    def _filter(self, text: str) -> None:
        needle = text.strip().lower()
        for item in self._items():
            item.setHidden(bool(needle) and needle not in item.text().lower())
