"""The short confirmations of the dispatch console: dispatch (派遣, or 改派 for a returned case) and recall (撤回).

Both are non-modal, so the duty officer can keep dragging onto the department board while one is open (a further
drop of the same case adds a co-operating department). Neither sends anything itself: "OK" emits
`submit_requested` and the controller (views/dispatch.py) talks to the server, then closes the dialog on success or
shows the reason in it on failure. Each dialog carries one idempotency key: one dialog is one user action.
"""

from __future__ import annotations

import uuid
from typing import Any

from PySide6.QtCore import QCoreApplication, QMimeData, QPoint, QSize, Qt, Signal
from PySide6.QtGui import QDrag, QFont, QMouseEvent
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from widgets.department_board import case_mime_data

NOTE_MAX = 2000
CO_CELL = QSize(170, 28)
"""One co-operating department in the checklist: four columns of the longest name (国网南昌县供电公司) side by side."""
BODY_CSS = "font-size: 14px;"
STATUS_COLORS = {"info": ("#e8f1fb", "#1f4e8c"), "warning": ("#fff4e0", "#8a4b00"), "error": ("#fdecea", "#9b1c1c")}


class CaseDragChip(QLabel):
    """The case being dispatched, draggable onto the board (to add co-operating departments)."""

    drag_active = Signal(bool)

    def __init__(self, case_id: int, text: str, parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.case_id = case_id
        self._press: QPoint | None = None
        self.setCursor(Qt.CursorShape.OpenHandCursor)
        self.setStyleSheet("background: #eef4fb; border: 1px dashed #5b8fd6; border-radius: 4px; padding: 4px 8px;"
                           "color: #1f4e8c; font-size: 13px;")

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._press = event.position().toPoint()
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._press is None or not event.buttons() & Qt.MouseButton.LeftButton:
            return
        if (event.position().toPoint() - self._press).manhattanLength() < QApplication.startDragDistance():
            return
        self._press = None
        drag = QDrag(self)
        mime: QMimeData = case_mime_data(self.case_id)
        drag.setMimeData(mime)
        self.drag_active.emit(True)
        try:
            drag.exec(Qt.DropAction.CopyAction)
        finally:
            self.drag_active.emit(False)


class CaseActionDialog(QDialog):
    """What both confirmations share: the case at the top, a status line, OK/cancel, busy state, one idem."""

    submit_requested = Signal()

    def __init__(self, case: dict[str, Any], title: str, details: str, ok_text: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModal(False)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        self.case = case
        self.case_id: int = case["id"]
        self.expected_version: int = case["version"]
        self.idem = uuid.uuid4().hex
        self.busy = False
        self._actionable = True
        self.setStyleSheet(BODY_CSS)
        self.title_label = QLabel()
        font = QFont(self.font())
        font.setPixelSize(17)
        font.setBold(True)
        self.title_label.setFont(font)
        self.title_label.setWordWrap(True)
        self.details_label = QLabel()
        self.details_label.setWordWrap(True)
        self.details_label.setStyleSheet("color: #3c4650;")
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status_label.hide()
        self.status_level = ""
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button: QPushButton = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(ok_text)
        self.ok_button.setDefault(True)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.body = QVBoxLayout()
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(self.title_label)
        layout.addWidget(self.details_label)
        layout.addLayout(self.body)
        layout.addWidget(self.status_label)
        layout.addWidget(self.buttons)
        self.setWindowTitle(title)
        self.set_case(case, details)

    def set_case(self, case: dict[str, Any], details: str) -> None:
        """Shows the case as it is now and takes its version as the one the next OK will expect."""
        self.case = case
        self.expected_version = case["version"]
        self.title_label.setText(f"{case.get('code', '')} · {case.get('title', '')}")
        self.details_label.setText(details)

    def new_action(self) -> None:
        """After the user saw a changed case, a further OK is a new decision: a new idempotency key."""
        self.idem = uuid.uuid4().hex

    def set_actionable(self, actionable: bool) -> None:
        self._actionable = actionable
        self.ok_button.setEnabled(actionable and not self.busy)

    def set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.ok_button.setEnabled(self._actionable and not busy)
        if busy:
            self.show_status(self.tr("正在提交…"), "info")

    def show_status(self, text: str, level: str = "info") -> None:
        background, foreground = STATUS_COLORS.get(level, STATUS_COLORS["info"])
        self.status_label.setStyleSheet(f"background: {background}; color: {foreground}; padding: 6px 8px;"
                                        "border-radius: 4px; font-size: 14px;")
        self.status_label.setText(text)
        self.status_level = level
        self.status_label.show()
        self._fit_height()

    def _fit_height(self) -> None:
        """Grow to show a wrapped message whole (a top-level window does not follow its labels' height-for-width)."""
        layout = self.layout()
        layout.activate()
        needed = layout.totalHeightForWidth(self.width()) if layout.hasHeightForWidth() else layout.sizeHint().height()
        if needed > self.height():
            self.resize(self.width(), needed)

    def status_text(self) -> str:
        return "" if self.status_label.isHidden() else self.status_label.text()

    def accept(self) -> None:
        """OK asks the controller to send; the dialog closes only when the server has said yes (`finish`)."""
        if self._actionable and not self.busy:
            self.submit_requested.emit()

    def finish(self) -> None:
        super().accept()


class DispatchDialog(CaseActionDialog):
    """Lead department (changeable), co-operating departments (checklist, or further drops), resolution class,
    note. `redispatch=True`: a returned case, sent as `case.arbitrate` with decision `redispatch`."""

    def __init__(self, case: dict[str, Any], details: str, departments: list[tuple[int, str]], lead_id: int,
                 classes: list[tuple[str, str, float]], redispatch: bool = False,
                 parent: QWidget | None = None) -> None:
        def tr(text: str) -> str:
            return QCoreApplication.translate("DispatchDialog", text)

        super().__init__(case, tr("改派事件") if redispatch else tr("派遣事件"), details,
                         tr("改派") if redispatch else tr("派遣"), parent)
        self.redispatch = redispatch
        self._names = dict(departments)

        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(8)
        self.lead_combo = QComboBox()
        for department_id, name in departments:
            self.lead_combo.addItem(name, department_id)
        self.lead_combo.setMaxVisibleItems(20)
        grid.addWidget(QLabel(self.tr("牵头部门")), 0, 0)
        grid.addWidget(self.lead_combo, 0, 1)

        self.class_group = QButtonGroup(self)
        self.class_buttons: dict[str, QRadioButton] = {}
        classes_row = QHBoxLayout()
        for i, (code, label, days) in enumerate(classes):
            button = QRadioButton(self.tr("%1（%2个工作日）").replace("%1", label).replace("%2", f"{days:g}"))
            button.setProperty("resolution_class", code)
            self.class_group.addButton(button, i)
            self.class_buttons[code] = button
            classes_row.addWidget(button)
        classes_row.addStretch(1)
        if classes:
            self.class_buttons[classes[0][0]].setChecked(True)
        grid.addWidget(QLabel(self.tr("办理类别")), 1, 0)
        grid.addLayout(classes_row, 1, 1)

        self.co_summary = QLabel()
        self.co_summary.setWordWrap(True)
        self.co_filter = QLineEdit()
        self.co_filter.setPlaceholderText(self.tr("筛选部门名称"))
        self.co_filter.setClearButtonEnabled(True)
        self.co_list = QListWidget()  # every department at once, in columns: no scrolling to find one
        self.co_list.setFlow(QListView.Flow.LeftToRight)
        self.co_list.setWrapping(True)
        self.co_list.setResizeMode(QListView.ResizeMode.Adjust)
        self.co_list.setGridSize(CO_CELL)
        self.co_list.setFixedHeight(10 * CO_CELL.height() + 8)
        for department_id, name in departments:
            item = QListWidgetItem(name)
            item.setData(Qt.ItemDataRole.UserRole, department_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            item.setSizeHint(CO_CELL - QSize(4, 2))
            self.co_list.addItem(item)
        co_box = QVBoxLayout()
        co_box.addWidget(self.co_summary)
        co_box.addWidget(self.co_filter)
        co_box.addWidget(self.co_list)
        chip = CaseDragChip(self.case_id, self.tr("⇲ 把本事件再拖到看板上的部门，即添加为协办"))
        self.drag_chip = chip
        co_box.addWidget(chip)
        co_label = QLabel(self.tr("协办部门"))
        co_label.setAlignment(Qt.AlignmentFlag.AlignTop)
        grid.addWidget(co_label, 2, 0)
        grid.addLayout(co_box, 2, 1)

        self.note_edit = QPlainTextEdit()
        self.note_edit.setPlaceholderText(self.tr("派遣说明（可选，最多2000字）"))
        self.note_edit.setFixedHeight(72)
        note_label = QLabel(self.tr("说明"))
        note_label.setAlignment(Qt.AlignmentFlag.AlignTop)
        grid.addWidget(note_label, 3, 0)
        grid.addWidget(self.note_edit, 3, 1)
        grid.setColumnStretch(1, 1)
        self.body.addLayout(grid)

        self.lead_combo.currentIndexChanged.connect(self._lead_changed)
        self.co_list.itemChanged.connect(self._update_co_summary)
        self.co_filter.textChanged.connect(self._filter_co)
        self.set_lead(lead_id)
        self.resize(820, self.sizeHint().height())

    # -- reading ------------------------------------------------------------------------------------
    def lead_id(self) -> int:
        return int(self.lead_combo.currentData())

    def co_ids(self) -> list[int]:
        return sorted(int(item.data(Qt.ItemDataRole.UserRole)) for item in self._items()
                      if item.checkState() == Qt.CheckState.Checked and int(item.data(Qt.ItemDataRole.UserRole))
                      != self.lead_id())

    def resolution_class(self) -> str:
        button = self.class_group.checkedButton()
        return str(button.property("resolution_class")) if button is not None else "immediate"

    def note(self) -> str:
        return self.note_edit.toPlainText().strip()

    # -- changing -----------------------------------------------------------------------------------
    def set_lead(self, department_id: int) -> None:
        index = self.lead_combo.findData(department_id)
        if index >= 0:
            self.lead_combo.setCurrentIndex(index)
        self._lead_changed()

    def set_resolution_class(self, code: str) -> None:
        button = self.class_buttons.get(code)
        if button is not None:
            button.setChecked(True)

    def set_note(self, text: str) -> None:
        self.note_edit.setPlainText(text)

    def add_co_department(self, department_id: int) -> bool:
        """Checks a co-operating department (a further drop). False if it is the lead or unknown."""
        if department_id == self.lead_id():
            return False
        item = self._item(department_id)
        if item is None:
            return False
        item.setCheckState(Qt.CheckState.Checked)
        self.co_list.scrollToItem(item)
        return True

    def set_co_department(self, department_id: int, checked: bool) -> None:
        item = self._item(department_id)
        if item is not None:
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    # -- inside -------------------------------------------------------------------------------------
    def _items(self) -> list[QListWidgetItem]:
        return [self.co_list.item(i) for i in range(self.co_list.count())]

    def _item(self, department_id: int) -> QListWidgetItem | None:
        for item in self._items():
            if int(item.data(Qt.ItemDataRole.UserRole)) == department_id:
                return item
        return None

    def _lead_changed(self, *_: Any) -> None:
        lead = self.lead_combo.currentData()
        self.co_list.blockSignals(True)
        for item in self._items():
            is_lead = item.data(Qt.ItemDataRole.UserRole) == lead
            flags = item.flags()
            if is_lead:
                item.setCheckState(Qt.CheckState.Unchecked)
                item.setFlags(flags & ~Qt.ItemFlag.ItemIsEnabled)
            else:
                item.setFlags(flags | Qt.ItemFlag.ItemIsEnabled)
        self.co_list.blockSignals(False)
        self._update_co_summary()

    def _update_co_summary(self, *_: Any) -> None:
        names = [self._names.get(d, str(d)) for d in self.co_ids()]
        self.co_summary.setText(self.tr("已选：%1").replace("%1", "、".join(names)) if names
                                else self.tr("未选协办部门（可勾选，或把事件再拖到其他部门上）"))

    def _filter_co(self, text: str) -> None:
        text = text.strip()
        for item in self._items():
            item.setHidden(bool(text) and text not in item.text())


class RecallDialog(CaseActionDialog):
    """Recall a dispatched case before its department signs: it goes back to 已立案, its clock cleared."""

    def __init__(self, case: dict[str, Any], details: str, department: str, parent: QWidget | None = None) -> None:
        super().__init__(case, QCoreApplication.translate("RecallDialog", "撤回派遣"), details,
                         QCoreApplication.translate("RecallDialog", "撤回"), parent)
        question = QLabel(self.tr("撤回后该事件回到「已立案」，%1 将不再看到它，时限清零。确定撤回吗？")
                          .replace("%1", department))
        question.setWordWrap(True)
        self.note_edit = QLineEdit()
        self.note_edit.setPlaceholderText(self.tr("撤回原因（可选），如：派错部门"))
        self.note_edit.setMaxLength(NOTE_MAX)
        self.body.addWidget(question)
        self.body.addWidget(self.note_edit)
        self.resize(560, self.sizeHint().height())

    def note(self) -> str:
        return self.note_edit.text().strip()
