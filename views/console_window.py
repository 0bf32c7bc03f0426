"""The duty officer's dispatch console (值班员调度台): the panels of views/ composed into one window.

    ┌ announcements ───────────────────────────────────────────────────────────────┐
    │ tabs: 待受理 │ 退回仲裁 │ 吹哨报到 │ 时限督办   │ case detail      │ departments │
    │ (the lists: drag a case from here …)            │ (timeline,       │ (… and drop │
    │                                                 │  register/reject)│  it here)   │
    └ status: connection · last event · user · calendar warnings · sound ──────────┘
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QSplitter, QTabWidget, QVBoxLayout, QWidget

from app.context import WindowContext
from views.announcements import AnnouncementBar, Announcer
from views.case_detail import CaseDetailPanel
from views.deadlines import DeadlinesPanel
from views.dispatch import DispatchController
from views.intake import IntakePanel
from views.returns import ReturnsPanel
from views.whistles import WhistlesPanel
from widgets.connection_badge import ConnectionBadge
from widgets.department_board import DepartmentBoard

TAB_INTAKE, TAB_RETURNS, TAB_WHISTLES, TAB_DEADLINES = range(4)


class ConsoleWindow(QMainWindow):
    def __init__(self, context: WindowContext, *, sound: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setWindowTitle(self.tr("昌南治理指挥中心 — 值班员调度台"))
        self.whistles = WhistlesPanel(context)  # first: it registers the whistle model the department load counts
        self.intake = IntakePanel(context)
        self.returns = ReturnsPanel(context)
        self.deadlines = DeadlinesPanel(context)
        self.detail = CaseDetailPanel(context)
        self.board = DepartmentBoard()
        self.dispatch = DispatchController(context, self.board, parent=self)
        self.announcer = Announcer(context, self, sound=sound)
        self.announcements = AnnouncementBar(self.announcer)
        self.tabs = QTabWidget()
        for panel, title in ((self.intake, self.tr("待受理")), (self.returns, self.tr("退回仲裁")),
                             (self.whistles, self.tr("吹哨报到")), (self.deadlines, self.tr("时限督办"))):
            self.tabs.addTab(panel, title)
        self._build_layout()
        self._build_status_bar()
        self._build_actions()
        self._connect()
        self._update_tab_counts()

    # -- layout -----------------------------------------------------------------------------------
    def _build_layout(self) -> None:
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.tabs)
        split.addWidget(self.detail)
        split.addWidget(self.board)
        split.setStretchFactor(0, 50)
        split.setStretchFactor(1, 28)
        split.setStretchFactor(2, 22)
        split.setSizes([960, 540, 420])
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(4, 4, 4, 0)
        self.offline = QLabel()  # a banner nobody can miss while the server is not reachable
        self.offline.setWordWrap(True)
        self.offline.setStyleSheet("background: #ef6c00; color: white; padding: 8px; font-size: 18px;")
        self.offline.setVisible(False)
        layout.addWidget(self.offline)
        layout.addWidget(self.announcements)
        layout.addWidget(split, 1)
        self.setCentralWidget(central)

    def _build_status_bar(self) -> None:
        self.badge = ConnectionBadge()
        self.who = QLabel()
        self.warning = QLabel()
        self.warning.setStyleSheet("color: #c62828;")
        bar = self.statusBar()
        bar.addWidget(self.badge)
        bar.addWidget(self.who)
        bar.addPermanentWidget(self.warning)

    def _build_actions(self) -> None:
        self.sound_action = QAction(self.tr("提示音"), self, checkable=True)
        self.sound_action.setChecked(self.announcer.is_sound_enabled())
        self.sound_action.toggled.connect(self.announcer.set_sound_enabled)
        self.menuBar().addMenu(self.tr("设置")).addAction(self.sound_action)
        for index, key in enumerate(("Ctrl+1", "Ctrl+2", "Ctrl+3", "Ctrl+4")):
            action = QAction(self)
            action.setShortcut(QKeySequence(key))
            action.triggered.connect(lambda _=False, i=index: self.tabs.setCurrentIndex(i))
            self.addAction(action)

    # -- wiring -----------------------------------------------------------------------------------
    def _connect(self) -> None:
        session = self.context.session
        session.state_changed.connect(self.badge.set_state)
        session.state_changed.connect(self._show_offline)
        session.snapshot_loaded.connect(self._on_snapshot)
        session.events_arrived.connect(self._on_events)
        for panel in (self.intake, self.returns):
            panel.case_selected.connect(self.show_case)
        self.announcements.case_requested.connect(self.show_case)
        self.dispatch.notice.connect(lambda text, _level: self.statusBar().showMessage(text, 8000))
        self.context.cases.cases_changed.connect(lambda _ids: self._update_tab_counts())
        self.context.cases.modelReset.connect(self._update_tab_counts)

    def _show_offline(self, state: str, detail: str) -> None:
        """Connecting or reconnecting: say so across the window; the lists keep what they showed (read-only)."""
        if state in ("connected", "resyncing"):
            self.offline.setVisible(False)
            return
        self.offline.setText(self.tr("{0} 列表显示的是断开前的数据，操作将在重新连接后生效或失败提示。").format(detail))
        self.offline.setVisible(True)

    def show_case(self, case_id: int) -> None:
        self.detail.show_case(case_id)

    def _on_snapshot(self, _snapshot: dict[str, Any]) -> None:
        session = self.context.session
        self.who.setText(self.tr("{0}（{1}）").format(session.user or "", session.role or ""))
        warnings = [w.get("message", "") for w in session.warnings if isinstance(w, dict)]
        self.warning.setText(" · ".join(warnings))
        self.warning.setToolTip("\n".join(warnings))
        self._update_tab_counts()

    def _on_events(self, events: list[Any]) -> None:
        if self.context.session.last_event_at is not None:
            self.badge.set_last_event(self.context.session.last_event_at)

    def _update_tab_counts(self) -> None:
        """After every batch (up to 20 a second): the model keeps the counts per state; walking its 5,000 rows here
        cost ~0.7 ms a batch."""
        cases = self.context.cases
        for tab, text in ((TAB_INTAKE, self.tr("待受理 ({0})").format(cases.count("reported"))),
                          (TAB_RETURNS, self.tr("退回仲裁 ({0})").format(cases.count("returned")))):
            if self.tabs.tabText(tab) != text:
                self.tabs.setTabText(tab, text)
