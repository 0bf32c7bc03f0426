"""The whistles panel (吹哨报到) of the dispatch console: review the villages' whistles, then watch the called
departments report on site within one working day.

Left: the whistles by state (待审核 / 报到中 / 全部). Right: the selected whistle. A whistle awaiting review is
approved by ticking departments (or dropping them, MIME `application/x-ccc-department`, on the whistle in the list
or on the form) with a resolution class, or rejected with a reason (required, checked before anything is sent).
An approved whistle shows one countdown per called department, on the server's clock, repainted every few
seconds; `whistle.arrived` events flip them to arrived on time / late.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QDragMoveEvent, QDropEvent, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QSplitter,
    QStackedWidget,
    QTabBar,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.context import WindowContext
from app.models.reference import CLASS_LABELS
from app.models.whistles import (
    COLUMN,
    STATE_LABELS,
    WhistleFilter,
    arrival_status,
    arrival_text,
    arrival_tone,
    whistles_of,
)
from app.servertime import parse_time
from app.session import Reply
from views.remote_errors import error_text, fmt_time, set_message
from views.whistle_review import ReviewForm
from widgets.arrival_board import ArrivalBoard
from widgets.countdown import CountdownPill
from widgets.department_mime import department_ids_of

TABS: list[tuple[str, frozenset[str]]] = [
    ("待审核", frozenset({"raised"})),
    ("报到中", frozenset({"approved"})),
    ("全部", frozenset({"raised", "approved", "rejected", "resolved"})),
]
TICK_MS = 5_000
"""Countdowns repaint this often (they are shown to the minute)."""


def whistle_now_text(whistle: dict[str, Any], department_name: Any) -> str:
    """What a whistle is now, in one line: 已交派（呼叫 县公安局、县水利局） / 已驳回（理由：…）."""
    state = STATE_LABELS.get(whistle.get("state", ""), whistle.get("state", ""))
    if whistle.get("state") == "rejected":
        return f"「{state}」，理由：{whistle.get('reject_reason', '')}"
    calls = "、".join(department_name(c["department_id"]) for c in whistle.get("calls", []))
    return f"「{state}」，已呼叫 {calls}" if calls else f"「{state}」"


class WhistlesPanel(QWidget):
    def __init__(self, context: WindowContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.model = whistles_of(context)
        self.proxy = WhistleFilter(self.model, TABS[0][1], self)
        self._current: int | None = None
        self._busy = False

        self.tabs = QTabBar()
        for label, _ in TABS:
            self.tabs.addTab(self.tr(label))
        self.tabs.currentChanged.connect(self._on_tab)
        self.list_view = QTableView()
        self.list_view.setModel(self.proxy)
        self.list_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.list_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list_view.setAlternatingRowColors(True)
        self.list_view.verticalHeader().hide()
        self.list_view.setWordWrap(False)
        header = self.list_view.horizontalHeader()
        header.setSectionResizeMode(COLUMN["title"], QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(60)
        self.list_view.hideColumn(COLUMN["departments"])
        self.list_view.selectionModel().currentRowChanged.connect(self._on_row)
        self.list_view.viewport().setAcceptDrops(True)
        self.list_view.viewport().installEventFilter(self)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.tabs)
        left_layout.addWidget(self.list_view, 1)

        self.title = QLabel()
        self.title.setWordWrap(True)
        self.meta = QLabel()
        self.meta.setWordWrap(True)
        self.body = QLabel()
        self.body.setWordWrap(True)
        self.body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message_label = QLabel()
        self.message_label.setWordWrap(True)
        self.pages = QStackedWidget()
        self.pages.addWidget(self._build_empty_page())
        self.review_page = ReviewForm(context.reference)
        self.review_page.setAcceptDrops(True)
        self.review_page.installEventFilter(self)
        self.review_page.approve_button.clicked.connect(self.approve)
        self.review_page.reject_button.clicked.connect(self.reject)
        self.checklist = self.review_page.checklist
        self.class_combo = self.review_page.class_combo
        self.approve_button = self.review_page.approve_button
        self.reason_edit = self.review_page.reason_edit
        self.reject_button = self.review_page.reject_button
        self.pages.addWidget(self.review_page)
        self.arrivals_page = ArrivalBoard()
        self.pages.addWidget(self.arrivals_page)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(12, 0, 0, 0)
        for widget in (self.title, self.meta, self.body, self.message_label):
            right_layout.addWidget(widget)
        right_layout.addWidget(self.pages, 1)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self._fonts()

        self.model.whistles_changed.connect(self._on_whistles_changed)
        self.model.modelReset.connect(lambda: self._on_whistles_changed(set()))
        self._timer = QTimer(self)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._tick)
        self._timer.start()
        self._refresh_counts()
        self._show(None)

    # -- building -----------------------------------------------------------------------------------
    def _build_empty_page(self) -> QWidget:
        label = QLabel(self.tr("在左侧选择一条吹哨"))
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        return label

    def _fonts(self) -> None:
        for widget, pixels, bold in ((self, 15, False), (self.title, 21, True), (self.meta, 15, False),
                                     (self.body, 16, False), (self.message_label, 16, True),
                                     (self.tabs, 16, True)):
            font = QFont(widget.font())
            font.setPixelSize(pixels)
            font.setBold(bold)
            widget.setFont(font)

    # -- showing ------------------------------------------------------------------------------------
    def select_whistle(self, whistle_id: int) -> bool:
        """Shows a whistle (switching to a tab that lists it); False if the model does not hold it."""
        whistle = self.model.whistle(whistle_id)
        if whistle is None:
            return False
        if whistle["state"] not in self.proxy.states:
            self.tabs.setCurrentIndex(next(i for i, (_, s) in enumerate(TABS) if whistle["state"] in s))
        self._show(whistle_id)
        row = self.proxy.row_of(whistle_id)
        if row is not None:
            self.list_view.selectRow(row)
        return True

    def _on_row(self, current: Any, _previous: Any = None) -> None:
        whistle = self.proxy.whistle_at(current.row()) if current.isValid() else None
        if whistle is not None and whistle["id"] != self._current:
            self._show(whistle["id"])

    def _show(self, whistle_id: int | None) -> None:
        if whistle_id != self._current:
            self.message_label.clear()
            self.review_page.clear()
        self._current = whistle_id
        self.proxy.pin(whistle_id)
        whistle = self.model.whistle(whistle_id) if whistle_id is not None else None
        if whistle is None:
            self.title.setText(self.tr("吹哨报到"))
            self.meta.setText(self.tr("村（社区）吹哨，部门报到：一个工作日内到场"))
            self.body.clear()
            self.pages.setCurrentIndex(0)
            return
        ref = self.context.reference
        self.title.setText(f"{whistle['title']}")
        self.meta.setText(self.tr("{code} · {place} · {state} · {who} 于 {when} 吹哨").format(
            code=whistle["code"], place=ref.place(whistle.get("township_id"), whistle.get("grid_id")),
            state=STATE_LABELS.get(whistle["state"], whistle["state"]), who=whistle.get("raised_by", ""),
            when=fmt_time(whistle.get("raised_at"))))
        body = whistle.get("description", "")
        if whistle.get("proposal"):
            body += "\n" + self.tr("村里请求：") + whistle["proposal"]
        if whistle["state"] == "rejected":
            body += "\n" + self.tr("驳回理由：") + whistle.get("reject_reason", "")
        self.body.setText(body)
        if whistle["state"] == "raised":
            self.review_page.fill(whistle)
            self.pages.setCurrentWidget(self.review_page)
        elif whistle.get("calls"):
            self.pages.setCurrentWidget(self.arrivals_page)
            self._fill_arrivals(whistle)
        else:
            self.pages.setCurrentIndex(0)

    def _fill_arrivals(self, whistle: dict[str, Any]) -> None:
        name = self.context.reference.department_name
        self.arrivals_page.set_rows([(c["department_id"], name(c["department_id"])) for c in whistle["calls"]])
        self._update_pills()

    def _update_pills(self) -> None:
        whistle = self.model.whistle(self._current) if self._current is not None else None
        if whistle is None or self.pages.currentWidget() is not self.arrivals_page:
            return
        now = self.context.clock.now()
        approved = parse_time(whistle.get("approved_at"))
        for call in whistle.get("calls", []):
            status = arrival_status(call, now, approved, whistle["state"])
            if status.arrived:
                detail = self.tr("{who} 于 {when} 到场").format(who=call.get("arrived_by") or "",
                                                              when=fmt_time(call.get("arrived_at")))
            else:
                detail = self.tr("报到时限 {when}").format(when=fmt_time(call.get("arrival_due_at")))
            self.arrivals_page.set_row(call["department_id"], arrival_text(status), arrival_tone(status),
                                       status.fraction, detail)
        resolution = CLASS_LABELS.get(whistle.get("resolution_class") or "", "")
        title = self.tr("{cls} · 批准于 {approved} · 办结时限 {due}").format(
            cls=resolution, approved=fmt_time(whistle.get("approved_at")), due=fmt_time(whistle.get("due_at")))
        if whistle["state"] == "resolved":
            title += self.tr(" · 已于 {when} 解决").format(when=fmt_time(whistle.get("resolved_at")))
        self.arrivals_page.title.setText(title)

    def pill_for(self, department_id: int) -> CountdownPill | None:
        return self.arrivals_page.pill(department_id)

    def _tick(self) -> None:
        self.model.refresh_times()
        self._update_pills()

    def _on_tab(self, index: int) -> None:
        whistle = self.model.whistle(self._current) if self._current is not None else None
        if whistle is not None and whistle["state"] not in TABS[index][1]:
            self._show(None)  # the whistle on screen is not one of this tab's: start afresh
        self.proxy.set_states(TABS[index][1])
        self._fit_columns()

    def _fit_columns(self) -> None:
        """Content-sized columns follow the rows shown (the title column takes the rest)."""
        for key in ("code", "township", "state", "arrival"):
            self.list_view.resizeColumnToContents(COLUMN[key])

    def _refresh_counts(self) -> None:
        counts = {label: 0 for label, _ in TABS[:2]}
        for whistle in self.model.whistles():
            for label, states in TABS[:2]:
                counts[label] += whistle["state"] in states
        for i, (label, _) in enumerate(TABS):
            self.tabs.setTabText(i, f"{self.tr(label)} ({counts[label]})" if label in counts else self.tr(label))

    def _on_whistles_changed(self, ids: set[int]) -> None:
        self._refresh_counts()
        self._fit_columns()
        if self._current is None or (ids and self._current not in ids):
            return
        whistle = self.model.whistle(self._current)
        shown_review = self.pages.currentWidget() is self.review_page
        if whistle is not None and shown_review and whistle["state"] != "raised" and not self._busy:
            set_message(self.message_label, self.tr("该吹哨已被 {who} 于 {when} 处理，现为{now}").format(
                who=whistle.get("updated_by", ""), when=fmt_time(whistle.get("updated_at")),
                now=whistle_now_text(whistle, self.context.reference.department_name)), error=True)
        if whistle is None or not shown_review or whistle["state"] != "raised":
            self._show(self._current)

    # -- acting -------------------------------------------------------------------------------------
    def approve(self) -> None:
        whistle = self._reviewable()
        if whistle is None:
            return
        departments = self.checklist.checked_ids()
        if not departments:
            set_message(self.message_label, self.tr("请至少选择一个部门再批准"), error=True)
            return
        body = {"id": whistle["id"], "expected_version": whistle["version"], "approve": True,
                "department_ids": departments, "resolution_class": self.class_combo.currentData()}
        self._send(body, self.tr("已批准，已呼叫 {n} 个部门，报到倒计时开始").format(n=len(departments)))

    def reject(self) -> None:
        whistle = self._reviewable()
        if whistle is None:
            return
        reason = self.reason_edit.text().strip()
        if not reason:
            set_message(self.message_label, self.tr("驳回必须填写理由"), error=True)
            self.reason_edit.setFocus()
            return
        body = {"id": whistle["id"], "expected_version": whistle["version"], "approve": False, "reason": reason}
        self._send(body, self.tr("已驳回"))

    def _reviewable(self) -> dict[str, Any] | None:
        whistle = self.model.whistle(self._current) if self._current is not None else None
        if whistle is None or whistle["state"] != "raised" or self._busy:
            return None
        return whistle

    def _send(self, body: dict[str, Any], done_text: str) -> None:
        self._busy = True
        self.review_page.set_busy(True)
        set_message(self.message_label, self.tr("正在提交…"))
        whistle_id = body["id"]
        self.context.session.request("whistle.review", body, lambda reply: self._reviewed(whistle_id, reply,
                                                                                          done_text))

    def _reviewed(self, whistle_id: int, reply: Reply, done_text: str) -> None:
        # merge while still busy: our own change must not read as "someone else handled it"
        if reply.ok and reply.result:
            self.model.merge([reply.result["whistle"]])
        current = reply.error.details.get("current") if reply.error is not None else None
        if isinstance(current, dict):
            self.model.merge([current])
        self._busy = False
        self.review_page.set_busy(False)
        if reply.ok:
            if self._current == whistle_id:
                self._show(whistle_id)
                set_message(self.message_label, done_text)
            return
        error = reply.error
        text = error_text(error, self.tr("该吹哨"),
                          lambda w: whistle_now_text(w, self.context.reference.department_name))
        if self._current == whistle_id:
            self._show(whistle_id)
            set_message(self.message_label, text, error=True)

    # -- drops of departments ------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove) and isinstance(event, QDragMoveEvent):
            if department_ids_of(event.mimeData()) and self._drop_target(watched, event) is not None:
                event.acceptProposedAction()
            else:
                event.ignore()
            return True
        if kind == QEvent.Type.Drop and isinstance(event, QDropEvent):
            target = self._drop_target(watched, event)
            ids = department_ids_of(event.mimeData())
            if target is None or not ids:
                event.ignore()
                return True
            if target != self._current:
                self.select_whistle(target)
            known = [d for d in ids if self.checklist.set_checked(d)]
            unknown = [d for d in ids if d not in known]
            if unknown:
                set_message(self.message_label, self.tr("无法识别的部门：{ids}").format(
                    ids="、".join(str(d) for d in unknown)), error=True)
            if known:
                event.acceptProposedAction()
            else:
                event.ignore()
            return True
        return super().eventFilter(watched, event)

    def _drop_target(self, watched: QObject, event: QDropEvent) -> int | None:
        """The raised whistle a department is dropped on: the row under the pointer, or the one in the form."""
        if watched is self.list_view.viewport():
            whistle = self.proxy.whistle_at(self.list_view.indexAt(event.position().toPoint()).row())
        elif watched is self.review_page:
            whistle = self.model.whistle(self._current) if self._current is not None else None
        else:
            return None
        return whistle["id"] if whistle is not None and whistle["state"] == "raised" else None
