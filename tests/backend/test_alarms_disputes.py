"""Alarms and disputes through the real server: the happy paths, roles, versions, bad input, masking, events."""

from __future__ import annotations

from typing import Any

from tests.backend.conftest import Server


async def subscribed(server: Server, user: str = "duty", console: str = "test") -> Any:
    client = await server.client(user, console)
    await client.ok("subscribe", {})
    return client


async def test_an_alarm_turned_into_a_case_carries_the_cameras_place(server: Server) -> None:
    analytics, duty = await server.client("analytics"), await subscribed(server)
    raised = await analytics.ok("alarm.raise", {"camera_id": 2, "kind": "fire_smoke", "confidence": 0.91})
    alarm = raised["alarm"]
    assert alarm["state"] == "open" and alarm["code"].startswith("GJ-")
    assert (alarm["township_id"], alarm["grid_id"]) == (1, 2) and alarm["lat"] == 28.552
    snap = await duty.ok("snapshot", {"what": ["open_alarms"]})
    assert [a["id"] for a in snap["open_alarms"]] == [raised["id"]]
    out = await duty.ok("alarm.to_case", {"id": raised["id"], "expected_version": 1, "category": "安全隐患",
                                          "title": "农贸市场冒烟"})
    assert out["alarm"]["state"] == "converted" and out["alarm"]["case_id"] == out["case_id"]
    case = (await duty.ok("case.get", {"id": out["case_id"]}))["case"]
    assert case["channel"] == "video_alarm" and case["state"] == "reported"
    assert (case["township_id"], case["grid_id"], case["lat"]) == (1, 2, 28.552)
    events = await duty.wait_events(3)
    assert [e["kind"] for e in events] == ["alarm.raised", "case.reported", "alarm.converted"]
    assert (await duty.ok("snapshot", {"what": ["open_alarms"]}))["open_alarms"] == []


async def test_alarm_rules_roles_versions_and_bad_input(server: Server) -> None:
    analytics, duty, leader = [await server.client(u) for u in ("analytics", "duty", "leader")]
    assert (await duty.fail("alarm.raise", {"camera_id": 1, "kind": "crowd"}))["code"] == "forbidden"
    assert (await analytics.fail("alarm.raise", {"camera_id": 99, "kind": "crowd"}))["code"] == "not_found"
    bad_kind = await analytics.fail("alarm.raise", {"camera_id": 1, "kind": "face_match"})
    assert bad_kind["code"] == "invalid_format" and bad_kind["details"]["path"] == "body.kind"
    bad_conf = await analytics.fail("alarm.raise", {"camera_id": 1, "kind": "crowd", "confidence": 1.5})
    assert bad_conf["code"] == "invalid_format"
    raised = await analytics.ok("alarm.raise", {"camera_id": 1, "kind": "crowd"})
    body = {"id": raised["id"], "expected_version": 1, "reason": "集市正常人流"}
    assert (await leader.fail("alarm.dismiss", body))["code"] == "forbidden"
    assert (await duty.fail("alarm.dismiss", {**body, "reason": ""}))["code"] == "invalid_format"
    assert (await duty.ok("alarm.dismiss", body))["alarm"]["state"] == "dismissed"
    stale = await duty.fail("alarm.dismiss", body)
    assert stale["code"] == "conflict" and stale["details"]["reason"] == "stale_version"
    again = await duty.fail("alarm.to_case", {"id": raised["id"], "expected_version": 2, "category": "x",
                                              "title": "y"})
    assert again["code"] == "conflict" and again["details"]["reason"] == "invalid_transition"
    assert (await duty.fail("alarm.dismiss", {**body, "id": 404}))["code"] == "not_found"


async def test_a_dispute_from_intake_to_follow_up(server: Server) -> None:
    intake, mediator, watcher = await server.client("intake"), await server.client("mediator"), \
        await subscribed(server, "leader", "wall-1")
    opened = await intake.ok("dispute.open", {
        "title": "邻里宅基地边界纠纷", "category": "土地权属", "level": "county", "kind": "people",
        "township_id": 1, "channel": "hotline_12345",
        "parties": [{"name": "王大明", "phone": "13912345678", "side": "applicant"},
                    {"name": "李小红", "id_number": "360121199001011234", "side": "respondent"}]})
    d = opened["dispute"]
    assert d["state"] == "received" and d["code"].startswith("TJ-")
    assert d["parties"][0]["phone"] == "139****5678"  # intake is a machine account: masked like every non-data role
    v = opened["version"]
    steps: list[tuple[str, dict[str, Any], str]] = [
        ("dispute.assign", {"mediator_id": 1}, "assigned"),
        ("dispute.schedule", {"at": "2026-11-26T09:30:00+08:00", "room": "第一调解室"}, "assigned"),
        ("dispute.record_session", {"summary": "双方陈述，现场测量", "proposal": "以旧界桩为准"}, "mediating"),
        ("dispute.conclude", {"outcome": "agreed", "text": "双方同意以旧界桩为界，各自拆除越界围墙。"}, "agreed"),
        ("dispute.follow_up", {"honoured": True, "note": "围墙已拆除"}, "closed"),
    ]
    for command, body, state in steps:
        out = await mediator.ok(command, {"id": opened["id"], "expected_version": v, **body})
        assert out["dispute"]["state"] == state, command
        v = out["version"]
    final = out["dispute"]
    assert final["parties"][0]["phone"] == "13912345678"  # the mediator works with the parties
    assert final["on_time"] is True and len(final["sessions"]) == 1
    assert final["next_session_at"] is None and final["followed_up_at"].endswith("+08:00")
    events = await watcher.wait_events(6)
    assert [e["kind"] for e in events] == ["dispute.opened", "dispute.assigned", "dispute.scheduled",
                                           "dispute.session_recorded", "dispute.agreed", "dispute.followed_up"]
    wall = events[0]["data"]["dispute"]["parties"]
    assert wall[0]["name"] == "王**" and wall[0]["phone"] == "139****5678"
    assert wall[1]["id_number"] == "360***********1234" and wall[1]["name"] == "李**"
    assert (await mediator.ok("snapshot", {"what": ["open_disputes"]}))["open_disputes"] == []


async def test_a_failed_mediation_is_referred_and_bad_dispute_input_is_refused(server: Server) -> None:
    duty, mediator, grid = await server.client("duty"), await server.client("mediator"), await server.client("grid1")
    base = {"title": "工资拖欠", "category": "劳资纠纷", "level": "township", "kind": "administrative"}
    assert (await grid.fail("dispute.open", base))["code"] == "forbidden"
    assert (await duty.fail("dispute.open", {**base, "level": "province"}))["code"] == "invalid_format"
    assert (await duty.fail("dispute.open", {**base, "parties": [{"phone": "1"}]}))["details"]["path"] \
        == "body.parties[0].name"
    assert (await duty.fail("dispute.open", {**base, "case_id": 9999}))["code"] == "not_found"
    opened = await duty.ok("dispute.open", base)
    ref = {"id": opened["id"], "expected_version": 1}
    assert (await duty.fail("dispute.assign", {**ref, "mediator_id": 7}))["code"] == "not_found"
    assigned = await duty.ok("dispute.assign", {**ref, "mediator_id": 1})
    ref["expected_version"] = assigned["version"]
    no_zone = await mediator.fail("dispute.schedule", {**ref, "at": "2026-11-26T09:30:00"})
    assert no_zone["code"] == "invalid_format" and no_zone["details"]["field"] == "at"
    assert (await mediator.fail("dispute.schedule", {**ref, "at": "next tuesday"}))["code"] == "invalid_format"
    early = await mediator.fail("dispute.conclude", {**ref, "outcome": "failed", "text": "x"})
    assert early["details"]["reason"] == "invalid_transition" and early["details"]["allowed_from"] == ["mediating"]
    held = await mediator.ok("dispute.record_session", {**ref, "summary": "企业拒绝调解"})
    ref["expected_version"] = held["version"]
    referred = await mediator.ok("dispute.conclude", {**ref, "outcome": "failed", "text": "调解不成，引导诉讼"})
    assert referred["dispute"]["state"] == "referred"
    ref["expected_version"] = referred["version"]
    assert (await mediator.fail("dispute.follow_up", {**ref, "honoured": True}))["code"] == "conflict"
