"""`python main.py` with a display: the demo server and simulator in a child process, the windows in this one.

Why a child: the server's event loop, writer and simulator must not share the GIL and the thread with the screens
(a busy wall must never slow the server, nor the server freeze a console). The child's output is forwarded; its
demo tokens (it prints them) log the windows in as the demo duty officer. Closing the windows or Ctrl-C stops the
windows first, then the server (SIGTERM: it closes connections with 1012 and commits what it holds)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from app.settings import load_desktop
from views.desktop import available_windows, run_windows
from views.launch import Credentials

ROOT = Path(__file__).resolve().parent.parent
TOKEN_LINE = re.compile(r"demo user (\S+)\s+token (\S+)")
READY_MARKER = "listening on"
START_TIMEOUT_S = 600.0
"""The first start fills weeks of history (with a progress bar) before the server listens."""


class ServerChild:
    def __init__(self, serve_argv: list[str]) -> None:
        self.proc = subprocess.Popen([sys.executable, str(ROOT / "main.py"), *serve_argv], cwd=ROOT,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1,
                                     env={**os.environ, "PYTHONUNBUFFERED": "1"})
        self.tokens: dict[str, str] = {}
        self.ready = threading.Event()
        self._reader = threading.Thread(target=self._forward, name="server-output", daemon=True)
        self._reader.start()

    def _forward(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            sys.stdout.write(line)
            match = TOKEN_LINE.search(line)
            if match:
                self.tokens[match.group(1)] = match.group(2)
            if READY_MARKER in line:
                self.ready.set()
        self.ready.set()  # the child ended: stop waiting

    def wait_ready(self, timeout: float = START_TIMEOUT_S) -> bool:
        return self.ready.wait(timeout) and self.proc.poll() is None

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        return int(self.proc.returncode or 0)


def run_desktop_demo(serve_argv: list[str], port: int) -> int:
    config = load_desktop()
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the child too: let it go first
    child = ServerChild(serve_argv)
    signal.signal(signal.SIGINT, previous)
    try:
        if not child.wait_ready():
            print("error: the demo server did not start (see its output above)", file=sys.stderr)
            return child.stop() or 2
        token = child.tokens.get("demo_duty_officer", "")
        print(f"opening {', '.join(available_windows())} (server ws://127.0.0.1:{port}); close the windows or press "
              "Ctrl-C to stop everything", flush=True)
        time.sleep(0.2)
        url = f"ws://127.0.0.1:{port}"
        leader = Credentials(url, child.tokens.get("demo_leader", ""))  # the wall is a public screen: masked
        return run_windows(available_windows(), Credentials(url, token), config, per_window={"wall": leader})
    except KeyboardInterrupt:
        return 0
    finally:
        code = child.stop()
        print(f"demo server stopped (exit code {code})", flush=True)
