"""The review form of a whistle awaiting review: departments to call (a checklist that drops also tick), the
resolution class, approve; or a reason, reject. It only collects the officer's choice: `views.whistles` sends it."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from app.models.reference import CLASS_LABELS, Reference
from views.remote_errors import action_style
from widgets.checklist import Checklist

CLASS_DAYS = (("immediate", 3), ("coordinated", 7), ("planned", 15))
"""The shipped class limits (config/rules.toml), shown beside the class names."""


class ReviewForm(QWidget):
    def __init__(self, reference: Reference, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.reference = reference
        self.call_hint = QLabel(self.tr("呼叫部门：勾选，或把部门拖到这条吹哨上"))
        self.checklist = Checklist(placeholder=self.tr("输入部门名称筛选"))
        self.checklist.changed.connect(self._update_chosen)
        self.chosen_label = QLabel()
        self.chosen_label.setWordWrap(True)
        self.class_combo = QComboBox()
        for code, days in CLASS_DAYS:
            self.class_combo.addItem(self.tr("{label}（{days}个工作日）").format(
                label=CLASS_LABELS.get(code, code), days=days), code)
        self.approve_button = QPushButton(self.tr("批准并呼叫部门"))
        self.approve_button.setStyleSheet(action_style("#2e7d32"))
        self.reason_edit = QLineEdit()
        self.reason_edit.setPlaceholderText(self.tr("驳回理由（必填），如：属村内调解范围"))
        self.reason_edit.setMaxLength(2000)
        self.reject_button = QPushButton(self.tr("驳回"))
        self.reject_button.setStyleSheet(action_style("#c62828"))
        approve_row = QHBoxLayout()
        approve_row.addWidget(QLabel(self.tr("办理类别")))
        approve_row.addWidget(self.class_combo)
        approve_row.addStretch(1)
        approve_row.addWidget(self.approve_button)
        reject_row = QHBoxLayout()
        reject_row.addWidget(self.reason_edit, 1)
        reject_row.addWidget(self.reject_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addWidget(self.call_hint)
        layout.addWidget(self.checklist, 1)
        layout.addWidget(self.chosen_label)
        layout.addLayout(approve_row)
        layout.addLayout(reject_row)

    def fill(self, whistle: dict[str, Any]) -> None:
        """Departments named in the village's request, then those attached (挂点) to its township, come first."""
        proposal = whistle.get("proposal", "") or ""
        rows = []
        for dept in self.reference.departments.values():
            named = dept["name"] in proposal or dept["name"].removeprefix("县") in proposal
            attached = whistle.get("township_id") in dept.get("township_ids", [])
            tags = ([self.tr("村里点名")] if named else []) + ([self.tr("挂点")] if attached else [])
            text = dept["name"] + (f"（{'、'.join(tags)}）" if tags else "")
            rows.append(((not named, not attached, dept["id"]), (dept["id"], text, dept.get("liaison", ""))))
        self.checklist.set_items([item for _, item in sorted(rows)])
        self._update_chosen()

    def clear(self) -> None:
        self.checklist.clear_checks()
        self.reason_edit.clear()

    def set_busy(self, busy: bool) -> None:
        self.approve_button.setEnabled(not busy)
        self.reject_button.setEnabled(not busy)

    def _update_chosen(self) -> None:
        names = [self.reference.department_name(d) for d in self.checklist.checked_ids()]
        self.chosen_label.setText(self.tr("已选 {n} 个：").format(n=len(names)) + "、".join(names)
                                  if names else self.tr("尚未选择部门"))
