"""UI-thread stall of the duty officer's console (issue #4) or the leaders' wall (issue #5) with 5,000 open cases
while 100 events/s arrive.

Setup (127.0.0.1, every process its own):
  store    a fresh SQLite file with N open cases (reported / registered / dispatched / handling), written through
           `Store.execute_many` before the server starts (the same rules and events as live changes)
  server   `main.py serve --db FILE --no-demo` (the demo county loaded into the file first)
  driver   a child process: 16 duty-officer connections sending RATE changes/s (50 % case.report, 25 %
           case.register, 25 % case.dispatch), each change one event to every subscriber
  console  this process: the real console window (views/console_window.py) on QT_QPA_PLATFORM=offscreen, logged
           in as a duty officer, showing every open case — or with `--window wall` the leaders' wall
           (views/wall_window.py) logged in as a leader: every open case on the live map page, the figures re-read
Probe: a QTimer asking to fire every 5 ms on the Qt thread; stall = how late each tick fires (actual interval - 5 ms).
A frozen UI shows as large stalls. Two phases, same window, same cases: no events (the baseline), then RATE events/s.
Memory: this process's RSS after the snapshot is loaded and at the end.

    .venv/bin/python bench/console_stall.py [--quick] [--cases 5000] [--rate 100] [--window console|wall]
Target (issues #4, #5): stall p99 <= 16 ms while events arrive.
"""

from __future__ import annotations

import asyncio
import multiprocessing as mp
import os
import sys
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import (
    OUT,
    Rpc,
    ServerProc,
    add_user,
    base_args,
    exec_with_probe,
    lat_summary,
    print_header,
    print_table,
    rss_mb,
)

TICK_MS = 5
TARGET_P99_MS = 16.0
DRIVER_CONNECTIONS = 16


def make_store_with_open_cases(db: Path, count: int) -> None:
    """The demo county and `count` open cases in a mix of states, through the store's own write path."""
    from config.schema import load_rules
    from services.backend.store import Store, WriteJob
    from services.demo.county import generate_county, store_rows
    from services.domain.model import Actor, Role
    from services.domain.workcalendar import WorkCalendar

    rules = load_rules()
    store = Store.open(f"sqlite:///{db}", rules, WorkCalendar(rules.working_hours))
    try:
        store.load_reference(store_rows(generate_county()))
        duty = Actor(1, "bench_duty", Role.duty_officer, console="bench")
        dept = {d: Actor(100 + d, f"bench_dept_{d}", Role.department, department_id=d, console="bench")
                for d in range(1, 39)}
        now = time.time() - 3 * 3600
        for start in range(0, count, 500):
            jobs = [WriteJob("case.report", duty, {"channel": "hotline_12345", "category": "市容环境",
                                                   "title": f"基准案件{i:05d}", "township_id": 1 + i % 21,
                                                   "reporter_phone": "13812348000"}, None, now)
                    for i in range(start, min(count, start + 500))]
            results = [r for r in store.execute_many(jobs) if not isinstance(r, Exception)]
            follow = []
            for k, r in enumerate(results):
                if k % 4 >= 1:
                    follow.append(WriteJob("case.register", duty, {"id": r.result["id"], "expected_version": 1},
                                           None, now + 60))
            registered = [r for r in store.execute_many(follow) if not isinstance(r, Exception)]
            dispatch = [WriteJob("case.dispatch", duty, {"id": r.result["id"], "expected_version": 2,
                                                         "lead_department_id": 1 + k % 38,
                                                         "resolution_class": "immediate"}, None, now + 120)
                        for k, r in enumerate(registered) if k % 3 >= 1]
            dispatched = [r for r in store.execute_many(dispatch) if not isinstance(r, Exception)]
            signs = [WriteJob("case.sign", dept[r.result["case"]["lead_department_id"]],
                              {"id": r.result["id"], "expected_version": 3}, None, now + 180)
                     for k, r in enumerate(dispatched) if k % 2]
            store.execute_many(signs)
    finally:
        store.close()


# -- the driver (a child process) -----------------------------------------------------------------
def driver_main(url: str, token: str, rate: float, seconds: float, ready: Any) -> None:
    asyncio.run(_drive(url, token, rate, seconds, ready))


async def _drive(url: str, token: str, rate: float, seconds: float, ready: Any) -> None:
    from _common import report_body

    rpcs = [await Rpc.open(url, token, f"stall-driver-{i}") for i in range(DRIVER_CONNECTIONS)]
    ready.wait()
    reported: list[tuple[int, int]] = []
    registered: list[tuple[int, int]] = []
    pending = []

    async def settle(kind: str, fut: asyncio.Future) -> None:
        reply = await fut
        if reply.get("ok"):
            res = reply["result"]
            (reported if kind == "report" else registered if kind == "register" else []).append(
                (res["id"], res["version"]))

    t0 = time.perf_counter()
    for k in range(int(rate * seconds)):
        delay = t0 + k / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        if k % 4 == 1 and reported:
            cid, ver = reported.pop(0)
            kind, rtype, body = "register", "case.register", {"id": cid, "expected_version": ver}
        elif k % 4 == 3 and registered:
            cid, ver = registered.pop(0)
            kind, rtype, body = "dispatch", "case.dispatch", {"id": cid, "expected_version": ver,
                                                             "lead_department_id": 1 + k % 38,
                                                             "resolution_class": "immediate"}
        else:
            kind, rtype, body = "report", "case.report", report_body(f"stall-bench-{k:06d}", 1 + k % 21)
        _, fut = await rpcs[k % len(rpcs)].send(rtype, body)
        pending.append(asyncio.ensure_future(settle(kind, fut)))
    await asyncio.wait_for(asyncio.gather(*pending, return_exceptions=True), 120)
    for rpc in rpcs:
        await rpc.close()


# -- the console and its probe --------------------------------------------------------------------
def probe_phases(app: Any, phases: list[tuple[float, Any]]) -> list[list[float]]:
    """Runs the Qt event loop once through timed phases (seconds, called at the phase's start), returning for each
    phase how late (ms) each 5 ms timer tick fired. One `app.exec()` for all phases: quitting the application emits
    aboutToQuit, after which pyqtgraph and QtWebEngine tear things down (a second exec crashed the wall), and a
    nested QEventLoop instead measured the console ~6x worse than the application's own loop."""
    from PySide6.QtCore import QElapsedTimer, QTimer

    lateness: list[list[float]] = [[] for _ in phases]
    phase = [-1]
    clock = QElapsedTimer()
    clock.start()
    last = [clock.nsecsElapsed()]

    def tick() -> None:
        now = clock.nsecsElapsed()
        if 0 <= phase[0] < len(lateness):  # not after the last phase (a tick may come before quit() takes effect)
            lateness[phase[0]].append(max(0.0, (now - last[0]) / 1e6 - TICK_MS))
        last[0] = now

    def next_phase() -> None:
        phase[0] += 1
        if phase[0] == len(phases):
            app.quit()
            return
        seconds, on_start = phases[phase[0]]
        if on_start is not None:
            on_start()
        QTimer.singleShot(int(seconds * 1000), next_phase)

    exec_with_probe(app, TICK_MS, tick, next_phase)
    return lateness


def build_window(kind: str, url: str, token: str) -> tuple[Any, Any, Any]:
    from app.bootstrap import make_application
    from app.context import open_context
    from config.desktop import WallConfig, load_desktop

    app = make_application(load_desktop(), [sys.argv[0]])
    if kind == "wall":
        from views.wall_window import WALL_PARTS, WallWindow

        context = open_context(url, token, "wall-bench", parts=WALL_PARTS, case_list=False)
        window = WallWindow(context, WallConfig(rotate_seconds=0))
    else:
        from views.console_window import ConsoleWindow

        context = open_context(url, token, "console-bench")
        window = ConsoleWindow(context)
    window.resize(1920, 1080)
    window.show()
    return app, context, window


def wait_for_wall(app: Any, window: Any, timeout: float = 120.0) -> None:
    """The wall's map page holds the snapshot's cases (nothing queued) and the first figures are in."""
    deadline = time.monotonic() + timeout
    while not (window.map.idle() and window.stats.latest is not None and window.feed.placed):
        if time.monotonic() > deadline:
            raise RuntimeError("the wall did not settle within the timeout")
        app.processEvents()
        time.sleep(0.005)


def wait_for_snapshot(app: Any, context: Any, timeout: float = 120.0) -> float:
    loaded: list[float] = []
    started = time.perf_counter()
    context.session.snapshot_loaded.connect(lambda _s: loaded.append(time.perf_counter()))
    context.session.start()
    deadline = time.monotonic() + timeout
    while not loaded and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.005)
    if not loaded:
        raise RuntimeError("no snapshot within the timeout")
    return loaded[0] - started


def main() -> None:
    parser = base_args(__doc__ or "")
    parser.add_argument("--cases", type=int, default=5000)
    parser.add_argument("--rate", type=float, default=100.0)
    parser.add_argument("--window", choices=("console", "wall"), default="console")
    args = parser.parse_args()
    seconds = 8.0 if args.quick else 20.0
    print_header(f"{args.window}: UI-thread stall with open cases while events arrive", args.quick, [
        f"{args.cases} open cases; driver {DRIVER_CONNECTIONS} connections at {args.rate:g} changes/s in a child "
        f"process; probe: a {TICK_MS} ms PreciseTimer on the Qt thread, stall = lateness of each tick; "
        f"{seconds:g} s per phase; QT_QPA_PLATFORM={os.environ['QT_QPA_PLATFORM']}"])
    OUT.mkdir(parents=True, exist_ok=True)
    db = OUT / f"{args.window}-stall-{int(time.time())}.sqlite"
    t0 = time.perf_counter()
    make_store_with_open_cases(db, args.cases)
    print(f"   store with {args.cases} open cases written in {time.perf_counter() - t0:.1f} s")
    viewer = add_user(db, f"bench_{args.window}", "leader" if args.window == "wall" else "duty_officer")
    driver_token = add_user(db, "bench_driver", "duty_officer")
    rows = []
    with ServerProc(db, demo=False, log_name=f"{args.window}-stall-server.log") as server:
        t_open = time.perf_counter()
        app, context, window = build_window(args.window, server.url, viewer)
        snapshot_s = wait_for_snapshot(app, context)
        if args.window == "wall":
            wait_for_wall(app, window)
            snapshot_s = time.perf_counter() - t_open
        rss_loaded = rss_mb(os.getpid())
        shown = len(window.feed.placed) if args.window == "wall" else context.cases.rowCount()
        ready = mp.Event()
        driver = mp.get_context("fork").Process(target=driver_main,
                                                args=(server.url, driver_token, args.rate, seconds + 2, ready))

        def start_driver() -> None:  # after the quiet phase: its connections are made during the warm-up second
            driver.start()
            ready.set()

        applied = [0]
        context.session.events_arrived.connect(lambda events: applied.__setitem__(0, applied[0] + len(events)))
        # the first second of events is not counted (connections warming up)
        idle, _warm, busy = probe_phases(app, [(seconds, None), (1.0, start_driver), (seconds, None)])
        driver.join(180)
        rss_end = rss_mb(os.getpid())
        for label, values in (("no events (baseline)", idle), (f"{args.rate:g} events/s", busy)):
            s = lat_summary([v / 1000 for v in values])
            verdict = "" if values is idle else ("met" if s["p99"] <= TARGET_P99_MS else "MISSED")
            rows.append([label, s["n"], s["p50"], s["p99"], s["max"], verdict])
        context.session.stop()
        window.close()
    print()
    print_table(["phase", "ticks", "stall p50 ms", "stall p99 ms", "max ms", f"p99 ≤ {TARGET_P99_MS:g} ms"], rows)
    print(f"   events applied by the window: {applied[0]}")
    print(f"   snapshot of {shown} open cases loaded and shown in {snapshot_s:.2f} s; {args.window} process RSS "
          f"{rss_loaded:.0f} MB after loading, {rss_end:.0f} MB at the end")
    for suffix in ("", "-wal", "-shm", ".lock"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)


if __name__ == "__main__":
    main()
