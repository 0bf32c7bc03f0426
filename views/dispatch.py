"""Dispatch by drag and drop: the department board bound to the session.

A case dropped on a department opens a short confirmation (`DispatchDialog`); OK sends `case.dispatch` (or, for a
returned case, `case.arbitrate` with decision `redispatch`) with the version of the case the dialog shows and the
dialog's one idempotency key, so a double click, a retry or the same drop twice dispatches once. Only `registered`
(and `returned`) cases may be dropped: anything else is refused here with the reason, and nothing is sent.

What the server answers is applied to the case model at once (the reply carries the whole case; the model keeps the
higher version, so the event that follows changes nothing): a dispatched case leaves the intake queue and its
department's load goes up without waiting for the event. A refusal is shown in the dialog, naming the cause; on a
conflict the case as it now is replaces our copy and is shown, with who changed it.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from app.context import WindowContext
from app.models.departments import ArrivalSource, DepartmentLoad, resolution_classes
from app.session import Reply
from views.dispatch_dialog import CaseActionDialog, DispatchDialog, RecallDialog
from views.dispatch_text import (
    case_details,
    error_text,
    refusal_for_recall,
    refusal_for_state,
    tr,
    where_now,
    who,
)
from widgets.department_board import DepartmentBoard

__all__ = ["DispatchController", "DispatchDialog", "DispatchRequest", "RecallDialog"]

NOTE_MAX = 2000
DISPATCHABLE = {"registered": False, "returned": True}
"""State -> whether a drop means a redispatch (case.arbitrate) rather than a first dispatch."""


@dataclass(frozen=True)
class DispatchRequest:
    """One command as sent (kept for the record and for tests: a re-send with the same idem is the same action)."""

    case_id: int
    rtype: str
    body: dict[str, Any]
    idem: str


@dataclass(frozen=True)
class _CaseNews:
    """A case as the server just returned it, in the shape `CaseModel.apply` reads from an event (kind, data)."""

    kind: str
    data: dict[str, Any]


class DispatchController(QObject):
    """Binds a `DepartmentBoard` to the window's session, case model and department load."""

    notice = Signal(str, str)
    """(text, level: info | warning | error) — also shown on the board; a status bar may show it too."""
    dispatched = Signal(int)
    """case id: the server accepted a dispatch (or redispatch) from this console."""
    recalled = Signal(int)

    def __init__(self, context: WindowContext, board: DepartmentBoard, load: DepartmentLoad | None = None,
                 parent: QObject | None = None) -> None:
        # owned by the board unless told otherwise: destroyed with it, on the GUI thread, never by Python's garbage
        # collector on the session's network thread (a QTimer destroyed there is left registered and crashes Qt)
        super().__init__(parent if parent is not None else board)
        self.context = context
        self.board = board
        if load is None:
            whistles = context.extras.get("whistles")
            load = DepartmentLoad(context.cases, context.clock.now,
                                  whistles if isinstance(whistles, ArrivalSource) else None, parent=self)
        self.load = load
        context.extras.setdefault("department_load", load)
        self.dialog: DispatchDialog | None = None
        self.recall_dialog: RecallDialog | None = None
        self.last_request: DispatchRequest | None = None
        self.last_notice: tuple[str, str] = ("", "")
        self._pending: dict[int, DispatchRequest] = {}  # case id -> the request awaiting its reply
        self._attached = True
        board.case_dropped.connect(self.drop)
        board.destroyed.connect(self._detach)
        load.load_changed.connect(self._show_loads)
        context.session.snapshot_loaded.connect(self._on_snapshot)
        context.cases.cases_changed.connect(self._on_cases_changed)
        if context.reference.departments:
            self._on_snapshot()

    def _detach(self, *_: Any) -> None:
        """The board is gone (its window closed): stop listening, so nothing touches it again."""
        if not self._attached:
            return
        self._attached = False
        for signal, slot in ((self.load.load_changed, self._show_loads),
                             (self.context.session.snapshot_loaded, self._on_snapshot),
                             (self.context.cases.cases_changed, self._on_cases_changed)):
            with contextlib.suppress(RuntimeError, TypeError):  # already gone with its object
                signal.disconnect(slot)
        self.dialog = self.recall_dialog = None

    # -- the board ----------------------------------------------------------------------------------
    def departments(self) -> list[tuple[int, str]]:
        rows = sorted(self.context.reference.departments.values(), key=lambda d: d["id"])
        return [(int(d["id"]), str(d["name"])) for d in rows]

    def _on_snapshot(self, *_: Any) -> None:
        whistles = self.context.extras.get("whistles")  # a whistle model a panel made after us
        if self.load.arrival_source is None and isinstance(whistles, ArrivalSource):
            self.load.set_arrival_source(whistles)
        self.board.set_departments(self.departments())
        self._show_loads({d for d, _ in self.departments()})

    def _show_loads(self, ids: set[int]) -> None:
        for department_id in ids:
            load = self.load.load(department_id)
            self.board.set_load(department_id, load.open, load.overdue, load.awaiting_arrival, load.awaiting_sign)

    def _say(self, text: str, level: str = "info") -> None:
        self.last_notice = (text, level)
        if self._attached:
            self.board.show_notice(text, level)
        self.notice.emit(text, level)

    # -- dispatch -----------------------------------------------------------------------------------
    def drop(self, department_id: int, case_id: int) -> None:
        """Case `case_id` was dropped on department `department_id`."""
        dialog = self.dialog
        if dialog is not None:
            if case_id != dialog.case_id:
                self._say(tr("正在派遣「{code}」：请先完成或取消它，再拖放其他事件。",
                             code=dialog.case.get("code", "")), "warning")
                dialog.raise_()
                return
            name = self.context.reference.department_name(department_id)
            if dialog.add_co_department(department_id):
                dialog.show_status(tr("已添加协办部门：{name}", name=name), "info")
            else:
                dialog.show_status(tr("{name} 已是牵头部门。", name=name), "info")
            dialog.raise_()
            return
        if case_id in self._pending:
            self._say(tr("该事件的派遣正在提交，请稍候。"), "warning")
            return
        case = self.context.cases.case(case_id)
        if case is None:
            self._say(tr("该事件已不在待办列表中（可能已办结或不予立案），未派遣。"), "warning")
            return
        if case["state"] not in DISPATCHABLE:
            self._say(refusal_for_state(case, self.context.reference), "warning")
            return
        if department_id not in self.context.reference.departments:
            self._say(tr("未知的部门，未派遣。"), "error")
            return
        self._open_dialog(case, department_id, DISPATCHABLE[case["state"]])

    def _open_dialog(self, case: dict[str, Any], department_id: int, redispatch: bool) -> None:
        dialog = DispatchDialog(case, case_details(case, self.context.reference), self.departments(), department_id,
                                resolution_classes(), redispatch=redispatch, parent=self._window())
        if redispatch:
            if case.get("resolution_class"):
                dialog.set_resolution_class(case["resolution_class"])
            dialog.show_status(tr("该事件被 {name} 退回：{reason}", reason=case.get("note") or tr("（未写原因）"),
                                  name=self.context.reference.department_name(case.get("lead_department_id"))),
                               "warning")
        dialog.submit_requested.connect(self.submit)
        dialog.finished.connect(self._closed)
        dialog.drag_chip.drag_active.connect(self.board.set_drag_active)
        self.dialog = dialog
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()

    def submit(self) -> None:
        """What OK does: send the open dialog's dispatch (once: a second click while it is on its way is ignored)."""
        dialog = self.dialog
        if dialog is None or dialog.busy or dialog.case_id in self._pending:
            return
        note = dialog.note()
        if len(note) > NOTE_MAX:
            dialog.show_status(tr("说明最多{n}字，现在{m}字。", n=NOTE_MAX, m=len(note)), "error")
            return
        body: dict[str, Any] = {"id": dialog.case_id, "expected_version": dialog.expected_version,
                                "lead_department_id": dialog.lead_id(), "co_department_ids": dialog.co_ids(),
                                "resolution_class": dialog.resolution_class(), "note": note}
        rtype = "case.dispatch"
        if dialog.redispatch:
            rtype, body = "case.arbitrate", {**body, "decision": "redispatch"}
        self._send(dialog, DispatchRequest(dialog.case_id, rtype, body, dialog.idem),
                   tr("改派") if dialog.redispatch else tr("派遣"))

    # -- recall -------------------------------------------------------------------------------------
    def recall(self, case_id: int) -> None:
        """Asks to recall a dispatched case (until its department signs); the confirmation sends `case.recall`."""
        if self.recall_dialog is not None:
            self.recall_dialog.raise_()
            return
        case = self.context.cases.case(case_id)
        if case is None:
            self._say(tr("该事件已不在待办列表中，无法撤回。"), "warning")
            return
        if case["state"] != "dispatched":
            self._say(refusal_for_recall(case, self.context.reference), "warning")
            return
        dialog = RecallDialog(case, case_details(case, self.context.reference),
                              self.context.reference.department_name(case.get("lead_department_id")),
                              parent=self._window())
        dialog.submit_requested.connect(self.confirm_recall)
        dialog.finished.connect(self._closed)
        self.recall_dialog = dialog
        dialog.show()
        dialog.raise_()

    def confirm_recall(self) -> None:
        dialog = self.recall_dialog
        if dialog is None or dialog.busy or dialog.case_id in self._pending:
            return
        body = {"id": dialog.case_id, "expected_version": dialog.expected_version, "note": dialog.note()}
        self._send(dialog, DispatchRequest(dialog.case_id, "case.recall", body, dialog.idem), tr("撤回"))

    # -- talking to the server ----------------------------------------------------------------------
    def _send(self, dialog: CaseActionDialog, request: DispatchRequest, action: str) -> None:
        self.last_request = request
        self._pending[request.case_id] = request
        dialog.set_busy(True)
        self.context.session.request(request.rtype, request.body,
                                     lambda reply: self._answered(dialog, request, action, reply), idem=request.idem)

    def _answered(self, dialog: CaseActionDialog, request: DispatchRequest, action: str, reply: Reply) -> None:
        self._pending.pop(request.case_id, None)
        reference = self.context.reference
        still_open = dialog is self.dialog or dialog is self.recall_dialog  # the user may have closed it meanwhile
        if reply.ok and reply.result is not None:
            case = reply.result.get("case") or {}
            kind = {"case.dispatch": "case.dispatched", "case.arbitrate": "case.arbitrated",
                    "case.recall": "case.recalled"}[request.rtype]
            if still_open:
                dialog.finish()
            self._apply(kind, case)
            if request.rtype == "case.recall":
                self._say(tr("已撤回「{code}」，回到已立案。", code=case.get("code", "")), "info")
                self.recalled.emit(request.case_id)
            else:
                self._say(tr("已{action}「{code}」：{now}。", action=action, code=case.get("code", ""),
                             now=where_now(case, reference)), "info")
                self.dispatched.emit(request.case_id)
            return
        error = reply.error
        assert error is not None
        text = error_text(error, action, reference, self.context.session.user)
        current = (error.details or {}).get("current")
        if error.code == "conflict" and isinstance(current, dict) and current.get("id") == request.case_id:
            self._apply("case.updated", current)
        self._say(text, "error")
        if not still_open:
            return
        dialog.set_busy(False)
        latest = self.context.cases.case(request.case_id) or current
        if error.code == "conflict" and latest:
            self._refresh_dialog(dialog, latest)
            dialog.new_action()
            text += tr("上方已是它现在的情况；请核对后再提交。") if dialog.ok_button.isEnabled() \
                else tr("上方已是它现在的情况，已不能在这里{action}。", action=action)
        dialog.show_status(text, "error")

    def _apply(self, kind: str, case: dict[str, Any]) -> None:
        if case.get("id") is not None and case.get("version") is not None:
            self.context.cases.apply([_CaseNews(kind, {"case": case})])  # type: ignore[list-item]

    # -- the open dialog follows its case --------------------------------------------------------------
    def _on_cases_changed(self, ids: set[int]) -> None:
        for dialog in (self.dialog, self.recall_dialog):
            if dialog is None or dialog.case_id not in ids or dialog.case_id in self._pending:
                continue
            case = self.context.cases.case(dialog.case_id)
            if case is None:
                dialog.set_actionable(False)
                dialog.show_status(tr("该事件已不在待办列表中（已办结或不予立案），无法继续。"), "warning")
            elif case["version"] != dialog.expected_version:
                self._refresh_dialog(dialog, case)
                if dialog.ok_button.isEnabled():
                    dialog.show_status(tr("该事件刚被 {who} 更新，上面已是最新内容，请确认后再提交。",
                                          who=who(case.get("updated_by"), self.context.session.user)), "warning")
                else:
                    dialog.show_status(tr("该事件已被 {who} 改动，现为{now}，不能再操作。",
                                          who=who(case.get("updated_by"), self.context.session.user),
                                          now=where_now(case, self.context.reference)), "warning")

    def _refresh_dialog(self, dialog: CaseActionDialog, case: dict[str, Any]) -> None:
        dialog.set_case(case, case_details(case, self.context.reference))
        if isinstance(dialog, DispatchDialog):
            allowed = case["state"] in DISPATCHABLE and DISPATCHABLE[case["state"]] == dialog.redispatch
        else:
            allowed = case["state"] == "dispatched"
        dialog.set_actionable(allowed)

    def _closed(self, *_: Any) -> None:
        dialog = self.sender()
        if dialog is None:
            return
        if self.dialog is dialog:
            self.dialog = None
        if self.recall_dialog is dialog:
            self.recall_dialog = None
        dialog.deleteLater()

    def _window(self) -> QWidget | None:
        return self.board.window()
