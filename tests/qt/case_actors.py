"""Helpers for the console panel tests: the console's window context, and other people acting on the same server.

`Actor` is another user (a second duty officer, a department liaison) on its own connection and asyncio loop.
Its calls block the test (not the console's network thread): while an actor's call runs, the Qt thread processes
nothing, so the console cannot have seen that change yet — which is how a test makes a real race deterministic.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QWidget

from app.context import WindowContext, open_context
from app.session import NetworkThread
from services.client import CommandClient
from tests.qt.conftest import LiveServer


def pump_until(condition: Callable[[], bool], timeout: float = 20.0) -> None:
    """Processes Qt events until `condition()` holds (for module fixtures, where qtbot is not available)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("condition not reached")
        QCoreApplication.processEvents()
        time.sleep(0.005)


def type_text(widget: QWidget, text: str) -> None:
    """Types text the way a Chinese input method commits it (QTest's key clicks take ASCII only)."""
    event = QInputMethodEvent()
    event.setCommitString(text)
    QCoreApplication.sendEvent(widget, event)


def open_console(server: LiveServer, user: str = "demo_duty_officer") -> WindowContext:
    """A started window context (session, reference, case model) with its first snapshot loaded."""
    context = open_context(server.url, server.tokens[user], console="console-test")
    loaded: list[bool] = []
    context.session.snapshot_loaded.connect(lambda _snapshot: loaded.append(True))
    context.session.start()
    pump_until(lambda: bool(loaded))
    return context


class Actor:
    def __init__(self, server: LiveServer, user: str) -> None:
        self.user = user
        self._net = NetworkThread(f"actor-{user}")
        self._client = CommandClient(server.url, server.tokens[user], console=f"test-{user}")
        self._run(self._connect())

    async def _connect(self) -> None:
        await self._client.start()
        await self._client.wait_connected(20)

    def _run(self, coro: Any) -> Any:
        return self._net.submit(coro).result(timeout=30)

    def call(self, rtype: str, body: dict[str, Any]) -> dict[str, Any]:
        """The result of a command; raises RemoteError if the server refuses it."""
        return self._run(self._client.request(rtype, body))

    def case(self, case_id: int) -> dict[str, Any]:
        return self.call("case.get", {"id": case_id})["case"]

    def close(self) -> None:
        try:
            self._run(self._client.close())
        finally:
            self._net.stop()


def report(actor: Actor, title: str, channel: str = "hotline_12345", **extra: Any) -> dict[str, Any]:
    """Reports a case (township 1 unless given); returns it as the server stored it."""
    body = {"channel": channel, "category": "市容环境", "title": title, "township_id": 1, **extra}
    return actor.call("case.report", body)["case"]


def dispatched(desk: Actor, title: str, department_id: int) -> dict[str, Any]:
    """A case reported, registered and dispatched to a department by the desk; returns it as dispatched."""
    case = report(desk, title)
    case = desk.call("case.register", {"id": case["id"], "expected_version": case["version"]})["case"]
    return desk.call("case.dispatch", {"id": case["id"], "expected_version": case["version"],
                                       "lead_department_id": department_id,
                                       "resolution_class": "immediate"})["case"]
