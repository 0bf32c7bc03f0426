"""The wall's figures (`stats.wall`), re-read from the server when events say they changed — coalesced.

Counting on the server keeps one definition of every figure (the same the assessment uses) and keeps the wall light:
it never holds a day of closed cases. Events only say *that* figures changed: while they keep coming, the wall reads
at most once per `min_interval` and never has two reads in flight; with no events it still reads every
`max_interval` (the clock alone moves some figures: the hour, overdue sweeps). While the connection is down the last
figures stay on screen, marked stale with the time they are of."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from app.session import Reply, Session

log = logging.getLogger(__name__)

MAX_INTERVAL_S = 30.0


class WallStats(QObject):
    changed = Signal(object)
    """dict: the latest `stats.wall` result."""
    stale_changed = Signal(bool)

    def __init__(self, session: Session, *, min_interval: float = 2.0, max_interval: float = MAX_INTERVAL_S,
                 days: int = 30, monotonic: Callable[[], float] = time.monotonic,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session, self.days, self._monotonic = session, days, monotonic
        self.min_interval = min_interval
        self.latest: dict[str, Any] | None = None
        self.stale = True
        self.requests_sent = 0
        self._in_flight = False
        self._dirty = False
        self._last_sent = -1e9
        self._soon = QTimer(self)
        self._soon.setSingleShot(True)
        self._soon.timeout.connect(self._send)
        self._steady = QTimer(self)
        self._steady.setInterval(int(max_interval * 1000))
        self._steady.timeout.connect(self.refresh)
        self._steady.start()
        # bound methods, not lambdas: Qt drops the connections when this object goes, the session may live on
        session.snapshot_loaded.connect(self._on_news)
        session.events_arrived.connect(self._on_news)
        session.state_changed.connect(self._on_state)

    def _on_news(self, _news: object) -> None:
        self.refresh()

    def refresh(self) -> None:
        """Asks for new figures now or, if one was asked less than `min_interval` ago, once that much has passed."""
        if self._in_flight:
            self._dirty = True
            return
        wait = self._last_sent + self.min_interval - self._monotonic()
        if wait <= 0:
            self._send()
        elif not self._soon.isActive():
            self._soon.start(int(wait * 1000) + 1)

    def _send(self) -> None:
        if self._in_flight:
            self._dirty = True
            return
        self._in_flight, self._dirty = True, False
        self._last_sent = self._monotonic()
        self.requests_sent += 1
        self.session.request("stats.wall", {"days": self.days}, self._on_reply)

    def _on_reply(self, reply: Reply) -> None:
        self._in_flight = False
        if reply.ok and reply.result is not None:
            self.latest = reply.result
            self._set_stale(self.session.state != "connected")
            self.changed.emit(reply.result)
        else:
            log.info("stats.wall failed: %s", reply.error)
        if self._dirty:
            self.refresh()

    def _on_state(self, state: str, _detail: str) -> None:
        self._set_stale(state != "connected")

    def _set_stale(self, stale: bool) -> None:
        if stale != self.stale:
            self.stale = stale
            self.stale_changed.emit(stale)
