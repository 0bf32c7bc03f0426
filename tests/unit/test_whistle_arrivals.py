"""The arrival rule of whistle calls and the department drag payload, on a clock the test controls."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from PySide6.QtCore import QMimeData

from app.models.whistles import arrival_status, arrival_summary, arrival_text, arrival_tone, pending_calls
from views.remote_errors import fmt_time
from widgets.department_mime import DEPARTMENT_MIME, department_ids_of, department_mime_data

APPROVED = "2026-11-30T08:30:00+08:00"
DUE = "2026-11-30T17:30:00+08:00"  # one working day later


def ts(text: str) -> float:
    return datetime.fromisoformat(text).timestamp()


def call(department_id: int = 1, arrived_at: str | None = None, on_time: bool | None = None) -> dict[str, Any]:
    return {"department_id": department_id, "arrival_due_at": DUE, "arrived_at": arrived_at,
            "arrived_by": "王五" if arrived_at else "", "on_time": on_time}


def test_waiting_shows_time_left_and_the_share_used() -> None:
    status = arrival_status(call(), ts("2026-11-30T10:45:00+08:00"), ts(APPROVED))
    assert status.kind == "waiting" and status.seconds == 6 * 3600 + 45 * 60
    assert status.fraction == pytest.approx(0.25)
    assert arrival_text(status) == "待报到 · 剩6小时45分" and arrival_tone(status) == "waiting"


def test_little_time_left_warns() -> None:
    status = arrival_status(call(), ts("2026-11-30T16:00:00+08:00"), ts(APPROVED))
    assert status.kind == "warn" and arrival_tone(status) == "warn" and status.fraction == pytest.approx(5 / 6)


def test_past_the_limit_without_arrival_is_overdue_by() -> None:
    status = arrival_status(call(), ts("2026-12-01T19:40:00+08:00"), ts(APPROVED))
    assert status.kind == "overdue" and status.is_late and not status.arrived
    assert arrival_text(status) == "未报到 · 已超时1天2小时" and arrival_tone(status) == "overdue"


def test_arrived_on_time_and_late_follow_the_server_verdict() -> None:
    now = ts("2026-12-03T09:00:00+08:00")  # long after: what counts is when they arrived
    on_time = arrival_status(call(arrived_at="2026-11-30T11:00:00+08:00", on_time=True), now, ts(APPROVED))
    assert on_time.kind == "on_time" and arrival_text(on_time) == "已准时报到" and arrival_tone(on_time) == "ok"
    late = arrival_status(call(arrived_at="2026-11-30T19:00:00+08:00", on_time=False), now, ts(APPROVED))
    assert late.kind == "late" and arrival_text(late) == "迟到报到 · 晚1小时30分" and arrival_tone(late) == "late"
    # without the server's verdict, the times decide
    guessed = arrival_status(call(arrived_at="2026-11-30T18:00:00+08:00"), now, ts(APPROVED))
    assert guessed.kind == "late"


def test_a_resolved_whistle_stops_the_countdown_of_those_who_never_came() -> None:
    status = arrival_status(call(), ts("2026-12-09T09:00:00+08:00"), ts(APPROVED), "resolved")
    assert status.kind == "closed" and arrival_text(status) == "未报到 · 已结束" and arrival_tone(status) == "idle"


def test_summary_and_pending_calls() -> None:
    whistle = {"state": "approved", "approved_at": APPROVED, "calls": [
        call(1, "2026-11-30T11:00:00+08:00", True), call(2, "2026-11-30T19:00:00+08:00", False), call(3), call(4)]}
    summary = arrival_summary(whistle, ts("2026-11-30T12:00:00+08:00"))
    assert (summary.arrived, summary.total, summary.late) == (2, 4, 1)
    assert arrival_summary(whistle, ts("2026-12-01T12:00:00+08:00")).late == 3  # 3 and 4 now overdue too
    assert pending_calls(whistle) == {3: 1, 4: 1}
    assert pending_calls({**whistle, "state": "resolved"}) == {}
    assert pending_calls({"state": "raised", "calls": []}) == {}


@pytest.mark.parametrize(("payload", "ids"), [
    (b"3", [3]), (b"3,7", [3, 7]), (b" 3 , 7 ", [3, 7]), (b"7,7,3", [7, 3]), (b"3 7", [3, 7]),
    (b"", []), (b"abc", []), (b"3;7", []), (b"-4", []), (b"0", []), (b"3.5", []), ("三".encode(), []),
    (b"\xff\xfe", []), (b"1234567890", []), (",".join(str(i) for i in range(1, 42)).encode(), []),
])
def test_department_payload(payload: bytes, ids: list[int]) -> None:
    mime = QMimeData()
    mime.setData(DEPARTMENT_MIME, payload)
    assert department_ids_of(mime) == ids


def test_department_payload_round_trip_and_foreign_drags() -> None:
    assert department_ids_of(department_mime_data(12, 5)) == [12, 5]
    other = QMimeData()
    other.setData("application/x-ccc-case", b"3")
    other.setText("3")
    assert department_ids_of(other) == [] and department_ids_of(None) == []


def test_times_are_shown_in_china_time() -> None:
    assert fmt_time(DUE) == "11-30 17:30"
    assert fmt_time(ts(DUE)) == "11-30 17:30"
    assert fmt_time("2026-11-30T09:30:00+00:00") == "11-30 17:30"
    assert fmt_time(None) == "—"
