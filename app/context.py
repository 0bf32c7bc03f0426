"""What every panel of a window is given: the session, the reference data, the models and the server clock."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QAbstractItemView, QApplication

from app.models.cases import CaseModel
from app.models.reference import Reference
from app.servertime import ServerTime
from app.session import Session
from services.client import Event

CONSOLE_PARTS = ["townships", "grids", "departments", "channels", "mediators", "open_cases", "whistles", "warnings"]
TIME_REFRESH_MS = 5_000
"""Ages and countdowns repaint this often (they are shown to the minute)."""


@dataclass
class WindowContext:
    session: Session
    reference: Reference = field(default_factory=Reference)
    clock: ServerTime = field(default_factory=ServerTime)
    extras: dict[str, Any] = field(default_factory=dict)
    """Further models a window adds (e.g. "whistles"), by name."""
    case_list: bool = True
    """False for windows that show no case list (the leaders' wall, the video wall): no table of 5,000 rows kept."""
    _cases: CaseModel | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        if self.case_list:
            self._cases = CaseModel(self.reference, self.clock.now)
            self._cases.clock_ticked.connect(self._repaint_lists)
        self.session.snapshot_loaded.connect(self._on_snapshot)
        self.session.events_arrived.connect(self._on_events)
        self._timer = QTimer(self.session)  # owned on the Qt thread, never freed by another thread's GC
        self._timer.setInterval(TIME_REFRESH_MS)
        self._timer.timeout.connect(self._tick)
        self._timer.start()

    @property
    def cases(self) -> CaseModel:
        """The open cases as a table model (windows made with `case_list=False` have none)."""
        if self._cases is None:
            raise RuntimeError("this window was opened without a case list (case_list=False)")
        return self._cases

    def _tick(self) -> None:
        """Ages and countdowns move on: the case model rewrites the cells that changed, then `_repaint_lists`."""
        if self._cases is not None:
            self._cases.refresh_times()

    def _repaint_lists(self) -> None:
        """Repaints the visible cells of every list, nothing more (the timed cells changed without a signal)."""
        for widget in QApplication.topLevelWidgets():
            if widget.isVisible():
                for view in widget.findChildren(QAbstractItemView):
                    if view.isVisible():
                        view.viewport().update()

    def close(self) -> None:
        """Stops the clock and the session (call on the Qt thread when the window closes)."""
        self._timer.stop()
        self.session.stop()

    def _on_snapshot(self, snapshot: dict[str, Any]) -> None:
        self.reference.load(snapshot)
        if self._cases is not None:
            self._cases.load(snapshot.get("open_cases", []))

    def _on_events(self, events: list[Event]) -> None:
        if events:
            self.clock.observe_iso(events[-1].data.get("at"))
        if self._cases is not None:
            self._cases.apply(events)


def open_context(url: str, token: str, console: str, parts: list[str] | None = None,
                 parent: QObject | None = None, case_list: bool = True) -> WindowContext:
    """A session (not started yet) and its models; connect further models, then `context.session.start()`."""
    return WindowContext(Session(url, token, console=console, parts=parts or CONSOLE_PARTS, parent=parent),
                         case_list=case_list)
