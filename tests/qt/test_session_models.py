"""The session and the case model against a real server process: snapshot, live events, requests, auth failure."""

from __future__ import annotations

from typing import Any

from app.models.cases import CaseFilter, CaseModel
from app.models.reference import Reference
from app.servertime import ServerTime
from app.session import Reply, Session
from tests.qt.conftest import LiveServer

PARTS = ["townships", "grids", "departments", "channels", "open_cases"]


def open_session(qtbot: Any, server: LiveServer, user: str = "demo_duty_officer") -> tuple[Session, CaseModel]:
    session = Session(server.url, server.tokens[user], console="console-test", parts=PARTS)
    reference, clock = Reference(), ServerTime()
    model = CaseModel(reference, clock.now)

    def loaded(snapshot: dict[str, Any]) -> None:
        reference.load(snapshot)
        model.load(snapshot["open_cases"])

    session.snapshot_loaded.connect(loaded)
    session.events_arrived.connect(model.apply)
    with qtbot.waitSignal(session.snapshot_loaded, timeout=20_000):
        session.start()
    return session, model


def call(qtbot: Any, session: Session, rtype: str, body: dict[str, Any]) -> Reply:
    replies: list[Reply] = []
    session.request(rtype, body, replies.append)
    qtbot.waitUntil(lambda: bool(replies), timeout=10_000)
    return replies[0]


def test_a_reported_case_appears_updates_and_leaves_the_model(qtbot: Any, live_server: LiveServer) -> None:
    session, model = open_session(qtbot, live_server)
    try:
        before = len(model)
        intake = CaseFilter(model, {"reported"})
        reported = call(qtbot, session, "case.report", {"channel": "hotline_12345", "category": "道路",
                                                         "title": "莲塘大道路灯不亮", "township_id": 1,
                                                         "reporter_phone": "13812348000"})
        assert reported.ok, reported.error
        cid = reported.result["id"]
        qtbot.waitUntil(lambda: model.case(cid) is not None, timeout=10_000)
        assert len(model) == before + 1
        assert any(intake.case_at(r)["id"] == cid for r in range(intake.rowCount()))
        assert "12345热线" in model.data(model.index_of(cid, "channel"))
        rejected = call(qtbot, session, "case.reject", {"id": cid, "expected_version": 1, "reason": "重复上报"})
        assert rejected.ok
        qtbot.waitUntil(lambda: model.case(cid) is None, timeout=10_000)
        assert len(model) == before
        assert not any(intake.case_at(r)["id"] == cid for r in range(intake.rowCount()))
    finally:
        session.stop()


def test_a_refused_request_comes_back_with_its_error(qtbot: Any, live_server: LiveServer) -> None:
    session, _ = open_session(qtbot, live_server, "demo_leader")
    try:
        reply = call(qtbot, session, "case.register", {"id": 1, "expected_version": 1})
        assert not reply.ok and reply.error is not None and reply.error.code in ("forbidden", "not_found")
    finally:
        session.stop()


def test_a_bad_token_ends_in_auth_failed(qtbot: Any, live_server: LiveServer) -> None:
    session = Session(live_server.url, "not-a-token", console="console-test", parts=PARTS)
    with qtbot.waitSignal(session.auth_failed, timeout=20_000) as blocker:
        session.start()
    assert blocker.args[0]
    session.stop()
