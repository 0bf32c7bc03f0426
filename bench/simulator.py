"""The simulator beside the hub: how late the hub's event loop runs with no simulator (baseline), with the simulator
on the hub's own loop, and with the simulator on its own thread and loop (what `main.py` does).

One process, as in `python main.py`: a hub on 127.0.0.1 over a fresh SQLite file with the demo county, its clock at
SPEED from a Tuesday 09:00, the simulator at RATE. A probe task on the hub's loop sleeps 10 ms in a loop and records
how much later than asked it wakes (loop lag): every millisecond of it is a millisecond every client's event, reply
and ping waits. The first row (no simulator, an idle hub) is the floor; the events column shows the two simulator
rows carried the same load. As in `main.py`, start-up's objects are frozen out of the garbage collector first
(`runner.settle_memory`): a full collection over them alone stopped every thread for ~100 ms.

    .venv/bin/python bench/simulator.py [--quick] [--speed 1200] [--rate 20] [--seconds 30]

Prints a table; asserts no time.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import OUT, ROOT, base_args, lat_summary, print_header, print_table

sys.path.insert(0, str(ROOT))
from config.schema import DEFAULT_HOLIDAY_DIR, load_rules
from services.backend.clock import ServerClock
from services.backend.hub import Hub
from services.backend.seed import ensure_demo
from services.backend.server import GIL_SWITCH_INTERVAL_S
from services.backend.store import Store
from services.demo.runner import SimulatorThread, settle_memory
from services.demo.simulator import SimOptions, Simulator
from services.domain.workcalendar import CST, WorkCalendar

TUESDAY_9 = datetime(2026, 11, 24, 9, 0, tzinfo=CST).timestamp()
PROBE_S = 0.010


async def measure(mode: str, store: Store, tokens: dict[str, str], speed: float, rate: float,
                  seconds: float) -> dict[str, Any]:
    sys.setswitchinterval(GIL_SWITCH_INTERVAL_S)  # as the server sets it (services/backend/server.py)
    rules = store.rules
    clock = ServerClock(speed, origin=TUESDAY_9)
    hub = Hub(store, rules, clock=clock)
    _host, port = await hub.start("127.0.0.1", 0)
    options = SimOptions(f"ws://127.0.0.1:{port}", tokens, rate, speed, seed=3, clock=clock, calendar=store.calendar)
    head = store.head_seq()
    lags: list[float] = []

    async def probe() -> None:
        while True:
            t0 = time.perf_counter()
            await asyncio.sleep(PROBE_S)
            lags.append(time.perf_counter() - t0 - PROBE_S)

    in_loop = Simulator(options) if mode == "on the hub's loop" else None
    in_thread = SimulatorThread(options) if mode == "own thread and loop" else None
    if in_loop is not None:
        await in_loop.start()
    if in_thread is not None:
        await asyncio.to_thread(in_thread.start)
    settle_memory()  # as main.py does once everything has started
    task = asyncio.create_task(probe())
    await asyncio.sleep(seconds)
    task.cancel()
    if in_loop is not None:
        await in_loop.stop()
    if in_thread is not None:
        await asyncio.to_thread(in_thread.stop)
    await hub.stop()
    return {"events": store.head_seq() - head, **lat_summary(lags)}


def main() -> None:
    parser = base_args(__doc__.splitlines()[0])
    parser.add_argument("--speed", type=float, default=1200.0)
    parser.add_argument("--rate", type=float, default=20.0)
    parser.add_argument("--seconds", type=float, default=None, help="per mode (default 30; --quick: 10)")
    args = parser.parse_args()
    seconds = args.seconds or (10.0 if args.quick else 30.0)
    print_header("the simulator beside the hub: hub loop lag", args.quick,
                 [f"clock x{args.speed:g}, {args.rate:g} case reports per simulated hour, {seconds:g} s per mode"])
    work = OUT / "simulator"  # its own directory: demo-tokens.json lands beside the database
    work.mkdir(parents=True, exist_ok=True)
    rows = []
    for mode in ("none (idle hub: the floor)", "on the hub's loop", "own thread and loop"):
        db = work / "simulator-bench.sqlite"
        for part in work.glob("*"):
            part.unlink()
        rules = load_rules()
        store = Store.open(f"sqlite:///{db}", rules, WorkCalendar(rules.working_hours, DEFAULT_HOLIDAY_DIR))
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                tokens = ensure_demo(store)
            rate = 0.0 if mode.startswith("none") else args.rate
            result = asyncio.run(measure(mode, store, tokens, args.speed, rate, seconds))
        finally:
            store.close()
        rows.append([mode, result["events"], result["p50"], result["p99"], result["max"], result["n"]])
    for part in work.glob("*"):
        part.unlink()
    print()
    print_table(["simulator", "events", "loop lag p50 ms", "p99 ms", "max ms", "probes"], rows)


if __name__ == "__main__":
    main()
