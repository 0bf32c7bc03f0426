"""The county map's update queue (widgets/map_queue.py, Qt-free): coalescing by id, resets, and what a reloaded
page is given; and the marker records' own checks."""

from __future__ import annotations

import math

import pytest

from widgets.map_markers import MapAlarm, MapCamera, MapCase
from widgets.map_queue import UpdateQueue


def case(ident: int, layer: str = "new", lat: float = 28.5, today: bool = False) -> MapCase:
    return MapCase(ident, lat, 116.0, layer, f"案件{ident}", today)


def test_repeated_changes_to_one_id_collapse_into_its_last_state() -> None:
    queue = UpdateQueue()
    queue.upsert("cases", [case(1), case(2)])
    queue.upsert("cases", [case(1, "overdue", 28.6)])
    queue.remove("cases", [2])
    queue.upsert("cases", [case(3)])
    queue.remove("cases", [3])
    assert queue.pending() == 3
    batch = queue.take_batch()
    assert batch == {"cases": {"upsert": [[1, 28.6, 116.0, "overdue", "案件1", 0, 0]], "remove": [2, 3]}}
    assert queue.pending() == 0 and queue.take_batch() is None


def test_a_replace_sends_a_reset_with_everything_and_drops_earlier_changes() -> None:
    queue = UpdateQueue()
    queue.upsert("cases", [case(1), case(2)])
    queue.replace("cases", [case(5, today=True)])
    queue.upsert("cases", [case(6)])
    batch = queue.take_batch()
    assert batch is not None
    assert batch["cases"]["reset"] is True
    assert sorted(row[0] for row in batch["cases"]["upsert"]) == [5, 6]
    assert "remove" not in batch["cases"]


def test_a_reloaded_page_gets_the_whole_state_once() -> None:
    queue = UpdateQueue()
    queue.replace("cases", [case(i) for i in range(10)])
    queue.replace("cameras", [MapCamera(1, 28.5, 116.0, "莲塘大道口")])
    queue.set_counts({1: 5})
    queue.set_visible("heat", False)
    queue.set_scale(2.0)
    queue.take_batch()
    queue.remove("cases", [0])
    queue.resend_all()
    batch = queue.take_batch()
    assert batch is not None
    assert len(batch["cases"]["upsert"]) == 9 and batch["cases"]["reset"] is True
    assert batch["cameras"]["upsert"] == [[1, 28.5, 116.0, "莲塘大道口"]]
    assert "alarms" not in batch  # nothing to drop on a fresh page
    assert batch["counts"] == {"1": 5} and batch["visible"] == {"heat": False} and batch["scale"] == 2.0


def test_a_layer_toggled_on_the_page_is_remembered_not_sent_back() -> None:
    queue = UpdateQueue()
    queue.set_visible("cameras", True)
    queue.note_visible("cameras", False)
    assert queue.pending() == 0 and queue.visible == {"cameras": False}


def test_focus_is_sent_once() -> None:
    queue = UpdateQueue()
    queue.set_focus(28.5, 116.0, None)
    queue.set_focus(28.6, 116.1, 15)
    assert queue.take_batch() == {"focus": [28.6, 116.1, 15]}
    assert queue.take_batch() is None


@pytest.mark.parametrize("bad", [
    lambda: MapCase(1, math.nan, 116.0, "new", "", False),
    lambda: MapCase(1, 28.5, 116.0, "closed", "", False),
    lambda: MapCamera(1, 91.0, 116.0, ""),
    lambda: MapAlarm(1, 28.5, math.inf, ""),
])
def test_records_refuse_what_would_break_the_page(bad: object) -> None:
    with pytest.raises(ValueError):
        bad()  # type: ignore[operator]
