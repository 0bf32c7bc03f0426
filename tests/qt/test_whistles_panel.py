"""The whistles panel against a real server: a village blows the whistle, the duty officer approves it in the panel
(one department ticked, one dropped), the countdowns run, a department reports on site; rejection needs a reason;
a stale approval says who got there first and shows the whistle as it now is."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Iterator
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent

from app.context import WindowContext, open_context
from services.client import CommandClient
from tests.qt.conftest import LiveServer
from views.whistles import WhistlesPanel
from widgets.department_mime import DEPARTMENT_MIME, department_mime_data

VILLAGE = "sim_village_01"  # township 1
WATER, EMERGENCY = 3, 7  # called departments; sim_dept_03 / sim_dept_07 are their liaisons


def remote(server: LiveServer, user: str, rtype: str, body: dict[str, Any]) -> dict[str, Any]:
    """One command by another user, on its own connection (blocks the Qt thread on purpose: no events are
    applied to the panel meanwhile)."""

    async def go() -> dict[str, Any]:
        client = CommandClient(server.url, server.tokens[user], console="test-remote")
        await client.start()
        await client.wait_connected(10)
        try:
            return await client.request(rtype, body)
        finally:
            await client.close()

    return asyncio.run(go())


def close(context: WindowContext, panel: WhistlesPanel | None) -> None:
    """Stops the session and deletes, here on the Qt thread, the panel (before the models it shows) and the
    context's timer: left to the garbage collector they may be destroyed on the session's network thread, and a
    QTimer destroyed off its thread stays registered and crashes the next tick."""
    context.session.stop()
    if panel is not None:
        shiboken6.delete(panel)
    timer = getattr(context, "_timer", None)
    if timer is not None:
        shiboken6.delete(timer)
    gc.collect()


def raise_whistle(server: LiveServer, title: str) -> int:
    result = remote(server, VILLAGE, "whistle.raise", {
        "township_id": 1, "title": title, "description": f"{title}，村里无力处置", "proposal": "请县水利局到场"})
    return int(result["id"])


@pytest.fixture
def console(qtbot: Any, live_server: LiveServer) -> Iterator[tuple[WindowContext, WhistlesPanel]]:
    context = open_context(live_server.url, live_server.tokens["sim_desk"], "console-test")
    panel = WhistlesPanel(context)
    panel.resize(1400, 800)
    panel.show()
    with qtbot.waitSignal(context.session.snapshot_loaded, timeout=20_000):
        context.session.start()
    yield context, panel
    close(context, panel)


def wait_state(qtbot: Any, panel: WhistlesPanel, whistle_id: int, state: str) -> dict[str, Any]:
    qtbot.waitUntil(lambda: (panel.model.whistle(whistle_id) or {}).get("state") == state, timeout=10_000)
    whistle = panel.model.whistle(whistle_id)
    assert whistle is not None
    return whistle


def drop(panel: WhistlesPanel, widget: Any, mime: QMimeData, pos: QPoint | None = None) -> bool:
    """Drag-enter then drop, handed to the panel's event filter exactly as Qt's drag manager would (a real drag
    session needs a window system; QApplication.sendEvent does not deliver drop events outside one). True if the
    drop was accepted."""
    point = QPointF(pos or widget.rect().center())
    enter = QDragEnterEvent(point.toPoint(), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    enter.ignore()
    panel.eventFilter(widget, enter)
    if not enter.isAccepted():
        return False
    event = QDropEvent(point, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    event.ignore()
    panel.eventFilter(widget, event)
    return event.isAccepted()


def test_raise_approve_by_tick_and_drop_countdowns_then_arrival(qtbot: Any, live_server: LiveServer,
                                                               console: tuple[WindowContext, WhistlesPanel]) -> None:
    context, panel = console
    assert context.extras["whistles"] is panel.model
    wid = raise_whistle(live_server, "河道堤坝渗水")
    wait_state(qtbot, panel, wid, "raised")
    assert panel.proxy.row_of(wid) is not None  # listed under 待审核
    assert "待审核 (" in panel.tabs.tabText(0)

    # a department dropped on the whistle's row in the list, another ticked in the checklist
    row = panel.proxy.row_of(wid)
    assert row is not None
    rect = panel.list_view.visualRect(panel.proxy.index(row, 0))
    assert drop(panel, panel.list_view.viewport(), department_mime_data(WATER), rect.center())
    assert panel.pages.currentWidget() is panel.review_page
    assert panel.checklist.set_checked(EMERGENCY)
    assert sorted(panel.checklist.checked_ids()) == [WATER, EMERGENCY]
    assert "村里点名" in next(panel.checklist.list.item(i).text() for i in range(panel.checklist.list.count())
                             if "水利" in panel.checklist.list.item(i).text())
    panel.class_combo.setCurrentIndex(panel.class_combo.findData("coordinated"))
    panel.approve_button.click()

    whistle = wait_state(qtbot, panel, wid, "approved")
    assert sorted(c["department_id"] for c in whistle["calls"]) == [WATER, EMERGENCY]
    assert whistle["resolution_class"] == "coordinated"
    assert panel.pages.currentWidget() is panel.arrivals_page
    for department in (WATER, EMERGENCY):
        pill = panel.pill_for(department)
        assert pill is not None and pill.tone() in ("waiting", "warn", "overdue")
        assert pill.text().startswith(("待报到", "未报到"))
    assert panel.model.arrivals_pending().get(WATER) == 1
    assert "0/2 已报到" in panel.model.data(panel.model.index(panel.model.row_of(wid), 5))

    # the water department reports on site: the server's whistle.arrived flips its countdown
    with qtbot.waitSignal(panel.model.arrivals_changed, timeout=10_000):
        remote(live_server, "sim_dept_03", "whistle.arrive", {"id": wid, "expected_version": whistle["version"],
                                                              "person": "王五"})
    qtbot.waitUntil(lambda: (panel.pill_for(WATER) is not None
                             and panel.pill_for(WATER).tone() in ("ok", "late")), timeout=10_000)
    assert panel.pill_for(WATER).text() in ("已准时报到",) or panel.pill_for(WATER).text().startswith("迟到")
    assert panel.pill_for(EMERGENCY).tone() != "ok"
    assert "王五" in panel.arrivals_page.detail(WATER)
    assert WATER not in panel.model.arrivals_pending()
    assert panel.model.arrivals_pending().get(EMERGENCY) == 1


def test_approve_without_departments_and_bad_drops_are_refused_locally(
        qtbot: Any, live_server: LiveServer, console: tuple[WindowContext, WhistlesPanel]) -> None:
    _, panel = console
    wid = raise_whistle(live_server, "村道塌方")
    wait_state(qtbot, panel, wid, "raised")
    assert panel.select_whistle(wid)
    panel.approve_button.click()
    assert "至少选择一个部门" in panel.message_label.text()

    for payload in (b"not-a-number", b"", b"3;7", "三".encode(), b"-4"):
        mime = QMimeData()
        mime.setData(DEPARTMENT_MIME, payload)
        assert not drop(panel, panel.review_page, mime)
    other = QMimeData()
    other.setData("application/x-ccc-case", b"3")
    assert not drop(panel, panel.review_page, other)
    assert not drop(panel, panel.review_page, department_mime_data(9999))  # no such department
    assert "无法识别的部门" in panel.message_label.text()
    assert panel.checklist.checked_ids() == []
    qtbot.wait(300)
    assert panel.model.whistle(wid)["state"] == "raised" and panel.model.whistle(wid)["version"] == 1


def test_reject_needs_a_reason(qtbot: Any, live_server: LiveServer,
                               console: tuple[WindowContext, WhistlesPanel]) -> None:
    _, panel = console
    wid = raise_whistle(live_server, "邻里噪音纠纷")
    wait_state(qtbot, panel, wid, "raised")
    assert panel.select_whistle(wid)
    panel.reason_edit.setText("   ")
    panel.reject_button.click()
    assert "必须填写理由" in panel.message_label.text()
    qtbot.wait(500)  # nothing was sent: still raised, same version
    assert panel.model.whistle(wid)["state"] == "raised" and panel.model.whistle(wid)["version"] == 1

    panel.reason_edit.setText("属村内调解范围，不需吹哨")
    panel.reject_button.click()
    whistle = wait_state(qtbot, panel, wid, "rejected")
    assert whistle["reject_reason"] == "属村内调解范围，不需吹哨"
    assert "已驳回" in panel.message_label.text()
    assert panel.proxy.row_of(wid) is not None  # still listed (pinned) while it is on screen, marked 已驳回
    panel.tabs.setCurrentIndex(2)  # 全部: still there
    assert panel.proxy.row_of(wid) is not None
    panel.tabs.setCurrentIndex(0)  # back to 待审核: a rejected whistle is not one of them
    assert panel.proxy.row_of(wid) is None


def test_a_stale_approval_says_who_approved_first_and_shows_the_whistle_now(
        qtbot: Any, live_server: LiveServer, console: tuple[WindowContext, WhistlesPanel]) -> None:
    _, panel = console
    wid = raise_whistle(live_server, "山塘水位异常")
    wait_state(qtbot, panel, wid, "raised")
    assert panel.select_whistle(wid)
    panel.checklist.set_checked(WATER)
    # another duty officer approves first; the Qt thread is blocked meanwhile, so the panel still holds version 1
    remote(live_server, "demo_duty_officer", "whistle.review", {"id": wid, "expected_version": 1, "approve": True,
                                                                 "department_ids": [EMERGENCY]})
    assert panel.model.whistle(wid)["version"] == 1
    panel.approve_button.click()
    qtbot.waitUntil(lambda: "demo_duty_officer" in panel.message_label.text(), timeout=10_000)
    text = panel.message_label.text()
    assert "已交派" in text and context_department_name(panel, EMERGENCY) in text
    whistle = panel.model.whistle(wid)
    assert whistle["state"] == "approved" and [c["department_id"] for c in whistle["calls"]] == [EMERGENCY]
    assert panel.pages.currentWidget() is panel.arrivals_page and panel.pill_for(EMERGENCY) is not None


def context_department_name(panel: WhistlesPanel, department_id: int) -> str:
    return panel.context.reference.department_name(department_id)


def test_whistle_opened_after_the_snapshot_fetches_its_own(qtbot: Any, live_server: LiveServer) -> None:
    """A panel made after the session has loaded still shows the whistles (it asks for the part itself)."""
    raise_whistle(live_server, "渠道堵塞")
    context = open_context(live_server.url, live_server.tokens["sim_desk"], "console-test")
    panel: WhistlesPanel | None = None
    try:
        with qtbot.waitSignal(context.session.snapshot_loaded, timeout=20_000):
            context.session.start()
        panel = WhistlesPanel(context)
        model = panel.model
        qtbot.waitUntil(lambda: len(model) > 0, timeout=10_000)
        assert any(w["title"] == "渠道堵塞" for w in model.whistles())
    finally:
        close(context, panel)


def test_the_model_applies_whistle_events_in_place_and_counts_pending_arrivals(qtbot: Any) -> None:
    """No server needed: events in, rows changed in place (never a reset), older copies ignored."""
    from app.models.reference import Reference
    from app.models.whistles import WhistleModel
    from services.client import Event

    def whistle(version: int, state: str, arrived: frozenset[int] = frozenset()) -> dict[str, Any]:
        calls = [{"department_id": d, "arrival_due_at": "2026-11-30T17:30:00+08:00",
                  "arrived_at": "2026-11-30T10:00:00+08:00" if d in arrived else None, "on_time": d in arrived or None}
                 for d in (3, 7)] if state != "raised" else []
        return {"id": 1, "code": "CS-1", "version": version, "state": state, "township_id": 1, "title": "堤坝渗水",
                "approved_at": "2026-11-30T08:30:00+08:00" if calls else None, "calls": calls}

    def event(seq: int, kind: str, data: dict[str, Any]) -> Event:
        return Event(sub=1, seq=seq, epoch="e", kind=kind, data={"whistle": data, "change": {}})

    model = WhistleModel(Reference(), lambda: 0.0)
    model.load([])
    resets: list[int] = []
    model.modelReset.connect(lambda: resets.append(1))
    with qtbot.waitSignal(model.rowsInserted, timeout=1000):
        model.apply([event(1, "whistle.raised", whistle(1, "raised"))])
    assert model.arrivals_pending() == {}
    with qtbot.waitSignal(model.arrivals_changed, timeout=1000):
        model.apply([event(2, "whistle.approved", whistle(2, "approved"))])
    assert model.arrivals_pending() == {3: 1, 7: 1}
    model.apply([event(3, "whistle.arrived", whistle(3, "approved", {3})),
                 event(4, "case.reported", {"id": 1, "version": 99, "state": "raised"})])  # not a whistle event
    assert model.arrivals_pending() == {7: 1} and model.whistle(1)["version"] == 3
    model.merge([whistle(2, "approved")])  # an older copy (a late reply): ignored
    assert model.whistle(1)["version"] == 3 and model.arrivals_pending() == {7: 1}
    assert len(model) == 1 and resets == []
    assert model.data(model.index(0, 5)) == "1/2 已报到"


def test_a_whistle_handled_elsewhere_while_on_screen_says_so(qtbot: Any, live_server: LiveServer,
                                                            console: tuple[WindowContext, WhistlesPanel]) -> None:
    _, panel = console
    wid = raise_whistle(live_server, "村口积水")
    wait_state(qtbot, panel, wid, "raised")
    assert panel.select_whistle(wid)
    panel.reason_edit.setText("草稿")
    remote(live_server, "demo_duty_officer", "whistle.review", {"id": wid, "expected_version": 1, "approve": False,
                                                                 "reason": "已由村里自行处置"})
    qtbot.waitUntil(lambda: "已被 demo_duty_officer" in panel.message_label.text(), timeout=10_000)
    assert "已驳回" in panel.message_label.text() and "已由村里自行处置" in panel.message_label.text()
    assert panel.pages.currentWidget() is not panel.review_page  # no form left to act on a decided whistle
    assert panel.proxy.row_of(wid) is not None  # and it did not jump out of the list under the user
