"""The intake queue and the case detail against a real server: cases reported by others appear, keyboard navigation,
register and reject (an empty reason refused before sending), a case changed elsewhere while open, a register refused
for a stale version, and the drag payload of a row."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt

from app.context import WindowContext
from app.models.cases import COLUMN
from app.models.reference import Reference
from services.client import RemoteError
from tests.qt.case_actors import Actor, open_console, report, type_text
from tests.qt.conftest import LiveServer
from views.case_detail import CaseDetailPanel
from views.case_text import refusal_text
from views.intake import CASE_MIME, IntakePanel


@pytest.fixture(scope="module")
def console(qapp: Any, live_server: LiveServer) -> Iterator[WindowContext]:
    context = open_console(live_server)
    yield context
    context.close()


@pytest.fixture(scope="module")
def intake_desk(live_server: LiveServer) -> Iterator[Actor]:
    """The intake integration account: reports cases from the channels."""
    actor = Actor(live_server, "sim_intake")
    yield actor
    actor.close()


@pytest.fixture(scope="module")
def other_desk(live_server: LiveServer) -> Iterator[Actor]:
    """A second duty officer at another console."""
    actor = Actor(live_server, "sim_desk")
    yield actor
    actor.close()


def make_intake(qtbot: Any, console: WindowContext) -> IntakePanel:
    panel = IntakePanel(console)
    qtbot.addWidget(panel)
    panel.resize(1280, 900)
    panel.show()
    return panel


def make_detail(qtbot: Any, console: WindowContext, case_id: int) -> CaseDetailPanel:
    panel = CaseDetailPanel(console)
    qtbot.addWidget(panel)
    panel.resize(640, 1000)
    panel.show()
    panel.show_case(case_id)
    qtbot.waitUntil(lambda: panel.case() is not None and bool(panel.follower.timeline), timeout=10_000)
    return panel


def test_a_reported_case_appears_in_the_queue_with_its_channel(qtbot: Any, console: WindowContext,
                                                              intake_desk: Actor) -> None:
    panel = make_intake(qtbot, console)
    case = report(intake_desk, "澄湖路井盖缺失", channel="digital_city", category="道路设施")
    qtbot.waitUntil(lambda: case["id"] in panel.intake_ids(), timeout=10_000)
    row = panel.row_of(panel.intake_view, case["id"])
    assert row is not None
    assert panel.intake.index(row, COLUMN["channel"]).data() == "▣ 数字城管"
    assert panel.intake.index(row, COLUMN["code"]).data() == case["code"]
    assert f"{panel.intake.rowCount()} 件" in panel.intake_title.text()

    panel.channel_filter.setCurrentIndex(panel.channel_filter.findData("hotline_12345"))
    assert case["id"] not in panel.intake_ids()
    panel.channel_filter.setCurrentIndex(panel.channel_filter.findData("digital_city"))
    assert case["id"] in panel.intake_ids()
    panel.channel_filter.setCurrentIndex(0)
    panel.search.setText(case["code"])
    assert panel.intake_ids() == [case["id"]]
    panel.search.clear()


def test_a_possible_duplicate_names_the_linked_case(qtbot: Any, console: WindowContext, intake_desk: Actor) -> None:
    panel = make_intake(qtbot, console)
    first = report(intake_desk, "莲塘大道垃圾堆积", grid_id=1, category="环境卫生")
    second = report(intake_desk, "莲塘大道垃圾又堆起来了", grid_id=1, category="环境卫生", channel="citizen_app")
    assert second["duplicate_of"] == first["id"]
    qtbot.waitUntil(lambda: second["id"] in panel.intake_ids(), timeout=10_000)
    row = panel.row_of(panel.intake_view, second["id"])
    assert panel.intake.index(row, COLUMN["state"]).data() == f"→ {first['code']}"
    assert not panel.intake_view.isColumnHidden(COLUMN["state"])


@pytest.mark.parametrize("width", [960, 1280])
def test_columns_fit_the_width_and_codes_are_never_cut(qtbot: Any, console: WindowContext, intake_desk: Actor,
                                                       width: int) -> None:
    panel = make_intake(qtbot, console)
    first = report(intake_desk, "宽度测试：八月湖街道凤凰西社区第二网格路面塌陷", grid_id=40, category="道路设施")
    report(intake_desk, "宽度测试：同一处路面塌陷再次反映", grid_id=40, category="道路设施")  # a duplicate column
    qtbot.waitUntil(lambda: not panel.intake_view.isColumnHidden(COLUMN["state"]), timeout=10_000)
    panel.resize(width, 900)
    qtbot.waitUntil(lambda: panel.intake_view.viewport().width() < width, timeout=2_000)
    view = panel.intake_view
    shown = [c for c in range(panel.intake.columnCount()) if not view.isColumnHidden(c)]
    assert sum(view.columnWidth(c) for c in shown) <= view.viewport().width()  # no horizontal scrolling
    assert view.columnWidth(COLUMN["title"]) >= view.viewport().width() * 0.2
    code_width = view.fontMetrics().horizontalAdvance(first["code"])
    assert view.columnWidth(COLUMN["code"]) > code_width
    if width >= 1280:
        assert view.columnWidth(COLUMN["state"]) > view.fontMetrics().horizontalAdvance(f"→ {first['code']}")
    else:  # narrow: the link is elided on the left, its serial stays readable
        assert view.columnWidth(COLUMN["state"]) > view.fontMetrics().horizontalAdvance(f"…{first['code'][-8:]}")


def test_keyboard_moves_the_highlight_and_enter_opens(qtbot: Any, console: WindowContext,
                                                     intake_desk: Actor) -> None:
    panel = make_intake(qtbot, console)
    for n in range(3):
        report(intake_desk, f"键盘测试案件{n}")
    qtbot.waitUntil(lambda: panel.intake.rowCount() >= 3, timeout=10_000)
    panel.focus_queue()
    view = panel.intake_view
    assert view.currentIndex().row() == 0
    with qtbot.waitSignal(panel.case_highlighted, timeout=2_000) as highlighted:
        qtbot.keyClick(view, Qt.Key.Key_Down)
    assert view.currentIndex().row() == 1
    assert highlighted.args == [panel.intake_ids()[1]]
    qtbot.keyClick(view, Qt.Key.Key_Down)
    qtbot.keyClick(view, Qt.Key.Key_Up)
    assert view.currentIndex().row() == 1
    with qtbot.waitSignal(panel.case_selected, timeout=2_000) as opened:
        qtbot.keyClick(view, Qt.Key.Key_Return)
    assert opened.args == [panel.intake_ids()[1]]
    assert panel.chosen_case_id() == panel.intake_ids()[1]


def test_register_from_the_detail_moves_the_case_out_of_the_queue(qtbot: Any, console: WindowContext,
                                                                  intake_desk: Actor, other_desk: Actor) -> None:
    intake = make_intake(qtbot, console)
    case = report(intake_desk, "幽兰镇楼道飞线充电", priority=3)
    qtbot.waitUntil(lambda: case["id"] in intake.intake_ids(), timeout=10_000)
    detail = make_detail(qtbot, console, case["id"])
    assert detail.actions.isVisible() and detail.actions.register_button.isEnabled()
    detail.actions.priority_edit.setCurrentIndex(detail.actions.priority_edit.findData(1))
    detail.actions.category_edit.setCurrentText("安全隐患")
    type_text(detail.actions.note_edit, "已电话核实")
    with qtbot.waitSignal(detail.action_done, timeout=10_000) as done:
        qtbot.mouseClick(detail.actions.register_button, Qt.MouseButton.LeftButton)
    assert done.args == [case["id"], "case.register"]
    qtbot.waitUntil(lambda: case["id"] in intake.registered_ids(), timeout=10_000)
    assert case["id"] not in intake.intake_ids()
    assert detail.notice.level() == "success"
    assert detail.state_badge.text() == "已立案"
    assert not detail.actions.isVisible()
    stored = other_desk.case(case["id"])
    assert (stored["state"], stored["priority"], stored["category"]) == ("registered", 1, "安全隐患")
    qtbot.waitUntil(lambda: [e.title for e in detail.timeline.entries()] == ["上报", "立案"], timeout=10_000)
    assert "已电话核实" in detail.timeline.entries()[1].detail


def test_reject_needs_a_reason_before_anything_is_sent(qtbot: Any, console: WindowContext, intake_desk: Actor,
                                                       other_desk: Actor) -> None:
    intake = make_intake(qtbot, console)
    case = report(intake_desk, "重复反映的路灯问题")
    qtbot.waitUntil(lambda: case["id"] in intake.intake_ids(), timeout=10_000)
    detail = make_detail(qtbot, console, case["id"])

    type_text(detail.actions.reject_reason, "   ")
    qtbot.mouseClick(detail.actions.reject_button, Qt.MouseButton.LeftButton)
    assert detail.notice.level() == "error" and "理由" in detail.notice.text()
    assert not detail.follower.busy  # nothing in flight
    assert other_desk.case(case["id"])["version"] == case["version"]  # the server saw nothing
    assert case["id"] in intake.intake_ids()

    detail.actions.reject_reason.clear()
    type_text(detail.actions.reject_reason, "重复上报，已在办理")
    with qtbot.waitSignal(detail.action_done, timeout=10_000):
        qtbot.keyClick(detail.actions.reject_reason, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: case["id"] not in intake.intake_ids(), timeout=10_000)
    assert case["id"] not in intake.registered_ids()
    assert detail.state_badge.text() == "不予立案"
    assert detail.final_note.isVisible() and "不予立案" in detail.final_note.text()
    assert detail.fields["note"].text() == "重复上报，已在办理"
    stored = other_desk.case(case["id"])
    assert (stored["state"], stored["note"]) == ("rejected", "重复上报，已在办理")


def test_a_case_changed_elsewhere_while_open_is_named_and_shown_as_it_is(
        qtbot: Any, console: WindowContext, intake_desk: Actor, other_desk: Actor) -> None:
    case = report(intake_desk, "塘南镇宅基地边界争执")
    qtbot.waitUntil(lambda: console.cases.case(case["id"]) is not None, timeout=10_000)
    detail = make_detail(qtbot, console, case["id"])
    type_text(detail.actions.note_edit, "正在核实中")  # a draft under way
    assert detail.has_draft()

    other_desk.call("case.register", {"id": case["id"], "expected_version": case["version"], "priority": 2})
    qtbot.waitUntil(lambda: detail.notice.level() == "warning", timeout=10_000)
    text = detail.notice.text()
    assert "sim_desk" in text and "立案" in text and "已立案" in text
    assert "尚未提交" in text
    assert detail.state_badge.text() == "已立案"
    assert detail.case()["priority"] == 2
    assert detail.actions.note_edit.text() == "正在核实中"  # the draft is kept, but can no longer be sent
    assert detail.actions.isVisible() and not detail.actions.register_button.isEnabled()
    qtbot.waitUntil(lambda: len(detail.timeline.entries()) == 2, timeout=10_000)
    assert "sim_desk" in detail.timeline.entries()[1].actor


def test_a_register_refused_for_a_stale_version_says_why_and_keeps_the_draft(
        qtbot: Any, console: WindowContext, intake_desk: Actor, other_desk: Actor) -> None:
    case = report(intake_desk, "三江镇养殖污水直排")
    qtbot.waitUntil(lambda: console.cases.case(case["id"]) is not None, timeout=10_000)
    detail = make_detail(qtbot, console, case["id"])
    detail.actions.category_edit.setCurrentText("环境污染")
    type_text(detail.actions.note_edit, "已联系环保")

    # The other desk rejects it while this thread processes nothing: the panel still shows version 1 when clicked.
    other_desk.call("case.reject", {"id": case["id"], "expected_version": case["version"], "reason": "已合并办理"})
    qtbot.mouseClick(detail.actions.register_button, Qt.MouseButton.LeftButton)
    assert detail.follower.busy
    qtbot.waitUntil(lambda: detail.notice.level() == "error", timeout=10_000)
    text = detail.notice.text()
    assert text.startswith("立案未成功") and "sim_desk" in text and "不予立案" in text
    assert detail.state_badge.text() == "不予立案"  # the case as it now is (from the conflict's details)
    assert detail.actions.note_edit.text() == "已联系环保" and detail.actions.category_edit.currentText() == "环境污染"
    qtbot.waitUntil(lambda: len(detail.timeline.entries()) == 2, timeout=10_000)
    assert detail.notice.text() == text  # the later event does not replace the explanation
    assert other_desk.case(case["id"])["state"] == "rejected"


def test_an_invalid_transition_names_the_state() -> None:
    error = RemoteError("conflict", "cannot register", details={
        "reason": "invalid_transition", "state": "dispatched", "allowed_from": ["reported"]})
    text = refusal_text("立案", error, Reference())
    assert text == "立案未成功：此案件现为「待签收」，不能立案。只有「待受理」的案件可以立案。"


def test_the_drag_payload_of_a_row_is_the_case_id(qtbot: Any, console: WindowContext, intake_desk: Actor) -> None:
    panel = make_intake(qtbot, console)
    case = report(intake_desk, "拖拽测试案件")
    qtbot.waitUntil(lambda: case["id"] in panel.intake_ids(), timeout=10_000)
    view = panel.intake_view
    index = panel.intake.index(panel.row_of(view, case["id"]), COLUMN["title"])
    mime = view.mime_data_for(index)
    assert mime is not None and mime.formats() == [CASE_MIME]
    assert bytes(mime.data(CASE_MIME).data()) == str(case["id"]).encode("ascii")

    view.setCurrentIndex(index)
    with qtbot.waitSignal(view.drag_started, timeout=2_000) as started:
        view.startDrag(Qt.DropAction.MoveAction)  # the offscreen platform ends the drag at once
    assert bytes(started.args[0].data(CASE_MIME).data()) == str(case["id"]).encode("ascii")
