"""Following one case for a panel that shows it and acts on it (case detail, arbitration).

- The case as it now is: the model's copy as soon as an event names it, then `case.get` for the timeline. Fetches are
  coalesced: one in flight at a time, at most one more queued, started `REFRESH_DELAY_MS` after the last change.
- Own changes and changes made elsewhere are told apart by the versions and seqs of this panel's own replies. While
  a command is in flight, updates wait (an event may overtake its reply); afterwards they are applied.
- A change made elsewhere is announced once, as a sentence naming who did what (from the new timeline events).
- A refused command: on a stale version the server's current copy replaces ours (it already explains the change);
  the caller gets the Chinese reason.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal

from app.context import WindowContext
from app.session import Reply
from views.case_text import actor_text, case_now_text, event_summary, format_time, refusal_text

REFRESH_DELAY_MS = 120
MAX_EVENTS_NAMED = 3


def _tr(text: str) -> str:
    return QCoreApplication.translate("CaseFollower", text)


class CaseFollower(QObject):
    updated = Signal()
    """The case or its timeline changed: render again."""
    changed_elsewhere = Signal(str)
    """A sentence: someone else changed the followed case (who, when, what, what it is now)."""
    problem = Signal(str)
    """The case could not be read (e.g. the server is unreachable): the reason."""

    def __init__(self, context: WindowContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.case_id: int | None = None
        self.case: dict[str, Any] | None = None
        self.timeline: list[dict[str, Any]] = []
        self._reset()
        self._fetch_token = 0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REFRESH_DELAY_MS)
        self._timer.timeout.connect(self._fetch)
        context.cases.cases_changed.connect(self._on_cases_changed)
        context.session.snapshot_loaded.connect(self._on_snapshot)

    def _reset(self) -> None:
        self._last_seq = 0
        self._own_versions: set[int] = set()
        self._own_seqs: set[int] = set()
        self._foreign_from: str | None = None
        self._busy = False
        self._changed_while_busy = False
        self._fetch_in_flight = False
        self._fetch_again = False

    # -- what to follow ---------------------------------------------------------------------------------
    def follow(self, case_id: int | None) -> None:
        """Starts following a case (its model copy at once, its timeline soon); None stops."""
        self._fetch_token += 1  # replies for the previous case are ignored
        self._timer.stop()
        self._reset()
        self.case_id = case_id
        self.case = self.context.cases.case(case_id) if case_id is not None else None
        self.timeline = []
        self.updated.emit()
        if case_id is not None:
            self._fetch()

    def stop(self) -> None:
        """Forgets the case without a word (the panel is closing): no more reads, late replies ignored."""
        self._fetch_token += 1
        self._timer.stop()
        self._reset()
        self.case_id, self.case, self.timeline = None, None, []

    def refresh(self) -> None:
        if self.case_id is not None:
            self._timer.start()

    @property
    def busy(self) -> bool:
        """A command on the case is in flight."""
        return self._busy

    # -- acting -------------------------------------------------------------------------------------------
    def act(self, command: str, body: dict[str, Any], action: str,
            on_done: Callable[[bool, str], None]) -> bool:
        """Sends `command` for the followed case with its `expected_version`; `on_done(ok, message)` afterwards,
        message being the Chinese reason of a refusal ("" on success). False if nothing was sent (busy, no case)."""
        if self._busy or self.case is None or self.case_id is None:
            return False
        case_id, token = self.case_id, self._fetch_token
        full = {"id": case_id, "expected_version": self.case["version"], **body}
        self._busy = True
        self.context.session.request(command, full, lambda reply: self._on_acted(token, action, on_done, reply))
        return True

    def _on_acted(self, token: int, action: str, on_done: Callable[[bool, str], None], reply: Reply) -> None:
        if token != self._fetch_token:
            return  # the panel moved on to another case
        self._busy = False
        message = ""
        if reply.ok and reply.result is not None:
            self._own_versions.add(int(reply.result["version"]))
            self._own_seqs.add(int(reply.result["seq"]))
            self._apply(reply.result["case"])
        else:
            error = reply.error
            details = getattr(error, "details", None) or {}
            if details.get("reason") == "stale_version" and isinstance(details.get("current"), dict):
                self._apply(details["current"], explained=True)
            message = refusal_text(action, error, self.context.reference)
        self.updated.emit()
        on_done(reply.ok, message)
        if self._changed_while_busy:
            self._changed_while_busy = False
            self._take_model_copy()
        self.refresh()

    # -- following ----------------------------------------------------------------------------------------
    def _on_cases_changed(self, ids: Any) -> None:
        if self.case_id is None or self.case_id not in ids:
            return
        if self._busy:
            self._changed_while_busy = True
            return
        self._take_model_copy()
        self.refresh()

    def _on_snapshot(self, _snapshot: Any) -> None:
        self.refresh()  # after a resync: the case may have changed or closed while we were away

    def _take_model_copy(self) -> None:
        case = self.context.cases.case(self.case_id) if self.case_id is not None else None
        if case is not None and self._apply(case):
            self.updated.emit()

    def _apply(self, case: dict[str, Any], explained: bool = False) -> bool:
        """Takes a newer copy of the case; remembers the state before a change made elsewhere."""
        old = self.case
        if old is not None and case["version"] < old["version"]:
            return False
        if old is not None and case["version"] == old["version"]:
            self.case = {**old, **case}  # same version: a read adds fields (urgency), nothing changed
            return False
        if old is not None and not explained and case["version"] not in self._own_versions \
                and self._foreign_from is None:
            self._foreign_from = old["state"]
        self.case = case
        return True

    def _fetch(self) -> None:
        if self.case_id is None:
            return
        if self._fetch_in_flight:
            self._fetch_again = True
            return
        self._fetch_in_flight = True
        token = self._fetch_token
        self.context.session.request("case.get", {"id": self.case_id}, lambda reply: self._on_fetched(token, reply))

    def _on_fetched(self, token: int, reply: Reply) -> None:
        if token != self._fetch_token:
            return
        self._fetch_in_flight = False
        if self._busy:  # our own change may be in this reply before its own answer: read again afterwards
            self._changed_while_busy = True
        elif not reply.ok or reply.result is None:
            self.problem.emit(refusal_text(_tr("读取案件详情"), reply.error, self.context.reference))
            if self._foreign_from is not None:
                self._announce([])
        else:
            self._take_read(reply.result)
        if self._fetch_again:
            self._fetch_again = False
            self._timer.start()

    def _take_read(self, result: dict[str, Any]) -> None:
        timeline = list(result.get("timeline") or [])
        fresh = [e for e in timeline if e.get("seq", 0) > self._last_seq and e.get("seq") not in self._own_seqs]
        if not self._last_seq:
            fresh = []  # the first read: nothing is news
        self._apply(result["case"])
        self.timeline = timeline
        self._last_seq = max((e.get("seq", 0) for e in timeline), default=self._last_seq)
        self.updated.emit()
        if self._foreign_from is not None:
            self._announce(fresh)

    def _announce(self, events: list[dict[str, Any]]) -> None:
        case, ref = self.case or {}, self.context.reference
        if events:
            what = "；".join(event_summary(e, ref) for e in events[-MAX_EVENTS_NAMED:])
            if len(events) > MAX_EVENTS_NAMED:
                what = _tr("共 {n} 项变更，最近的：").format(n=len(events)) + what
        else:
            what = _tr("{who} 于 {when} 修改了此案件").format(who=actor_text(case.get("updated_by")),
                                                          when=format_time(case.get("updated_at")))
        self._foreign_from = None
        self.changed_elsewhere.emit(_tr("此案件刚在别处被更改：{what}。现为「{now}」，下方已显示最新情况。").format(
            what=what, now=case_now_text(case, ref)))
