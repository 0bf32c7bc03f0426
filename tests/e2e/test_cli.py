"""The command line: user add / list / disable, and bad arguments."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.e2e.conftest import ROOT, add_user


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "main.py", *args], cwd=ROOT, capture_output=True, text=True, timeout=60)


def test_user_add_prints_token_once_and_list_never_shows_it(tmp_path: Path) -> None:
    db = tmp_path / "cli.sqlite"
    token = add_user(db, "王值班", "duty_officer")
    assert len(token) >= 24
    listing = run("user", "list", "--db", str(db))
    assert listing.returncode == 0 and "王值班" in listing.stdout and "duty_officer" in listing.stdout
    assert token not in listing.stdout and token not in listing.stderr
    import sqlite3

    with sqlite3.connect(db) as conn:
        stored = conn.execute("SELECT token_hash FROM users").fetchone()[0]
    assert token not in stored and len(stored) == 64
    assert run("user", "disable", "王值班", "--db", str(db)).returncode == 0
    assert " no " in run("user", "list", "--db", str(db)).stdout


def test_user_add_bad_input_is_a_clear_error(tmp_path: Path) -> None:
    db = str(tmp_path / "cli.sqlite")
    bad_role = run("user", "add", "x", "--role", "emperor", "--db", db)
    assert bad_role.returncode == 2 and "unknown role" in bad_role.stderr
    no_dept = run("user", "add", "x", "--role", "department", "--db", db)
    assert no_dept.returncode == 2 and "--department" in no_dept.stderr
    add_user(Path(db), "same", "leader")
    twice = run("user", "add", "same", "--role", "leader", "--db", db)
    assert twice.returncode == 2 and "already exists" in twice.stderr
    missing = run("user", "disable", "nobody", "--db", db)
    assert missing.returncode == 2 and "no such user" in missing.stderr
