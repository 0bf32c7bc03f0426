"""Engines for SQLite (embedded default) and PostgreSQL (production), and the start-up checks.

SQLite: WAL, synchronous=FULL, busy_timeout, and every write transaction opened with BEGIN IMMEDIATE so
two writers never both read-then-write (PLATFORM-NOTES: the ORM version check alone let both win).
PostgreSQL: writers take one transaction-scoped advisory lock, so the event log's seq is gap-free and
commit order equals seq order (a reader of "events after X" can never skip a late commit).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import platformdirs
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url

EVENT_LOG_LOCK_KEY = 36012101
"""pg_advisory_xact_lock key serializing event-log appends (360121 = the county's adcode)."""


class DatabaseUnavailable(RuntimeError):
    """The database cannot be reached or opened; the message says what to do."""


def default_sqlite_path() -> Path:
    return Path(platformdirs.user_data_dir("changnan-command-center", appauthor=False)) / "ccc.sqlite"


def normalise_url(url: str | None) -> str:
    if not url:
        path = default_sqlite_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{path}"
    if url.startswith("postgresql://"):
        return "postgresql+psycopg://" + url[len("postgresql://"):]
    if "://" not in url:  # a bare file path
        return f"sqlite:///{Path(url).resolve()}"
    return url


@dataclass(frozen=True)
class Engines:
    url: str
    write: Engine
    read: Engine

    @property
    def is_sqlite(self) -> bool:
        return self.write.dialect.name == "sqlite"

    def dispose(self) -> None:
        self.write.dispose()
        self.read.dispose()


def _sqlite_engine(url: str, *, immediate: bool, pool_size: int) -> Engine:
    engine = create_engine(url, pool_size=pool_size, max_overflow=0, connect_args={"timeout": 10.0,
                                                                                 "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute("PRAGMA busy_timeout=10000")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def open_engines(url: str | None) -> Engines:
    """Creates the engines and checks the database can be reached and written; raises DatabaseUnavailable."""
    url = normalise_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        db = parsed.database or ""
        if db and db != ":memory:":
            Path(db).parent.mkdir(parents=True, exist_ok=True)
        engines = Engines(url, _sqlite_engine(url, immediate=True, pool_size=2),
                          _sqlite_engine(url, immediate=False, pool_size=4))
    else:
        kwargs: dict[str, Any] = {"pool_pre_ping": True, "pool_size": 4, "max_overflow": 4}
        if parsed.get_backend_name() == "postgresql":
            kwargs["connect_args"] = {"connect_timeout": 5}
        write = create_engine(url, **kwargs)
        read = create_engine(url, isolation_level="REPEATABLE READ", **kwargs)
        engines = Engines(url, write, read)
    check_writable(engines)
    return engines


STARTUP_LOCK_WAIT_S = 2.0
"""At start, how long to wait for a SQLite write lock before saying the file is locked (runtime waits 10 s)."""


def _probe_sqlite_write(path: str) -> None:
    raw = sqlite3.connect(path, timeout=STARTUP_LOCK_WAIT_S, isolation_level=None)
    try:
        raw.execute("BEGIN IMMEDIATE")
        raw.execute("ROLLBACK")
    finally:
        raw.close()


def check_writable(engines: Engines) -> None:
    safe_url = make_url(engines.url).render_as_string(hide_password=True)
    try:
        database = make_url(engines.url).database
        if engines.is_sqlite and database and database != ":memory:":
            _probe_sqlite_write(database)
        with engines.write.begin() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:
        engines.dispose()
        reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0]
        hint = ""
        if "locked" in reason:
            hint = " — the SQLite file is locked by another process (another server running on the same file?)"
        elif "could not connect" in reason.lower() or "connection" in reason.lower():
            hint = " — is the database server running and reachable?"
        raise DatabaseUnavailable(f"cannot open database {safe_url}: {reason}{hint}") from exc
