"""The deadlines panel (时限督办): cases due soon and cases overdue, with countdowns on the server's clock, and
supervision (督办) of the selected case. The lists and their rules are in `views.deadline_lists`.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.context import TIME_REFRESH_MS, WindowContext
from app.models.cases import CaseRow
from app.models.reference import PRIORITY_LABELS, STATE_LABELS
from app.servertime import parse_time
from app.session import Reply
from views.deadline_lists import (
    COLUMN,
    SUPERVISABLE,
    DeadlineList,
    deadline_text,
    deadline_tone,
    is_due_soon,
    is_overdue,
)
from views.remote_errors import action_style, error_text, fmt_time, set_message
from widgets.countdown import CountdownPill

DEFAULT_NOTE = "请加快办理，按期办结并及时反馈"


class DeadlinesPanel(QWidget):
    def __init__(self, context: WindowContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.cases = context.cases
        self.overdue = DeadlineList(self.cases, is_overdue, self)
        self.due_soon = DeadlineList(self.cases, is_due_soon, self)
        self._current: int | None = None
        self._busy = False

        self.overdue_view, self.overdue_box = self._list(self.overdue)
        self.due_soon_view, self.due_soon_box = self._list(self.due_soon)
        lists = QSplitter(Qt.Orientation.Vertical)
        lists.addWidget(self.overdue_box)
        lists.addWidget(self.due_soon_box)

        self.title = QLabel(self.tr("选择一件事件以督办"))
        self.title.setWordWrap(True)
        self.pill = CountdownPill()
        self.facts = QLabel()
        self.facts.setWordWrap(True)
        self.facts.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.supervision_label = QLabel()
        self.note_edit = QLineEdit(self.tr(DEFAULT_NOTE))
        self.note_edit.setMaxLength(2000)
        self.note_edit.setPlaceholderText(self.tr("督办意见（必填）"))
        self.supervise_button = QPushButton(self.tr("督办"))
        self.supervise_button.setStyleSheet(action_style("#c62828"))
        self.supervise_button.clicked.connect(self.supervise)
        self.message_label = QLabel()
        self.message_label.setWordWrap(True)
        note_row = QHBoxLayout()
        note_row.addWidget(self.note_edit, 1)
        note_row.addWidget(self.supervise_button)
        detail = QWidget()
        detail_layout = QVBoxLayout(detail)
        detail_layout.setContentsMargins(12, 0, 0, 0)
        detail_layout.addWidget(self.title)
        detail_layout.addWidget(self.pill, 0, Qt.AlignmentFlag.AlignLeft)
        detail_layout.addWidget(self.facts)
        detail_layout.addWidget(self.supervision_label)
        detail_layout.addLayout(note_row)
        detail_layout.addWidget(self.message_label)
        detail_layout.addStretch(1)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(lists)
        splitter.addWidget(detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        for widget, pixels, bold in ((self, 15, False), (self.title, 20, True), (self.facts, 16, False),
                                     (self.supervision_label, 17, True), (self.message_label, 16, True),
                                     (self.overdue_box, 16, True), (self.due_soon_box, 16, True)):
            font = QFont(widget.font())
            font.setPixelSize(pixels)
            font.setBold(bold)
            widget.setFont(font)
        for view in (self.overdue_view, self.due_soon_view):
            view.setFont(QFont(self.font()))

        for model in (self.overdue, self.due_soon):
            for signal in (model.rowsInserted, model.rowsRemoved, model.modelReset):
                signal.connect(self._update_counts)
        self.cases.cases_changed.connect(self._on_cases_changed)
        self._timer = QTimer(self)
        self._timer.setInterval(TIME_REFRESH_MS)
        self._timer.timeout.connect(self._tick)
        self._timer.start()
        self._update_counts()
        self._show(None)

    def _list(self, model: DeadlineList) -> tuple[QTableView, QGroupBox]:
        view = QTableView()
        view.setModel(model)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setAlternatingRowColors(True)
        view.setWordWrap(False)
        view.verticalHeader().hide()
        header = view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COLUMN["title"], QHeaderView.ResizeMode.Stretch)
        view.selectionModel().currentRowChanged.connect(lambda current, _prev: self._on_row(model, current))
        box = QGroupBox()
        box_layout = QVBoxLayout(box)
        box_layout.addWidget(view)
        return view, box

    # -- showing ------------------------------------------------------------------------------------
    def select_case(self, case_id: int) -> bool:
        """Selects a case in whichever list holds it; False if neither does."""
        for model, view in ((self.overdue, self.overdue_view), (self.due_soon, self.due_soon_view)):
            row = model.row_of(case_id)
            if row is not None:
                self._show(case_id, model)
                view.selectRow(model.row_of(case_id) or 0)
                return True
        return False

    def listed(self, model: DeadlineList) -> list[int]:
        return model.ids()

    def _on_row(self, model: DeadlineList, current: QModelIndex) -> None:
        case = model.case_at(current.row()) if current.isValid() else None
        if case is not None and case["id"] != self._current:
            self._show(case["id"], model)

    def _show(self, case_id: int | None, model: DeadlineList | None = None,
              case: dict[str, Any] | None = None) -> None:
        if case_id != self._current:
            self.message_label.clear()
        self._current = case_id
        if model is not None:
            for each, view in ((self.overdue, self.overdue_view), (self.due_soon, self.due_soon_view)):
                each.pin(case_id if each is model else None)
                if each is not model:
                    view.clearSelection()
        case = case or (self.cases.case(case_id) if case_id is not None else None)
        self.supervise_button.setEnabled(case is not None and case["state"] in SUPERVISABLE and not self._busy)
        if case is None:
            self.title.setText(self.tr("选择一件事件以督办") if case_id is None else self.tr("该事件已不在办理中"))
            self.facts.clear()
            self.supervision_label.clear()
            self.pill.hide()
            return
        ref = self.context.reference
        self.title.setText(f"{case['code']}  {case['title']}")
        self.facts.setText("\n".join([
            self.tr("地点：{place}　优先级：{priority}").format(
                place=ref.place(case.get("township_id"), case.get("grid_id")) or "—",
                priority=PRIORITY_LABELS.get(case.get("priority", 3), "")),
            self.tr("状态：{state}　责任部门：{lead}").format(
                state=STATE_LABELS.get(case["state"], case["state"]),
                lead=ref.department_name(case.get("lead_department_id")) or "—"),
            self.tr("派遣：{dispatched}　签收时限：{sign}").format(
                dispatched=fmt_time(case.get("dispatched_at")), sign=fmt_time(case.get("sign_due_at"))),
            self.tr("办结时限：{due}　升级时限：{escalate}").format(
                due=fmt_time(case.get("due_at")), escalate=fmt_time(case.get("escalate_at"))),
        ]))
        self.supervision_label.setText(self.tr("已督办 {n} 次").format(n=case.get("supervision_count", 0)))
        self.pill.show()
        self._update_pill(case)

    def _update_pill(self, case: dict[str, Any]) -> None:
        row = CaseRow.of(case)
        now = self.context.clock.now()
        start, due = parse_time(case.get("dispatched_at")), row.due
        fraction = (now - start) / (due - start) if start is not None and due is not None and due > start else None
        self.pill.set_value(deadline_text(row, now) or self.tr("无时限"), deadline_tone(row, now), fraction)

    def _tick(self) -> None:
        case = self.cases.case(self._current) if self._current is not None else None
        if case is not None:
            self._update_pill(case)

    def _on_cases_changed(self, ids: set[int]) -> None:
        if self._current is not None and self._current in ids:
            self._show(self._current)

    def _update_counts(self, *_args: Any) -> None:
        self.overdue_box.setTitle(self.tr("已超期 / 已升级 / 签收超时（{n}）").format(n=self.overdue.rowCount()))
        self.due_soon_box.setTitle(self.tr("即将超期（{n}）").format(n=self.due_soon.rowCount()))

    # -- acting -------------------------------------------------------------------------------------
    def supervise(self) -> None:
        case = self.cases.case(self._current) if self._current is not None else None
        if case is None or self._busy:
            return
        note = self.note_edit.text().strip()
        if not note:
            set_message(self.message_label, self.tr("请填写督办意见"), error=True)
            return
        self._busy = True
        self.supervise_button.setEnabled(False)
        set_message(self.message_label, self.tr("正在提交…"))
        case_id = case["id"]
        self.context.session.request("case.supervise", {"id": case_id, "expected_version": case["version"],
                                                        "note": note}, lambda reply: self._supervised(case_id, reply))

    def _supervised(self, case_id: int, reply: Reply) -> None:
        self._busy = False
        if self._current != case_id:
            self._show(self._current)
            return
        if reply.ok and reply.result:
            case = reply.result["case"]
            self._show(case_id, case=case if case["version"] > (self.cases.case(case_id) or {}).get("version", 0)
                       else None)
            set_message(self.message_label, self.tr("已督办（第 {n} 次）").format(n=case.get("supervision_count", 0)))
            return
        error = reply.error
        current = error.details.get("current") if error is not None else None
        newer = isinstance(current, dict) and current.get("version", 0) > (self.cases.case(case_id) or {}).get(
            "version", 0)
        self._show(case_id, case=current if newer else None)
        set_message(self.message_label, error_text(error, self.tr("该事件"), self._case_now_text), error=True)

    def _case_now_text(self, case: dict[str, Any]) -> str:
        state = STATE_LABELS.get(case.get("state", ""), case.get("state", ""))
        return self.tr("「{state}」，已督办 {n} 次").format(state=state, n=case.get("supervision_count", 0))
