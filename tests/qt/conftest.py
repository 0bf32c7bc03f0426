"""Qt tests run headless: offscreen platform unless the caller chose one (xvfb-marked tests use xcb)."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# QtWebEngine exits at once as root without this (PLATFORM-NOTES).
os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")

import json
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent


@dataclass
class LiveServer:
    """`main.py serve --demo` in its own process on 127.0.0.1 with a real SQLite file; demo tokens by user name."""

    url: str
    tokens: dict[str, str]
    proc: subprocess.Popen[bytes]
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_live_server(directory: Path, port: int | None = None, extra: list[str] | None = None) -> LiveServer:
    directory.mkdir(parents=True, exist_ok=True)
    db, log_path = directory / "ccc.sqlite", directory / "server.log"
    port = port or free_port()
    with log_path.open("ab") as log:
        proc = subprocess.Popen([sys.executable, "main.py", "serve", "--demo", "--db", str(db), "--port", str(port),
                                 *(extra or [])], cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                                env={**os.environ, "PYTHONUNBUFFERED": "1"})
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited {proc.returncode}:\n{log_path.read_text()}")
        if "listening on" in log_path.read_text(errors="replace"):
            tokens = json.loads((directory / "demo-tokens.json").read_text())
            return LiveServer(f"ws://127.0.0.1:{port}", tokens, proc, log_path)
        time.sleep(0.05)
    proc.kill()
    raise RuntimeError(f"server did not start:\n{log_path.read_text()}")


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    server = start_live_server(tmp_path_factory.mktemp("live"))
    yield server
    server.stop()


@pytest.fixture
def county() -> Any:
    """The demo county's townships and grids with their geometry (the map tests' data)."""
    from tests.qt.map_helpers import demo_county

    return demo_county()


@pytest.fixture
def grid_points() -> list[tuple[float, float]]:
    """A point inside each demo grid (where the map tests put their markers)."""
    from tests.qt.map_helpers import demo_grid_points

    return demo_grid_points()
