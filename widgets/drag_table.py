"""A read-only, row-selecting table for work queues: keyboard first, rows draggable as a small MIME payload.

- Arrow keys, Page Up/Down, Home/End move the current row; each such move is reported by `current_moved`
  (only moves made by the user, never those caused by the model changing underneath).
- Enter/Return or a double click reports `row_opened`; a mouse click reports Qt's own `clicked`.
- When built with a MIME type, dragging a row starts a QDrag whose payload is the row's `payload_role` data as
  ASCII bytes (e.g. a case id) — nothing else, so only targets that know the type accept it.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QMimeData, QModelIndex, QObject, QPersistentModelIndex, QPoint, QRect, Qt, Signal
from PySide6.QtGui import QColor, QDrag, QFont, QFontMetrics, QKeyEvent, QPainter, QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

DRAG_LABEL_WIDTH = 420


class _ElideDelegate(QStyledItemDelegate):
    """Draws a column with its own elide mode (e.g. codes elided on the left keep their distinctive end). Set only on
    the columns that need it: being Python, it costs a call per painted cell; the other columns keep Qt's own."""

    def __init__(self, mode: Qt.TextElideMode, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.mode = mode

    def initStyleOption(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> None:
        super().initStyleOption(option, index)
        option.textElideMode = self.mode


class DragTableView(QTableView):
    current_moved = Signal(QModelIndex)
    row_opened = Signal(QModelIndex)
    drag_started = Signal(object)
    """The QMimeData of a drag that is starting (e.g. to light up drop targets)."""

    def __init__(self, mime_type: str | None = None, payload_role: int = Qt.ItemDataRole.UserRole,
                 drag_label: Callable[[QModelIndex], str] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.mime_type, self.payload_role, self.drag_label = mime_type, payload_role, drag_label
        self._plan: tuple[dict[int, tuple[int, int]], list[int], float] | None = None
        self._elide: dict[int, _ElideDelegate] = {}
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setSortingEnabled(True)
        self.verticalHeader().hide()
        self.horizontalHeader().setHighlightSections(False)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.setTabKeyNavigation(False)
        if mime_type:
            self.setDragEnabled(True)
            self.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
            self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.doubleClicked.connect(self.row_opened)

    def set_column_plan(self, widths: dict[int, tuple[int, int]], stretch: list[int],
                        min_stretch_share: float = 0.25) -> None:
        """Column widths that follow the table's width: `widths` maps a column to (preferred, minimum) pixels;
        `stretch` columns share what is left. When the stretch columns would get less than `min_stretch_share` of
        the width, the others give up room toward their minimum (in proportion to what they can give)."""
        self._plan = (dict(widths), list(stretch), min_stretch_share)
        header = self.horizontalHeader()
        for column in stretch:
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        self.apply_column_plan()

    def apply_column_plan(self) -> None:
        """Re-fits the planned widths (after a resize or when a column is shown or hidden)."""
        if self._plan is None:
            return
        widths, _stretch, share = self._plan
        shown = {c: w for c, w in widths.items() if not self.isColumnHidden(c)}
        available = self.viewport().width() or self.width()
        excess = sum(p for p, _ in shown.values()) + share * available - available
        give = sum(p - m for p, m in shown.values())
        factor = min(1.0, max(0.0, excess / give)) if give > 0 else 0.0
        for column, (preferred, minimum) in shown.items():
            self.setColumnWidth(column, round(preferred - (preferred - minimum) * factor))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.apply_column_plan()

    def set_column_elide(self, column: int, mode: Qt.TextElideMode) -> None:
        """Elides one column its own way (the view's mode, ElideRight, stays for the others)."""
        old = self._elide.pop(column, None)
        if mode == self.textElideMode():
            self.setItemDelegateForColumn(column, None)  # type: ignore[arg-type]
        else:
            self._elide[column] = _ElideDelegate(mode, self)
            self.setItemDelegateForColumn(column, self._elide[column])
        if old is not None:
            old.deleteLater()

    def fit_row_height(self) -> None:
        """Rows a little taller than the font: readable from a distance, easy to hit with the mouse."""
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 14)

    # -- keyboard -------------------------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if self.currentIndex().isValid():
                self.row_opened.emit(self.currentIndex())
            event.accept()
            return
        before = QPersistentModelIndex(self.currentIndex())
        super().keyPressEvent(event)
        now = self.currentIndex()
        if now.isValid() and (not before.isValid() or before.row() != now.row()):
            self.current_moved.emit(now)

    # -- drag -----------------------------------------------------------------------------------------
    def mime_data_for(self, index: QModelIndex) -> QMimeData | None:
        """The drag payload of a row: `mime_type` with the row's payload as ASCII bytes; None if it has none."""
        if not self.mime_type or not index.isValid():
            return None
        payload = index.siblingAtColumn(0).data(self.payload_role)
        if payload is None:
            return None
        mime = QMimeData()
        mime.setData(self.mime_type, str(payload).encode("ascii"))
        return mime

    def startDrag(self, supported_actions: Qt.DropAction) -> None:
        index = self.currentIndex()
        mime = self.mime_data_for(index)
        if mime is None:
            return
        self.drag_started.emit(mime)
        drag = QDrag(self)
        drag.setMimeData(mime)
        label = self.drag_label(index) if self.drag_label else ""
        if label:
            drag.setPixmap(self._drag_pixmap(label))
            drag.setHotSpot(QPoint(16, 16))
        drag.exec(supported_actions | Qt.DropAction.MoveAction, Qt.DropAction.MoveAction)

    def _drag_pixmap(self, text: str) -> QPixmap:
        font = QFont(self.font())
        font.setBold(True)
        metrics = QFontMetrics(font)
        height = metrics.height() + 16
        pixmap = QPixmap(DRAG_LABEL_WIDTH, height)
        pixmap.fill(QColor(0, 0, 0, 0))
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setBrush(QColor("#1565c0"))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.drawRoundedRect(0, 0, DRAG_LABEL_WIDTH, height, 6, 6)
        painter.setPen(QColor("white"))
        painter.setFont(font)
        area = QRect(10, 0, DRAG_LABEL_WIDTH - 20, height)
        painter.drawText(area, Qt.AlignmentFlag.AlignVCenter,
                         metrics.elidedText(text, Qt.TextElideMode.ElideRight, area.width()))
        painter.end()
        return pixmap
