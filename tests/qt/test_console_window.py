"""The console window as a whole, against real server processes: composition, a server that is not there at start,
a server restarted mid-shift (no duplicated or missing rows), and refused credentials going back to login."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from app.context import CONSOLE_PARTS
from app.session import Reply, Session
from app.windows import Placement
from tests.qt.conftest import LiveServer, free_port, start_live_server
from views.console_window import TAB_INTAKE, ConsoleWindow
from views.launch import Credentials, WindowLauncher

PLACE = Placement("console", 0, "normal")


def launcher_for(url: str, token: str, ask: Any = None) -> WindowLauncher:
    return WindowLauncher("console", lambda c: ConsoleWindow(c, sound=False), CONSOLE_PARTS, PLACE,
                          Credentials(url, token), ask=ask)


def report(qtbot: Any, server_url: str, token: str, titles: list[str]) -> list[int]:
    session = Session(server_url, token, console="test-intake", parts=["channels"])
    ids: list[int] = []
    with qtbot.waitSignal(session.snapshot_loaded, timeout=20_000):
        session.start()
    for title in titles:
        replies: list[Reply] = []
        session.request("case.report", {"channel": "hotline_12345", "category": "道路", "title": title,
                                        "township_id": 2}, replies.append)
        qtbot.waitUntil(lambda r=replies: bool(r), timeout=10_000)
        assert replies[0].ok, replies[0].error
        ids.append(replies[0].result["id"])
    session.stop()
    return ids


def open_ids(qtbot: Any, url: str, token: str) -> set[int]:
    """What the server says is open right now (a fresh snapshot)."""
    session = Session(url, token, console="test-check", parts=["open_cases"])
    with qtbot.waitSignal(session.snapshot_loaded, timeout=20_000) as blocker:
        session.start()
    session.stop()
    return {c["id"] for c in blocker.args[0]["open_cases"]}


def test_the_console_opens_loads_and_counts_new_reports(qtbot: Any, live_server: LiveServer) -> None:
    launcher = launcher_for(live_server.url, live_server.tokens["demo_duty_officer"])
    assert launcher.start()
    window = launcher.window
    assert isinstance(window, ConsoleWindow)
    try:
        qtbot.waitUntil(lambda: window.badge.state == "connected", timeout=20_000)
        before = sum(1 for r in window.context.cases.rows() if r.case["state"] == "reported")
        report(qtbot, live_server.url, live_server.tokens["sim_intake"], ["控制台测试一", "控制台测试二"])
        qtbot.waitUntil(lambda: window.tabs.tabText(TAB_INTAKE) == f"待受理 ({before + 2})", timeout=10_000)
        assert "demo_duty_officer" in window.who.text()
    finally:
        launcher.close()


def test_a_server_that_is_not_there_at_start(qtbot: Any, tmp_path: Path) -> None:
    port = free_port()
    launcher = launcher_for(f"ws://127.0.0.1:{port}", "no-server-yet")
    assert launcher.start()
    window = launcher.window
    assert isinstance(window, ConsoleWindow) and window.isVisible()
    qtbot.waitUntil(lambda: window.badge.state in ("connecting", "reconnecting"), timeout=5_000)
    qtbot.waitUntil(lambda: window.offline.isVisible(), timeout=5_000)
    assert "连接" in window.offline.text()
    server = start_live_server(tmp_path / "late", port=port)
    try:
        launcher.close()  # the token printed by the late server is new: log in again with it, as a user would
        launcher.credentials = Credentials(server.url, server.tokens["demo_duty_officer"])
        launcher.start()
        window = launcher.window
        assert isinstance(window, ConsoleWindow)
        qtbot.waitUntil(lambda: window.badge.state == "connected", timeout=20_000)
        assert not window.offline.isVisible()
    finally:
        launcher.close()
        server.stop()


def test_a_server_restarted_mid_shift_resumes_without_duplicates_or_gaps(qtbot: Any, tmp_path: Path) -> None:
    directory, port = tmp_path / "restart", free_port()
    server = start_live_server(directory, port=port)
    launcher = launcher_for(server.url, server.tokens["demo_duty_officer"])
    launcher.start()
    window = launcher.window
    assert isinstance(window, ConsoleWindow)
    try:
        qtbot.waitUntil(lambda: window.badge.state == "connected", timeout=20_000)
        report(qtbot, server.url, server.tokens["sim_intake"], ["重启前一", "重启前二"])
        server.stop()
        qtbot.waitUntil(lambda: window.badge.state in ("reconnecting", "connecting"), timeout=20_000)
        assert window.offline.isVisible()
        server = start_live_server(directory, port=port)  # same file, same port: the shift goes on
        after = report(qtbot, server.url, server.tokens["sim_intake"], ["重启后一", "重启后二", "重启后三"])
        qtbot.waitUntil(lambda: all(window.context.cases.case(i) is not None for i in after), timeout=30_000)
        expected = open_ids(qtbot, server.url, server.tokens["demo_duty_officer"])
        shown = [r.case["id"] for r in window.context.cases.rows()]
        assert len(shown) == len(set(shown)), "a case shown twice"
        qtbot.waitUntil(lambda: {r.case["id"] for r in window.context.cases.rows()} == expected, timeout=10_000)
    finally:
        launcher.close()
        server.stop()


def test_refused_credentials_go_back_to_login_with_the_reason(qtbot: Any, live_server: LiveServer) -> None:
    asked: list[str] = []

    def ask(credentials: Credentials, reason: str) -> Credentials | None:
        asked.append(reason)
        return Credentials(credentials.server, live_server.tokens["demo_duty_officer"])

    launcher = launcher_for(live_server.url, "a-token-that-was-revoked", ask=ask)
    launcher.start()
    qtbot.waitUntil(lambda: len(asked) == 1, timeout=20_000)
    assert asked[0]  # the server's reason, shown on the login dialog
    qtbot.waitUntil(lambda: launcher.window is not None and launcher.window.badge.state == "connected",
                    timeout=20_000)
    launcher.close()
