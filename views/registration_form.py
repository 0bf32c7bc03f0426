"""The duty officer's decision on a reported case, as a form: register it (with corrections of category, township,
grid and priority, and a note) or reject it with a reason. The form only collects and checks input; the case detail
sends it. It tracks whether the user has changed anything (a draft), so a refresh never overwrites their typing."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QFrame, QGridLayout, QGroupBox, QLabel, QLineEdit, QPushButton, QWidget

from app.context import WindowContext
from app.models.reference import PRIORITY_LABELS
from views.case_text import state_label

MAX_CATEGORY = 64
MAX_TEXT = 2000


class RegistrationForm(QGroupBox):
    register_clicked = Signal()
    reject_clicked = Signal()

    def __init__(self, context: WindowContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.dirty = False
        """The user changed something since the form was last filled from the case."""
        self._case: dict[str, Any] = {}
        self.category_edit = QComboBox()
        self.category_edit.setEditable(True)
        self.category_edit.lineEdit().setMaxLength(MAX_CATEGORY)
        self.priority_edit = QComboBox()
        for value, label in sorted(PRIORITY_LABELS.items()):
            self.priority_edit.addItem(label, value)
        self.township_edit = QComboBox()
        self.grid_edit = QComboBox()
        self.grid_edit.setMinimumContentsLength(12)
        self.township_edit.activated.connect(self._on_township_chosen)
        self.note_edit = QLineEdit()
        self.note_edit.setMaxLength(MAX_TEXT)
        self.note_edit.setPlaceholderText(self.tr("立案说明（可不填），如：已电话核实"))
        self.register_button = QPushButton(self.tr("立案"))
        self.register_button.setDefault(True)
        self.register_button.clicked.connect(self.register_clicked)
        self.reject_reason = QLineEdit()
        self.reject_reason.setMaxLength(MAX_TEXT)
        self.reject_reason.setPlaceholderText(self.tr("不予立案的理由（必填）"))
        self.reject_button = QPushButton(self.tr("不予立案"))
        self.reject_button.clicked.connect(self.reject_clicked)
        self.reject_reason.returnPressed.connect(self.reject_clicked)
        for combo in (self.category_edit, self.priority_edit, self.township_edit, self.grid_edit):
            combo.activated.connect(self._mark_dirty)
        for edit in (self.category_edit.lineEdit(), self.note_edit, self.reject_reason):
            edit.textEdited.connect(self._mark_dirty)

        grid = QGridLayout(self)
        grid.addWidget(QLabel(self.tr("类别")), 0, 0)
        grid.addWidget(self.category_edit, 0, 1)
        grid.addWidget(QLabel(self.tr("优先级")), 0, 2)
        grid.addWidget(self.priority_edit, 0, 3)
        grid.addWidget(QLabel(self.tr("乡镇")), 1, 0)
        grid.addWidget(self.township_edit, 1, 1)
        grid.addWidget(QLabel(self.tr("网格")), 1, 2)
        grid.addWidget(self.grid_edit, 1, 3)
        grid.addWidget(self.note_edit, 2, 0, 1, 3)
        grid.addWidget(self.register_button, 2, 3)
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        grid.addWidget(line, 3, 0, 1, 4)
        grid.addWidget(self.reject_reason, 4, 0, 1, 3)
        grid.addWidget(self.reject_button, 4, 3)
        grid.setColumnStretch(1, 3)
        grid.setColumnStretch(3, 2)

    def _mark_dirty(self, *_args: Any) -> None:
        self.dirty = True

    # -- filling --------------------------------------------------------------------------------------------
    def fill(self, case: dict[str, Any] | None) -> None:
        """A fresh draft: the case's own values, empty note and reason."""
        self.dirty = False
        self._case = case or {}
        self.note_edit.clear()
        self.reject_reason.clear()
        if case is None:
            return
        categories = sorted({row.case.get("category", "") for row in self.context.cases.rows()} - {""})
        self.category_edit.clear()
        self.category_edit.addItems(categories)
        self.category_edit.setCurrentText(case.get("category", ""))
        self.priority_edit.setCurrentIndex(max(0, self.priority_edit.findData(case.get("priority", 3))))
        self.township_edit.clear()
        if case.get("township_id") is None:
            self.township_edit.addItem(self.tr("（未指定）"), None)
        for township in sorted(self.context.reference.townships.values(), key=lambda t: t["id"]):
            self.township_edit.addItem(township["name"], township["id"])
        self.township_edit.setCurrentIndex(max(0, self.township_edit.findData(case.get("township_id"))))
        self._fill_grids(case.get("township_id"), case.get("grid_id"))

    def _fill_grids(self, township_id: int | None, grid_id: int | None) -> None:
        self.grid_edit.clear()
        self.grid_edit.addItem(self.tr("（不指定网格）"), None)
        grids = [g for g in self.context.reference.grids.values() if g["township_id"] == township_id]
        for grid in sorted(grids, key=lambda g: g["id"]):
            self.grid_edit.addItem(grid["name"], grid["id"])
        self.grid_edit.setCurrentIndex(max(0, self.grid_edit.findData(grid_id)))

    def _on_township_chosen(self, _row: int) -> None:
        township = self.township_edit.currentData()
        same = township == self._case.get("township_id")
        self._fill_grids(township, self._case.get("grid_id") if same else None)

    # -- reading --------------------------------------------------------------------------------------------
    def register_body(self, case: dict[str, Any]) -> tuple[dict[str, Any] | None, str, QWidget | None]:
        """(body, "", None) with only what differs from `case`; or (None, why in Chinese, the field to fix)."""
        body: dict[str, Any] = {}
        category = self.category_edit.currentText().strip()
        if not category:
            return None, self.tr("立案需要类别，请填写或选择类别。"), self.category_edit
        if category != case.get("category"):
            body["category"] = category
        township, grid = self.township_edit.currentData(), self.grid_edit.currentData()
        if township is not None and township != case.get("township_id"):
            if grid is None and case.get("grid_id") is not None:
                return None, self.tr("已更改乡镇，请同时选择该乡镇的网格。"), self.grid_edit
            body["township_id"] = township
        if grid is not None and grid != case.get("grid_id"):
            body["grid_id"] = grid
        priority = self.priority_edit.currentData()
        if priority is not None and priority != case.get("priority"):
            body["priority"] = priority
        if self.note_edit.text().strip():
            body["note"] = self.note_edit.text().strip()
        return body, "", None

    def reject_reason_text(self) -> str:
        return self.reject_reason.text().strip()

    def show_for(self, case: dict[str, Any] | None, busy: bool) -> None:
        """Shown for a reported case; kept read-only-in-effect (buttons off) while a draft outlives that state."""
        reported = case is not None and case["state"] == "reported"
        self.setVisible(reported or (self.dirty and case is not None))
        if reported or case is None:
            self.setTitle(self.tr("受理：立案或不予立案"))
        else:
            self.setTitle(self.tr("受理（案件已「{state}」，不能再立案；以下是您未提交的内容）").format(
                state=state_label(case["state"])))
        for button in (self.register_button, self.reject_button):
            button.setEnabled(reported and not busy)
