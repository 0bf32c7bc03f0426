"""`--reset` (services/demo/reset.py) deletes the demo's own files only: never another database, never a file
that is not ours, never a database a server is using."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from config.schema import load_rules
from services.backend.server import lock_sqlite_file
from services.backend.store import Store
from services.demo.reset import ResetRefused, reset_demo_data
from services.domain.workcalendar import WorkCalendar


def make_ours(db: Path) -> None:
    rules = load_rules()
    Store.open(f"sqlite:///{db}", rules, WorkCalendar(rules.working_hours)).close()
    db.with_name("demo-tokens.json").write_text(json.dumps({"demo_leader": "t1", "sim_desk": "t2"}))


def test_reset_deletes_our_database_and_tokens(tmp_path: Path) -> None:
    db = tmp_path / "ccc.sqlite"
    make_ours(db)
    deleted = reset_demo_data(str(db))
    assert db in deleted and tmp_path / "demo-tokens.json" in deleted
    assert not db.exists() and not (tmp_path / "demo-tokens.json").exists()
    assert not list(tmp_path.glob("ccc.sqlite*"))
    assert reset_demo_data(str(db)) == []  # nothing left: nothing to do


def test_reset_leaves_a_foreign_database(tmp_path: Path) -> None:
    foreign = tmp_path / "ledger.sqlite"
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TABLE accounts (id INTEGER PRIMARY KEY, balance INTEGER)")
    with pytest.raises(ResetRefused, match="does not look like a command-center database"):
        reset_demo_data(str(foreign))
    assert foreign.exists()


def test_reset_leaves_a_file_that_is_not_sqlite(tmp_path: Path) -> None:
    notes = tmp_path / "notes.sqlite"
    notes.write_text("shopping list " * 100)
    with pytest.raises(ResetRefused, match="not a SQLite database"):
        reset_demo_data(str(notes))
    assert notes.exists()


def test_reset_leaves_everything_when_the_tokens_file_is_not_ours(tmp_path: Path) -> None:
    db = tmp_path / "ccc.sqlite"
    make_ours(db)
    tokens = tmp_path / "demo-tokens.json"
    tokens.write_text(json.dumps({"root": "hunter2"}))
    with pytest.raises(ResetRefused, match="not our demo tokens file"):
        reset_demo_data(str(db))
    assert db.exists() and tokens.exists()


def test_reset_leaves_a_database_in_use(tmp_path: Path) -> None:
    db = tmp_path / "ccc.sqlite"
    make_ours(db)
    lock = lock_sqlite_file(f"sqlite:///{db}")  # what a running server holds
    try:
        with pytest.raises(ResetRefused, match="in use"):
            reset_demo_data(str(db))
        assert db.exists()
    finally:
        assert lock is not None
        lock.close()
