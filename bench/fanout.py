"""Fan-out latency: a change committed by a driver → the event arriving at each of 200 subscribed clients.

Setup (all on 127.0.0.1, every process its own):
  server   `main.py serve --db bench/out/fanout-*.sqlite --demo` (SQLite, WAL, synchronous=FULL)
  driver   this process: 16 duty-officer connections (websockets client), paced at RATE changes/s,
           a mix of 50 % case.report (unique title), 25 % case.register, 25 % case.dispatch.
           It records time.perf_counter() just before each send and maps the `seq` of the reply to it.
  clients  WORKERS forked processes holding CLIENTS/WORKERS connections each (a lean RFC 6455 client on
           asyncio.Protocol: no JSON decode, it only reads `"seq":N` and the perf_counter() of arrival).
           perf_counter is CLOCK_MONOTONIC, shared by all processes on the machine.
  latency  the issue's figure: arrival(client, seq) - commit(seq), commit = time.perf_counter() in the server's
           writer right after the transaction holding the event committed (the server writes these stamps on
           stop when CCC_COMMIT_STAMPS names a file). Beside it, in the notes: arrival - send(seq), the whole path
           request → validation → writer → commit → publish → websocket → client, and the driver's ack time.
"rate" is changes acknowledged / (last reply - start): above the server's capacity it is the capacity.
Baseline in the same run: a raw websockets echo server (separate process), the same 200 lean clients,
1 KB round trips at 1/s per client and at r/s per client for the fan-out rates r (the echo server then
sends as many frames per second as the hub does at r changes/s, and receives as many).

    .venv/bin/python bench/fanout.py [--quick] [--clients 200] [--workers 2] [--rate 200]
Diagnosis: --profile (py-spy on the server, if installed), --phases, --no-echo.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import multiprocessing as mp
import os
import subprocess
import sys
import time
from array import array
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import (
    HOST,
    OUT,
    CpuMeter,
    EchoProc,
    LeanWS,
    Rpc,
    ServerProc,
    add_user,
    base_args,
    event_seq,
    gather_bounded,
    lat_summary,
    lean_subscriber,
    print_header,
    print_table,
    report_body,
)

from services.backend.writer import COMMIT_STAMPS_ENV

TARGET_P99_MS = 50.0
DRIVER_CONNECTIONS = 16  # the hub's token bucket allows 50 requests/s per connection (burst 200)
WARMUP_S = 1.0


# -- client workers (forked processes) ----------------------------------------------------------
def worker_main(conn: Any, mode: str, port: int, token: str, n: int, index: int) -> None:
    asyncio.run(_worker(conn, mode, port, token, n, index))


async def _worker(conn: Any, mode: str, port: int, token: str, n: int, index: int) -> None:
    loop = asyncio.get_running_loop()
    cmds: asyncio.Queue[Any] = asyncio.Queue()
    loop.add_reader(conn.fileno(), lambda: cmds.put_nowait(conn.recv()))
    try:
        if mode == "fanout":
            await _fanout_worker(conn, cmds, port, token, n, index)
        else:
            await _echo_worker(conn, cmds, port, n)
    except Exception as exc:  # report, never hang the parent
        conn.send(("error", repr(exc)))


async def _fanout_worker(conn: Any, cmds: asyncio.Queue, port: int, token: str, n: int, index: int) -> None:
    seqs, times = array("q"), array("d")

    def on_message(payload: bytes, arrival: float) -> None:
        seq = event_seq(payload)
        if seq is not None:
            seqs.append(seq)
            times.append(arrival)

    clients = await gather_bounded([lean_subscriber(port, token, f"wall-{index}-{i}") for i in range(n)], 10)
    for c in clients:
        c.on_message = on_message
    conn.send(("ready", len(clients)))
    cmd = await asyncio.wait_for(cmds.get(), 3600)
    assert cmd == "stop", cmd
    closed = sum(1 for c in clients if c.closed.done())
    conn.send(("result", seqs, times, closed))
    await gather_bounded([c.close() for c in clients], 50)


async def _echo_worker(conn: Any, cmds: asyncio.Queue, port: int, n: int) -> None:
    clients = await gather_bounded([LeanWS.connect(HOST, port) for _ in range(n)], 10)
    pending: dict[int, asyncio.Future[float]] = {}
    for i, c in enumerate(clients):
        def on_message(payload: bytes, arrival: float, i: int = i) -> None:
            fut = pending.pop(i, None)
            if fut is not None and not fut.done():
                fut.set_result(arrival)
        c.on_message = on_message
    conn.send(("ready", len(clients)))
    while True:
        cmd = await asyncio.wait_for(cmds.get(), 3600)
        if cmd == "stop":
            break
        _, rate, seconds, t_start = cmd
        per_client = await asyncio.gather(*(_echo_loop(i, n, ws, pending, rate, t_start, t_start + seconds)
                                            for i, ws in enumerate(clients)))
        conn.send(("result", array("d", [x for r in per_client for x in r])))
    await gather_bounded([c.close() for c in clients], 50)


async def _echo_loop(i: int, n: int, ws: LeanWS, pending: dict[int, asyncio.Future[float]], rate: float,
                     t_start: float, end: float) -> list[float]:
    """One client: a 1 KB round trip every 1/rate s (phases staggered over the clients), closed loop."""
    loop = asyncio.get_running_loop()
    payload = b"x" * 1024
    interval = 1.0 / rate
    rtts: list[float] = []
    t_next = t_start + interval * i / n
    while t_next < end:
        delay = t_next - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        fut = loop.create_future()
        pending[i] = fut
        sent = time.perf_counter()
        ws.send_text(payload)
        arrived = await asyncio.wait_for(fut, 30)
        rtts.append(arrived - sent)
        t_next = max(t_next + interval, time.perf_counter())  # closed loop: no backlog if late
    return rtts


class Workers:
    """WORKERS forked processes holding `clients` connections in total."""

    def __init__(self, mode: str, port: int, token: str, clients: int, workers: int) -> None:
        ctx = mp.get_context("fork")
        self.pipes, self.procs = [], []
        for w in range(workers):
            n = clients // workers + (1 if w < clients % workers else 0)
            parent, child = ctx.Pipe()
            proc = ctx.Process(target=worker_main, args=(child, mode, port, token, n, w), daemon=True)
            proc.start()
            self.pipes.append(parent)
            self.procs.append(proc)
        self.connected = 0
        for msg in self.recv_all(120):
            self.connected += msg[1]

    @property
    def pids(self) -> dict[str, int]:
        return {f"clients{i}": p.pid for i, p in enumerate(self.procs)}

    def recv_all(self, timeout: float) -> list[Any]:
        out = []
        for pipe in self.pipes:
            if not pipe.poll(timeout):
                raise TimeoutError("a client worker did not answer")
            msg = pipe.recv()
            if msg[0] == "error":
                raise RuntimeError(f"client worker failed: {msg[1]}")
            out.append(msg)
        return out

    def send_all(self, cmd: Any) -> None:
        for pipe in self.pipes:
            pipe.send(cmd)

    def close(self) -> None:
        for proc in self.procs:
            proc.join(20)
            if proc.is_alive():
                proc.terminate()
                proc.join(5)


# -- the driver -----------------------------------------------------------------------------------
async def drive(url: str, token: str, phases: list[tuple[float, float]]) -> list[dict[str, Any]]:
    rpcs = [await Rpc.open(url, token, f"driver-{i}") for i in range(DRIVER_CONNECTIONS)]
    results = []
    serial = [0]
    try:
        for rate, seconds in phases:
            results.append(await drive_phase(rpcs, rate, seconds, serial))
            await asyncio.sleep(2.0)  # let the fan-out drain before the next phase / the collection
    finally:
        for rpc in rpcs:
            await rpc.close()
    return results


async def drive_phase(rpcs: list[Rpc], rate: float, seconds: float, serial: list[int]) -> dict[str, Any]:
    """RATE changes/s for SECONDS, round-robin over the driver connections; send time keyed by the reply's seq."""
    send_t: dict[int, float] = {}
    acks: list[float] = []
    errors: collections.Counter[str] = collections.Counter()
    reported: collections.deque[tuple[int, int]] = collections.deque()
    registered: collections.deque[tuple[int, int]] = collections.deque()
    tasks = []

    async def settle(kind: str, sent: float, fut: asyncio.Future) -> None:
        try:
            reply = await asyncio.wait_for(fut, 300)
        except Exception as exc:
            errors[f"{type(exc).__name__}({exc})" if isinstance(exc, ConnectionError) else type(exc).__name__] += 1
            return
        now = time.perf_counter()
        if not reply["ok"]:
            errors[reply["error"]["code"]] += 1
            return
        res = reply["result"]
        send_t[res["seq"]] = sent
        acks.append(now - sent)
        if kind == "report":
            reported.append((res["id"], res["version"]))
        elif kind == "register":
            registered.append((res["id"], res["version"]))

    total = int(rate * seconds)
    t0 = time.perf_counter() + 0.2
    for k in range(total):
        delay = t0 + k / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        rpc = rpcs[k % len(rpcs)]
        if k % 4 == 1 and reported:
            cid, ver = reported.popleft()
            kind, rtype, body = "register", "case.register", {"id": cid, "expected_version": ver}
        elif k % 4 == 3 and registered:
            cid, ver = registered.popleft()
            kind, rtype = "dispatch", "case.dispatch"
            body = {"id": cid, "expected_version": ver, "lead_department_id": 1 + k % 38,
                    "resolution_class": "immediate"}
        else:
            serial[0] += 1
            kind, rtype, body = "report", "case.report", report_body(f"fanout-bench-{serial[0]:07d}")
        sent = time.perf_counter()
        _, fut = await rpc.send(rtype, body)
        tasks.append(asyncio.ensure_future(settle(kind, sent, fut)))
    await asyncio.wait_for(asyncio.gather(*tasks), 600)
    t_done = time.perf_counter()  # all replies in: under overload this is the server's throughput
    return {"rate": rate, "seconds": seconds, "t0": t0, "send_t": send_t, "acks": acks,
            "errors": dict(errors), "achieved": len(send_t) / max(1e-9, t_done - t0)}


# -- the runs -------------------------------------------------------------------------------------
def run_echo(clients: int, workers: int, loads: list[tuple[str, float, float]]) -> list[list[Any]]:
    rows = []
    with EchoProc() as echo:
        pool = Workers("echo", echo.port, "", clients, workers)
        try:
            for label, per_client, seconds in loads:
                meter = CpuMeter({"echo-server": echo.pid, **pool.pids})
                meter.start()
                pool.send_all(("go", per_client, seconds, time.perf_counter() + 0.5))
                rtts = [x for msg in pool.recv_all(seconds + 120) for x in msg[1]]
                meter.stop()
                s = lat_summary(rtts)
                rows.append([f"echo 1 KB round trip, {label}", f"{len(rtts) / seconds:,.0f} rt/s", s["n"],
                             s["p50"], s["p99"], s["max"], meter.describe()])
        finally:
            pool.send_all("stop")
            pool.close()
    return rows


def run_fanout(clients: int, workers: int, phases: list[tuple[float, float]],
               profile: bool = False) -> tuple[list[list[Any]], list[str]]:
    OUT.mkdir(parents=True, exist_ok=True)
    db = OUT / f"fanout-{int(time.time())}.sqlite"
    stamps_file = OUT / "fanout-commit-stamps.txt"
    stamps_file.unlink(missing_ok=True)
    os.environ[COMMIT_STAMPS_ENV] = str(stamps_file)  # the server writes each event's commit time on stop
    notes = []
    try:
        driver_token = add_user(db, "bench_duty", "duty_officer")
        wall_token = add_user(db, "bench_wall", "leader")
        with ServerProc(db, log_name="fanout-server.log") as server:
            pool = Workers("fanout", server.port, wall_token, clients, workers)
            try:
                meter = CpuMeter({"server": server.pid, **pool.pids, "driver": _self_pid()})
                spy = start_py_spy(server.pid, sum(s for _, s in phases)) if profile else None
                meter.start()
                results = asyncio.run(drive(server.url, driver_token, phases))
                meter.stop()
                if spy is not None:
                    notes.extend(finish_py_spy(spy))
                pool.send_all("stop")
                parts = pool.recv_all(300)
            finally:
                pool.close()
        committed = read_commit_stamps(stamps_file)
        closed = sum(p[3] for p in parts)
        notes.append(f"CPU over all phases (% of one core): {meter.describe()}")
        if closed:
            notes.append(f"WARNING: {closed} client connections were closed by the server during the run")
        rows = []
        for r in results:
            send_t, start = r["send_t"], r["t0"] + WARMUP_S
            measured = {seq for seq, t in send_t.items() if t >= start}
            from_send: list[float] = []
            from_commit: list[float] = []
            for _, seqs, times, _ in parts:
                for seq, arrived in zip(seqs, times, strict=True):
                    if seq in measured:
                        from_send.append(arrived - send_t[seq])
                        from_commit.append(arrived - committed[seq])
            c, s, a = lat_summary(from_commit), lat_summary(from_send), lat_summary(r["acks"])
            delivered = 100.0 * len(from_commit) / max(1, len(measured) * clients)
            err = ", ".join(f"{k}×{v}" for k, v in r["errors"].items()) or "-"
            verdict = "met" if c["p99"] <= TARGET_P99_MS else "MISSED"
            rows.append([f"fan-out {r['rate']:.0f} changes/s × {clients} clients", f"{r['achieved']:,.0f} ch/s",
                         c["n"], c["p50"], c["p99"], c["max"],
                         f"send→client p50 {s['p50']:.1f} p99 {s['p99']:.1f}; ack p50 {a['p50']:.1f} "
                         f"p99 {a['p99']:.1f}; delivered {delivered:.1f} %; errors {err}; "
                         f"commit→client p99≤{TARGET_P99_MS:.0f} {verdict}"])
        return rows, notes
    finally:
        for suffix in ("", "-wal", "-shm", ".lock"):
            with contextlib.suppress(FileNotFoundError):
                Path(f"{db}{suffix}").unlink()
        with contextlib.suppress(FileNotFoundError):
            db.with_name("demo-tokens.json").unlink()


def read_commit_stamps(path: Path) -> dict[int, float]:
    """seq -> perf_counter() right after the writer's commit (written by the server on stop)."""
    if not path.exists():
        raise RuntimeError(f"the server wrote no commit stamps to {path} (did it stop cleanly?)")
    out: dict[int, float] = {}
    for line in path.read_text().splitlines():
        seq, at = line.split()
        out[int(seq)] = float(at)
    return out


def start_py_spy(pid: int, seconds: float) -> tuple[subprocess.Popen, Path] | None:
    """Samples the server with py-spy (diagnosis only; `uv pip install py-spy` into the venv).
    Extra py-spy flags from CCC_BENCH_PYSPY_FLAGS, e.g. "--gil" (only the GIL holder) or "--idle"."""
    exe = Path(sys.executable).with_name("py-spy")
    if not exe.exists():
        return None
    out = OUT / "fanout-server.pyspy.txt"
    proc = subprocess.Popen([str(exe), "record", "--pid", str(pid), "--duration", str(int(seconds) + 2),
                             "--rate", "200", "--format", "raw", "--threads", "--nonblocking", "--output", str(out),
                             *os.environ.get("CCC_BENCH_PYSPY_FLAGS", "").split()],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return proc, out


def finish_py_spy(spy: tuple[subprocess.Popen, Path]) -> list[str]:
    """Self time by function and by thread, from py-spy's collapsed stacks."""
    proc, out = spy
    try:
        proc.wait(60)
    except subprocess.TimeoutExpired:
        proc.kill()
        return ["py-spy did not finish"]
    own: collections.Counter[str] = collections.Counter()
    incl: collections.Counter[str] = collections.Counter()
    threads: collections.Counter[str] = collections.Counter()
    total = 0
    for line in out.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        n = int(count)
        frames = stack.split(";")
        total += n
        threads[frames[0][:40]] += n
        own[frames[-1]] += n
        for f in set(frames[1:]):
            incl[f] += n
    lines = [f"py-spy on the server ({total} samples, {out}): by thread "
             + ", ".join(f"{k} {100 * v / total:.0f}%" for k, v in threads.most_common(4))]
    lines += [f"  self {100 * v / total:4.1f}%  {k[:110]}" for k, v in own.most_common(12)]
    lines += [f"  incl {100 * v / total:4.1f}%  {k[:110]}" for k, v in incl.most_common(25)]
    return lines


def _self_pid() -> int:
    return os.getpid()


def main() -> None:
    parser = base_args(__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2, help="client processes")
    parser.add_argument("--rate", type=float, default=200.0, help="changes/s of the main phase")
    parser.add_argument("--profile", action="store_true", help="sample the server with py-spy (if installed)")
    parser.add_argument("--phases", default=None, metavar="RATE:SECONDS,...",
                        help="diagnosis: the fan-out phases to run instead of the default ladder")
    parser.add_argument("--no-echo", action="store_true", help="skip the echo baseline (diagnosis runs only)")
    args = parser.parse_args()
    if args.quick:
        phases = [(args.rate, 5.0)]
        echo_loads = [(1.0, 3.0), (args.rate / 4, 4.0)]
    else:
        phases = [(args.rate / 8, 15.0), (args.rate / 4, 15.0), (args.rate / 2, 15.0), (args.rate, 20.0)]
        echo_loads = [(1.0, 10.0), (args.rate / 8, 10.0), (args.rate / 4, 10.0), (args.rate, 10.0)]
    if args.phases:
        phases = [(float(r), float(sec)) for r, sec in (p.split(":") for p in args.phases.split(","))]
    print_header("fan-out: commit → event at every subscribed client", args.quick, [
        f"{args.clients} subscribed clients in {args.workers} forked client processes (lean asyncio.Protocol "
        f"websocket client); driver: {DRIVER_CONNECTIONS} connections in the main process; server: its own "
        "process; latency = the writer's commit (perf_counter in the server, recorded with "
        f"{COMMIT_STAMPS_ENV}) → event arrival at a client (perf_counter, same CLOCK_MONOTONIC); the notes add "
        "driver send → arrival and the driver's ack time",
        f"change mix: 50 % case.report, 25 % case.register, 25 % case.dispatch; first {WARMUP_S:.0f} s of "
        "each phase not counted",
    ])
    echo_rows = [] if args.no_echo else run_echo(
        args.clients, args.workers, [(f"{r:.0f}/s per client", r, secs) for r, secs in echo_loads])
    fan_rows, notes = run_fanout(args.clients, args.workers, phases, args.profile)
    print()
    print_table(["what", "rate", "samples", "p50 ms", "p99 ms", "max ms", "notes (fan-out: p50/p99/max are commit → "
                 "client)"], echo_rows + fan_rows)
    for note in notes:
        print(f"   {note}")
    echo_by_rate = {r: row for (r, _), row in zip(echo_loads, echo_rows, strict=False)}
    for row, (rate, _) in zip(fan_rows, phases, strict=False):
        if rate in echo_by_rate:
            print(f"   ratio p99 fan-out at {rate:.0f} changes/s / echo at {rate:.0f}/s per client (same frames out "
                  f"of the server): {row[4] / max(1e-9, echo_by_rate[rate][4]):.1f}×  [{row[0]}]")


if __name__ == "__main__":
    main()
