"""The department board as a widget: tiles, drops delivered as real Qt drag events, loads, reflow, bad payloads."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDragLeaveEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QWidget

from widgets.department_board import CASE_MIME, DepartmentBoard, case_id_of, case_mime_data

DEPARTMENTS = [(i, f"部门{i:02d}") for i in range(1, 39)]
DEPARTMENTS[14] = (15, "国网南昌县供电公司")


def drag_event(kind: str, widget: QWidget, mime: QMimeData) -> Any:
    """A drag event as Qt delivers it during a drag, sent straight to the widget (QDrag.exec blocks offscreen)."""
    center = widget.rect().center()
    action, button, modifier = Qt.DropAction.CopyAction, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    if kind == "enter":
        event: Any = QDragEnterEvent(center, action, mime, button, modifier)
    elif kind == "move":
        event = QDragMoveEvent(center, action, mime, button, modifier)
    elif kind == "leave":
        event = QDragLeaveEvent()
    else:
        event = QDropEvent(QPointF(center), action, mime, button, modifier)
    QApplication.sendEvent(widget, event)
    return event


def drop_on(widget: QWidget, mime: QMimeData) -> Any:
    drag_event("enter", widget, mime)
    drag_event("move", widget, mime)
    return drag_event("drop", widget, mime)


@pytest.fixture
def board(qtbot: Any) -> DepartmentBoard:
    widget = DepartmentBoard()
    qtbot.addWidget(widget)
    widget.set_departments(DEPARTMENTS)
    widget.resize(480, 1000)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_the_payload_is_the_case_id_in_ascii() -> None:
    mime = case_mime_data(4711)
    assert bytes(mime.data(CASE_MIME).data()) == b"4711"
    assert case_id_of(mime) == 4711


@pytest.mark.parametrize("payload", [b"", b"abc", b"12a", b"-3", b"0", b"1.5", b"\xff\xfe", b"9" * 40, b"1 2"])
def test_a_malformed_payload_carries_no_case(payload: bytes) -> None:
    mime = QMimeData()
    mime.setData(CASE_MIME, payload)
    assert case_id_of(mime) is None


def test_a_drop_on_a_tile_names_the_department_and_the_case(qtbot: Any, board: DepartmentBoard) -> None:
    assert len(board.tiles()) == 38
    tile = board.tile(7)
    assert tile is not None and tile.name == "部门07"
    with qtbot.waitSignal(board.case_dropped) as blocker:
        event = drop_on(tile, case_mime_data(123))
    assert blocker.args == [7, 123]
    assert event.isAccepted()
    assert not tile.hovered


def test_the_tile_under_the_cursor_is_highlighted_and_the_loads_show(qtbot: Any, board: DepartmentBoard) -> None:
    board.set_load(3, 12, 2, 1, awaiting_sign=4)
    tile = board.tile(3)
    assert tile is not None
    assert tile.load_text() == "在办 12 · 超期 2"  # outside a drag: the compact count
    enter = drag_event("enter", tile, case_mime_data(5))
    assert enter.isAccepted()
    assert tile.hovered and board.drag_active
    assert tile.load_text() == "在办 12 · 超期 2 · 待报到 1"
    other = board.tile(4)
    assert other is not None and not other.hovered and other.load_text() == "在办 0 · 超期 0 · 待报到 0"
    assert "待签收 4" in tile.toolTip()
    drag_event("leave", tile, case_mime_data(5))
    assert not tile.hovered
    qtbot.waitUntil(lambda: not board.drag_active, timeout=3_000)  # the drag noticed by the board ends by itself
    assert tile.load_text() == "在办 12 · 超期 2"


def test_the_drag_source_switches_the_live_load_on_and_off(board: DepartmentBoard) -> None:
    board.set_load(1, 3, 0, 2)
    tile = board.tile(1)
    assert tile is not None
    board.set_drag_active(True)
    assert all(t.drag_active for t in board.tiles())
    assert tile.load_text() == "在办 3 · 超期 0 · 待报到 2"
    board.set_drag_active(False)
    assert not any(t.drag_active for t in board.tiles())
    assert tile.load_text() == "在办 3"


@pytest.mark.parametrize("mime_type", ["text/plain", "application/x-other"])
def test_a_drag_of_something_else_is_refused(qtbot: Any, board: DepartmentBoard, mime_type: str) -> None:
    mime = QMimeData()
    mime.setData(mime_type, b"42")
    tile = board.tile(2)
    assert tile is not None
    dropped: list[Any] = []
    board.case_dropped.connect(lambda *a: dropped.append(a))
    enter = drag_event("enter", tile, mime)
    assert not enter.isAccepted()
    assert not tile.hovered
    drop = drag_event("drop", tile, mime)
    assert not drop.isAccepted()
    assert dropped == []


def test_a_case_drag_with_a_bad_payload_is_refused(board: DepartmentBoard) -> None:
    mime = QMimeData()
    mime.setData(CASE_MIME, b"DROP TABLE cases")
    tile = board.tile(2)
    assert tile is not None
    dropped: list[Any] = []
    board.case_dropped.connect(lambda *a: dropped.append(a))
    assert not drag_event("enter", tile, mime).isAccepted()
    assert not drag_event("drop", tile, mime).isAccepted()
    assert dropped == []


def test_the_grid_reflows_with_the_width(qtbot: Any, board: DepartmentBoard) -> None:
    board.resize(480, 1000)
    qtbot.waitUntil(lambda: board.columns() == 2, timeout=3_000)
    tiles = board.tiles()
    assert tiles[0].geometry().top() == tiles[1].geometry().top() < tiles[2].geometry().top()
    board.resize(1900, 260)
    qtbot.waitUntil(lambda: board.columns() >= 8, timeout=3_000)
    tiles = board.tiles()
    assert tiles[0].geometry().top() == tiles[7].geometry().top()
    assert all(t.width() >= 176 for t in tiles)
    board.resize(150, 600)
    qtbot.waitUntil(lambda: board.columns() == 1, timeout=3_000)


def test_new_departments_keep_the_loads_of_those_that_stay(board: DepartmentBoard) -> None:
    board.set_load(5, 9, 1, 0)
    board.set_departments([(5, "部门05"), (99, "新部门")])
    assert [t.department_id for t in board.tiles()] == [5, 99]
    tile = board.tile(5)
    assert tile is not None and tile.load.open == 9
    board.set_load(12345, 1, 1, 1)  # unknown: ignored
    assert board.tile(12345) is None


def test_a_notice_shows_above_the_tiles(board: DepartmentBoard) -> None:
    board.show_notice("只有已立案的事件可以派遣", "warning")
    assert board.notice_text() == "只有已立案的事件可以派遣"


def test_tiles_sit_inside_the_board(board: DepartmentBoard) -> None:
    tile = board.tile(1)
    assert tile is not None
    assert tile.mapTo(board, QPoint(0, 0)).x() >= 0


def test_a_tile_drags_its_department_for_whistles(qtbot: Any) -> None:
    from widgets.department_mime import department_ids_of

    board = DepartmentBoard()
    qtbot.addWidget(board)
    board.set_departments([(7, "县水利局"), (9, "县应急管理局")])
    assert department_ids_of(board.tile(9).drag_payload()) == [9]
