"""End-to-end fixtures: the real server as a separate process (`main.py serve`), real users made by `main.py user`."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def add_user(db: Path, name: str, role: str, *extra: str) -> str:
    out = subprocess.run([sys.executable, "main.py", "user", "add", name, "--role", role, "--db", str(db), *extra],
                         cwd=ROOT, capture_output=True, text=True, timeout=60, check=True)
    return out.stdout.strip().splitlines()[-1]


@dataclass
class ServerProcess:
    db: Path
    port: int
    proc: subprocess.Popen[str] | None = None
    log: list[str] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    def start(self) -> None:
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self.proc = subprocess.Popen(
            [sys.executable, "main.py", "serve", "--demo", "--db", str(self.db), "--port", str(self.port)],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
        deadline = time.monotonic() + 60
        assert self.proc.stdout is not None
        while time.monotonic() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                raise RuntimeError("server exited:\n" + "".join(self.log))
            self.log.append(line)
            if "listening on" in line:
                return
        raise RuntimeError("server did not start:\n" + "".join(self.log))

    def kill(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)


@pytest.fixture
def server_process(tmp_path: Path) -> Iterator[ServerProcess]:
    srv = ServerProcess(tmp_path / "e2e.sqlite", free_port())
    yield srv
    srv.stop()


class CuttingProxy:
    """A TCP proxy on 127.0.0.1 that can cut every connection through it at once."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.port = 0
        self.cuts = 0
        self._pairs: set[tuple[asyncio.StreamWriter, asyncio.StreamWriter]] = set()
        self._server: asyncio.Server | None = None

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.target_port)
        except OSError:
            writer.close()
            return
        pair = (writer, up_writer)
        self._pairs.add(pair)

        async def pipe(src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
            with contextlib.suppress(Exception):
                while data := await src.read(65536):
                    dst.write(data)
                    await dst.drain()
            dst.close()

        await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))
        self._pairs.discard(pair)

    def cut_all(self) -> int:
        n = 0
        for down, up in list(self._pairs):
            for w in (down, up):
                transport = w.transport
                if not transport.is_closing():
                    transport.abort()
            n += 1
        self._pairs.clear()
        if n:
            self.cuts += 1
        return n

    async def stop(self) -> None:
        self.cut_all()
        if self._server:
            self._server.close()
            await self._server.wait_closed()
