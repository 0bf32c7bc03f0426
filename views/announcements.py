"""Announcements: new urgent cases and overdue transitions, shown on a banner and (switchably) with a sound.

`Announcer` listens to the window's case model (`case_arrived`: a new case after the snapshot; priority 1 特急 and
2 紧急 are urgent) and to the session's events (`case.sign_overdue`, `case.overdue`, `case.escalated`, put out by the
server's deadline sweeper). It keeps the last few announcements and emits each one; `AnnouncementBar` shows them:
a banner that stays until acknowledged (urgent, escalated) or for a minute (overdue), a menu of the recent ones,
and the sound toggle. A sweep that flags many cases at once makes one announcement, not a flood.

Sound is `QApplication.beep()` (no audio device is needed for the visual part to work); `beep` is a method so a
test can watch it, and `sound_enabled` (also the checkable `sound_action`) turns it off.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Property, QObject, Qt, Signal
from PySide6.QtGui import QAction, QFont
from PySide6.QtWidgets import QApplication, QHBoxLayout, QMenu, QToolButton, QWidget

from app.context import WindowContext
from app.models.cases import URGENT_PRIORITY
from app.models.reference import PRIORITY_LABELS
from views.remote_errors import fmt_time
from widgets.banner import Banner

OVERDUE_KINDS = {
    # event kind: (tone, headline); the sweeper's three transitions
    "case.escalated": ("escalated", "事件超期升级"),
    "case.overdue": ("overdue", "事件已超期"),
    "case.sign_overdue": ("overdue", "派遣超时未签收"),
}
GROUP_AT = 4
"""This many transitions of one kind in one batch are announced as one."""
HOLD_MS = {"urgent": 0, "escalated": 0, "overdue": 60_000}
"""How long the banner stays: 0 = until acknowledged."""


@dataclass(frozen=True)
class Announcement:
    kind: str
    """urgent | case.overdue | case.escalated | case.sign_overdue"""
    tone: str
    title: str
    detail: str
    case_ids: tuple[int, ...]
    at: str
    """Server time of the news (ISO), as shown."""


class Announcer(QObject):
    announced = Signal(object)
    """An Announcement."""
    sound_enabled_changed = Signal(bool)

    def __init__(self, context: WindowContext, parent: QObject | None = None, *, sound: bool = True,
                 keep: int = 10) -> None:
        super().__init__(parent)
        self.context = context
        self.recent: deque[Announcement] = deque(maxlen=keep)
        self._sound = sound
        self.sound_action = QAction(self.tr("提示音"), self)
        self.sound_action.setCheckable(True)
        self.sound_action.setChecked(sound)
        self.sound_action.setToolTip(self.tr("新紧急事件和超期提醒时发出提示音"))
        self.sound_action.toggled.connect(self.set_sound_enabled)
        context.cases.case_arrived.connect(self._on_case_arrived)
        context.session.events_arrived.connect(self._on_events)

    # -- the sound switch ---------------------------------------------------------------------------
    def is_sound_enabled(self) -> bool:
        return self._sound

    def set_sound_enabled(self, enabled: bool) -> None:
        if enabled == self._sound:
            return
        self._sound = enabled
        self.sound_action.setChecked(enabled)
        self.sound_enabled_changed.emit(enabled)

    sound_enabled = Property(bool, is_sound_enabled, set_sound_enabled, notify=sound_enabled_changed)

    def beep(self) -> None:
        """The sound of an announcement (only called while sound is on)."""
        QApplication.beep()

    # -- sources --------------------------------------------------------------------------------------
    def _on_case_arrived(self, case: dict[str, Any]) -> None:
        priority = case.get("priority", 3)
        if priority > URGENT_PRIORITY:
            return
        ref = self.context.reference
        place = ref.place(case.get("township_id"), case.get("grid_id"))
        detail = " · ".join(p for p in (case["code"], case["title"], place, ref.channel_label(case["channel"])) if p)
        self.announce(Announcement("urgent", "urgent", self.tr("新{priority}事件").format(
            priority=PRIORITY_LABELS.get(priority, "")), detail, (case["id"],), case.get("reported_at", "")))

    def _on_events(self, events: list[Any]) -> None:
        by_kind: dict[str, list[Any]] = {}
        for event in events:
            if event.kind in OVERDUE_KINDS and isinstance(event.data.get("case"), dict):
                by_kind.setdefault(event.kind, []).append(event)
        for kind in ("case.escalated", "case.overdue", "case.sign_overdue"):
            found = by_kind.get(kind)
            if not found:
                continue
            tone, headline = OVERDUE_KINDS[kind]
            cases = [e.data["case"] for e in found]
            at = found[-1].data.get("at", "")
            if len(cases) >= GROUP_AT:
                detail = self.tr("{n} 件：").format(n=len(cases)) + "、".join(c["code"] for c in cases[:5]) + (
                    " …" if len(cases) > 5 else "")
            else:
                ref = self.context.reference
                detail = "；".join(" · ".join(p for p in (c["code"], c["title"],
                                                          ref.department_name(c.get("lead_department_id"))) if p)
                                  for c in cases)
            self.announce(Announcement(kind, tone, self.tr(headline), detail, tuple(c["id"] for c in cases), at))

    # -- out ----------------------------------------------------------------------------------------
    def announce(self, announcement: Announcement) -> None:
        self.recent.appendleft(announcement)
        self.announced.emit(announcement)
        if self._sound:
            self.beep()


class AnnouncementBar(QWidget):
    """The banner, the recent announcements (a menu; picking one emits `case_requested`), the sound toggle."""

    case_requested = Signal(int)

    def __init__(self, announcer: Announcer, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.announcer = announcer
        self.banner = Banner(self)
        self.recent_menu = QMenu(self)
        self.recent_button = QToolButton()
        self.recent_button.setText(self.tr("最近提醒 ▾"))
        self.recent_button.setMenu(self.recent_menu)
        self.recent_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.recent_button.setStyleSheet("QToolButton::menu-indicator { image: none; width: 0px; }")
        self.sound_button = QToolButton()
        self.sound_button.setDefaultAction(announcer.sound_action)
        self.sound_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for button in (self.recent_button, self.sound_button):
            font = QFont(button.font())
            font.setPixelSize(15)
            button.setFont(font)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 6, 0)
        layout.addWidget(self.banner, 1)
        layout.addStretch(0)
        layout.addWidget(self.recent_button)
        layout.addWidget(self.sound_button)
        announcer.announced.connect(self._on_announced)
        announcer.sound_enabled_changed.connect(self._sound_label)
        self._sound_label(announcer.sound_enabled)
        self._fill_menu()

    def _on_announced(self, announcement: Announcement) -> None:
        self.banner.show_message(announcement.title, announcement.detail, announcement.tone,
                                 HOLD_MS.get(announcement.tone, 60_000))
        self._fill_menu()

    def _fill_menu(self) -> None:
        self.recent_menu.clear()
        if not self.announcer.recent:
            self.recent_menu.addAction(self.tr("暂无提醒")).setEnabled(False)
        for item in self.announcer.recent:
            text = f"{fmt_time(item.at) if item.at else ''}  {item.title}：{item.detail}"
            action = self.recent_menu.addAction(text if len(text) <= 80 else text[:79] + "…")
            action.triggered.connect(lambda _=False, cid=item.case_ids[0]: self.case_requested.emit(cid))

    def _sound_label(self, enabled: bool) -> None:
        self.announcer.sound_action.setText(self.tr("提示音：开") if enabled else self.tr("提示音：关"))
