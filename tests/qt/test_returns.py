"""The returns panel against a real server: a department returns a dispatched case, it appears with the department and
its reason; redispatch elsewhere or uphold the first department; a redispatch without a department is refused before
sending; an arbitration made at another console is named; a stale arbitration says who changed the case."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt

from app.context import WindowContext
from app.models.cases import COLUMN
from tests.qt.case_actors import Actor, dispatched, open_console, type_text
from tests.qt.conftest import LiveServer
from views.returns import ReturnsPanel

FIRST_DEPARTMENT, OTHER_DEPARTMENT = 3, 5


@pytest.fixture(scope="module")
def console(qapp: Any, live_server: LiveServer) -> Iterator[WindowContext]:
    context = open_console(live_server)
    yield context
    context.close()


@pytest.fixture(scope="module")
def desk(live_server: LiveServer) -> Iterator[Actor]:
    """A second duty officer: makes the cases, and arbitrates from another console."""
    actor = Actor(live_server, "sim_desk")
    yield actor
    actor.close()


@pytest.fixture(scope="module")
def department(live_server: LiveServer) -> Iterator[Actor]:
    actor = Actor(live_server, f"sim_dept_{FIRST_DEPARTMENT:02d}")
    yield actor
    actor.close()


def returned_case(desk: Actor, department: Actor, title: str, reason: str) -> dict[str, Any]:
    case = dispatched(desk, title, FIRST_DEPARTMENT)
    return department.call("case.return", {"id": case["id"], "expected_version": case["version"],
                                           "reason": reason})["case"]


def make_panel(qtbot: Any, console: WindowContext, case_id: int) -> ReturnsPanel:
    """The panel, with the returned case listed and opened by a click on its row."""
    panel = ReturnsPanel(console)
    qtbot.addWidget(panel)
    panel.resize(1600, 700)
    panel.show()
    qtbot.waitUntil(lambda: case_id in panel.returned_ids(), timeout=10_000)
    index = panel.returned.index(panel.row_of(case_id), COLUMN["code"])
    rect = panel.view.visualRect(index)
    with qtbot.waitSignal(panel.case_selected, timeout=2_000):
        qtbot.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: bool(panel.follower.timeline), timeout=10_000)
    return panel


def test_a_returned_case_appears_with_its_reason_and_a_redispatch_takes_it_out(
        qtbot: Any, console: WindowContext, desk: Actor, department: Actor) -> None:
    case = returned_case(desk, department, "澄湖路占道经营", "不属于本部门职责，应由城管局处理")
    panel = make_panel(qtbot, console, case["id"])
    row = panel.row_of(case["id"])
    department_name = console.reference.department_name(FIRST_DEPARTMENT)
    assert panel.returned.index(row, COLUMN["state"]).data() == "不属于本部门职责，应由城管局处理"
    assert panel.returned.index(row, COLUMN["lead"]).data() == department_name
    assert panel.info["reason"].text() == "不属于本部门职责，应由城管局处理"
    assert panel.info["department"].text() == department_name
    assert f"sim_dept_{FIRST_DEPARTMENT:02d}" in panel.info["returned"].text()
    assert [e.title for e in panel.timeline.entries()][-1] == "退回"
    assert panel.department_edit.findData(FIRST_DEPARTMENT) < 0  # a redispatch goes elsewhere

    panel.department_edit.setCurrentIndex(panel.department_edit.findData(OTHER_DEPARTMENT))
    panel.class_edit.setCurrentIndex(panel.class_edit.findData("coordinated"))
    type_text(panel.note_edit, "改派，属其职责")
    with qtbot.waitSignal(panel.arbitrated, timeout=10_000) as done:
        qtbot.mouseClick(panel.submit_button, Qt.MouseButton.LeftButton)
    assert done.args == [case["id"], "redispatch"]
    qtbot.waitUntil(lambda: case["id"] not in panel.returned_ids(), timeout=10_000)
    assert panel.notice.level() == "success"
    assert console.reference.department_name(OTHER_DEPARTMENT) in panel.notice.text()
    stored = desk.case(case["id"])
    assert (stored["state"], stored["lead_department_id"], stored["resolution_class"]) == (
        "dispatched", OTHER_DEPARTMENT, "coordinated")
    assert not panel.submit_button.isEnabled()


def test_uphold_keeps_the_first_department(qtbot: Any, console: WindowContext, desk: Actor,
                                           department: Actor) -> None:
    case = returned_case(desk, department, "县城主干道路灯不亮", "路灯不归本部门")
    panel = make_panel(qtbot, console, case["id"])
    panel.uphold_choice.setChecked(True)
    assert not panel.department_edit.isEnabled()
    type_text(panel.note_edit, "职责清单明确属于该部门")
    with qtbot.waitSignal(panel.arbitrated, timeout=10_000) as done:
        qtbot.mouseClick(panel.submit_button, Qt.MouseButton.LeftButton)
    assert done.args == [case["id"], "uphold"]
    qtbot.waitUntil(lambda: case["id"] not in panel.returned_ids(), timeout=10_000)
    stored = desk.case(case["id"])
    assert (stored["state"], stored["lead_department_id"]) == ("dispatched", FIRST_DEPARTMENT)
    qtbot.waitUntil(lambda: panel.timeline.entries()[-1].title == "仲裁：维持原部门", timeout=10_000)
    assert "职责清单明确属于该部门" in panel.timeline.entries()[-1].detail


def test_a_redispatch_without_a_department_is_refused_before_sending(
        qtbot: Any, console: WindowContext, desk: Actor, department: Actor) -> None:
    case = returned_case(desk, department, "河道漂浮垃圾", "河道保洁归水利局")
    panel = make_panel(qtbot, console, case["id"])
    assert panel.department_edit.currentData() is None
    qtbot.mouseClick(panel.submit_button, Qt.MouseButton.LeftButton)
    assert panel.notice.level() == "error" and "责任部门" in panel.notice.text()
    assert not panel.follower.busy
    assert desk.case(case["id"])["version"] == case["version"]
    assert case["id"] in panel.returned_ids()


def test_an_arbitration_made_elsewhere_is_named(qtbot: Any, console: WindowContext, desk: Actor,
                                               department: Actor) -> None:
    case = returned_case(desk, department, "小区电梯困人", "电梯归市场监管局")
    panel = make_panel(qtbot, console, case["id"])
    desk.call("case.arbitrate", {"id": case["id"], "expected_version": case["version"], "decision": "redispatch",
                                 "lead_department_id": OTHER_DEPARTMENT})
    qtbot.waitUntil(lambda: panel.notice.level() == "warning", timeout=10_000)
    text = panel.notice.text()
    assert "sim_desk" in text and "仲裁：改派" in text
    assert console.reference.department_name(OTHER_DEPARTMENT) in text
    assert case["id"] not in panel.returned_ids()
    assert not panel.submit_button.isEnabled()
    assert "无需仲裁" in panel.info["state"].text()


def test_a_stale_arbitration_says_who_changed_the_case(qtbot: Any, console: WindowContext, desk: Actor,
                                                       department: Actor) -> None:
    case = returned_case(desk, department, "工地夜间施工噪声", "夜间施工审批归住建局")
    panel = make_panel(qtbot, console, case["id"])
    panel.uphold_choice.setChecked(True)
    # The other desk decides first while this thread processes nothing: the panel still holds the old version.
    desk.call("case.arbitrate", {"id": case["id"], "expected_version": case["version"], "decision": "uphold"})
    qtbot.mouseClick(panel.submit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.notice.level() == "error", timeout=10_000)
    text = panel.notice.text()
    assert text.startswith("维持原部门未成功") and "sim_desk" in text and "待签收" in text
    assert panel.follower.case["state"] == "dispatched"
    assert desk.case(case["id"])["version"] == case["version"] + 1  # only the other desk's decision was applied
