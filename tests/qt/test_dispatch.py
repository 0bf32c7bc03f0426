"""Dispatch by drag and drop against a real server process: drop -> dialog -> case.dispatch; one dispatch for a
double submit and for the same drop twice; a drop the server rejects because another duty desk acted first; drops
refused locally (nothing sent); recall until the department signs; redispatch of a returned case; the loads.

Drops are real `QDropEvent`s sent to the tile (QDrag.exec would block offscreen). Another console's action is done
with a plain `CommandClient` on the test thread while the Qt thread waits: our session's copy of the case is then
provably the old one when our command leaves, which is the race the server's version check is for.
"""

from __future__ import annotations

import asyncio
import gc
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from PySide6.QtCore import QObject, Signal

from app.context import WindowContext, open_context
from app.models.cases import CaseFilter
from app.session import Reply
from services.client import CommandClient
from tests.qt.conftest import LiveServer
from tests.qt.test_department_board import drop_on
from views.dispatch import DispatchController, DispatchDialog
from widgets.department_board import DepartmentBoard, case_mime_data

OFFICER = "demo_duty_officer"


@dataclass
class Console:
    context: WindowContext
    board: DepartmentBoard
    controller: DispatchController

    @property
    def cases(self) -> Any:
        return self.context.cases

    def drop(self, department_id: int, case_id: int) -> None:
        tile = self.board.tile(department_id)
        assert tile is not None, department_id
        drop_on(tile, case_mime_data(case_id))

    def dialog(self) -> DispatchDialog:
        assert self.controller.dialog is not None, self.controller.last_notice
        return self.controller.dialog


@pytest.fixture
def console(qtbot: Any, live_server: LiveServer) -> Iterator[Console]:
    gc.collect()  # earlier tests' windows die here, on the GUI thread, not later in a session's network thread
    context = open_context(live_server.url, live_server.tokens[OFFICER], "console-dispatch-test")
    board = DepartmentBoard()
    qtbot.addWidget(board)
    board.resize(480, 1000)
    board.show()
    controller = DispatchController(context, board)
    with qtbot.waitSignal(context.session.snapshot_loaded, timeout=20_000):
        context.session.start()
    qtbot.waitUntil(lambda: len(board.tiles()) == 38, timeout=5_000)
    yield Console(context, board, controller)
    for dialog in (controller.dialog, controller.recall_dialog):
        if dialog is not None:
            dialog.reject()
    context.close()  # stops the repaint timer on this (the Qt) thread, then the session


def call(qtbot: Any, console: Console, rtype: str, body: dict[str, Any], idem: str | None = None) -> Reply:
    replies: list[Reply] = []
    console.context.session.request(rtype, body, replies.append, idem=idem)
    qtbot.waitUntil(lambda: bool(replies), timeout=10_000)
    return replies[0]


def other_desk(server: LiveServer) -> str:
    """Another duty officer's account: the simulator's duty desk where the demo has it."""
    return "sim_desk" if "sim_desk" in server.tokens else OFFICER


def act_as(server: LiveServer, user: str, rtype: str, body: dict[str, Any]) -> dict[str, Any]:
    """Another console's command, done to the end while the Qt thread waits (our session hears of it only later)."""

    async def once() -> dict[str, Any]:
        async with CommandClient(server.url, server.tokens[user], console="console-other") as client:
            await client.wait_connected(10)
            return await client.request(rtype, body)

    return asyncio.run(once())


def reported_case(qtbot: Any, console: Console, title: str) -> dict[str, Any]:
    reply = call(qtbot, console, "case.report", {"channel": "hotline_12345", "category": "市容环境", "title": title,
                                                  "township_id": 1, "priority": 2})
    assert reply.ok, reply.error
    case_id = reply.result["id"]
    qtbot.waitUntil(lambda: console.cases.case(case_id) is not None, timeout=10_000)
    return console.cases.case(case_id)


def registered_case(qtbot: Any, console: Console, title: str) -> dict[str, Any]:
    case = reported_case(qtbot, console, title)
    reply = call(qtbot, console, "case.register", {"id": case["id"], "expected_version": case["version"]})
    assert reply.ok, reply.error
    qtbot.waitUntil(lambda: console.cases.case(case["id"])["state"] == "registered", timeout=10_000)
    return console.cases.case(case["id"])


def dispatched_case(qtbot: Any, console: Console, title: str, department_id: int) -> dict[str, Any]:
    case = registered_case(qtbot, console, title)
    reply = call(qtbot, console, "case.dispatch", {"id": case["id"], "expected_version": case["version"],
                                                    "lead_department_id": department_id,
                                                    "resolution_class": "immediate"})
    assert reply.ok, reply.error
    qtbot.waitUntil(lambda: console.cases.case(case["id"])["state"] == "dispatched", timeout=10_000)
    return console.cases.case(case["id"])


def timeline_kinds(qtbot: Any, console: Console, case_id: int) -> list[str]:
    reply = call(qtbot, console, "case.get", {"id": case_id})
    assert reply.ok, reply.error
    return [entry["kind"] for entry in reply.result["timeline"]]


def test_drop_confirm_dispatch_and_the_load_goes_up(qtbot: Any, console: Console) -> None:
    case = registered_case(qtbot, console, "莲塘大道路灯不亮")
    other = registered_case(qtbot, console, "幽兰镇河道漂浮物")
    lead, co = 3, 5
    before = console.controller.load.load(lead)
    registered = CaseFilter(console.cases, {"registered"})
    assert any(registered.case_at(r)["id"] == case["id"] for r in range(registered.rowCount()))

    console.drop(lead, case["id"])
    dialog = console.dialog()
    assert dialog.case_id == case["id"] and dialog.lead_id() == lead and not dialog.redispatch
    console.drop(co, case["id"])  # a further drop of the same case: a co-operating department
    assert dialog.co_ids() == [co]
    console.drop(lead, case["id"])  # the lead again: nothing new
    assert dialog.co_ids() == [co] and "牵头部门" in dialog.status_text()
    console.drop(7, other["id"])  # another case while this dialog is open: refused, the dialog stays
    assert console.controller.dialog is dialog and "请先完成或取消" in console.controller.last_notice[0]
    dialog.set_resolution_class("coordinated")
    dialog.set_note("请尽快处理")
    dialog.ok_button.click()

    qtbot.waitUntil(lambda: console.cases.case(case["id"])["state"] == "dispatched", timeout=10_000)
    now = console.cases.case(case["id"])
    assert (now["lead_department_id"], now["co_department_ids"], now["resolution_class"]) == (lead, [co], "coordinated")
    assert console.controller.dialog is None
    assert not any(registered.case_at(r)["id"] == case["id"] for r in range(registered.rowCount()))
    after = console.controller.load.load(lead)
    assert after.open == before.open + 1 and after.awaiting_sign == before.awaiting_sign + 1
    tile = console.board.tile(lead)
    assert tile is not None and tile.load.open == after.open
    assert "已派遣" in console.board.notice_text()
    console.board.set_drag_active(True)
    assert tile.load_text().startswith(f"在办 {after.open} · 超期 ")


def test_a_double_submit_and_the_same_drop_twice_make_one_dispatch(qtbot: Any, console: Console) -> None:
    case = registered_case(qtbot, console, "县城区积水")
    console.drop(4, case["id"])
    dialog = console.dialog()
    dialog.ok_button.click()
    dialog.ok_button.click()  # the double click
    console.controller.submit()  # and the same action through the controller, while the first is on its way
    dialog.submit_requested.emit()
    console.drop(4, case["id"])  # the same drop again, the dialog still open
    first = console.controller.last_request
    assert first is not None and first.idem == dialog.idem
    qtbot.waitUntil(lambda: console.cases.case(case["id"])["state"] == "dispatched", timeout=10_000)

    console.drop(4, case["id"])  # and once more after it went: refused here, nothing sent
    assert console.controller.dialog is None
    assert console.controller.last_request is first
    assert "已派遣给" in console.controller.last_notice[0]
    kinds = timeline_kinds(qtbot, console, case["id"])
    assert kinds.count("case.dispatched") == 1

    # the reply was lost, say, and the same action is sent again: the server answers with the first result
    replay = call(qtbot, console, first.rtype, first.body, idem=first.idem)
    assert replay.ok, replay.error
    assert replay.result["version"] == console.cases.case(case["id"])["version"]
    assert timeline_kinds(qtbot, console, case["id"]).count("case.dispatched") == 1


def test_a_drop_the_server_rejects_shows_who_acted_first(qtbot: Any, console: Console,
                                                         live_server: LiveServer) -> None:
    case = registered_case(qtbot, console, "塘南镇村道塌陷")
    mine, theirs = 6, 8
    before = console.controller.load.load(mine)
    console.drop(mine, case["id"])
    dialog = console.dialog()
    desk = other_desk(live_server)
    act_as(live_server, desk, "case.dispatch", {"id": case["id"], "expected_version": case["version"],
                                                 "lead_department_id": theirs, "resolution_class": "planned"})
    assert console.cases.case(case["id"])["state"] == "registered"  # our copy is still the old one
    dialog.ok_button.click()

    qtbot.waitUntil(lambda: dialog.status_level == "error", timeout=10_000)
    text = dialog.status_text()
    theirs_name = console.context.reference.department_name(theirs)
    assert desk in text and "待签收" in text and theirs_name in text, text
    assert not dialog.ok_button.isEnabled()  # it can no longer be dispatched from here
    assert "待签收" in dialog.details_label.text()  # the case as it now is
    now = console.cases.case(case["id"])
    assert now["state"] == "dispatched" and now["lead_department_id"] == theirs
    assert console.controller.load.load(mine) == before
    qtbot.waitUntil(lambda: console.controller.load.load(theirs).open >= 1, timeout=10_000)
    assert timeline_kinds(qtbot, console, case["id"]).count("case.dispatched") == 1


def test_an_open_dialog_follows_a_change_made_elsewhere(qtbot: Any, console: Console,
                                                        live_server: LiveServer) -> None:
    case = registered_case(qtbot, console, "向塘镇噪声扰民")
    console.drop(9, case["id"])
    dialog = console.dialog()
    act_as(live_server, other_desk(live_server), "case.dispatch",
           {"id": case["id"], "expected_version": case["version"], "lead_department_id": 10,
            "resolution_class": "immediate"})
    qtbot.waitUntil(lambda: not dialog.ok_button.isEnabled(), timeout=10_000)
    assert "不能再操作" in dialog.status_text() and "待签收" in dialog.status_text()


def test_a_drop_of_a_case_that_is_not_registered_is_refused_and_nothing_is_sent(qtbot: Any,
                                                                                console: Console) -> None:
    case = reported_case(qtbot, console, "八一乡垃圾未清运")
    console.drop(2, case["id"])
    assert console.controller.dialog is None
    assert console.controller.last_request is None
    text, level = console.controller.last_notice
    assert "尚未立案" in text and level == "warning"
    assert console.board.notice_text() == text
    console.drop(2, 987_654_321)  # a case this console does not know
    assert console.controller.dialog is None and "不在待办列表" in console.controller.last_notice[0]
    reply = call(qtbot, console, "case.get", {"id": case["id"]})
    assert reply.result["case"]["version"] == case["version"]
    assert [e["kind"] for e in reply.result["timeline"]] == ["case.reported"]


def test_recall_until_the_department_signs(qtbot: Any, console: Console, live_server: LiveServer) -> None:
    department = 1  # demo_department works for department 1
    before = console.controller.load.load(department)
    case = dispatched_case(qtbot, console, "莲塘街道井盖缺失", department)
    qtbot.waitUntil(lambda: console.controller.load.load(department).open == before.open + 1, timeout=10_000)

    console.controller.recall(case["id"])
    dialog = console.controller.recall_dialog
    assert dialog is not None
    dialog.note_edit.setText("派错部门")
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: console.cases.case(case["id"])["state"] == "registered", timeout=10_000)
    assert console.cases.case(case["id"])["lead_department_id"] is None
    assert console.controller.recall_dialog is None
    assert console.controller.load.load(department).open == before.open
    assert timeline_kinds(qtbot, console, case["id"])[-1] == "case.recalled"

    # dispatched again; the department signs while the recall dialog is open: the server refuses the recall
    again = dispatched_case_from(qtbot, console, case["id"], department)
    console.controller.recall(case["id"])
    dialog = console.controller.recall_dialog
    assert dialog is not None
    act_as(live_server, "demo_department", "case.sign", {"id": case["id"], "expected_version": again["version"]})
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: dialog.status_level == "error", timeout=10_000)
    assert "demo_department" in dialog.status_text() and "处置中" in dialog.status_text()
    dialog.reject()
    qtbot.waitUntil(lambda: console.cases.case(case["id"])["state"] == "handling", timeout=10_000)

    console.controller.recall(case["id"])  # signed: refused here
    assert console.controller.recall_dialog is None
    assert "签收" in console.controller.last_notice[0] and "不能撤回" in console.controller.last_notice[0]
    assert timeline_kinds(qtbot, console, case["id"]).count("case.recalled") == 1


def dispatched_case_from(qtbot: Any, console: Console, case_id: int, department_id: int) -> dict[str, Any]:
    case = console.cases.case(case_id)
    reply = call(qtbot, console, "case.dispatch", {"id": case_id, "expected_version": case["version"],
                                                    "lead_department_id": department_id,
                                                    "resolution_class": "immediate"}, idem=uuid.uuid4().hex)
    assert reply.ok, reply.error
    qtbot.waitUntil(lambda: console.cases.case(case_id)["state"] == "dispatched", timeout=10_000)
    return console.cases.case(case_id)


def test_a_returned_case_dropped_on_another_department_is_redispatched(qtbot: Any, console: Console,
                                                                       live_server: LiveServer) -> None:
    case = dispatched_case(qtbot, console, "蒋巷镇占道经营", 1)
    act_as(live_server, "demo_department", "case.return", {"id": case["id"], "expected_version": case["version"],
                                                           "reason": "不属于本部门职责"})
    qtbot.waitUntil(lambda: console.cases.case(case["id"])["state"] == "returned", timeout=10_000)
    console.drop(3, case["id"])
    dialog = console.dialog()
    assert dialog.redispatch and "不属于本部门职责" in dialog.status_text()
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: console.cases.case(case["id"])["state"] == "dispatched", timeout=10_000)
    assert console.cases.case(case["id"])["lead_department_id"] == 3
    assert timeline_kinds(qtbot, console, case["id"])[-1] == "case.arbitrated"


class PendingArrivals(QObject):
    """A whistle source as the whistle model will be one (the `ArrivalSource` protocol)."""

    arrivals_changed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.pending: dict[int, int] = {}

    def arrivals_pending(self) -> dict[int, int]:
        return dict(self.pending)


def test_whistle_arrivals_show_on_the_tiles(qtbot: Any, console: Console) -> None:
    source = PendingArrivals()
    console.controller.load.set_arrival_source(source)
    source.pending = {12: 2}
    source.arrivals_changed.emit()
    tile = console.board.tile(12)
    assert tile is not None and tile.load.awaiting == 2
    console.board.set_drag_active(True)
    assert tile.load_text().endswith("待报到 2")
    source.pending = {}
    source.arrivals_changed.emit()
    assert tile.load.awaiting == 0


def test_a_snapshot_reload_recomputes_every_load(qtbot: Any, console: Console) -> None:
    dispatched_case(qtbot, console, "东新街道路面破损", 11)
    loads = {d: console.controller.load.load(d) for d in range(1, 39)}
    assert loads[11].open >= 1
    cases = [row.case for row in console.cases.rows()]
    console.cases.load([])  # what a resync does: a model reset
    assert all(console.controller.load.load(d).open == 0 for d in range(1, 39))
    tile = console.board.tile(11)
    assert tile is not None and tile.load.open == 0
    console.cases.load(cases)
    assert {d: console.controller.load.load(d) for d in range(1, 39)} == loads
    assert tile.load.open == loads[11].open


def test_a_dispatch_the_role_may_not_make_is_refused_by_the_server(qtbot: Any, console: Console,
                                                                   live_server: LiveServer) -> None:
    case = registered_case(qtbot, console, "银三角街道违章搭建")
    leader = open_context(live_server.url, live_server.tokens["demo_leader"], "console-leader-test")
    board = DepartmentBoard()
    qtbot.addWidget(board)
    controller = DispatchController(leader, board)
    with qtbot.waitSignal(leader.session.snapshot_loaded, timeout=20_000):
        leader.session.start()
    try:
        qtbot.waitUntil(lambda: leader.cases.case(case["id"]) is not None, timeout=10_000)
        drop_on(board.tile(2), case_mime_data(case["id"]))
        dialog = controller.dialog
        assert dialog is not None
        dialog.ok_button.click()
        qtbot.waitUntil(lambda: dialog.status_level == "error", timeout=10_000)
        assert "无权派遣" in dialog.status_text() and "值班员" in dialog.status_text()
        assert dialog.ok_button.isEnabled()  # nothing changed: the case is as it was
        assert leader.cases.case(case["id"])["state"] == "registered"
        dialog.reject()
    finally:
        leader.session.stop()
        leader._timer.stop()
    assert timeline_kinds(qtbot, console, case["id"]).count("case.dispatched") == 0
