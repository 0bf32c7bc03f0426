"""Returned cases and their arbitration (仲裁): a department returned the case with a reason; the duty officer either
redispatches it to another department (lead + resolution class) or upholds the first department.

The list is a `CaseFilter` over the window's case model (state `returned`); the chosen case is followed live like
the case detail (`CaseFollower`), so a case arbitrated from another console is named and shown as it now is.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.context import WindowContext
from app.models.cases import COLUMN, ID_ROLE, CaseRow, due_text
from app.models.reference import CLASS_LABELS
from views.case_follow import CaseFollower
from views.case_text import class_label, format_time, state_label, timeline_entries
from views.intake import BODY_PX, HEADING_PX, CaseListFilter
from widgets.drag_table import DragTableView
from widgets.notice_bar import NoticeBar
from widgets.timeline import TimelineView
from widgets.tint import tint

MAX_NOTE = 2000
COLUMN_WIDTHS = {"priority": (3.5, 3), "lead": (7, 5), "due": (7, 5)}
"""(preferred, minimum) column widths in characters of the body font; the title and the reason share the rest."""


class ReturnedFilter(CaseListFilter):
    """Returned cases; the state column shows the department's reason (the case's `note`, `CaseModel`)."""

    def __init__(self, context: WindowContext, parent: Any = None) -> None:
        super().__init__(context, {"returned"}, parent)
        self.headers.update({"state": self.tr("退回理由"), "lead": self.tr("退回部门"), "due": self.tr("时限")})


class ReturnsPanel(QWidget):
    """The returned cases (above) and the arbitration of the chosen one with its timeline (below).

    Signal `case_selected(id)` when the user opens a returned case (the console may show it in the case detail)."""

    case_selected = Signal(int)
    arbitrated = Signal(int, str)
    """(case id, "redispatch" | "uphold") after the server accepted an arbitration made here."""

    def __init__(self, context: WindowContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self._departments_for: tuple[int | None, int | None] = (None, None)
        font = self.font()
        font.setPixelSize(max(BODY_PX, font.pixelSize()))
        self.setFont(font)
        self.follower = CaseFollower(context, self)
        self.follower.updated.connect(self._render)
        self.follower.changed_elsewhere.connect(lambda text: self.notice.show_notice(text, "warning"))
        self.follower.problem.connect(lambda text: self.notice.show_notice(text, "error"))

        self.returned = ReturnedFilter(context, self)
        self.view = DragTableView()
        self.view.setFont(self.font())
        self.view.setModel(self.returned)
        self.view.fit_row_height()
        for key in ("channel", "category", "age", "place"):
            self.view.setColumnHidden(COLUMN[key], True)
        char = self.view.fontMetrics().horizontalAdvance("中")
        plan = {COLUMN[key]: (round(chars * char) + 16, round(least * char) + 16)
                for key, (chars, least) in COLUMN_WIDTHS.items()}
        code = self.view.fontMetrics().horizontalAdvance("NC-20261128-000000") + 24
        plan[COLUMN["code"]] = (code, code)
        self.view.set_column_plan(plan, [COLUMN["title"], COLUMN["state"]], 0.4)
        self.view.sortByColumn(COLUMN["due"], Qt.SortOrder.AscendingOrder)  # the most pressing first
        for signal in (self.view.clicked, self.view.row_opened, self.view.current_moved):
            signal.connect(self._choose)
        self.list_title = QLabel()
        heading = self.list_title.font()
        heading.setPixelSize(HEADING_PX)
        heading.setBold(True)
        self.list_title.setFont(heading)
        for signal in (self.returned.rowsInserted, self.returned.rowsRemoved, self.returned.modelReset):
            signal.connect(self._update_title)
        context.cases.cases_changed.connect(self._after_batch)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.list_title)
        left_layout.addWidget(self.view, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)  # the list over the decision: fits a tab or a wide strip
        splitter.addWidget(left)
        splitter.addWidget(self._build_form())
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([400, 600])
        splitter.setChildrenCollapsible(False)
        self.notice = NoticeBar()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.notice)
        layout.addWidget(splitter, 1)
        self._update_title()
        self._render()

    def _build_form(self) -> QWidget:
        self.form_box = QGroupBox(self.tr("仲裁"))
        self.case_title = QLabel()
        self.case_title.setWordWrap(True)
        title_font = self.case_title.font()
        title_font.setBold(True)
        title_font.setPixelSize(HEADING_PX)
        self.case_title.setFont(title_font)
        self.info: dict[str, QLabel] = {}
        info = QFormLayout()
        for key, label in (("place", self.tr("位置")), ("department", self.tr("退回部门")),
                           ("reason", self.tr("退回理由")),
                           ("returned", self.tr("退回")), ("class", self.tr("原办理类别")),
                           ("deadline", self.tr("时限")), ("state", self.tr("状态"))):
            value = QLabel()
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.info[key] = value
            info.addRow(label, value)
        tint(self.info["reason"], "#8a3c00", bold=True)

        self.redispatch_choice = QRadioButton(self.tr("改派其他部门"))
        self.uphold_choice = QRadioButton(self.tr("维持原部门（退回理由不成立）"))
        self.redispatch_choice.setChecked(True)
        self.decision = QButtonGroup(self)
        self.decision.addButton(self.redispatch_choice)
        self.decision.addButton(self.uphold_choice)
        self.redispatch_choice.toggled.connect(self._update_form_state)
        self.department_edit = QComboBox()
        self.department_edit.setMinimumContentsLength(10)
        self.class_edit = QComboBox()
        for value, label in CLASS_LABELS.items():
            self.class_edit.addItem(label, value)
        target = QHBoxLayout()
        target.addWidget(QLabel(self.tr("责任部门")))
        target.addWidget(self.department_edit, 2)
        target.addWidget(QLabel(self.tr("办理类别")))
        target.addWidget(self.class_edit, 1)
        self.note_edit = QLineEdit()
        self.note_edit.setMaxLength(MAX_NOTE)
        self.note_edit.setPlaceholderText(self.tr("仲裁说明（记入办理过程），如：属于城管职责"))
        self.submit_button = QPushButton(self.tr("提交仲裁"))
        self.submit_button.clicked.connect(self.submit)
        self.note_edit.returnPressed.connect(self.submit)
        self.timeline = TimelineView()

        decide = QVBoxLayout()
        decide.addWidget(self.case_title)
        decide.addLayout(info)
        decide.addWidget(self.redispatch_choice)
        decide.addLayout(target)
        decide.addWidget(self.uphold_choice)
        submit = QHBoxLayout()
        submit.addWidget(self.note_edit, 1)
        submit.addWidget(self.submit_button)
        decide.addLayout(submit)
        decide.addStretch(1)
        history = QVBoxLayout()
        history.addWidget(QLabel(self.tr("办理过程")))
        history.addWidget(self.timeline, 1)
        layout = QHBoxLayout(self.form_box)
        layout.addLayout(decide, 1)
        layout.addSpacing(12)
        layout.addLayout(history, 1)
        return self.form_box

    # -- choosing -------------------------------------------------------------------------------------------
    def _choose(self, index: QModelIndex) -> None:
        value = index.siblingAtColumn(0).data(ID_ROLE) if index.isValid() else None
        if value is not None:
            self.show_case(int(value))
            self.case_selected.emit(int(value))

    def show_case(self, case_id: int) -> None:
        if case_id == self.follower.case_id:
            self.follower.refresh()
            return
        self.notice.clear()
        self.note_edit.clear()
        self.redispatch_choice.setChecked(True)
        self.follower.follow(case_id)
        self._fill_departments()
        self._restore_selection()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.follower.stop()  # a closed panel reads nothing more
        super().closeEvent(event)

    def row_of(self, case_id: int) -> int | None:
        proxy: QSortFilterProxyModel = self.returned
        index = proxy.mapFromSource(self.context.cases.index_of(case_id))
        return index.row() if index.isValid() else None

    def returned_ids(self) -> list[int]:
        return [self.returned.index(r, 0).data(ID_ROLE) for r in range(self.returned.rowCount())]

    # -- arbitrating -----------------------------------------------------------------------------------------
    def submit(self) -> None:
        case = self.follower.case
        if case is None or case["state"] != "returned" or self.follower.busy:
            return
        body: dict[str, Any] = {}
        note = self.note_edit.text().strip()
        if note:
            body["note"] = note
        if self.uphold_choice.isChecked():
            body["decision"] = "uphold"
            action = self.tr("维持原部门")
        else:
            lead = self.department_edit.currentData()
            if lead is None:
                self.notice.show_notice(self.tr("改派需要选择新的责任部门，未提交。"), "error")
                self.department_edit.setFocus()
                return
            body.update({"decision": "redispatch", "lead_department_id": lead,
                         "resolution_class": self.class_edit.currentData()})
            action = self.tr("改派")
        decision = body["decision"]
        case_id = self.follower.case_id
        sent = self.follower.act("case.arbitrate", body, action,
                                 lambda ok, text: self._on_done(case_id, decision, ok, text))
        if sent:
            self.notice.show_notice(self.tr("正在提交仲裁…"), "info")
            self._update_form_state()

    def _on_done(self, case_id: int | None, decision: str, ok: bool, text: str) -> None:
        if ok:
            case = self.follower.case or {}
            department = self.context.reference.department_name(case.get("lead_department_id"))
            done = self.tr("已改派 {department}") if decision == "redispatch" else self.tr("已维持 {department} 办理")
            self.notice.show_notice(done.format(department=department) + self.tr("，{code} 现为「{state}」。").format(
                code=case.get("code", ""), state=state_label(case.get("state"))), "success")
            self.note_edit.clear()
            if case_id is not None:
                self.arbitrated.emit(case_id, decision)
        else:
            self.notice.show_notice(text, "error")
        self._update_form_state()

    # -- rendering -------------------------------------------------------------------------------------------
    def _fill_departments(self) -> None:
        """Every department but the returning one (a redispatch goes elsewhere); the class defaults to the case's."""
        case = self.follower.case or {}
        returning = case.get("lead_department_id")
        self._departments_for = (self.follower.case_id, returning)
        chosen = self.department_edit.currentData()
        self.department_edit.clear()
        self.department_edit.addItem(self.tr("（请选择）"), None)
        for department in sorted(self.context.reference.departments.values(), key=lambda d: d["id"]):
            if department["id"] != returning:
                self.department_edit.addItem(department["name"], department["id"])
        self.department_edit.setCurrentIndex(max(0, self.department_edit.findData(chosen)))
        self.class_edit.setCurrentIndex(max(0, self.class_edit.findData(case.get("resolution_class"))))

    def _render(self) -> None:
        case = self.follower.case
        self.form_box.setEnabled(case is not None)
        if case is None:
            self.case_title.setText(self.tr("在左侧选择一个退回的案件") if self.follower.case_id is None
                                    else self.tr("正在读取案件…"))
            for label in self.info.values():
                label.clear()
            self.timeline.set_entries([])
            self._update_form_state()
            return
        ref = self.context.reference
        self.case_title.setText(f"{case.get('code', '')}  {case.get('title', '')}")
        returned = next((e for e in reversed(self.follower.timeline) if e.get("kind") == "case.returned"), None)
        department = (returned or {}).get("change", {}).get("department_id", case.get("lead_department_id"))
        self.info["department"].setText(ref.department_name(department))
        reason = (returned or {}).get("change", {}).get("reason") or case.get("note", "")
        self.info["reason"].setText(reason)
        who = (returned or {}).get("actor", "")
        self.info["returned"].setText(self.tr("{who} 于 {when}，共退回 {n} 次").format(
            who=who, when=format_time((returned or {}).get("at")), n=case.get("return_count", 0)) if returned else
            self.tr("共退回 {n} 次").format(n=case.get("return_count", 0)))
        self.info["place"].setText(ref.place(case.get("township_id"), case.get("grid_id")))
        self.info["class"].setText(class_label(case.get("resolution_class")))
        self.info["deadline"].setText(due_text(CaseRow.of(case), self.context.clock.now()) if case.get("due_at")
                                      else "")
        self.info["state"].setText(state_label(case["state"]))
        self.timeline.set_entries(timeline_entries(self.follower.timeline, ref))
        if self._departments_for != (self.follower.case_id, case.get("lead_department_id")):
            self._fill_departments()
        self._update_form_state()

    def _update_form_state(self, *_args: Any) -> None:
        case = self.follower.case
        open_for_arbitration = case is not None and case["state"] == "returned" and not self.follower.busy
        self.submit_button.setEnabled(open_for_arbitration)
        redispatch = self.redispatch_choice.isChecked()
        self.department_edit.setEnabled(redispatch)
        self.class_edit.setEnabled(redispatch)
        if case is not None and case["state"] != "returned":
            self.info["state"].setText(self.tr("{state}（无需仲裁）").format(state=state_label(case["state"])))

    def _update_title(self, *_args: Any) -> None:
        self.list_title.setText(self.tr("退回待仲裁  {n} 件").format(n=self.returned.rowCount()))

    def _after_batch(self, _ids: Any) -> None:
        self._update_title()
        self._restore_selection()

    def _restore_selection(self) -> None:
        """The highlight stays on the followed case (rows move under it when others leave the list)."""
        selection = self.view.selectionModel()
        row = self.row_of(self.follower.case_id) if self.follower.case_id is not None else None
        if row is None:
            if selection.hasSelection():
                selection.clearSelection()
            return
        if not selection.isRowSelected(row, QModelIndex()):
            selection.setCurrentIndex(self.returned.index(row, COLUMN["code"]),
                                      QItemSelectionModel.SelectionFlag.ClearAndSelect
                                      | QItemSelectionModel.SelectionFlag.Rows)
