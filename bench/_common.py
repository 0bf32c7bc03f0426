"""Shared helpers for the benchmarks in bench/ (not part of the test run).

- `ServerProc`: the real server (`main.py serve`) in its own process on 127.0.0.1, `add_user` via `main.py user add`.
- `EchoProc`: a raw websockets echo server in its own process (the baseline), `python bench/_common.py echo`.
- `LeanWS`: a minimal RFC 6455 client on asyncio.Protocol, so that hundreds of receiving connections cost the
  client processes little (no per-frame task, no JSON decode: we only pick out `"seq":N`).
- `Rpc`: a protocol-v1 client on the websockets library (driver and subscriber: few connections).
- Small stats and table helpers.

All traffic goes to 127.0.0.1 only. Every wait is bounded.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import json
import math
import os
import platform
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
PY = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv" / "bin" / "python").exists() else sys.executable
HOST = "127.0.0.1"

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


# -- machine --------------------------------------------------------------------------------------
def machine_info() -> list[str]:
    lines = [f"python {platform.python_version()} on {platform.platform()}", f"nproc: {os.cpu_count()}"]
    with contextlib.suppress(Exception):
        out = subprocess.run(["lscpu"], capture_output=True, text=True, timeout=10).stdout
        for line in out.splitlines():
            if line.split(":")[0].strip() in ("Model name", "CPU(s)", "Hypervisor vendor"):
                lines.append(" ".join(line.split()))
    with contextlib.suppress(Exception):
        rev = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                             timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "services", "config", "main.py"], cwd=ROOT,
                               capture_output=True, text=True, timeout=10).stdout.strip().splitlines()
        lines.append(f"code under test: commit {rev}, services/ config/ main.py "
                     f"{'clean' if not dirty else f'with {len(dirty)} uncommitted change(s)'}")
    with contextlib.suppress(Exception):
        import sqlalchemy
        import websockets

        lines.append(f"websockets {websockets.__version__}, SQLAlchemy {sqlalchemy.__version__}")
    return lines


def print_header(title: str, quick: bool, extra: Iterable[str] = ()) -> None:
    print(f"== {title} ({'quick' if quick else 'full'} mode) ==")
    for line in [*machine_info(), background_load(wait_quiet_s=15.0 if quick else 120.0)]:
        print(f"   {line}")
    for line in extra:
        print(f"   {line}")
    sys.stdout.flush()


def print_table(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    rows = [[_fmt(v) for v in r] for r in rows]
    widths = [max(len(str(h)), *(len(r[i]) for r in rows)) if rows else len(str(h)) for i, h in enumerate(headers)]
    print("  ".join(str(h).ljust(w) for h, w in zip(headers, widths, strict=True)))
    print("  ".join("-" * w for w in widths))
    for r in rows:
        print("  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)))
    sys.stdout.flush()


def _fmt(v: Any) -> str:
    if isinstance(v, float):
        return f"{v:,.2f}" if abs(v) < 1000 else f"{v:,.0f}"
    if isinstance(v, int):
        return f"{v:,}"
    return str(v)


def percentile(sorted_values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile of an already sorted sequence (q in 0..100)."""
    if not sorted_values:
        return float("nan")
    k = max(0, min(len(sorted_values) - 1, math.ceil(q / 100.0 * len(sorted_values)) - 1))
    return sorted_values[k]


def lat_summary(values_s: Iterable[float]) -> dict[str, float]:
    """p50/p99/max in milliseconds."""
    v = sorted(values_s)
    return {"n": len(v), "p50": percentile(v, 50) * 1e3, "p99": percentile(v, 99) * 1e3,
            "max": (v[-1] * 1e3) if v else float("nan")}


def median(values: Sequence[float]) -> float:
    v = sorted(values)
    return v[len(v) // 2] if len(v) % 2 else (v[len(v) // 2 - 1] + v[len(v) // 2]) / 2


def exec_with_probe(app: Any, tick_ms: int, tick: Callable[[], None], first: Callable[[], None]) -> None:
    """One `app.exec()` (never a second: Qt 6's quit() closes the windows) with a precise timer calling `tick` every
    `tick_ms` on the Qt thread — the stall probe — and `first` called as the loop starts."""
    from PySide6.QtCore import Qt, QTimer

    timer = QTimer()
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    timer.setInterval(tick_ms)
    timer.timeout.connect(tick)
    timer.start()
    QTimer.singleShot(0, first)
    app.exec()
    timer.stop()


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def rss_mb(pid: int) -> float:
    import psutil

    return psutil.Process(pid).memory_info().rss / 2**20


class CpuMeter:
    """CPU used by a set of processes between start() and stop() (psutil), and by everything else on the machine.

    The machine is shared (other engineers run tests on it): `others` is the busy time of all CPUs minus ours,
    in % of one core, so a reader can tell a quiet run from a contended one.
    """

    def __init__(self, pids: dict[str, int]) -> None:
        import psutil

        self.psutil = psutil
        self.procs = {name: psutil.Process(pid) for name, pid in pids.items()}
        self.t0 = 0.0
        self.c0: dict[str, float] = {}
        self.result: dict[str, float] = {}

    def _cpu(self) -> dict[str, float]:
        out = {}
        for name, p in self.procs.items():
            try:
                ct = p.cpu_times()
                out[name] = ct.user + ct.system
            except Exception:
                out[name] = float("nan")
        sys_t = self.psutil.cpu_times()
        out["_machine"] = sum(sys_t) - sys_t.idle - getattr(sys_t, "iowait", 0.0)
        return out

    def start(self) -> None:
        self.t0, self.c0 = time.perf_counter(), self._cpu()

    def stop(self) -> dict[str, float]:
        """Returns % of one core per process over the interval (+ `others`: the rest of the machine)."""
        wall = time.perf_counter() - self.t0
        c1 = self._cpu()
        res = {k: 100.0 * (c1[k] - self.c0[k]) / wall for k in c1}
        machine = res.pop("_machine")
        res["others"] = max(0.0, machine - sum(v for v in res.values() if v == v))
        self.result = res
        return res

    def describe(self) -> str:
        return ", ".join(f"{k} {v:.0f}%" for k, v in self.result.items())


def background_load(wait_quiet_s: float = 120.0) -> str:
    """Waits (bounded) until the machine is quiet, then names the busiest foreign processes (the machine is shared)."""
    import psutil

    t0 = time.monotonic()
    busy_pct = psutil.cpu_percent(interval=1.0) * (os.cpu_count() or 1)
    while busy_pct > 30.0 and time.monotonic() - t0 < wait_quiet_s:
        busy_pct = psutil.cpu_percent(interval=2.0) * (os.cpu_count() or 1)
    waited = time.monotonic() - t0
    me = os.getpid()
    procs = []
    for p in psutil.process_iter(["pid", "cmdline"]):
        with contextlib.suppress(Exception):
            if p.pid != me:
                p.cpu_percent(None)
                procs.append(p)
    time.sleep(1.0)
    busy = []
    for p in procs:
        with contextlib.suppress(Exception):
            pct = p.cpu_percent(None)
            if pct >= 5:
                busy.append(f"{' '.join(p.info['cmdline'][:3])[:60]} {pct:.0f}%")
    la = os.getloadavg()
    return (f"background load at start (after waiting {waited:.0f} s, at most {wait_quiet_s:.0f} s, for a quiet "
            f"machine): {busy_pct:.0f}% of one core busy, loadavg {la[0]:.2f}; "
            f"busy processes: {'; '.join(busy) or 'none'}")


# -- the server under test -----------------------------------------------------------------------
def add_user(db: Path | str, name: str, role: str, department: int | None = None,
             township: int | None = None) -> str:
    """`main.py user add`; returns the token (printed on the last line)."""
    cmd = [PY, "main.py", "user", "add", name, "--role", role, "--db", str(db)]
    if department is not None:
        cmd += ["--department", str(department)]
    if township is not None:
        cmd += ["--township", str(township)]
    out = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=120)
    if out.returncode != 0:
        raise RuntimeError(f"user add {name} failed: {out.stderr.strip()}")
    return out.stdout.strip().splitlines()[-1].strip()


class _Proc:
    ready_marker = ""

    def __init__(self, cmd: list[str], log_name: str, timeout: float = 60.0) -> None:
        (OUT / "logs").mkdir(parents=True, exist_ok=True)
        self.log_path = OUT / "logs" / log_name
        self._log = self.log_path.open("w")
        self.proc = subprocess.Popen(cmd, cwd=ROOT, stdout=self._log, stderr=subprocess.STDOUT,
                                     env={**os.environ, "PYTHONUNBUFFERED": "1"}, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{cmd} exited with {self.proc.returncode}: {self.log_path.read_text()[-2000:]}")
            if self.ready_marker in self.log_path.read_text(errors="replace"):
                return
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"{cmd} did not become ready within {timeout} s: {self.log_path.read_text()[-2000:]}")

    @property
    def pid(self) -> int:
        return self.proc.pid

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self._log.close()

    def __enter__(self) -> _Proc:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()


class ServerProc(_Proc):
    """`main.py serve --db FILE --port P [--demo]` in its own process."""

    ready_marker = "ccc server listening on"

    def __init__(self, db: Path | str, port: int | None = None, demo: bool = True,
                 log_name: str = "server.log") -> None:
        self.port = port or free_port()
        self.url = f"ws://{HOST}:{self.port}"
        args = ["serve", "--db", str(db), "--host", HOST, "--port", str(self.port), "--demo" if demo else "--no-demo"]
        super().__init__([PY, "main.py", *args], log_name)


class EchoProc(_Proc):
    """The baseline: a raw websockets echo server (no auth, no JSON), same library and settings."""

    ready_marker = "echo listening"

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        super().__init__([PY, str(Path(__file__).resolve()), "echo", "--port", str(self.port)], "echo.log")


async def _echo_main(port: int) -> None:
    from websockets.asyncio.server import serve

    async def handler(ws: Any) -> None:
        with contextlib.suppress(Exception):
            async for message in ws:
                await ws.send(message)

    async with serve(handler, HOST, port, compression=None, max_size=2**20, ping_interval=20, ping_timeout=20):
        print(f"echo listening on {HOST}:{port}", flush=True)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        await stop.wait()


def bare_import_rss_mb() -> float:
    """RSS of a fresh Python process that imported the server's modules and nothing more (baseline)."""
    code = ("import psutil, services.backend.hub, services.backend.server, services.backend.store, "
            "services.backend.seed, services.protocol, websockets.asyncio.server; "
            "print(psutil.Process().memory_info().rss)")
    out = subprocess.run([PY, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    return int(out.stdout.strip().splitlines()[-1]) / 2**20


# -- a lean websocket client --------------------------------------------------------------------
class LeanWS(asyncio.Protocol):
    """RFC 6455 client, text frames only, on a bare asyncio.Protocol.

    Before `on_message` is set, messages go to an internal queue for `recv()` (the handshake phase).
    `on_message(payload: bytes, arrival: float)` gets the perf_counter() of the read that completed it.
    """

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.transport: asyncio.Transport | None = None
        self.buf = bytearray()
        self.upgraded = False
        self.opened: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.closed: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.queue: asyncio.Queue[bytes] = asyncio.Queue()
        self.on_message: Callable[[bytes, float], None] | None = None
        self._frags: list[bytes] = []

    @classmethod
    async def connect(cls, host: str, port: int, timeout: float = 20.0) -> LeanWS:
        loop = asyncio.get_running_loop()
        _, proto = await asyncio.wait_for(loop.create_connection(lambda: cls(host, port), host, port), timeout)
        await asyncio.wait_for(proto.opened, timeout)
        return proto

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]
        sock = transport.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        key = base64.b64encode(os.urandom(16)).decode()
        self.transport.write((f"GET / HTTP/1.1\r\nHost: {self.host}:{self.port}\r\nUpgrade: websocket\r\n"
                              f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                              f"Sec-WebSocket-Version: 13\r\n\r\n").encode())

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.opened.done():
            self.opened.set_exception(ConnectionError("closed during the handshake"))
        if not self.closed.done():
            self.closed.set_result(None)

    def data_received(self, data: bytes) -> None:
        now = time.perf_counter()
        buf = self.buf
        buf += data
        if not self.upgraded:
            end = buf.find(b"\r\n\r\n")
            if end < 0:
                return
            status = bytes(buf[:buf.find(b"\r\n")])
            del buf[:end + 4]
            if b" 101 " not in status:
                self.opened.set_exception(ConnectionError(status.decode(errors="replace")))
                self.transport.close()
                return
            self.upgraded = True
            self.opened.set_result(None)
        pos, n = 0, len(buf)
        while n - pos >= 2:
            b0, b1 = buf[pos], buf[pos + 1]
            ln, hdr = b1 & 0x7F, 2
            if ln == 126:
                if n - pos < 4:
                    break
                ln, hdr = int.from_bytes(buf[pos + 2:pos + 4], "big"), 4
            elif ln == 127:
                if n - pos < 10:
                    break
                ln, hdr = int.from_bytes(buf[pos + 2:pos + 10], "big"), 10
            if n - pos < hdr + ln:
                break
            payload = bytes(buf[pos + hdr:pos + hdr + ln])
            pos += hdr + ln
            opcode = b0 & 0x0F
            if opcode == 9:
                self._send(0xA, payload)
            elif opcode == 8:
                with contextlib.suppress(Exception):
                    self._send(0x8, payload[:2])
                self.transport.close()
            elif opcode in (0, 1, 2):
                if not b0 & 0x80:
                    self._frags.append(payload)
                    continue
                if self._frags:
                    payload = b"".join([*self._frags, payload])
                    self._frags = []
                if self.on_message is not None:
                    self.on_message(payload, now)
                else:
                    self.queue.put_nowait(payload)
        if pos:
            del buf[:pos]

    def _send(self, opcode: int, payload: bytes) -> None:
        n = len(payload)
        if n < 126:
            head = bytes((0x80 | opcode, 0x80 | n))
        elif n < 65536:
            head = bytes((0x80 | opcode, 0x80 | 126)) + n.to_bytes(2, "big")
        else:
            head = bytes((0x80 | opcode, 0x80 | 127)) + n.to_bytes(8, "big")
        mask = os.urandom(4)
        if n:
            full = (mask * (n // 4 + 1))[:n]
            payload = (int.from_bytes(payload, "big") ^ int.from_bytes(full, "big")).to_bytes(n, "big")
        self.transport.write(head + mask + payload)

    def send_text(self, text: str | bytes) -> None:
        self._send(0x1, text.encode() if isinstance(text, str) else text)

    async def recv(self, timeout: float = 20.0) -> bytes:
        return await asyncio.wait_for(self.queue.get(), timeout)

    async def recv_json(self, timeout: float = 20.0) -> dict[str, Any]:
        return json.loads(await self.recv(timeout))

    async def close(self) -> None:
        if self.transport is not None and not self.transport.is_closing():
            with contextlib.suppress(Exception):
                self._send(0x8, (1000).to_bytes(2, "big"))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(asyncio.shield(self.closed), 2)
            self.transport.close()


async def lean_subscriber(port: int, token: str, console: str, body: dict[str, Any] | None = None) -> LeanWS:
    """Connects, authenticates and subscribes (protocol v1) on a LeanWS; returns it before any event arrives."""
    ws = await LeanWS.connect(HOST, port)
    first = await ws.recv_json()
    if first.get("type") != "auth_required":
        raise RuntimeError(f"unexpected first frame {first}")
    ws.send_text(json.dumps({"type": "auth", "token": token, "console": console}))
    ok = await ws.recv_json()
    if ok.get("type") != "auth_ok":
        raise RuntimeError(f"auth failed: {ok}")
    ws.send_text(json.dumps({"id": 1, "type": "subscribe", "body": body or {}}))
    while True:  # events may not arrive before the subscribe reply, but be tolerant
        reply = await ws.recv_json()
        if reply.get("type") == "result" and reply.get("id") == 1:
            break
    if not reply.get("ok"):
        raise RuntimeError(f"subscribe failed: {reply}")
    return ws


SEQ_RE = re.compile(rb'"seq":(\d+)')


def event_seq(payload: bytes) -> int | None:
    """The seq of an event frame without decoding the JSON (the hub writes `"type":"event"` first)."""
    if not payload.startswith(b'{"type":"event"'):
        return None
    m = SEQ_RE.search(payload, 0, 80)
    return int(m.group(1)) if m else None


async def gather_bounded(coros: Iterable[Any], limit: int = 20) -> list[Any]:
    """asyncio.gather with at most `limit` running at once (connection storms hurt nobody but the bench)."""
    sem = asyncio.Semaphore(limit)

    async def one(c: Any) -> Any:
        async with sem:
            return await c

    return await asyncio.gather(*(one(c) for c in coros))


# -- a protocol client on the websockets library ---------------------------------------------------
class RemoteError(Exception):
    def __init__(self, error: dict[str, Any]) -> None:
        super().__init__(f"{error.get('code')}: {error.get('message')}")
        self.code = error.get("code")
        self.error = error


class Rpc:
    """Protocol v1 over websockets: call() with strictly increasing ids; events go to `on_event(msg, t)`."""

    def __init__(self, ws: Any, auth_ok: dict[str, Any]) -> None:
        self.ws = ws
        self.auth_ok = auth_ok
        self.next_id = 1
        self.waiters: dict[int, asyncio.Future[dict[str, Any]]] = {}
        self.on_event: Callable[[dict[str, Any], float], None] | None = None
        self.reader = asyncio.ensure_future(self._read())

    @classmethod
    async def open(cls, url: str, token: str, console: str = "bench") -> Rpc:
        from websockets.asyncio.client import connect

        ws = await asyncio.wait_for(connect(url, max_size=None, compression=None, open_timeout=20), 30)
        first = json.loads(await asyncio.wait_for(ws.recv(), 20))
        if first.get("type") != "auth_required":
            raise RuntimeError(f"unexpected first frame {first}")
        await ws.send(json.dumps({"type": "auth", "token": token, "console": console}))
        reply = json.loads(await asyncio.wait_for(ws.recv(), 20))
        if reply.get("type") != "auth_ok":
            await ws.close()
            raise RuntimeError(f"auth failed: {reply}")
        return cls(ws, reply)

    async def _read(self) -> None:
        with contextlib.suppress(Exception):
            async for raw in self.ws:
                now = time.perf_counter()
                msg = json.loads(raw)
                if msg.get("type") == "result":
                    fut = self.waiters.pop(msg.get("id"), None)
                    if fut is not None and not fut.done():
                        fut.set_result(msg)
                elif msg.get("type") == "event" and self.on_event is not None:
                    self.on_event(msg, now)
        why = f"connection closed: code {self.ws.close_code} {self.ws.close_reason or ''}".strip()
        for fut in self.waiters.values():
            if not fut.done():
                fut.set_exception(ConnectionError(why))

    async def send(self, rtype: str, body: dict[str, Any], change: bool = True) -> tuple[int, asyncio.Future]:
        """Sends one request; returns (id, future of the reply envelope). The caller awaits with a timeout."""
        rid, self.next_id = self.next_id, self.next_id + 1
        frame: dict[str, Any] = {"id": rid, "type": rtype, "body": body}
        if change:
            frame["idem"] = uuid.uuid4().hex
        fut: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self.waiters[rid] = fut
        await self.ws.send(json.dumps(frame, ensure_ascii=False))
        return rid, fut

    async def call(self, rtype: str, body: dict[str, Any] | None = None, change: bool = True,
                   timeout: float = 30.0) -> dict[str, Any]:
        _, fut = await self.send(rtype, body or {}, change)
        reply = await asyncio.wait_for(fut, timeout)
        if not reply["ok"]:
            raise RemoteError(reply["error"])
        return reply["result"]

    async def close(self) -> None:
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self.ws.close(), 5)
        self.reader.cancel()
        with contextlib.suppress(BaseException):
            await self.reader


def report_body(title: str, township_id: int = 1) -> dict[str, Any]:
    return {"channel": "hotline_12345", "category": "市容环境", "title": title, "township_id": township_id,
            "description": "居民反映垃圾三天未清运 (benchmark)", "reporter_name": "张三",
            "reporter_phone": "13812348000"}


def base_args(description: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--quick", action="store_true", help="a short run (< 60 s)")
    return parser


def main() -> None:
    parser = argparse.ArgumentParser(description="bench helpers")
    sub = parser.add_subparsers(dest="cmd", required=True)
    echo = sub.add_parser("echo", help="run the raw websockets echo server (baseline)")
    echo.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    if args.cmd == "echo":
        asyncio.run(_echo_main(args.port))


if __name__ == "__main__":
    main()
