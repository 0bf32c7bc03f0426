"""The asyncio client of protocol v1: auth, request/reply, subscribe, reconnect and resume.

Every desktop window and the simulator talk to the server through one `CommandClient`:

    client = CommandClient(url, token, console="wall", on_event=apply, on_resync=reload)
    await client.start()                  # first attempt made; keeps retrying in the background
    await client.wait_connected(10)       # auth_ok received (raises AuthError on a bad token)
    snap = await client.request("snapshot", {"what": ["open_cases"]})
    client.reset_seq(snap["as_of_seq"], snap["epoch"])
    await client.subscribe()              # resumes after the snapshot's seq
    await client.request("case.sign", {"id": 7, "expected_version": 3})
    await client.close()

Connection. A background task connects, answers `auth_required` with `auth`, and waits for `auth_ok`. A dropped
connection is re-opened with jittered exponential backoff (delay = initial * 2**attempt * uniform(0.5, 1.5), capped at
`backoff_max`; the attempt count resets after each auth_ok). Close 4400 (protocol abuse) waits `backoff_max`. Close
4401/4403/4408 or `auth_invalid` are final: state `auth_failed`, no reconnect, waiters get `AuthError`.

Resume (no lost and no doubled events). The client keeps `last_seq`, the seq of the last event it handed to
`on_event`, and the `epoch` that seq belongs to. After every reconnect it re-subscribes with
`{"after_seq": last_seq, "epoch": epoch}` and the server replays what was missed. Replayed events the client already
applied (seq <= last_seq) are dropped, so each event reaches `on_event` exactly once and in seq order. When the server
cannot replay (reply `resync_required`), when the epoch in auth_ok or in an event differs from the known one, or when
an event skips a seq (a gap), the client enters `resyncing`: it calls `on_resync()`, which reloads the app's snapshot
and calls `reset_seq(as_of_seq, epoch)`, then subscribes after that seq. Gap detection needs the full stream: with a
`kinds` filter, seqs legitimately skip, so only duplicates are dropped.

Idempotency. A request for a command whose `COMMANDS[type].changes` is true carries an `idem` key (uuid4 hex unless the
caller passes one, e.g. one key per user action). If the connection drops before the reply arrives, the request is
re-sent on the next connection with the same idem until `request_timeout`; the server answers a replay with the first
result, so a change is applied at most once. Requests that change nothing are simply re-sent. Request ids restart at 1
on every connection (they are per connection), so a reply is never matched across connections.

Backpressure (a deliberate choice). The reader awaits `on_event` for each event before reading the next frame. The
websocket library's receive buffer (`max_queue` frames) is the bounded inbox: when `on_event` is slow the buffer fills,
the library stops reading the socket, TCP pushes back, the server's bounded per-connection send queue fills and the
server closes with 4008 (slow consumer). The client then reconnects and resumes by seq. Nothing is dropped and memory
stays bounded, at the price of a reconnect. Replies share the reader, so `on_event` must not await `request()` or
`subscribe()` (that would wait on itself: it raises RuntimeError instead); schedule a task for follow-up requests.
`on_resync` runs in its own task and may await requests freely. An exception from `on_event` is logged and the event
counts as applied (it is not redelivered).
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import inspect
import json
import logging
import random
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake

from services import protocol as p

__all__ = ["AuthError", "CommandClient", "ConnectionState", "Event", "RemoteError"]

log = logging.getLogger(__name__)

HANDSHAKE_TIMEOUT = 10.0
"""Seconds to wait for `auth_required` and then for the answer to `auth`."""
AUTH_CLOSE_CODES = frozenset({p.CLOSE_AUTH_FAILED, p.CLOSE_PERMISSION_REVOKED, p.CLOSE_AUTH_TIMEOUT})
SESSION_COMMANDS = frozenset({"subscribe", "unsubscribe"})
"""Bound to one connection: managed by `subscribe()` / `unsubscribe()`, never through `request()`."""


class ConnectionState(enum.StrEnum):
    CONNECTING = "connecting"
    CONNECTED = "connected"
    RECONNECTING = "reconnecting"
    RESYNCING = "resyncing"
    AUTH_FAILED = "auth_failed"
    CLOSED = "closed"


ONLINE = frozenset({ConnectionState.CONNECTED, ConnectionState.RESYNCING})


class RemoteError(Exception):
    """A request failed: the server's structured error, or `unavailable` when no reply came in time."""

    def __init__(self, code: str, message: str = "", retryable: bool = False,
                 details: dict[str, Any] | None = None) -> None:
        super().__init__(f"{code}: {message}" if message else code)
        self.code = code
        self.message = message
        self.retryable = retryable
        self.details = details or {}


class AuthError(RemoteError):
    """The server refused the token (auth_invalid, 4401, 4408) or revoked the permission (4403). Final."""

    def __init__(self, message: str, *, close_code: int | None = None) -> None:
        code = p.FORBIDDEN if close_code == p.CLOSE_PERMISSION_REVOKED else p.UNAUTHORIZED
        super().__init__(code, message, retryable=False)
        self.close_code = close_code


@dataclass(frozen=True)
class Event:
    sub: int
    seq: int
    epoch: str
    kind: str
    data: dict[str, Any]


OnEvent = Callable[[Event], Awaitable[None] | None]
OnResync = Callable[[], Awaitable[None]]
OnState = Callable[[ConnectionState], None]


class _ProtocolViolation(Exception):
    """The server said something protocol v1 does not allow during the handshake."""


@dataclass
class _Outcome:
    """How one connection attempt ended."""

    authed: bool
    close_code: int | None = None
    auth_error: AuthError | None = None


@dataclass
class _Session:
    """One authenticated connection: its request ids, the replies it awaits, its subscription."""

    ws: ClientConnection
    reader: asyncio.Task[Any] | None
    next_id: int = 0
    pending: dict[int, asyncio.Future[dict[str, Any] | None]] = field(default_factory=dict)
    send_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    lost: bool = False
    sub_request_id: int | None = None
    """A subscribe was sent; its reply has not arrived yet."""
    early_events: list[Event] = field(default_factory=list)
    """Events of the pending subscribe that came before its reply (applied right after it)."""
    server_sub: int | None = None
    """The subscription the server streams on this connection."""
    active_sub: int | None = None
    """The subscription whose events are applied; None while (re)subscribing or resyncing."""

    async def send(self, rtype: str, idem: str | None, body: dict[str, Any],
                   before_send: Callable[[int], None] | None = None,
                   ) -> tuple[int, asyncio.Future[dict[str, Any] | None]]:
        """Sends one request; the future gets the reply frame, or None if the connection is lost first."""
        async with self.send_lock:  # ids go on the wire in increasing order
            if self.lost:
                return 0, _resolved(None)
            rid = self.next_id + 1
            frame: dict[str, Any] = {"id": rid, "type": rtype, "body": body}
            if idem is not None:
                frame["idem"] = idem
            text = json.dumps(frame, ensure_ascii=False, separators=(",", ":"))
            if len(text.encode()) > p.MAX_FRAME_BYTES:
                raise RemoteError(p.TOO_LARGE, f"{rtype}: request exceeds {p.MAX_FRAME_BYTES} bytes")
            self.next_id = rid
            future: asyncio.Future[dict[str, Any] | None] = asyncio.get_running_loop().create_future()
            self.pending[rid] = future
            if before_send is not None:
                before_send(rid)
            try:
                await self.ws.send(text)
            except ConnectionClosed:
                self.lost = True  # the reader will see the close too; stop sending on this connection
                self.pending.pop(rid, None)
                return rid, _resolved(None)
            return rid, future

    def resolve(self, rid: Any, frame: dict[str, Any]) -> None:
        future = self.pending.pop(rid, None) if isinstance(rid, int) else None
        if future is None:
            log.debug("reply to unknown request id %r ignored", rid)
        elif not future.done():
            future.set_result(frame)

    def drop(self) -> None:
        """The connection is gone: every waiting request learns it (and is re-sent on the next one)."""
        self.lost = True
        pending, self.pending = self.pending, {}
        for future in pending.values():
            if not future.done():
                future.set_result(None)


def _resolved(value: dict[str, Any] | None) -> asyncio.Future[dict[str, Any] | None]:
    future: asyncio.Future[dict[str, Any] | None] = asyncio.get_running_loop().create_future()
    future.set_result(value)
    return future


def _received_close_code(exc: ConnectionClosed) -> int:
    return exc.rcvd.code if exc.rcvd is not None else 1006


def _decode(raw: str | bytes) -> dict[str, Any] | None:
    try:
        frame = json.loads(raw)
    except ValueError:
        log.warning("server sent a frame that is not JSON; ignored")
        return None
    if not isinstance(frame, dict):
        log.warning("server sent a JSON frame that is not an object; ignored")
        return None
    return frame


def _parse_event(frame: dict[str, Any]) -> Event | None:
    sub, seq, kind, data = frame.get("sub"), frame.get("seq"), frame.get("kind"), frame.get("data", {})
    if not (isinstance(sub, int) and isinstance(seq, int) and isinstance(kind, str) and isinstance(data, dict)):
        log.warning("malformed event frame ignored: %.200r", frame)
        return None
    return Event(sub=sub, seq=seq, epoch=frame.get("epoch"), kind=kind, data=data)  # type: ignore[arg-type]


def _remote_error(frame: dict[str, Any]) -> RemoteError:
    error = frame.get("error")
    error = error if isinstance(error, dict) else {}
    code = str(error.get("code") or p.INTERNAL)
    details = error.get("details")
    return RemoteError(code, str(error.get("message") or ""), bool(error.get("retryable", code in p.RETRYABLE_CODES)),
                       details if isinstance(details, dict) else None)


def _unavailable(message: str, retryable: bool = True) -> RemoteError:
    return RemoteError(p.UNAVAILABLE, message, retryable=retryable)


def _is_change(rtype: str) -> bool:
    command = p.COMMANDS.get(rtype)
    return command.changes if command is not None else False


class CommandClient:
    """One logical session with the server that survives reconnects. See the module docstring."""

    def __init__(self, url: str, token: str, *, console: str = "", on_event: OnEvent | None = None,
                 on_resync: OnResync | None = None, on_state: OnState | None = None,
                 backoff_initial: float = 0.2, backoff_max: float = 10.0, request_timeout: float = 15.0,
                 user: str | None = None, password: str | None = None,
                 frame_tap: Callable[[str | bytes], None] | None = None) -> None:
        self._url = url
        self._frame_tap = frame_tap
        """Sees every frame received, raw, before decoding (audits: what a public screen was sent)."""
        self._token = token
        self._password_login = (user, password) if user and password else None
        """Name and password instead of the token (kept in memory for reconnects, like a token)."""
        self._console = console
        self._on_event = on_event
        self._on_resync = on_resync
        self._on_state = on_state
        self._backoff_initial = backoff_initial
        self._backoff_max = backoff_max
        self._request_timeout = request_timeout
        self._state = ConnectionState.CONNECTING
        self._state_changed = asyncio.Event()
        self._runner: asyncio.Task[None] | None = None
        self._first_attempt = asyncio.Event()
        self._closing = False
        self._ever_connected = False
        self._session: _Session | None = None
        self._auth_error: AuthError | None = None
        # who we are (from auth_ok)
        self._user: str | None = None
        self._role: str | None = None
        self._user_id: int | None = None
        self._server_epoch: str | None = None
        self._head_seq: int | None = None
        self._server_time: str | None = None
        self._warnings: list[Any] = []
        # the event position
        self._last_seq: int | None = None
        self._epoch: str | None = None
        self._last_event_at: float | None = None
        self._need_resync = False
        self._reset_called = False
        # the wanted subscription (None: not subscribed) and who waits for it
        self._sub_wanted_kinds: list[str] | None = None
        self._sub_active_wanted = False
        self._sub_wanted = asyncio.Event()
        self._sub_waiters: list[asyncio.Future[dict[str, Any]]] = []

    # -- properties ------------------------------------------------------------------------------
    @property
    def state(self) -> ConnectionState:
        return self._state

    @property
    def user(self) -> str | None:
        return self._user

    @property
    def role(self) -> str | None:
        return self._role

    @property
    def user_id(self) -> int | None:
        return self._user_id

    @property
    def epoch(self) -> str | None:
        """The epoch `last_seq` belongs to (the server's epoch while there is no position yet)."""
        return self._epoch if self._epoch is not None else self._server_epoch

    @property
    def last_seq(self) -> int | None:
        """Seq of the last event handed to on_event (or set by reset_seq); None before any position."""
        return self._last_seq

    @property
    def head_seq(self) -> int | None:
        """The server's head seq as of the last auth_ok."""
        return self._head_seq

    @property
    def server_time(self) -> str | None:
        return self._server_time

    @property
    def warnings(self) -> list[Any]:
        return list(self._warnings)

    @property
    def last_event_at(self) -> float | None:
        """time.time() when the last event was applied."""
        return self._last_event_at

    @property
    def auth_error(self) -> AuthError | None:
        return self._auth_error

    # -- lifecycle -------------------------------------------------------------------------------
    async def start(self) -> None:
        """Starts connecting; returns once the first attempt succeeded or failed (retries go on in the background)."""
        if self._runner is not None or self._closing:
            raise RuntimeError("CommandClient.start() called twice or after close()")
        self._notify_state()
        self._runner = asyncio.create_task(self._run(), name=f"CommandClient({self._url})")
        await self._first_attempt.wait()

    async def wait_connected(self, timeout: float | None = None) -> None:
        """Waits until authenticated. Raises AuthError, RemoteError(unavailable) if closed, TimeoutError."""
        async with asyncio.timeout(timeout):
            while self._state not in ONLINE:
                self._raise_if_final()
                await self._state_changed.wait()

    async def close(self) -> None:
        """Stops reconnecting, closes the connection, fails what still waits. Idempotent."""
        self._closing = True
        self._set_state(ConnectionState.CLOSED)  # first: callers of close() inside a callback get cancelled below
        self._fail_sub_waiters(_unavailable("client closed", retryable=False))
        runner, self._runner = self._runner, None
        if runner is not None and not runner.done():
            runner.cancel()
            if runner is not asyncio.current_task():  # close() from on_event: the runner is this task
                await asyncio.wait({runner})

    async def __aenter__(self) -> CommandClient:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    # -- requests --------------------------------------------------------------------------------
    async def request(self, type: str, body: dict[str, Any] | None = None, *, idem: str | None = None,
                      change: bool | None = None) -> dict[str, Any]:
        """Sends a command and returns its result; raises RemoteError / AuthError. See the module docstring."""
        if type in SESSION_COMMANDS:
            raise ValueError(f"use CommandClient.{type}() instead of request({type!r})")
        if (change if change is not None else _is_change(type)) and idem is None:
            idem = uuid.uuid4().hex
        reply = await self._call(type, idem, body or {})
        if not reply.get("ok"):
            raise _remote_error(reply)
        result: dict[str, Any] = reply.get("result") or {}
        return result

    async def _call(self, rtype: str, idem: str | None, body: dict[str, Any]) -> dict[str, Any]:
        """Sends until a reply arrives, re-sending (same idem) on each new connection, until the deadline."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self._request_timeout
        attempts = 0
        while True:
            session = await self._session_before(deadline, rtype)
            if attempts:
                log.info("re-sending %s (idem %s) after reconnect", rtype, idem)
            attempts += 1
            reply = await self._exchange(session, rtype, idem, body, deadline)
            if reply is not None:
                return reply

    async def _session_before(self, deadline: float, rtype: str) -> _Session:
        loop = asyncio.get_running_loop()
        while True:
            self._raise_if_final()
            session = self._session
            if session is not None and not session.lost:
                return session
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise _unavailable(f"{rtype}: not connected within {self._request_timeout:g}s")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._state_changed.wait(), remaining)

    async def _exchange(self, session: _Session, rtype: str, idem: str | None, body: dict[str, Any],
                        deadline: float, before_send: Callable[[int], None] | None = None,
                        ) -> dict[str, Any] | None:
        """One send and its reply on one connection; None if the connection was lost first."""
        self._refuse_inside_reader(f"request({rtype!r})")
        rid, future = await session.send(rtype, idem, body, before_send)
        remaining = deadline - asyncio.get_running_loop().time()
        try:
            return await asyncio.wait_for(future, max(remaining, 0.0))
        except TimeoutError:
            raise _unavailable(f"{rtype}: no reply within {self._request_timeout:g}s") from None
        finally:
            session.pending.pop(rid, None)

    def _refuse_inside_reader(self, what: str) -> None:
        session = self._session
        if session is not None and session.reader is asyncio.current_task():
            raise RuntimeError(f"{what} awaited inside on_event would deadlock the reader (it waits for a reply "
                               "the reader cannot read); schedule it with asyncio.create_task instead")

    def _raise_if_final(self) -> None:
        error = self._auth_error
        if self._state is ConnectionState.AUTH_FAILED and error is not None:
            raise AuthError(error.message, close_code=error.close_code)
        if self._state is ConnectionState.CLOSED or self._closing:
            raise _unavailable("client closed", retryable=False)

    # -- subscription ----------------------------------------------------------------------------
    async def subscribe(self, after_seq: int | None = None, kinds: list[str] | None = None) -> dict[str, Any]:
        """Subscribes (and keeps re-subscribing after reconnects). Returns `{sub, head_seq, epoch}`.

        after_seq None: resume after `last_seq` if there is one (from reset_seq or earlier events), else stream from
        now. Waits up to request_timeout for a connection.
        """
        self._raise_if_final()
        self._refuse_inside_reader("subscribe()")
        if after_seq is not None:
            self._last_seq = after_seq
        self._sub_wanted_kinds = list(kinds) if kinds else None  # [] means every kind, like absent
        self._sub_active_wanted = True
        waiter: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._sub_waiters.append(waiter)
        self._sub_wanted.set()
        try:
            return await asyncio.wait_for(waiter, self._request_timeout)
        except TimeoutError:
            raise _unavailable(f"subscribe: not subscribed within {self._request_timeout:g}s") from None
        finally:
            with contextlib.suppress(ValueError):
                self._sub_waiters.remove(waiter)

    async def unsubscribe(self) -> None:
        """Stops the event stream (no re-subscribe after reconnects). The position (last_seq) is kept."""
        self._sub_active_wanted = False
        session = self._session
        if session is None:
            return
        session.active_sub = None
        await self._drop_server_sub(session)

    def reset_seq(self, as_of_seq: int, epoch: str) -> None:
        """Sets the position after loading a snapshot: events after `as_of_seq` of `epoch` come next."""
        self._last_seq = as_of_seq
        self._epoch = epoch
        self._reset_called = True

    async def _keep_subscribed(self, session: _Session) -> None:
        """Per connection: (re)subscribes whenever asked (new subscribe(), reconnect, resync needed)."""
        while True:
            await self._sub_wanted.wait()
            self._sub_wanted.clear()
            if not self._sub_active_wanted:
                continue
            try:
                result = await self._establish(session)
            except RemoteError as exc:
                log.error("subscribe failed: %s", exc)
                self._sub_active_wanted = False
                self._fail_sub_waiters(exc)
                continue
            if result is None:
                return  # connection lost: the next connection's keeper takes over
            for waiter in self._sub_waiters:
                if not waiter.done():
                    waiter.set_result(result)

    async def _establish(self, session: _Session) -> dict[str, Any] | None:
        """Resyncs if needed and subscribes; retries retryable failures. None if the connection was lost."""
        session.active_sub = None
        await self._drop_server_sub(session)
        failures = 0
        while True:
            if failures:
                await asyncio.sleep(self._backoff_delay(failures - 1))
            if self._need_resync and not await self._resync():
                failures += 1
                continue
            reply = await self._send_subscribe(session)
            if reply is None:
                return None
            if reply.get("ok"):
                self._set_state(ConnectionState.CONNECTED)
                result = reply.get("result")
                return result if isinstance(result, dict) else {}
            error = _remote_error(reply)
            if error.code == p.RESYNC_REQUIRED:
                log.warning("server cannot resume after seq %s (epoch %s): resync", self._last_seq, self._epoch)
                self._need_resync = True
            elif not error.retryable:
                raise error
            failures += 1

    async def _send_subscribe(self, session: _Session) -> dict[str, Any] | None:
        body: dict[str, Any] = {}
        if self._last_seq is not None:
            body["after_seq"] = self._last_seq
            if self.epoch is not None:
                body["epoch"] = self.epoch
        if self._sub_wanted_kinds is not None:
            body["kinds"] = self._sub_wanted_kinds

        def mark(rid: int) -> None:
            session.sub_request_id = rid
            session.early_events.clear()

        deadline = asyncio.get_running_loop().time() + self._request_timeout
        try:
            return await self._exchange(session, "subscribe", None, body, deadline, before_send=mark)
        except RemoteError as exc:  # no reply in time: try again
            return {"ok": False, "error": {"code": exc.code, "message": exc.message, "retryable": True}}
        finally:
            session.sub_request_id = None

    async def _drop_server_sub(self, session: _Session) -> None:
        """Best effort: tells the server to stop the old stream (its reply is not awaited)."""
        old, session.server_sub = session.server_sub, None
        if old is not None:
            with contextlib.suppress(RemoteError):
                await session.send("unsubscribe", None, {"sub": old})

    async def _resync(self) -> bool:
        """Runs on_resync (the app reloads its snapshot and calls reset_seq). False if it failed."""
        self._set_state(ConnectionState.RESYNCING)
        self._reset_called = False
        if self._on_resync is None:
            log.warning("resync needed but no on_resync callback: events before now are skipped")
        else:
            try:
                await self._on_resync()
            except Exception:
                log.exception("on_resync failed; retrying")
                return False
            if not self._reset_called:
                log.warning("on_resync did not call reset_seq(): streaming from now")
        if not self._reset_called:
            self._last_seq = None
            self._epoch = None
        self._need_resync = False
        return True

    def _fail_sub_waiters(self, exc: BaseException) -> None:
        for waiter in self._sub_waiters:
            if not waiter.done():
                waiter.set_exception(exc)

    # -- events ----------------------------------------------------------------------------------
    async def _handle_event(self, session: _Session, frame: dict[str, Any]) -> None:
        event = _parse_event(frame)
        if event is None:
            return
        if session.sub_request_id is not None and event.sub == session.sub_request_id:
            session.early_events.append(event)  # before the subscribe reply: applied right after it
        elif event.sub == session.active_sub:
            await self._accept(session, event)

    async def _handle_sub_reply(self, session: _Session, frame: dict[str, Any]) -> None:
        early, session.early_events = session.early_events, []
        session.sub_request_id = None
        result = frame.get("result")
        if not frame.get("ok") or not isinstance(result, dict):
            return
        sub = result.get("sub", frame.get("id"))
        session.server_sub = session.active_sub = sub
        if self._last_seq is None:  # streaming from now: the position is the head at subscribe time
            head = result.get("head_seq")
            self._last_seq = head if isinstance(head, int) else None
            self._epoch = result.get("epoch", self._server_epoch)
        elif self._epoch is None:
            self._epoch = result.get("epoch", self._server_epoch)
        for event in early:
            if session.active_sub != sub:
                break  # a resync started while applying them
            await self._accept(session, event)

    async def _accept(self, session: _Session, event: Event) -> None:
        """Applies an event exactly once and in order, or starts a resync on a gap / new epoch."""
        if self._epoch is not None and event.epoch is not None and event.epoch != self._epoch:
            self._start_resync(session, f"event epoch {event.epoch!r} differs from {self._epoch!r}")
            return
        last = self._last_seq
        if last is not None and event.seq <= last:
            return  # already applied (replay overlap after a resume)
        if last is not None and event.seq != last + 1 and self._sub_wanted_kinds is None:
            self._start_resync(session, f"gap: got seq {event.seq} after {last}")
            return
        await self._deliver(event)

    async def _deliver(self, event: Event) -> None:
        if self._on_event is not None:
            try:
                outcome = self._on_event(event)
                if inspect.isawaitable(outcome):
                    await outcome
            except Exception:
                log.exception("on_event failed for %s seq %d (not redelivered)", event.kind, event.seq)
        self._last_seq = event.seq
        if self._epoch is None:
            self._epoch = event.epoch
        self._last_event_at = time.time()

    def _start_resync(self, session: _Session, reason: str) -> None:
        log.warning("%s: resyncing", reason)
        session.active_sub = None  # stop applying this stream; the keeper resyncs and re-subscribes
        self._need_resync = True
        self._sub_wanted.set()

    # -- connection loop -------------------------------------------------------------------------
    async def _run(self) -> None:
        attempt = 0
        try:
            while not self._closing:
                outcome = await self._attempt()
                self._first_attempt.set()
                if outcome.auth_error is not None:
                    self._fail_auth(outcome.auth_error)
                    return
                if outcome.authed:
                    attempt = 0
                delay = self._reconnect_delay(outcome.close_code, attempt)
                attempt += 1
                self._set_state(ConnectionState.RECONNECTING if self._ever_connected
                                else ConnectionState.CONNECTING)
                log.info("connection ended (close %s); reconnecting in %.2fs", outcome.close_code, delay)
                await asyncio.sleep(delay)
        finally:
            self._first_attempt.set()

    async def _attempt(self) -> _Outcome:
        """One connection: open, handshake, serve until it closes. Never raises (except cancellation)."""
        authed = False
        try:
            async with connect(self._url, max_size=p.MAX_SERVER_FRAME_BYTES, compression=None, open_timeout=10,
                               ping_interval=20, ping_timeout=20) as ws:
                await self._handshake(ws)
                authed = True
                self._first_attempt.set()
                code = await self._serve(ws)
        except AuthError as exc:
            return _Outcome(authed, exc.close_code, exc)
        except ConnectionClosed as exc:
            code = _received_close_code(exc)
        except _ProtocolViolation as exc:
            log.error("server broke the protocol: %s", exc)
            return _Outcome(authed, p.CLOSE_PROTOCOL_ABUSE)
        except (OSError, TimeoutError, InvalidHandshake) as exc:
            log.info("cannot connect to %s: %s", self._url, exc or type(exc).__name__)
            return _Outcome(authed)
        except Exception:
            log.exception("connection to %s failed", self._url)
            return _Outcome(authed)
        if code in AUTH_CLOSE_CODES:
            return _Outcome(authed, code, AuthError(f"server closed the connection with {code}", close_code=code))
        return _Outcome(authed, code)

    async def _handshake(self, ws: ClientConnection) -> None:
        hello = await self._recv_frame(ws)
        if hello.get("type") != "auth_required":
            raise _ProtocolViolation(f"expected auth_required, got {hello.get('type')!r}")
        if hello.get("v") != p.VERSION:
            raise _ProtocolViolation(f"server speaks protocol v{hello.get('v')}, client v{p.VERSION}")
        credentials: dict[str, str] = {"token": self._token}
        if self._password_login is not None:
            credentials = {"user": self._password_login[0], "password": self._password_login[1]}
        await ws.send(json.dumps({"type": "auth", **credentials, "console": self._console}, ensure_ascii=False))
        answer = await self._recv_frame(ws)
        if answer.get("type") == "auth_invalid":
            raise AuthError(str(answer.get("message") or "invalid token"), close_code=p.CLOSE_AUTH_FAILED)
        if answer.get("type") != "auth_ok":
            raise _ProtocolViolation(f"expected auth_ok, got {answer.get('type')!r}")
        self._apply_auth_ok(answer)

    async def _recv_frame(self, ws: ClientConnection) -> dict[str, Any]:
        async with asyncio.timeout(HANDSHAKE_TIMEOUT):
            raw = await ws.recv()
        if self._frame_tap is not None:
            self._frame_tap(raw)
        frame = _decode(raw)
        if frame is None:
            raise _ProtocolViolation("handshake frame is not a JSON object")
        return frame

    def _apply_auth_ok(self, frame: dict[str, Any]) -> None:
        self._user, self._role, self._user_id = frame.get("user"), frame.get("role"), frame.get("user_id")
        self._server_epoch, self._head_seq = frame.get("epoch"), frame.get("head_seq")
        self._server_time = frame.get("server_time")
        warnings = frame.get("warnings")
        self._warnings = list(warnings) if isinstance(warnings, list) else []
        if self._last_seq is None:
            self._epoch = None  # no position yet: follow the server's epoch
        elif self._epoch is not None and self._server_epoch != self._epoch:
            log.warning("server epoch changed (%r -> %r): resync", self._epoch, self._server_epoch)
            self._need_resync = True

    async def _serve(self, ws: ClientConnection) -> int:
        """Runs one authenticated connection until it closes; returns the close code received."""
        session = _Session(ws, reader=asyncio.current_task())
        self._session = session
        self._ever_connected = True
        self._set_state(ConnectionState.CONNECTED)
        if self._sub_active_wanted or self._need_resync:
            self._sub_wanted.set()
        keeper = asyncio.create_task(self._keep_subscribed(session), name="CommandClient.keep_subscribed")
        try:
            return await self._read_loop(session)
        finally:
            self._session = None
            keeper.cancel()
            await asyncio.wait({keeper})
            if not keeper.cancelled() and keeper.exception() is not None:
                log.error("subscription keeper failed", exc_info=keeper.exception())
            session.drop()

    async def _read_loop(self, session: _Session) -> int:
        while True:
            try:
                raw = await session.ws.recv()
            except ConnectionClosed as exc:
                return _received_close_code(exc)
            if self._frame_tap is not None:
                self._frame_tap(raw)
            frame = _decode(raw)
            if frame is None:
                continue
            kind = frame.get("type")
            if kind == "event":
                await self._handle_event(session, frame)
            elif kind == "result":
                await self._handle_result(session, frame)
            else:
                log.debug("frame of type %r ignored", kind)

    async def _handle_result(self, session: _Session, frame: dict[str, Any]) -> None:
        rid = frame.get("id")
        if rid is None:
            log.warning("server error without request id: %s", frame.get("error"))
            return
        is_sub_reply = rid == session.sub_request_id
        session.resolve(rid, frame)
        if is_sub_reply:
            await self._handle_sub_reply(session, frame)

    # -- state -----------------------------------------------------------------------------------
    def _reconnect_delay(self, close_code: int | None, attempt: int) -> float:
        if close_code == p.CLOSE_PROTOCOL_ABUSE:
            log.error("server closed with 4400 (protocol abuse): waiting %.1fs", self._backoff_max)
            return self._backoff_max
        return self._backoff_delay(attempt)

    def _backoff_delay(self, attempt: int) -> float:
        base = self._backoff_initial * 2 ** min(attempt, 30)
        return min(self._backoff_max, base * random.uniform(0.5, 1.5))

    def _fail_auth(self, error: AuthError) -> None:
        log.error("authentication failed: %s", error.message)
        self._auth_error = error
        self._set_state(ConnectionState.AUTH_FAILED)
        self._fail_sub_waiters(error)

    def _set_state(self, state: ConnectionState) -> None:
        if state is self._state:
            return
        if self._state is ConnectionState.CLOSED or (
                self._state is ConnectionState.AUTH_FAILED and state is not ConnectionState.CLOSED):
            return  # final states stay final
        self._state = state
        self._notify_state()

    def _notify_state(self) -> None:
        changed, self._state_changed = self._state_changed, asyncio.Event()
        changed.set()
        if self._on_state is not None:
            try:
                self._on_state(self._state)
            except Exception:
                log.exception("on_state callback failed")
