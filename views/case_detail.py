"""The case detail of the dispatch console: one case with all it says, its full timeline, and for a reported case
the duty officer's decision — register (with corrections) or reject with a reason (`RegistrationForm`).

The case is followed live (`CaseFollower`): changes made elsewhere are shown at once and named; a draft the user is
typing is kept when the case changes under it (shown read-only if the case can no longer be registered).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.context import WindowContext
from app.models.cases import CaseRow, due_text, format_span
from app.models.reference import OPEN_CASE_STATES, PRIORITY_LABELS, URGENCY_LABELS
from app.servertime import parse_time
from views.case_follow import CaseFollower
from views.case_text import class_label, departments_text, format_time, state_label, timeline_entries
from views.registration_form import RegistrationForm
from widgets.notice_bar import NoticeBar
from widgets.timeline import TimelineView
from widgets.tint import badge, tint

BODY_PX = 15
TITLE_PX = 21
STATE_COLORS = {"reported": "#1565c0", "registered": "#00838f", "dispatched": "#4527a0", "returned": "#e65100",
                "handling": "#2e7d32", "feedback": "#6a1b9a", "verified": "#2e7d32", "rejected": "#616161",
                "closed": "#424242", "evaluated": "#424242"}
TIME_REFRESH_MS = 30_000
"""Ages and countdowns are shown to the minute."""


def _value_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class CaseDetailPanel(QWidget):
    """Shows the case given to `show_case(id)`; `action_done(id, command)` after a register or reject succeeded."""

    action_done = Signal(int, str)

    def __init__(self, context: WindowContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        font = self.font()
        font.setPixelSize(max(BODY_PX, font.pixelSize()))
        self.setFont(font)
        self.follower = CaseFollower(context, self)
        self.follower.updated.connect(self._render)
        self.follower.changed_elsewhere.connect(self._on_changed_elsewhere)
        self.follower.problem.connect(lambda text: self.notice.show_notice(text, "error"))

        self.notice = NoticeBar()
        self._idle_text = self.tr("在待受理列表中选择一个案件（↑↓ 选择，回车打开）")
        self.placeholder = QLabel(self._idle_text)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        tint(self.placeholder, "#757575")
        self.stack = QStackedWidget()
        self.stack.addWidget(self.placeholder)
        self.stack.addWidget(self._build_content())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.notice)
        layout.addWidget(self.stack, 1)
        self._clock = QTimer(self)
        self._clock.setInterval(TIME_REFRESH_MS)
        self._clock.timeout.connect(self._render_times)
        self._clock.start()

    # -- building ---------------------------------------------------------------------------------------------
    def _build_content(self) -> QWidget:
        self.title = QLabel()
        title_font = self.title.font()
        title_font.setPixelSize(TITLE_PX)
        title_font.setBold(True)
        self.title.setFont(title_font)
        self.title.setWordWrap(True)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.state_badge = QLabel()
        self.state_badge.setContentsMargins(8, 2, 8, 2)
        self.code = QLabel()
        self.code.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.priority = QLabel()
        self.final_note = QLabel()
        tint(self.final_note, "#616161")
        meta = QHBoxLayout()
        for widget in (self.code, self.state_badge, self.priority):
            meta.addWidget(widget)
        meta.addStretch(1)

        self.fields: dict[str, QLabel] = {}
        self.form = QFormLayout()
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        for key, label in (("channel", self.tr("来源渠道")), ("category", self.tr("类别")),
                           ("place", self.tr("位置")), ("worker", self.tr("网格员")), ("coords", self.tr("坐标")),
                           ("reporter", self.tr("上报人")), ("reported", self.tr("上报时间")),
                           ("duplicate", self.tr("疑似重复")), ("departments", self.tr("责任部门")),
                           ("deadlines", self.tr("时限")), ("note", self.tr("理由 / 说明")),
                           ("counts", self.tr("记录")), ("description", self.tr("描述"))):
            self.fields[key] = _value_label()
            self.form.addRow(label, self.fields[key])
        tint(self.fields["duplicate"], "#ef6c00")

        info = QWidget()
        info_layout = QVBoxLayout(info)
        info_layout.setContentsMargins(0, 0, 4, 0)
        info_layout.addLayout(self.form)
        self.actions = RegistrationForm(self.context)
        self.actions.register_clicked.connect(self.register)
        self.actions.reject_clicked.connect(self.reject)
        info_layout.addWidget(self.actions)
        info_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(info)

        self.timeline = TimelineView()
        history = QGroupBox(self.tr("办理过程"))
        history_layout = QVBoxLayout(history)
        history_layout.addWidget(self.timeline)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(scroll)
        splitter.addWidget(history)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([500, 500])  # scaled to the panel: half the case, half its timeline
        splitter.setChildrenCollapsible(False)

        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addLayout(meta)
        layout.addWidget(self.final_note)
        layout.addWidget(splitter, 1)
        return content

    # -- public -------------------------------------------------------------------------------------------------
    def show_case(self, case_id: int) -> None:
        """Shows a case (a new draft); the same case again only refreshes it."""
        if case_id == self.follower.case_id:
            self.follower.refresh()
            return
        self.actions.dirty = False
        self.notice.clear()
        self.follower.follow(case_id)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.follower.stop()  # a closed panel reads nothing more
        super().closeEvent(event)

    def case(self) -> dict[str, Any] | None:
        return self.follower.case

    def case_id(self) -> int | None:
        return self.follower.case_id

    def has_draft(self) -> bool:
        """The user changed the register/reject form of this case and has not sent it."""
        return self.actions.dirty

    # -- actions ----------------------------------------------------------------------------------------------
    def register(self) -> None:
        case = self.follower.case
        if case is None or case["state"] != "reported" or self.follower.busy:
            return
        body, why, field = self.actions.register_body(case)
        if body is None:
            self._refuse(why, field)
            return
        self._send("case.register", body, self.tr("立案"))

    def reject(self) -> None:
        case = self.follower.case
        if case is None or case["state"] != "reported" or self.follower.busy:
            return
        reason = self.actions.reject_reason_text()
        if not reason:
            self._refuse(self.tr("不予立案必须填写理由，未提交。"), self.actions.reject_reason)
            return
        self._send("case.reject", {"reason": reason}, self.tr("不予立案"))

    def _refuse(self, text: str, field: QWidget | None) -> None:
        self.notice.show_notice(text, "error")
        if field is not None:
            field.setFocus()

    def _send(self, command: str, body: dict[str, Any], action: str) -> None:
        case_id = self.follower.case_id
        if not self.follower.act(command, body, action, lambda ok, text: self._on_done(case_id, command, ok, text)):
            return
        self.notice.show_notice(self.tr("正在提交{action}…").format(action=action), "info")
        self._update_actions()

    def _on_done(self, case_id: int | None, command: str, ok: bool, text: str) -> None:
        if ok:
            self.actions.fill(self.follower.case)
            case = self.follower.case or {}
            self.notice.show_notice(self.tr("已完成：{code} 现为「{state}」。").format(
                code=case.get("code", ""), state=state_label(case.get("state"))), "success")
            if case_id is not None:
                self.action_done.emit(case_id, command)
        else:
            self.notice.show_notice(text, "error")
        self._update_actions()

    def _on_changed_elsewhere(self, text: str) -> None:
        if self.actions.dirty:
            text += self.tr("您填写的内容尚未提交，仍保留在下方。")
        self.notice.show_notice(text, "warning")

    # -- rendering --------------------------------------------------------------------------------------------
    def _render(self) -> None:
        case = self.follower.case
        if case is None:  # nothing chosen, or a case not in the open list whose read is under way
            self.placeholder.setText(self._idle_text if self.follower.case_id is None else self.tr("正在读取案件…"))
            self.stack.setCurrentIndex(0)
            return
        self.stack.setCurrentIndex(1)
        ref = self.context.reference
        self.title.setText(case.get("title", ""))
        self.code.setText(case.get("code", ""))
        color = STATE_COLORS.get(case["state"], "#424242")
        self.state_badge.setText(state_label(case["state"]))
        badge(self.state_badge, color)
        priority = case.get("priority", 3)
        self.priority.setText(self.tr("优先级：") + PRIORITY_LABELS.get(priority, str(priority)))
        tint(self.priority, "#c62828" if priority <= 2 else "#212121", bold=priority <= 2)
        final = case["state"] not in OPEN_CASE_STATES
        self.final_note.setVisible(final)
        if final:
            self.final_note.setText(self.tr("此案件已「{state}」，不在待办列表中。{when}").format(
                state=state_label(case["state"]), when=format_time(case.get("closed_at") or case.get("updated_at"))))
        grid = ref.grids.get(case.get("grid_id") or -1, {})
        values = {
            "channel": ref.channel_label(case["channel"]),
            "category": case.get("category", ""),
            "place": ref.place(case.get("township_id"), case.get("grid_id")) or self.tr("未指定"),
            "worker": grid.get("worker", ""),
            "coords": "" if case.get("lat") is None else f"{case['lat']:.5f}, {case['lon']:.5f}",
            "reporter": "  ".join(v for v in (case.get("reporter_name"), case.get("reporter_phone"),
                                              case.get("reporter_id_number")) if v) or self.tr("未留姓名和电话"),
            "reported": self._reported_text(case),
            "duplicate": self._duplicate_text(case),
            "departments": self._departments_text(case),
            "deadlines": self._deadlines_text(case),
            "note": case.get("note", ""),
            "counts": self._counts_text(case),
            "description": case.get("description", ""),
        }
        for key, value in values.items():
            self.fields[key].setText(value)
            self.form.setRowVisible(self.fields[key], bool(value))
        self.timeline.set_entries(timeline_entries(self.follower.timeline, ref))
        if not self.actions.dirty:
            self.actions.fill(case)
        self._update_actions()

    def _render_times(self) -> None:
        """The age and the countdown move with the clock (the rest changes only with the case)."""
        case = self.follower.case
        if case is not None:
            for key, text in (("reported", self._reported_text(case)), ("deadlines", self._deadlines_text(case))):
                self.fields[key].setText(text)

    def _reported_text(self, case: dict[str, Any]) -> str:
        reported = parse_time(case.get("reported_at"))
        age = format_span(self.context.clock.now() - reported) if reported else ""
        return self.tr("{when}（已 {age}）").format(when=format_time(case.get("reported_at")), age=age)

    def _duplicate_text(self, case: dict[str, Any]) -> str:
        other = case.get("duplicate_of")
        if not other:
            return ""
        linked = self.context.cases.case(other)
        if linked is None:
            return self.tr("可能与案件 #{id} 重复").format(id=other)
        return self.tr("可能与 {code}「{title}」重复（{state}）").format(
            code=linked["code"], title=linked["title"], state=state_label(linked["state"]))

    def _departments_text(self, case: dict[str, Any]) -> str:
        if case.get("lead_department_id") is None:
            return ""
        text = departments_text(self.context.reference, case["lead_department_id"], case.get("co_department_ids"))
        return f"{text}  · {class_label(case.get('resolution_class'))}" if case.get("resolution_class") else text

    def _deadlines_text(self, case: dict[str, Any]) -> str:
        parts = []
        if case["state"] == "dispatched" and case.get("sign_due_at"):
            parts.append(self.tr("签收 {when}").format(when=format_time(case["sign_due_at"])))
        if case.get("due_at"):
            parts.append(self.tr("办结 {when}").format(when=format_time(case["due_at"])))
        if not parts or case["state"] not in OPEN_CASE_STATES:
            return "  ".join(parts)
        row, now = CaseRow.of(case), self.context.clock.now()
        return "  ".join(parts) + f"  （{due_text(row, now)}，{URGENCY_LABELS.get(row.urgency(now), '')}）"

    def _counts_text(self, case: dict[str, Any]) -> str:
        parts = [label.format(n=case.get(key, 0)) for key, label in (
            ("return_count", self.tr("退回 {n} 次")), ("rework_count", self.tr("返工 {n} 次")),
            ("supervision_count", self.tr("督办 {n} 次"))) if case.get(key)]
        return "，".join(parts)

    def _update_actions(self) -> None:
        self.actions.show_for(self.follower.case, self.follower.busy)
