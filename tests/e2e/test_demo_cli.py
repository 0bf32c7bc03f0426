"""The one command (`python main.py`) and its options: bad input is a clear error, a second start reuses the data,
`--reset` starts afresh but only deletes what is ours, Ctrl-C stops cleanly with exit code 0."""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.e2e.conftest import ROOT, free_port

HEADLESS = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
"""No display: the bare command runs the server and simulator without windows (what these tests are about)."""


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "main.py", *args], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env=HEADLESS)


@pytest.mark.parametrize(("args", "message"), [
    (["serve", "--demo", "--simulate", "-1"], "--simulate RATE must be"),
    (["serve", "--demo", "--simulate", "nan"], "--simulate RATE must be"),
    (["--simulate", "-5"], "--simulate RATE must be"),
    (["serve", "--simulate", "10"], "need the demo county"),
    (["serve", "--demo", "--history", "2"], "--history needs --simulate"),
    (["serve", "--demo", "--simulate", "5", "--history", "-1"], "--history MONTHS must be"),
    (["--start", "2026-11-23T07:00"], "needs its UTC offset"),
    (["--start", "next monday"], "is not an ISO 8601 time"),
    (["--speed", "0"], "--speed must be"),
])
def test_bad_options_are_one_clear_error(tmp_path: Path, args: list[str], message: str) -> None:
    db = tmp_path / "never.sqlite"
    result = run(*args, "--db", str(db))
    assert result.returncode == 2 and message in result.stderr, result.stderr
    assert not db.exists()  # refused before anything was opened


class Demo:
    """`python main.py` as a user runs it (no subcommand), on a given SQLite file, without a display."""

    def __init__(self, db: Path, *extra: str) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "main.py", "--db", str(db), "--port", str(free_port()), "--simulate", "0",
             "--history", "0", *extra], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            env={**HEADLESS, "PYTHONUNBUFFERED": "1"})
        self.output = ""

    def wait_for(self, text: str, timeout: float = 60) -> None:
        assert self.proc.stdout is not None
        deadline = time.monotonic() + timeout
        while text not in self.output:
            line = self.proc.stdout.readline()
            assert line and time.monotonic() < deadline, self.output
            self.output += line

    def stop(self) -> int:
        self.proc.send_signal(signal.SIGINT)
        rest, _ = self.proc.communicate(timeout=30)
        self.output += rest
        return self.proc.returncode

    def epoch(self) -> str:
        found = re.search(r"epoch (\w+)", self.output)
        assert found, self.output
        return found.group(1)

    def tokens(self) -> dict[str, str]:
        return dict(re.findall(r"demo user (\w+)\s+token (\S+)", self.output))


def start_demo(db: Path, *extra: str) -> Demo:
    demo = Demo(db, *extra)
    demo.wait_for("Ctrl-C stops everything")
    return demo


def test_the_one_command_second_start_reuses_and_reset_starts_afresh(tmp_path: Path) -> None:
    db = tmp_path / "demo.sqlite"
    first = start_demo(db)
    assert "listening on ws://127.0.0.1:" in first.output
    assert first.stop() == 0, first.output
    tokens = json.loads((tmp_path / "demo-tokens.json").read_text())
    assert first.tokens() == {k: v for k, v in tokens.items() if k.startswith("demo_")} and first.tokens()

    second = start_demo(db)
    assert second.epoch() == first.epoch() and second.tokens() == first.tokens()
    assert second.stop() == 0
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM events WHERE kind = 'reference.updated'").fetchone()[0] == 1

    running = start_demo(db)
    refused = run("--reset", "--db", str(db), "--simulate", "0", "--history", "0")  # while a server uses it
    assert refused.returncode == 2 and "in use" in refused.stderr, refused.stderr
    assert running.stop() == 0 and db.exists()

    fresh = start_demo(db, "--reset")
    assert "reset: deleted" in fresh.output and str(db) in fresh.output
    assert fresh.epoch() != first.epoch()
    assert set(fresh.tokens()) == set(first.tokens()) and fresh.tokens() != first.tokens()
    assert fresh.stop() == 0


def test_reset_refuses_postgresql(tmp_path: Path) -> None:
    postgres = run("--reset", "--db", "postgresql://postgres@127.0.0.1:1/nothing")
    assert postgres.returncode == 2 and "only deletes the demo's SQLite file" in postgres.stderr
    assert "psql" in postgres.stderr
