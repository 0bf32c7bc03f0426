"""The whole case loop through the real server, on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from tests.backend.conftest import Server, dispatched_case, report


async def test_full_loop_reaches_every_state_and_logs_every_step(server: Server) -> None:
    duty, dept, grid, watcher = [await server.client(u) for u in ("duty", "dept1", "grid1", "leader")]
    await watcher.ok("subscribe", {})
    d = await dispatched_case(duty)
    cid, v = d["id"], d["version"]
    assert d["case"]["state"] == "dispatched" and d["case"]["due_at"] is not None

    async def step(client: Any, action: str, **body: Any) -> dict[str, Any]:
        nonlocal v
        out = await client.ok(f"case.{action}", {"id": cid, "expected_version": v, **body})
        v = out["version"]
        return out["case"]

    assert (await step(dept, "sign"))["state"] == "handling"
    assert (await step(dept, "request_extension", days=2, reason="需要协调施工队"))["extension_pending"]
    before = (await duty.ok("case.get", {"id": cid}))["case"]["due_at"]
    after = (await step(duty, "decide_extension", approve=True))["due_at"]
    assert after > before
    assert (await step(dept, "feedback", result="已清运", evidence=["photo-1.jpg"]))["state"] == "feedback"
    reworked = await step(grid, "verify", passed=False, note="仍有残留")
    assert reworked["state"] == "handling" and reworked["rework_count"] == 1
    await step(dept, "feedback", result="已彻底清运")
    assert (await step(grid, "verify", passed=True))["state"] == "verified"
    closed = await step(duty, "close")
    assert closed["state"] == "closed" and closed["on_time"] is True
    assert (await step(duty, "evaluate", satisfaction=5))["state"] == "evaluated"

    detail = await duty.ok("case.get", {"id": cid})
    kinds = [e["kind"] for e in detail["timeline"]]
    assert kinds == ["case.reported", "case.registered", "case.dispatched", "case.signed",
                     "case.extension_requested", "case.extension_decided", "case.feedback", "case.reworked",
                     "case.feedback", "case.verified", "case.closed", "case.evaluated"]
    seqs = [e["seq"] for e in detail["timeline"]]
    assert seqs == sorted(seqs)
    events = await watcher.wait_events(len(kinds))
    assert [e["kind"] for e in events if e["data"]["case"]["id"] == cid] == kinds
    # the leader's stream is masked
    assert all("13812348000" not in f for f in watcher.frames)
    assert any("138****8000" in f for f in watcher.frames)


async def test_report_links_possible_duplicate(server: Server) -> None:
    duty = await server.client("duty")
    first = await report(duty)
    second = await report(duty, channel="grid_app")
    assert second["case"]["duplicate_of"] == first["id"]
    other_grid = await report(duty, grid_id=2)
    assert other_grid["case"]["duplicate_of"] is None


async def test_return_and_arbitration(server: Server) -> None:
    duty, dept1, dept2 = [await server.client(u) for u in ("duty", "dept1", "dept2")]
    d = await dispatched_case(duty, lead=1)
    r = await dept1.ok("case.return", {"id": d["id"], "expected_version": d["version"], "reason": "不属于本部门职责"})
    assert r["case"]["state"] == "returned" and r["case"]["return_count"] == 1
    a = await duty.ok("case.arbitrate", {"id": d["id"], "expected_version": r["version"], "decision": "redispatch",
                                         "lead_department_id": 2, "resolution_class": "coordinated"})
    assert a["case"]["state"] == "dispatched" and a["case"]["lead_department_id"] == 2
    err = await dept1.fail("case.sign", {"id": d["id"], "expected_version": a["version"]})
    assert err["code"] == "forbidden"
    s = await dept2.ok("case.sign", {"id": d["id"], "expected_version": a["version"]})
    assert s["case"]["state"] == "handling"


async def test_recall_before_sign(server: Server) -> None:
    duty = await server.client("duty")
    d = await dispatched_case(duty)
    r = await duty.ok("case.recall", {"id": d["id"], "expected_version": d["version"]})
    assert r["case"]["state"] == "registered" and r["case"]["due_at"] is None


async def test_deadline_sweep_marks_overdue_supervises_and_escalates(server: Server) -> None:
    duty = await server.client("duty")
    watcher = await server.client("leader")
    await watcher.ok("subscribe", {"kinds": ["case.sign_overdue", "case.overdue", "case.supervised",
                                             "case.escalated"]})
    d = await dispatched_case(duty, resolution_class="immediate")  # 3 working days
    server.clock.advance(3 * 3600)  # past the 2 working-hour signing limit
    await server.hub.sweep_now()
    server.clock.advance(7 * 86400)  # a calendar week later: > 3 working days, < 6
    await server.hub.sweep_now()
    got = (await duty.ok("case.get", {"id": d["id"]}))["case"]
    assert got["sign_overdue"] and got["overdue"] and not got["escalated"]
    assert got["supervision_count"] == 1 and got["urgency"] == "overdue"
    server.clock.advance(7 * 86400)
    await server.hub.sweep_now()
    await server.hub.sweep_now()  # idempotent
    got = (await duty.ok("case.get", {"id": d["id"]}))["case"]
    assert got["escalated"] and got["supervision_count"] == 1
    events = await watcher.wait_events(4)
    assert [e["kind"] for e in events] == ["case.sign_overdue", "case.overdue", "case.supervised", "case.escalated"]


async def test_whistle_raise_review_arrive_score(server: Server) -> None:
    village, duty, dept1, dept2 = [await server.client(u) for u in ("village1", "duty", "dept1", "dept2")]
    w = await village.ok("whistle.raise", {"township_id": 1, "title": "河道堵塞", "description": "村口河道淤塞需清淤"})
    a = await duty.ok("whistle.review", {"id": w["id"], "expected_version": w["version"], "approve": True,
                                         "department_ids": [1, 2], "resolution_class": "coordinated"})
    assert a["whistle"]["state"] == "approved" and len(a["whistle"]["calls"]) == 2
    r1 = await dept1.ok("whistle.arrive", {"id": w["id"], "expected_version": a["version"], "person": "李四"})
    server.clock.advance(3 * 86400)
    r2 = await dept2.ok("whistle.arrive", {"id": w["id"], "expected_version": r1["version"]})
    calls = {c["department_id"]: c for c in r2["whistle"]["calls"]}
    assert calls[1]["on_time"] is True and calls[2]["on_time"] is False
    s = await village.ok("whistle.score", {"id": w["id"], "expected_version": r2["version"], "department_id": 1,
                                           "scores": {"arrival": 25, "staffing": 20, "handling": 22, "outcome": 20}})
    s2 = await dept1.ok("whistle.score", {"id": w["id"], "expected_version": s["version"], "justified": True,
                                          "cooperation": 5})
    done = await dept1.ok("whistle.resolve", {"id": w["id"], "expected_version": s2["version"]})
    assert done["whistle"]["state"] == "resolved"
    rej = await village.ok("whistle.raise", {"township_id": 1, "title": "小事", "description": "可自行解决"})
    err = await duty.fail("whistle.review", {"id": rej["id"], "expected_version": 1, "approve": False})
    assert err["code"] == "invalid_format"
    ok = await duty.ok("whistle.review", {"id": rej["id"], "expected_version": 1, "approve": False,
                                          "reason": "村社可自行处置"})
    assert ok["whistle"]["state"] == "rejected"


async def test_snapshot_and_stats(server: Server) -> None:
    duty = await server.client("duty")
    await dispatched_case(duty)
    await report(duty)
    snap = await duty.ok("snapshot", {"what": ["townships", "departments", "channels", "open_cases", "warnings"]})
    assert snap["as_of_seq"] == server.hub.published_seq
    assert len(snap["townships"]) == 3 and len(snap["open_cases"]) == 2
    stats = await duty.ok("stats.today", {})
    assert stats["reported"] == 2 and stats["dispatched"] == 1 and stats["by_channel"] == {"hotline_12345": 2}
