"""The case lists' paint path stays in C++ (bench/console_stall.py: Qt asks 7 roles of every painted cell, and a
Python `data()` in the case model or its proxies, or a Python delegate on every column, made each a call into
Python: the console's UI-thread stall p99 missed 16 ms), and what the Python overrides used to show still shows:
the possible duplicate, the return reason, colours, tooltips, counts, ages. No server: a session never started."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import QStyledItemDelegate

from app.context import WindowContext, open_context
from app.models.cases import COLUMN, CaseModel
from services.client import Event
from views.intake import IntakePanel
from views.returns import ReturnsPanel


def case(case_id: int, state: str = "reported", version: int = 1, **extra: Any) -> dict[str, Any]:
    return {"id": case_id, "code": f"NC-20261201-{case_id:06d}", "version": version, "state": state,
            "channel": "walk_in", "title": f"事件{case_id}", "reported_at": "2026-12-01T08:00:00+08:00",
            "priority": 3, "category": "道路", **extra}


@pytest.fixture
def context(qapp: Any) -> Iterator[WindowContext]:
    context = open_context("ws://127.0.0.1:9", "unused", "console-test")
    yield context
    timer = getattr(context, "_timer", None)  # deleted on the Qt thread, never by the GC on the network thread
    if timer is not None:
        shiboken6.delete(timer)
        context._timer = None  # type: ignore[assignment]
    context.session.stop()
    gc.collect()


def test_the_lists_have_no_python_on_their_paint_path(qtbot: Any, context: WindowContext) -> None:
    intake, returns = IntakePanel(context), ReturnsPanel(context)
    qtbot.addWidget(intake)
    qtbot.addWidget(returns)
    for name in ("data", "index", "rowCount", "columnCount", "flags"):
        assert getattr(CaseModel, name) is getattr(QStandardItemModel, name), f"CaseModel.{name} in Python"
    for proxy in (intake.intake, intake.registered, returns.returned):
        assert type(proxy).data is QSortFilterProxyModel.data, f"{type(proxy).__name__} overrides data() in Python"
    for view in (intake.intake_view, intake.registered_view, returns.view):
        assert type(view.itemDelegate()) is QStyledItemDelegate, "a Python delegate on every column"
        own = [c for c in range(view.model().columnCount()) if view.itemDelegateForColumn(c) is not None]
        assert own == ([COLUMN["state"]] if view is not returns.view else [])  # only the column elided on the left


def test_the_state_column_shows_the_fact_of_the_state(qtbot: Any, context: WindowContext) -> None:
    intake, returns = IntakePanel(context), ReturnsPanel(context)
    qtbot.addWidget(intake)
    qtbot.addWidget(returns)
    context.cases.load([case(1, description="井盖缺失，夜间危险"), case(2, duplicate_of=1),
                        case(3, "returned", note="不属于本部门职责"), case(4, "registered")])

    def cell(proxy: QSortFilterProxyModel, case_id: int, column: str, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        index = proxy.mapFromSource(context.cases.index_of(case_id, column))
        assert index.isValid()
        return index.data(role)

    tooltip, foreground = Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.ForegroundRole
    assert cell(intake.intake, 2, "state") == "→ NC-20261201-000001"
    assert "NC-20261201-000001 事件1" in cell(intake.intake, 2, "state", tooltip)
    assert cell(intake.intake, 2, "state", foreground).color().name() == "#ef6c00"
    assert not cell(intake.intake, 1, "state") and cell(intake.intake, 1, "state", foreground) is None
    assert cell(intake.intake, 1, "title", tooltip) == "事件1\n井盖缺失，夜间危险"
    assert cell(intake.intake, 1, "code", tooltip) == "NC-20261201-000001"
    assert cell(returns.returned, 3, "state") == "不属于本部门职责"
    assert cell(returns.returned, 3, "state", tooltip) == "不属于本部门职责"
    assert cell(returns.returned, 3, "state", foreground).color().name() == "#8a3c00"
    assert cell(intake.registered, 4, "code") == "NC-20261201-000004"
    assert cell(intake.intake, 1, "code", Qt.ItemDataRole.DecorationRole) is None


def test_counts_per_state_follow_events(qapp: Any) -> None:
    from app.models.reference import Reference

    cases = CaseModel(Reference(), lambda: 1_796_083_200.0)
    cases.load([case(1), case(2), case(3, "returned")])
    assert (cases.count("reported"), cases.count("returned")) == (2, 1)
    cases.apply([Event(1, 1, "e", "case.reported", {"case": case(4)}),
                 Event(1, 2, "e", "case.registered", {"case": case(1, "registered", 2)}),
                 Event(1, 3, "e", "case.registered", {"case": case(1, "reported", 1)}),  # older copy: ignored
                 Event(1, 4, "e", "case.rejected", {"case": case(2, "rejected", 2)}),
                 Event(1, 5, "e", "case.arbitrated", {"case": case(3, "dispatched", 2)})])
    assert [cases.count(s) for s in ("reported", "registered", "returned", "dispatched")] == [1, 1, 0, 1]
    assert cases.count("reported") == sum(1 for r in cases.rows() if r.case["state"] == "reported")


def test_ages_move_with_the_clock_tick(qapp: Any) -> None:
    from app.models.reference import Reference

    clock = {"now": 1_796_083_200.0 + 600}  # 2026-12-01T08:10+08:00: reported 10 minutes ago
    cases = CaseModel(Reference(), lambda: clock["now"])
    cases.load([case(1)])
    age = cases.index_of(1, "age")
    assert age.data() == "10分"
    clock["now"] += 3 * 3600
    cases.refresh_times()
    assert age.data() == "3小时10分"


def test_a_clock_tick_rewrites_many_ages_a_chunk_at_a_time(qtbot: Any) -> None:
    """Cases reported in the same minute all move on together: the tick rewrites them over several turns of the
    event loop, then says so once."""
    from app.models.cases import RETIME_CHUNK
    from app.models.reference import Reference

    clock = {"now": 1_796_083_200.0 + 600}
    cases = CaseModel(Reference(), lambda: clock["now"])
    count = 2 * RETIME_CHUNK + 10
    cases.load([case(i) for i in range(1, count + 1)])
    ages = [cases.index_of(i, "age") for i in range(1, count + 1)]
    clock["now"] += 3 * 3600
    with qtbot.waitSignal(cases.clock_ticked, timeout=5_000):
        cases.refresh_times()
        assert ages[-1].data() == "10分"  # not yet: the last chunk runs later
    assert {index.data() for index in ages} == {"3小时10分"}
    clock["now"] += 5
    with qtbot.waitSignal(cases.clock_ticked, timeout=1_000):  # nothing moved on: at once
        cases.refresh_times()
