"""The demo in one process: the server, the history fill and the live simulator (`python main.py`,
`python main.py serve --demo --simulate RATE [--speed N] [--history MONTHS]`).

Order at start: open the store (and its file lock), load the demo county and users, fill the history (before the
hub, outside the event loop so Ctrl-C stops it at once; the hub reads the log head once), start the hub, then the
simulator. The simulator runs in its own thread with
its own event loop and reaches the hub over 127.0.0.1 like any client, so its work never runs on the hub's loop.
Ctrl-C / SIGTERM: the simulator stops first (its connections close), then the hub (1012 to every other client).
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import signal
import sys
import threading
import time
from dataclasses import dataclass, field

from sqlalchemy.engine import make_url

from config.schema import Rules
from services.backend import seed
from services.backend.clock import ServerClock
from services.backend.hub import Hub
from services.backend.server import GIL_SWITCH_INTERVAL_S, ServeOptions, StartupError, open_store
from services.backend.store import Store
from services.demo.history import ProgressLine, expected_cases, fill_history
from services.demo.options import option_problem
from services.demo.scenario import seed_for
from services.demo.simulator import SimOptions, Simulator
from services.domain.workcalendar import WorkCalendar

log = logging.getLogger("ccc.demo")


@dataclass(frozen=True)
class DemoOptions:
    serve: ServeOptions = field(default_factory=ServeOptions)
    simulate: float = 0.0
    """Average case reports per simulated hour; 0: no simulator."""
    history_months: float = 0.0
    """Months (of 30 days) of past activity to write first, into a store that has no cases yet."""
    start: float | None = None
    """The server clock's simulated start (epoch seconds); None: now."""
    desk: bool = True
    seed: int | None = None
    banner: str = ""
    """Printed once everything runs (e.g. that no windows exist yet)."""


def check_demo_options(options: DemoOptions) -> str | None:
    """The first problem with the options, as one line for the user; None when they are fine."""
    return option_problem(simulate=options.simulate, history_months=options.history_months,
                          demo=options.serve.demo, speed=options.serve.speed)


class SimulatorThread:
    """The simulator on its own thread and event loop; `start` waits until it runs (or raises why not)."""

    def __init__(self, options: SimOptions) -> None:
        self.options = options
        self._thread = threading.Thread(target=self._main, name="ccc-simulator", daemon=True)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._started = threading.Event()
        self._error: BaseException | None = None

    def start(self, timeout: float = 60.0) -> None:
        self._thread.start()
        if not self._started.wait(timeout):
            raise StartupError("the simulator did not start in time")
        if self._error is not None:
            raise StartupError(f"the simulator could not start: {self._error}")

    def _main(self) -> None:
        try:
            asyncio.run(self._run())
        except BaseException as exc:  # reported through start(); the thread ends quietly
            self._error = self._error or exc
            self._started.set()

    async def _run(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        simulator = Simulator(self.options)
        try:
            await simulator.start()
        except BaseException as exc:
            self._error = exc
            self._started.set()
            await simulator.stop()
            return
        self._started.set()
        try:
            await self._stop.wait()
        finally:
            await simulator.stop()

    def stop(self, timeout: float = 15.0) -> None:
        """Stops the simulator and waits for its connections to close."""
        loop, stop = self._loop, self._stop
        if loop is not None and stop is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(stop.set)
        if self._thread.is_alive():
            self._thread.join(timeout)


def store_has_cases(store: Store) -> bool:
    return bool(store.query_cases({"limit": 1})["cases"])


def maybe_fill_history(store: Store, options: DemoOptions, end: float) -> None:
    """Fills the history into a store without cases; says so and skips when there are some (a second start)."""
    months = options.history_months
    if months <= 0:
        return
    if store_has_cases(store):
        print(f"history: the store already has cases; --history {months:g} skipped (use --reset to start afresh)",
              flush=True)
        return
    expected = expected_cases(months, options.simulate)
    print(f"history: writing {months:g} months of past activity (≈{expected:,.0f} cases) before the server starts",
          flush=True)
    result = fill_history(store, months=months, rate_per_hour=options.simulate, end=end,
                          seed=seed_for(options.seed, end), progress=ProgressLine(expected))
    created = ", ".join(f"{n:,} {kind}s" for kind, n in result.created.most_common())
    failed = sum(result.failed.values())
    print(f"history: {created}; {result.events:,} events in {result.seconds:.1f} s"
          f"{f'; {failed:,} steps refused (see the log)' if failed else ''}", flush=True)


def prepare(store: Store, options: DemoOptions) -> tuple[dict[str, str], float]:
    """Before the hub: the demo county and users, then the history. Returns the tokens and the clock's start."""
    tokens = seed.ensure_demo(store) if options.serve.demo else {}
    origin = options.start if options.start is not None else time.time()
    maybe_fill_history(store, options, origin)
    return tokens, origin


async def serve_prepared(store: Store, rules: Rules, options: DemoOptions, tokens: dict[str, str], origin: float,
                         ready: asyncio.Event | None = None) -> None:
    """Runs the hub (and the simulator) on a prepared store until SIGINT/SIGTERM."""
    sys.setswitchinterval(GIL_SWITCH_INTERVAL_S)
    stop = _stop_on_signals()  # from here on Ctrl-C means a clean stop, whatever is still starting
    clock = ServerClock(options.serve.speed, origin=origin)
    hub = Hub(store, rules, clock=clock)
    simulator: SimulatorThread | None = None
    try:
        host, port = await hub.start(options.serve.host, options.serve.port)
        print(f"ccc server listening on ws://{host}:{port}  (db: {make_url(store.engines.url)!r}, "
              f"epoch {store.epoch}, head seq {hub.published_seq}"
              f"{f', clock x{options.serve.speed:g}' if options.serve.speed != 1 else ''})", flush=True)
        if options.simulate > 0:
            simulator = SimulatorThread(SimOptions(
                url=f"ws://127.0.0.1:{port}", tokens=tokens, rate_per_hour=options.simulate,
                speed=options.serve.speed, desk=options.desk, seed=options.seed, clock=clock,
                calendar=WorkCalendar(rules.working_hours, options.serve.holiday_dir)))
            await asyncio.to_thread(simulator.start)
            print(f"simulator running: {options.simulate:g} case reports per simulated hour, duty desk "
                  f"{'simulated' if options.desk else 'left to a human (--human-desk)'}", flush=True)
        settle_memory()
        if options.banner:
            print(options.banner.format(url=f"ws://{host}:{port}"), flush=True)
        if ready is not None:
            ready.set()
        await stop.wait()
        print("stopping: simulator first, then the server (1012 to every client)", flush=True)
    finally:
        if simulator is not None:
            await asyncio.to_thread(simulator.stop)
        await hub.stop()


def settle_memory() -> None:
    """Moves what start-up built (reference data, the simulator's county, the history's leftovers) out of the
    garbage collector's way: a full collection over it stopped every thread for ~100 ms (bench/simulator.py)."""
    gc.collect()
    gc.freeze()


def _stop_on_signals() -> asyncio.Event:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    return stop


def run_demo(options: DemoOptions) -> int:
    """The process entry: exit code 0 after a clean stop, 2 for a start-up problem, 130 if interrupted before
    the server ran (e.g. during the history fill: what was written stays, and the next start reuses it)."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    problem = check_demo_options(options)
    if problem:
        print(f"error: {problem}", file=sys.stderr, flush=True)
        return 2
    try:
        store, rules, lock = open_store(options.serve)
    except StartupError as exc:
        print(f"error: {exc}", file=sys.stderr, flush=True)
        return 2
    try:
        tokens, origin = prepare(store, options)
        asyncio.run(serve_prepared(store, rules, options, tokens, origin))
    except StartupError as exc:
        print(f"error: {exc}", file=sys.stderr, flush=True)
        return 2
    except OSError as exc:
        print(f"error: cannot listen on {options.serve.host}:{options.serve.port}: {exc}", file=sys.stderr,
              flush=True)
        return 2
    except KeyboardInterrupt:
        print("\ninterrupted before the server ran; what was written is kept", file=sys.stderr, flush=True)
        return 130
    finally:
        store.close()
        if lock:
            lock.close()
    with contextlib.suppress(Exception):
        sys.stdout.flush()
    return 0
