"""`python main.py` with a display (offscreen here): the demo server as a child, the console and the wall in this
process; Ctrl-C stops the windows, then the server, exit code 0. `user passwd` from stdin."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.e2e.conftest import ROOT, free_port

WITH_SCREEN = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "QTWEBENGINE_DISABLE_SANDBOX": "1",
               "PYTHONUNBUFFERED": "1"}


def read_until(proc: subprocess.Popen[str], text: str, timeout: float = 120) -> str:
    assert proc.stdout is not None
    seen, deadline = "", time.monotonic() + timeout
    while text not in seen:
        line = proc.stdout.readline()
        assert line and time.monotonic() < deadline, seen
        seen += line
    return seen


def test_the_whole_demo_opens_its_windows_and_ctrl_c_stops_everything(tmp_path: Path) -> None:
    port = free_port()
    proc = subprocess.Popen([sys.executable, "main.py", "--db", str(tmp_path / "ccc.sqlite"), "--port", str(port),
                             "--simulate", "30", "--history", "0", "--speed", "60"], cwd=ROOT, env=WITH_SCREEN,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        seen = read_until(proc, "opening console, wall, video")
        seen += read_until(proc, "simulator running")
        time.sleep(5)  # the console and the wall log in and load while the simulator reports
        proc.send_signal(signal.SIGINT)
        rest, _ = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    output = seen + rest
    assert proc.returncode == 0, output
    assert "demo server stopped (exit code 0)" in output
    assert "demo user demo_duty_officer" in output
    assert "Traceback" not in output, output


def test_user_passwd_from_stdin_and_a_weak_password_refused(tmp_path: Path) -> None:
    db = str(tmp_path / "ccc.sqlite")
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "QT_QPA_PLATFORM")}

    def main(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "main.py", *args], cwd=ROOT, input=stdin, capture_output=True,
                              text=True, timeout=60, env=env)

    assert main("user", "add", "zhang", "--role", "duty_officer", "--db", db).returncode == 0
    ok = main("user", "passwd", "zhang", "--db", db, stdin="night-shift-2026\n")
    assert ok.returncode == 0 and "password set for zhang" in ok.stdout
    weak = main("user", "passwd", "zhang", "--db", db, stdin="12345678\n")
    assert weak.returncode == 2 and "letters and digits" in weak.stderr
    nobody = main("user", "passwd", "li", "--db", db, stdin="night-shift-2026\n")
    assert nobody.returncode == 2 and "no such user" in nobody.stderr
