"""`python main.py serve`: open the store, start the hub, run until SIGINT/SIGTERM, shut down with 1012."""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import logging
import signal
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO

from sqlalchemy.engine import make_url

from config.schema import DEFAULT_HOLIDAY_DIR, ConfigError, Rules, load_rules
from services.backend.clock import ServerClock
from services.backend.db import DatabaseUnavailable, normalise_url
from services.backend.hub import Hub
from services.backend.store import Store
from services.domain.workcalendar import WorkCalendar

log = logging.getLogger("ccc.server")


@dataclass(frozen=True)
class ServeOptions:
    host: str = "127.0.0.1"
    port: int = 8765
    db: str | None = None
    demo: bool = False
    rules_file: Path | None = None
    holiday_dir: Path = DEFAULT_HOLIDAY_DIR
    speed: float = 1.0
    """Server clock speed-up (demo): 60 = one working hour per real minute."""


class StartupError(RuntimeError):
    """A clear, final reason the server cannot start (exit code 2)."""


def lock_sqlite_file(url: str) -> IO[str] | None:
    """One server per SQLite file: a second one would write events the first never publishes."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    lock_path = Path(parsed.database + ".lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    handle = lock_path.open("w")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        raise StartupError(f"the database {parsed.database} is in use by another server process "
                           f"(lock {lock_path}); stop it or pass another --db") from None
    return handle


def open_store(options: ServeOptions) -> tuple[Store, Rules, IO[str] | None]:
    try:
        rules = load_rules(options.rules_file)
        calendar = WorkCalendar(rules.working_hours, options.holiday_dir)
    except ConfigError as exc:
        raise StartupError(f"configuration error: {exc}") from exc
    url = normalise_url(options.db)
    lock = lock_sqlite_file(url)
    try:
        store = Store.open(url, rules, calendar)
    except DatabaseUnavailable as exc:
        if lock:
            lock.close()
        raise StartupError(str(exc)) from exc
    this_year = date.today().year
    calendar.check_years(this_year, this_year + 1)
    for warning in calendar.warnings():
        log.warning("CALENDAR: %s", warning.message)
    return store, rules, lock


GIL_SWITCH_INTERVAL_S = 0.0005
"""The writer thread releases the GIL at every database call; with the default 5 ms switch interval it then
waits behind the busy event loop each time (a convoy that capped fan-out at ~120 changes/s, bench/fanout.py)."""


async def serve_forever(options: ServeOptions, ready: asyncio.Event | None = None) -> None:
    sys.setswitchinterval(GIL_SWITCH_INTERVAL_S)
    store, rules, lock = open_store(options)
    if options.demo:  # before the hub exists: it starts publishing from the head seq it reads
        from services.backend import seed

        seed.ensure_demo(store)
    hub = Hub(store, rules, clock=ServerClock(options.speed))
    try:
        host, port = await hub.start(options.host, options.port)
        print(f"ccc server listening on ws://{host}:{port}  (db: {make_url(store.engines.url)!r}, "
              f"epoch {store.epoch}, head seq {hub.published_seq}"
              f"{f', clock x{options.speed:g}' if options.speed != 1 else ''})", flush=True)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        if ready is not None:
            ready.set()
        await stop.wait()
        print("ccc server stopping: closing connections with 1012", flush=True)
    finally:
        await hub.stop()
        store.close()
        if lock:
            lock.close()


def run(options: ServeOptions) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        asyncio.run(serve_forever(options))
    except StartupError as exc:
        print(f"error: {exc}", file=sys.stderr, flush=True)
        return 2
    except OSError as exc:  # e.g. the port is taken
        print(f"error: cannot listen on {options.host}:{options.port}: {exc}", file=sys.stderr, flush=True)
        return 2
    with contextlib.suppress(Exception):
        sys.stdout.flush()
    return 0
