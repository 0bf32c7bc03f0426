"""The websocket hub: authentication, requests, subscriptions and fan-out (protocol v1, docs/PROTOCOL.md).

Threads: the event loop only parses, routes and queues frames. All database work runs on one writer
thread (serializing writes, so events are published in seq order) or on a small read pool.
Sending: a frame is framed at once into the connection's websocket buffer, and one flush per loop
iteration writes each connection's pending bytes with a single transport.write (under load, many events
cost one syscall per client, not one per event). Nothing awaits a client: when the bytes waiting for one
connection exceed `server.send_buffer_bytes`, it is closed with 4008 and resumes by seq.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, TypeVar

from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.exceptions import ConnectionClosed
from websockets.protocol import State

from config.schema import Rules
from services import protocol as p
from services.backend.errors import ProtocolError, map_exception
from services.backend.serialize import iso
from services.backend.store import Store, StoredEvent, WriteJob, WriteResult
from services.backend.writer import Writer
from services.domain.errors import Forbidden
from services.domain.masking import mask_value, needs_masking
from services.domain.model import Actor

log = logging.getLogger(__name__)
T = TypeVar("T")
READ_COMMANDS = {"snapshot", "case.get", "cases.query", "stats.today", "stats.wall"}
FLUSH_INTERVAL_S = 0.008
"""At most one flush per this interval: idle, a frame goes out at once; under load, each client's write
carries every frame of the interval (one syscall instead of one per event: bench/fanout.py)."""
CATCH_UP_BATCH = 1000


class TokenBucket:
    def __init__(self, rate: float, burst: int) -> None:
        self.rate, self.burst = rate, float(burst)
        self.tokens, self.stamp = float(burst), time.monotonic()

    def take(self) -> bool:
        now = time.monotonic()
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens < 1.0:
            return False
        self.tokens -= 1.0
        return True


@dataclass
class Subscription:
    id: int
    kinds: tuple[str, ...]
    last_sent: int
    live: bool = False
    held: list[StoredEvent] = field(default_factory=list)

    def wants(self, kind: str) -> bool:
        return not self.kinds or kind.startswith(self.kinds)


@dataclass(eq=False)
class Client:
    ws: ServerConnection
    actor: Actor
    bucket: TokenBucket
    last_id: int = 0
    subs: dict[int, Subscription] = field(default_factory=dict)
    closing: bool = False
    masked: bool = True
    """Personal data masked for this connection (its role, or a public wall/video console): fixed at auth."""
    out: list[bytes] = field(default_factory=list)
    """Framed bytes waiting for the next flush."""

    @property
    def remote(self) -> str:
        addr = self.ws.remote_address
        return f"{addr[0]}:{addr[1]}" if addr else ""


class Hub:
    def __init__(self, store: Store, rules: Rules, *, clock: Callable[[], float] = time.time) -> None:
        self.store = store
        self.rules = rules
        self.clock = clock
        self.clients: set[Client] = set()
        self.published_seq = store.head_seq()
        self._writer: Writer | None = None
        self._readers = ThreadPoolExecutor(4, thread_name_prefix="ccc-reader")
        self._server: Server | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self.stats = {"slow_consumer_closes": 0, "events_published": 0}
        self._to_flush: list[Client] = []
        self._flush_scheduled = False
        self._last_flush = 0.0

    # -- lifecycle --------------------------------------------------------------------------------
    async def start(self, host: str = "127.0.0.1", port: int = 8765) -> tuple[str, int]:
        self._loop = asyncio.get_running_loop()
        self._writer = Writer(self.store, self._loop, self.publish)
        s = self.rules.server
        self._server = await serve(
            self._handle, host, port, max_size=s.max_frame_bytes, compression=None,
            ping_interval=s.ping_interval_s, ping_timeout=s.ping_timeout_s, close_timeout=2,
            max_queue=64,
        )
        self._spawn(self._sweep_loop())
        self._spawn(self._revalidate_loop())
        sock = next(iter(self._server.sockets))
        bound = sock.getsockname()
        return bound[0], bound[1]

    async def stop(self) -> None:
        """Graceful shutdown: refuse new connections, close every client with 1012 (restart: reconnect)."""
        if self._server is not None:
            self._server.close(close_connections=False)
        await asyncio.gather(*(c.ws.close(p.CLOSE_SERVICE_RESTART, "server restarting") for c in list(self.clients)),
                             return_exceptions=True)
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._server is not None:
            await self._server.wait_closed()
        if self._writer is not None:
            self._writer.stop()
        self._readers.shutdown(wait=True)

    def _spawn(self, coro: Any) -> asyncio.Task[Any]:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    # -- threads ----------------------------------------------------------------------------------
    async def write(self, fn: Callable[[], T]) -> T:
        """Runs `fn` on the writer thread in its turn; events it returns are published in seq order."""
        assert self._writer is not None, "start() the hub first"
        return await self._writer.call(fn)  # type: ignore[no-any-return]

    async def execute(self, job: WriteJob) -> WriteResult:
        """A changing command, group-committed with whatever else is waiting for the writer."""
        assert self._writer is not None, "start() the hub first"
        return await self._writer.execute(job)

    async def read(self, fn: Callable[[], T]) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._readers, fn)

    # -- publishing -------------------------------------------------------------------------------
    def publish(self, events: list[StoredEvent]) -> None:
        """Queues a committed batch of events (in seq order) to every live subscription that wants them.

        Work per client is one list append: the frames for one (sub id, masking, kinds filter) are built and
        joined once per batch and the same bytes go to every client with that subscription (bench/fanout.py).
        """
        if not events:
            return
        self.published_seq = max(self.published_seq, events[-1].seq)
        first = events[0].seq
        bodies: dict[tuple[int, bool], str] = {}
        joined: dict[tuple[int, bool, tuple[str, ...]], bytes] = {}
        for client in list(self.clients):
            if client.closing:
                continue
            masked = client.masked
            for sub in client.subs.values():
                if not sub.live:
                    sub.held.extend(e for e in events if sub.wants(e.kind))
                    if len(sub.held) > self.rules.server.catch_up_hold_events:
                        self._close_slow(client)
                    continue
                if sub.last_sent < first:  # the usual case: the whole batch is new to this subscription
                    key = (sub.id, masked, sub.kinds)
                    data = joined.get(key)
                    if data is None:
                        data = joined[key] = b"".join(
                            self._framed_event(sub.id, e, masked, bodies) for e in events if sub.wants(e.kind))
                else:  # a subscription that caught up into the middle of this batch
                    data = b"".join(self._framed_event(sub.id, e, masked, bodies) for e in events
                                    if e.seq > sub.last_sent and sub.wants(e.kind))
                if data:
                    self._enqueue_framed(client, data)
                sub.last_sent = max(sub.last_sent, events[-1].seq)
        self.stats["events_published"] += len(events)

    def _framed_event(self, sub_id: int, event: StoredEvent, masked: bool,
                      bodies: dict[tuple[int, bool], str]) -> bytes:
        body = bodies.get((event.seq, masked))
        if body is None:
            body = bodies[(event.seq, masked)] = self._event_body(event, masked)
        return encode_text_frame(self._event_frame(sub_id, event, body).encode("utf-8"))

    def _event_body(self, event: StoredEvent, masked: bool) -> str:
        data = mask_value(event.wire_data()) if masked else event.wire_data()
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))

    def _event_frame(self, sub_id: int, event: StoredEvent, data_json: str) -> str:
        return (f'{{"type":"event","sub":{sub_id},"seq":{event.seq},"epoch":"{self.store.epoch}",'
                f'"kind":"{event.kind}","data":{data_json}}}')

    def _enqueue(self, client: Client, frame: str) -> None:
        self._enqueue_framed(client, encode_text_frame(frame.encode("utf-8")))

    def _enqueue_framed(self, client: Client, framed: bytes) -> None:
        """Appends a framed message to the connection's pending bytes; they go out at the next flush."""
        if client.closing:
            return
        if not client.out:
            self._to_flush.append(client)
            if not self._flush_scheduled:
                self._flush_scheduled = True
                loop = asyncio.get_running_loop()
                delay = self._last_flush + FLUSH_INTERVAL_S - loop.time()
                if delay > 0:
                    loop.call_later(delay, self._flush)
                else:
                    loop.call_soon(self._flush)
        client.out.append(framed)

    def _flush(self) -> None:
        self._flush_scheduled = False
        self._last_flush = asyncio.get_running_loop().time()
        clients, self._to_flush = self._to_flush, []
        limit = self.rules.server.send_buffer_bytes
        for client in clients:
            if client.closing:
                client.out.clear()
                continue
            self._write_out(client)
            if client.ws.transport.get_write_buffer_size() > limit:
                self._close_slow(client)

    @staticmethod
    def _write_out(client: Client) -> None:
        data, client.out = b"".join(client.out), []
        if data and client.ws.protocol.state is State.OPEN:
            client.ws.transport.write(data)

    def _close_slow(self, client: Client) -> None:
        if client.closing:
            return
        client.closing = True
        self.stats["slow_consumer_closes"] += 1
        log.warning("closing slow consumer %s (%s)", client.actor.name, client.remote)
        self._spawn(self._close(client, p.CLOSE_SLOW_CONSUMER, "slow consumer: resume from your last seq"))

    async def _close(self, client: Client, code: int, reason: str) -> None:
        if code != p.CLOSE_SLOW_CONSUMER:
            self._write_out(client)  # what is pending goes before the close frame
        client.out.clear()
        try:
            await asyncio.wait_for(client.ws.close(code, reason), timeout=3)
        except (TimeoutError, ConnectionClosed, OSError):
            client.ws.transport.abort()

    def _send_json(self, client: Client, message: dict[str, Any]) -> None:
        self._enqueue(client, json.dumps(message, ensure_ascii=False, separators=(",", ":")))

    # -- connection -------------------------------------------------------------------------------
    async def _handle(self, ws: ServerConnection) -> None:
        actor = await self._authenticate(ws)
        if actor is None:
            return
        client = Client(ws, actor, TokenBucket(self.rules.server.rate_per_s, self.rules.server.rate_burst),
                        masked=needs_masking(actor.role, actor.console))
        self.clients.add(client)
        try:
            async for message in ws:
                if client.closing:
                    break
                await self._on_message(client, message)
        except ConnectionClosed:
            pass
        finally:
            client.closing = True
            client.out.clear()
            self.clients.discard(client)

    async def _authenticate(self, ws: ServerConnection) -> Actor | None:
        remote = f"{ws.remote_address[0]}:{ws.remote_address[1]}" if ws.remote_address else ""
        try:
            await ws.send(json.dumps({"type": "auth_required", "v": p.VERSION}))
            deadline = time.monotonic() + self.rules.server.auth_timeout_s
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError
                raw = await asyncio.wait_for(ws.recv(), timeout=remaining)
                frame = _loads_or_none(raw)
                if isinstance(frame, dict) and frame.get("type") == "auth":
                    break
                rid = frame.get("id") if isinstance(frame, dict) and isinstance(frame.get("id"), int) else None
                code = p.INVALID_JSON if frame is None else p.UNAUTHORIZED
                await ws.send(json.dumps(p.result_error(rid, code, "authenticate first: send {type: auth, token}")))
        except TimeoutError:
            await ws.close(p.CLOSE_AUTH_TIMEOUT, "authentication timeout")
            return None
        except ConnectionClosed:
            return None
        actor, console = await self._check_credentials(frame)
        if actor is None:
            detail = {"console": str(console)[:64], "user": str(frame.get("user", ""))[:64]}
            await self.write(lambda: self.store.audit(None, "auth", "failed", detail, remote))
            with contextlib.suppress(ConnectionClosed):
                await ws.send(json.dumps({"type": "auth_invalid", "message": "invalid or expired credentials"}))
                await ws.close(p.CLOSE_AUTH_FAILED, "authentication failed")
            return None
        await self.write(lambda: self.store.audit(actor, "auth", "ok", {"console": actor.console}, remote))
        try:
            await ws.send(json.dumps({
                "type": "auth_ok", "v": p.VERSION, "user": actor.name, "user_id": actor.user_id,
                "role": actor.role.value, "department_id": actor.department_id, "township_id": actor.township_id,
                "epoch": self.store.epoch, "head_seq": self.published_seq, "server_time": iso(self.clock()),
                "warnings": [w.as_dict() for w in self.store.calendar.warnings()],
            }, ensure_ascii=False))
        except ConnectionClosed:
            return None
        return actor

    async def _check_credentials(self, frame: dict[str, Any]) -> tuple[Actor | None, str]:
        """A token, or a user name and password (checked on the read pool: scrypt takes tens of ms)."""
        console = frame.get("console", "")
        console = console if isinstance(console, str) else ""
        token, user, password = frame.get("token"), frame.get("user"), frame.get("password")
        now = self.clock()
        if isinstance(token, str) and 0 < len(token) <= 256:
            return await self.read(lambda: self.store.authenticate(token, console, now)), console
        if isinstance(user, str) and isinstance(password, str) and 0 < len(user) <= 64 and 0 < len(password) <= 256:
            return await self.read(lambda: self.store.authenticate_password(user, password, console, now)), console
        return None, console

    # -- requests ---------------------------------------------------------------------------------
    async def _on_message(self, client: Client, raw: str | bytes) -> None:
        rid: int | None = None
        try:
            if isinstance(raw, bytes):
                raise ProtocolError(p.INVALID_FORMAT, "binary frames are not accepted; send JSON text")
            frame = _loads_or_none(raw)
            if frame is None:
                raise ProtocolError(p.INVALID_JSON, "the frame is not valid JSON")
            if isinstance(frame, dict) and isinstance(frame.get("id"), int) and not isinstance(frame["id"], bool):
                rid = frame["id"]
            rid, rtype, idem, body = p.parse_request(frame)
            if rid <= client.last_id:
                raise ProtocolError(p.ID_REUSE, f"request ids must increase; last was {client.last_id}",
                                    last_id=client.last_id)
            client.last_id = rid
            if not client.bucket.take():
                raise ProtocolError(p.RATE_LIMITED, "too many requests; slow down", retry_after_s=1)
            command = p.COMMANDS.get(rtype)
            if command is None:
                raise ProtocolError(p.UNKNOWN_COMMAND, f"unknown request type {rtype!r}")
            body = command.body.check(body, "body")
            if command.changes and idem is None:
                raise ProtocolError(p.INVALID_FORMAT, "changing commands need an idem key", path="idem")
            if rtype in READ_COMMANDS:
                # query, mask and encode on the read pool: a snapshot of thousands of cases must not stall the loop
                now = self.clock()
                frame = await self.read(lambda: self._encode_ok(rid, self._mask(client, self._read(rtype, body, now))))
            else:
                result = await self._run(client, rtype, body, idem, rid)
                frame = self._encode_ok(rid, result)
            self._enqueue(client, frame)
        except Exception as exc:  # every failure becomes one structured reply; the connection stays up
            mapped = map_exception(exc)
            if isinstance(exc, Forbidden):
                self._spawn(self.write(lambda: self.store.audit(client.actor, "denied", mapped.code, {
                    "message": mapped.message}, client.remote)))
            self._send_json(client, p.result_error(rid, mapped.code, mapped.message,
                                                   self._mask(client, mapped.details)))

    def _encode_ok(self, rid: int, result: Any) -> str:
        frame = json.dumps(p.result_ok(rid, result), ensure_ascii=False, separators=(",", ":"))
        limit = self.rules.server.max_reply_bytes
        if len(frame) > limit // 3:  # characters; each is at most 3 UTF-8 bytes here
            frame_bytes = len(frame.encode("utf-8"))
            if frame_bytes > limit:
                raise ProtocolError(p.TOO_LARGE, "the reply would exceed the frame limit: narrow the query",
                                    size=frame_bytes, limit=limit)
        return frame

    def _mask(self, client: Client, value: Any) -> Any:
        return mask_value(value) if client.masked else value

    async def _run(self, client: Client, rtype: str, body: dict[str, Any], idem: str | None, rid: int) -> Any:
        now = self.clock()
        if rtype == "ping":
            return {"server_time": iso(now), "head_seq": self.published_seq}
        if rtype == "subscribe":
            return await self._subscribe(client, rid, body)
        if rtype == "unsubscribe":
            if client.subs.pop(body["sub"], None) is None:
                raise ProtocolError(p.NOT_FOUND, f"no subscription {body['sub']}")
            return {"sub": body["sub"]}
        result = await self.execute(WriteJob(rtype, client.actor, body, idem, now))
        return self._mask(client, result.result)

    def _read(self, rtype: str, body: dict[str, Any], now: float) -> Any:
        if rtype == "snapshot":
            return self.store.snapshot(body["what"], now)
        if rtype == "case.get":
            return self.store.get_case(body["id"], now)
        if rtype == "cases.query":
            return self.store.query_cases(body, now)
        if rtype == "stats.wall":
            return self.store.stats_wall(body.get("days", 30), now)
        return self.store.stats_today(now)

    async def _subscribe(self, client: Client, rid: int, body: dict[str, Any]) -> dict[str, Any]:
        kinds = tuple(body.get("kinds", ()))
        head = self.published_seq
        after = body.get("after_seq")
        if after is None:
            client.subs[rid] = Subscription(rid, kinds, last_sent=head, live=True)
            return {"sub": rid, "head_seq": head, "epoch": self.store.epoch}
        epoch = body.get("epoch")
        if epoch is None:
            raise ProtocolError(p.INVALID_FORMAT, "resuming (after_seq) needs the epoch it was counted in",
                                path="body.epoch")
        if epoch != self.store.epoch:
            raise ProtocolError(p.RESYNC_REQUIRED, "the event log epoch changed: reload the snapshot",
                                epoch=self.store.epoch, head_seq=head)
        if after > head or head - after > self.rules.server.replay_window_events:
            raise ProtocolError(p.RESYNC_REQUIRED, "that seq is outside the replay window: reload the snapshot",
                                epoch=self.store.epoch, head_seq=head,
                                oldest_replayable=max(0, head - self.rules.server.replay_window_events))
        sub = Subscription(rid, kinds, last_sent=after, live=False)
        client.subs[rid] = sub
        self._spawn(self._catch_up(client, sub))
        return {"sub": rid, "head_seq": head, "epoch": self.store.epoch}

    async def _catch_up(self, client: Client, sub: Subscription) -> None:
        """Replays stored events after `sub.last_sent`, then switches the subscription to live delivery."""
        await asyncio.sleep(0)  # let the subscribe reply be queued first
        masked = client.masked
        while not client.closing and client.subs.get(sub.id) is sub:
            batch = await self.read(lambda: self.store.events_after(sub.last_sent, CATCH_UP_BATCH))
            for event in batch:
                if sub.wants(event.kind):
                    self._enqueue(client, self._event_frame(sub.id, event, self._event_body(event, masked)))
                sub.last_sent = event.seq
            if len(batch) < CATCH_UP_BATCH and sub.last_sent >= self.published_seq:
                break
            if not batch:  # published but not yet visible to readers: look again shortly
                await asyncio.sleep(0.005)
        sub.live = True
        held, sub.held = sub.held, []
        for event in held:
            if event.seq > sub.last_sent and sub.wants(event.kind):
                self._enqueue(client, self._event_frame(sub.id, event, self._event_body(event, masked)))
                sub.last_sent = event.seq

    # -- users that were disabled or expired while connected ------------------------------------------
    async def revalidate_now(self) -> int:
        """Closes connections of users disabled (4403) or whose token expired (4401); returns how many."""
        clients = [c for c in self.clients if not c.closing]
        if not clients:
            return 0
        now = self.clock()
        status = await self.read(lambda: self.store.user_status({c.actor.user_id for c in clients}, now))
        closed = 0
        for client in clients:
            verdict = status.get(client.actor.user_id, "disabled")
            if verdict == "ok" or client.closing:
                continue
            client.closing = True
            code = p.CLOSE_PERMISSION_REVOKED if verdict == "disabled" else p.CLOSE_AUTH_FAILED
            self._spawn(self._close(client, code, f"user {verdict}"))
            closed += 1
        return closed

    async def _revalidate_loop(self) -> None:
        while True:
            await asyncio.sleep(self.rules.server.revalidate_s)
            try:
                await self.revalidate_now()
            except Exception:
                log.exception("revalidation failed")

    # -- deadlines --------------------------------------------------------------------------------
    async def sweep_now(self) -> list[StoredEvent]:
        now = self.clock()
        return await self.write(lambda: self.store.sweep_deadlines(now))

    async def _sweep_loop(self) -> None:
        while True:
            try:
                await self.sweep_now()
            except Exception:
                log.exception("deadline sweep failed")
            speed = float(getattr(self.clock, "speed", 1.0))
            await asyncio.sleep(max(0.5, self.rules.server.deadline_sweep_s / speed))


def encode_text_frame(payload: bytes) -> bytes:
    """One unmasked, final text frame (RFC 6455 §5.2), as a server sends it without compression.

    The hub frames an event once and writes the same bytes to every connection subscribed with the same id
    and masking; websockets itself still writes control frames (ping, pong, close) on the same transport,
    which RFC 6455 allows between messages (we never fragment).
    """
    n = len(payload)
    if n < 126:
        header = bytes((0x81, n))
    elif n < 65536:
        header = bytes((0x81, 126)) + n.to_bytes(2, "big")
    else:
        header = bytes((0x81, 127)) + n.to_bytes(8, "big")
    return header + payload


def _loads_or_none(raw: str | bytes) -> Any:
    try:
        return json.loads(raw)
    except (ValueError, TypeError):
        return None
