"""The session: one `CommandClient` on a network thread, its news delivered to the Qt thread as signals.

Why a thread of its own (docs/ARCHITECTURE.md): decoding a snapshot of thousands of cases is tens of milliseconds of
JSON, and a reconnect storm is a lot of small work; neither may ever stall the screen. The Qt thread only applies
what arrives, in batches.

Ordering and bounds. `snapshot_loaded` is emitted before any event after it, and events arrive in seq order, each
exactly once (the client's resume guarantees it). Events are coalesced into batches: at most one batch is in flight
to the Qt thread at a time; while the Qt thread is busy, new events wait in one pending list. If that list passes
`max_pending_events` the session stops collecting and reloads the snapshot instead (a snapshot replaces any number
of events), so memory stays bounded however slow the screen is.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import logging
import threading
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

from services.client import AuthError, CommandClient, ConnectionState, Event, RemoteError

log = logging.getLogger(__name__)

BATCH_INTERVAL_S = 0.05
"""Events are handed to the Qt thread at most this often (20 batches/s): models update in bulk, repaints coalesce."""


@dataclass(frozen=True)
class Reply:
    """The outcome of a request, delivered on the Qt thread: a result, or the server's (or transport's) error."""

    result: dict[str, Any] | None = None
    error: RemoteError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


class NetworkThread:
    """An asyncio loop on a daemon thread; coroutines are submitted from any thread."""

    def __init__(self, name: str = "ccc-network") -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.run_forever()

    def submit(self, coro: Coroutine[Any, Any, Any]) -> concurrent.futures.Future[Any]:
        return asyncio.run_coroutine_threadsafe(coro, self.loop)

    def stop(self, timeout: float = 5.0) -> None:
        """Cancels what still runs on the loop (e.g. a connect that never succeeded), then ends the thread."""
        if self.loop.is_running():
            with contextlib.suppress(Exception):  # a loop that is already stopping: nothing left to cancel
                self.submit(_cancel_others()).result(timeout)
            self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(timeout)


async def _cancel_others() -> None:
    me = asyncio.current_task()
    others = [t for t in asyncio.all_tasks() if t is not me]
    for task in others:
        task.cancel()
    await asyncio.gather(*others, return_exceptions=True)


class Session(QObject):
    """Connection state, snapshot and event batches as Qt signals; requests with callbacks on the Qt thread."""

    state_changed = Signal(str, str)
    """(ConnectionState value, detail) — e.g. ("reconnecting", "服务器连接中断，正在重连…")."""
    snapshot_loaded = Signal(object)
    """dict: the snapshot parts asked for, plus as_of_seq and epoch. Emitted at start and after every resync."""
    events_arrived = Signal(object)
    """list[Event], in seq order, each event exactly once."""
    auth_failed = Signal(str)
    """The token was refused or revoked: the reason. The session stops; go back to login."""
    _reply_ready = Signal(object, object)
    _batch_ready = Signal(object)

    def __init__(self, url: str, token: str, *, console: str, parts: list[str],
                 max_pending_events: int = 50_000, user: str | None = None, password: str | None = None,
                 frame_tap: Callable[[str | bytes], None] | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.url, self.console, self.parts = url, console, list(parts)
        self._token = token
        self._password_login = (user, password)
        self._frame_tap = frame_tap
        """Called on the network thread with every raw frame received (audits of public screens)."""
        self._max_pending = max_pending_events
        self._net = NetworkThread()
        self._client: CommandClient | None = None
        self._pending: list[Event] = []
        self._in_flight = False
        self._overflowed = False
        self._lock = threading.Lock()
        self.last_event_at: float | None = None
        self.state = ConnectionState.CONNECTING.value
        self.user: str | None = None
        self.role: str | None = None
        self.warnings: list[Any] = []
        self._reply_ready.connect(self._deliver_reply)
        self._batch_ready.connect(self._deliver_batch)

    # -- life -------------------------------------------------------------------------------------
    def start(self) -> None:
        self._net.submit(self._main())

    def stop(self) -> None:
        client = self._client
        if client is not None:
            future = self._net.submit(client.close())
            try:
                future.result(timeout=5)
            except Exception:  # closing a dead connection may fail; we are leaving anyway
                log.debug("session close", exc_info=True)
        self._net.stop()

    # -- requests ---------------------------------------------------------------------------------
    def request(self, rtype: str, body: dict[str, Any] | None = None,
                on_done: Callable[[Reply], None] | None = None, *, idem: str | None = None) -> None:
        """Sends a command; `on_done(Reply)` runs later on the Qt thread. Never blocks."""
        if not self._net.loop.is_running():  # stopped: answer at once instead of leaving a coroutine behind
            if on_done is not None:
                self._reply_ready.emit(on_done, Reply(error=RemoteError("unavailable", "会话已关闭")))
            return
        future = self._net.submit(self._request(rtype, body or {}, idem))
        if on_done is not None:
            future.add_done_callback(lambda f: self._reply_ready.emit(on_done, _reply_of(f)))

    async def _request(self, rtype: str, body: dict[str, Any], idem: str | None) -> dict[str, Any]:
        if self._client is None:
            raise RemoteError("unavailable", "尚未连接服务器", retryable=True)
        return await self._client.request(rtype, body, idem=idem)

    @Slot(object, object)
    def _deliver_reply(self, on_done: Callable[[Reply], None], reply: Reply) -> None:
        on_done(reply)

    # -- the network side (runs on the network thread) ----------------------------------------------
    async def _main(self) -> None:
        user, password = self._password_login
        self._client = CommandClient(self.url, self._token, console=self.console, on_event=self._on_event,
                                     on_resync=self._reload, on_state=self._on_state, user=user, password=password,
                                     frame_tap=self._frame_tap)
        await self._client.start()
        try:
            await self._client.wait_connected(None)
        except AuthError as exc:
            self.auth_failed.emit(exc.message or exc.code)
            return
        self.user, self.role, self.warnings = self._client.user, self._client.role, self._client.warnings
        while True:
            try:
                await self._reload()
                await self._client.subscribe()
                return
            except AuthError as exc:
                self.auth_failed.emit(exc.message or exc.code)
                return
            except RemoteError as exc:  # e.g. the server went away between auth and snapshot: try again
                log.info("initial load failed (%s); retrying", exc)
                await asyncio.sleep(1.0)

    async def _reload(self) -> None:
        assert self._client is not None
        snapshot = await self._client.request("snapshot", {"what": self.parts})
        with self._lock:
            self._pending.clear()  # anything older than the snapshot is in it
            self._overflowed = False
        self._client.reset_seq(snapshot["as_of_seq"], snapshot["epoch"])
        self.snapshot_loaded.emit(snapshot)

    def _on_state(self, state: ConnectionState) -> None:
        self.state = state.value
        self.state_changed.emit(state.value, _STATE_DETAIL.get(state, ""))

    def _on_event(self, event: Event) -> None:
        self.last_event_at = time.time()
        with self._lock:
            if self._overflowed:
                return
            self._pending.append(event)
            if len(self._pending) > self._max_pending:
                self._overflowed = True
                self._pending.clear()
                log.warning("the screen fell %d events behind: reloading the snapshot instead", self._max_pending)
                asyncio.get_running_loop().create_task(self._reload_after_overflow())
                return
            if self._in_flight:
                return
            self._in_flight = True
        asyncio.get_running_loop().call_later(BATCH_INTERVAL_S, self._send_batch)

    async def _reload_after_overflow(self) -> None:
        try:
            await self._reload()
        except RemoteError:
            log.warning("reload after overflow failed; the next resync will catch up", exc_info=True)

    def _send_batch(self) -> None:
        with self._lock:
            batch, self._pending = self._pending, []
            if not batch:
                self._in_flight = False
                return
        self._batch_ready.emit(batch)

    @Slot(object)
    def _deliver_batch(self, batch: list[Event]) -> None:
        try:
            self.events_arrived.emit(batch)
        finally:  # the next batch may go as soon as this one is applied
            self._net.loop.call_soon_threadsafe(self._batch_applied)

    def _batch_applied(self) -> None:
        with self._lock:
            more = bool(self._pending)
            self._in_flight = more
        if more:
            self._net.loop.call_later(BATCH_INTERVAL_S, self._send_batch)


_STATE_DETAIL = {
    ConnectionState.CONNECTING: "正在连接服务器…",
    ConnectionState.CONNECTED: "已连接",
    ConnectionState.RECONNECTING: "服务器连接中断，正在重连…",
    ConnectionState.RESYNCING: "正在重新同步数据…",
    ConnectionState.AUTH_FAILED: "登录凭证无效或已被停用",
    ConnectionState.CLOSED: "已断开",
}


def _reply_of(future: concurrent.futures.Future[Any]) -> Reply:
    try:
        return Reply(result=future.result())
    except RemoteError as exc:
        return Reply(error=exc)
    except Exception as exc:  # a bug or a dead loop: still an answer for the caller
        return Reply(error=RemoteError("internal", str(exc)))
