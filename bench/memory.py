"""Server memory: RSS of the `main.py serve` process idle, with 200 subscribed clients, after 1,000 events.

Server in its own process (SQLite, --demo reference data); 200 lean clients (auth + subscribe {}) and the
driver (4 duty-officer connections sending case.report) in this process. RSS from psutil.
Baselines in the same run:
  - a fresh Python process that imported the same modules (services.backend.hub/server/store/seed,
    services.protocol, websockets) and nothing more;
  - the raw websockets echo server (own process): idle, with 200 clients, after as many 1 KB frames
    sent to each client as the server sent events.

    .venv/bin/python bench/memory.py [--quick]
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import (
    HOST,
    OUT,
    EchoProc,
    LeanWS,
    Rpc,
    ServerProc,
    add_user,
    bare_import_rss_mb,
    base_args,
    event_seq,
    gather_bounded,
    lean_subscriber,
    print_header,
    print_table,
    report_body,
    rss_mb,
)

CLIENTS = 200


async def server_phase(server: ServerProc, tokens: dict[str, str], events: int) -> list[tuple[str, float]]:
    out = [("idle (demo reference data loaded, no client)", rss_mb(server.pid))]
    counts = [0] * CLIENTS
    clients = await gather_bounded(
        [lean_subscriber(server.port, tokens["wall"], f"wall-{i}") for i in range(CLIENTS)], 10)
    for i, c in enumerate(clients):
        def on_message(payload: bytes, _t: float, i: int = i) -> None:
            if event_seq(payload) is not None:
                counts[i] += 1
        c.on_message = on_message
    await asyncio.sleep(1.0)
    out.append((f"{CLIENTS} clients connected, authenticated, subscribed", rss_mb(server.pid)))
    drivers = [await Rpc.open(server.url, tokens["duty"], f"driver-{i}") for i in range(4)]
    sent = 0

    async def drive(rpc: Rpc, share: int, offset: int) -> None:
        nonlocal sent
        for k in range(share):
            await rpc.call("case.report", report_body(f"memory-bench-{offset + k:06d}"), timeout=120)
            sent += 1
            await asyncio.sleep(0.02)  # ≤ 50 requests/s per connection (the hub's token bucket)

    share = events // len(drivers)
    await asyncio.wait_for(asyncio.gather(*(drive(r, share, i * share) for i, r in enumerate(drivers))), 900)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and min(counts) < sent:
        await asyncio.sleep(0.1)
    out.append((f"after {sent:,} events fanned out to the {CLIENTS} clients (min received {min(counts):,})",
                rss_mb(server.pid)))
    for rpc in drivers:
        await rpc.close()
    await gather_bounded([c.close() for c in clients], 50)
    await asyncio.sleep(1.0)
    out.append(("clients gone again", rss_mb(server.pid)))
    return out


async def echo_phase(echo: EchoProc, frames: int) -> list[tuple[str, float]]:
    out = [("idle", rss_mb(echo.pid))]
    clients = await gather_bounded([LeanWS.connect(HOST, echo.port) for _ in range(CLIENTS)], 10)
    await asyncio.sleep(1.0)
    out.append((f"{CLIENTS} clients connected", rss_mb(echo.pid)))
    payload = b"x" * 1024

    async def pump(ws: LeanWS) -> None:
        got = asyncio.Event()
        received = 0

        def on_message(_p: bytes, _t: float) -> None:
            nonlocal received
            received += 1
            if received % 50 == 0 or received >= frames:
                got.set()
        ws.on_message = on_message
        for k in range(frames):
            ws.send_text(payload)
            if k % 50 == 49:  # a window of 50 frames in flight per client
                await asyncio.wait_for(got.wait(), 60)
                got.clear()
        while received < frames:
            got.clear()
            await asyncio.wait_for(got.wait(), 60)

    await asyncio.wait_for(asyncio.gather(*(pump(c) for c in clients)), 900)
    out.append((f"after {frames:,} 1 KB frames echoed to each of the {CLIENTS} clients", rss_mb(echo.pid)))
    await gather_bounded([c.close() for c in clients], 50)
    return out


def main() -> None:
    parser = base_args(__doc__.splitlines()[0])
    args = parser.parse_args()
    events = 300 if args.quick else 1000
    print_header("server memory (RSS)", args.quick, [
        f"{CLIENTS} lean websocket clients and the driver in this process; server and echo server in their own"])
    bare = bare_import_rss_mb()
    OUT.mkdir(parents=True, exist_ok=True)
    db = OUT / f"memory-{int(time.time())}.sqlite"
    try:
        tokens = {"duty": add_user(db, "bench_duty", "duty_officer"), "wall": add_user(db, "bench_wall", "leader")}
        with ServerProc(db, log_name="memory-server.log") as server:
            time.sleep(1.0)
            server_rows = asyncio.run(server_phase(server, tokens, events))
    finally:
        for suffix in ("", "-wal", "-shm", ".lock"):
            with contextlib.suppress(FileNotFoundError):
                Path(f"{db}{suffix}").unlink()
        with contextlib.suppress(FileNotFoundError):
            db.with_name("demo-tokens.json").unlink()
    with EchoProc() as echo:
        time.sleep(0.5)
        echo_rows = asyncio.run(echo_phase(echo, events))
    rows = [["bare Python + the server's imports (baseline)", bare, "-", "1.00×"]]
    idle = server_rows[0][1]
    rows += [[f"server: {what}", mb, f"{mb - idle:+.1f}", f"{mb / bare:.2f}×"] for what, mb in server_rows]
    e_idle = echo_rows[0][1]
    rows += [[f"echo server (baseline): {what}", mb, f"{mb - e_idle:+.1f}", "-"] for what, mb in echo_rows]
    print()
    print_table(["process / state", "RSS MB", "Δ vs its idle MB", "vs bare"], rows)
    per_conn = (server_rows[1][1] - idle) * 1024 / CLIENTS
    per_conn_echo = (echo_rows[1][1] - e_idle) * 1024 / CLIENTS
    print(f"   per connection: server {per_conn:.0f} KB, echo server {per_conn_echo:.0f} KB "
          f"(RSS delta with {CLIENTS} clients / {CLIENTS})")


if __name__ == "__main__":
    main()
