"""`python main.py --reset`: start the demo afresh by deleting its SQLite file and demo-tokens.json.

Only files that are ours are deleted: a SQLite database with the command center's tables (`meta` with an epoch,
`events`, `cases`, `alembic_version`) and a tokens file mapping `demo_*` / `sim_*` users to tokens. A database in
use by a running server (its lock is held) is left alone. PostgreSQL is never reset from here: dropping a
production-shaped database deserves a deliberate command of its own (drop and recreate the schema with psql).
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from sqlalchemy.engine import make_url

from services.backend.db import normalise_url
from services.backend.server import StartupError, lock_sqlite_file

OUR_TABLES = frozenset({"meta", "events", "cases", "alembic_version"})


class ResetRefused(RuntimeError):
    """The reset would delete something that is not the demo's own data, or data in use."""


def reset_demo_data(db: str | None) -> list[Path]:
    """Deletes the demo's SQLite file (with its -wal, -shm and .lock) and demo-tokens.json; returns what went."""
    url = normalise_url(db)
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        raise ResetRefused(f"--reset only deletes the demo's SQLite file; {parsed.render_as_string(hide_password=True)}"
                           " is not one (for PostgreSQL, drop and recreate the database or schema with psql)")
    path = Path(parsed.database)
    tokens = path.with_name("demo-tokens.json")
    deleted: list[Path] = []
    if tokens.exists():
        _check_tokens_are_ours(tokens)  # both checked before anything is deleted
    if path.exists():
        _check_database_is_ours(path)
        try:
            lock = lock_sqlite_file(url)
        except StartupError as exc:
            raise ResetRefused(f"not reset: {exc}") from None
        try:
            for part in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
                if part.exists():
                    part.unlink()
                    deleted.append(part)
        finally:
            if lock is not None:
                lock.close()
            Path(f"{path}.lock").unlink(missing_ok=True)
    if tokens.exists():
        tokens.unlink()
        deleted.append(tokens)
    return deleted


def _check_database_is_ours(path: Path) -> None:
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            epoch = conn.execute("SELECT value FROM meta WHERE key = 'epoch'").fetchone() if "meta" in tables else None
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise ResetRefused(f"not reset: {path} is not a SQLite database ({exc})") from None
    missing = OUR_TABLES - tables
    if missing or epoch is None:
        raise ResetRefused(f"not reset: {path} does not look like a command-center database "
                           f"(missing {', '.join(sorted(missing)) or 'its epoch'}); nothing was deleted")


def _check_tokens_are_ours(path: Path) -> None:
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        raise ResetRefused(f"not reset: {path} is not our demo tokens file ({exc})") from None
    if not isinstance(data, dict) or not all(isinstance(k, str) and k.startswith(("demo_", "sim_")) for k in data):
        raise ResetRefused(f"not reset: {path} is not our demo tokens file (unexpected entries)")
