"""The director (services/demo/director.py): the next step of each entity, at the right simulated time, for the
right actor; stale steps skipped; steps never doubled; the duty desk can be left to a human."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from config.schema import load_rules
from services.demo.director import Act, Director, iso_time
from services.demo.scenario import CURVES, P_DUPLICATE, County, Scenario, curve_at
from services.domain.workcalendar import CST, WorkCalendar

TUESDAY_9 = datetime(2026, 11, 24, 9, 0, tzinfo=CST).timestamp()
SQUARE = {"type": "Polygon", "coordinates": [[[115.9, 28.5], [116.0, 28.5], [116.0, 28.6], [115.9, 28.6],
                                              [115.9, 28.5]]]}


def small_county() -> County:
    return County.from_snapshot({
        "townships": [{"id": 1, "name": "莲塘街道"}, {"id": 2, "name": "向塘镇"}],
        "grids": [{"id": 1, "township_id": 1, "name": "迎宾社区第1网格", "worker": "刘琴", "geometry": SQUARE},
                  {"id": 2, "township_id": 2, "name": "黄渡村第1网格", "worker": "万军", "geometry": SQUARE}],
        "departments": [{"id": i, "name": n} for i, n in enumerate(
            ["县城管局", "县水务集团", "县住建局", "县公安局", "县水利局", "县应急管理局"], start=1)],
        "channels": [{"code": "hotline_12345"}, {"code": "grid_app"}],
        "cameras": [{"id": 1, "name": "莲塘街道·迎宾大道与澄湖路口", "township_id": 1, "grid_id": 1}],
        "mediators": [{"id": 1, "name": "胡静", "specialties": ["邻里纠纷"]}],
    })


@pytest.fixture
def calendar() -> WorkCalendar:
    return WorkCalendar(load_rules().working_hours)


def director(calendar: WorkCalendar, *, desk: bool = True, rate: float = 0.0) -> Director:
    return Director(Scenario(small_county(), seed=3), calendar, rate_per_hour=rate, start=TUESDAY_9, desk=desk)


def case(**fields: Any) -> dict[str, Any]:
    base = {"id": 10, "version": 1, "state": "reported", "category": "供水排水",
            "title": "莲塘街道迎宾社区小区停水未提前通知", "channel": "hotline_12345", "township_id": 1, "grid_id": 1,
            "reporter_name": "张三",
            "duplicate_of": None, "return_count": 0, "rework_count": 0, "extension_days": 0.0,
            "extension_pending": None}
    return {**base, **fields}


def due(d: Director, until: float) -> list[tuple[float, Act]]:
    return d.pop_due(until)


def test_a_reported_case_is_registered_by_the_desk_minutes_later(calendar: WorkCalendar) -> None:
    d = director(calendar)
    d.observe("case.reported", {"case": case()}, TUESDAY_9)
    [(at, act)] = due(d, TUESDAY_9 + 86400)
    assert act.actor == ("desk", 0) and act.command in ("case.register", "case.reject")
    assert TUESDAY_9 < at <= TUESDAY_9 + 45 * 60
    command, body = d.build(act) or ("", {})
    assert command == act.command and body["id"] == 10 and body["expected_version"] == 1


def test_a_human_desk_gets_no_simulated_desk_steps(calendar: WorkCalendar) -> None:
    d = director(calendar, desk=False)
    d.observe("case.reported", {"case": case()}, TUESDAY_9)
    d.observe("whistle.raised", {"whistle": {"id": 1, "version": 1, "state": "raised", "township_id": 1,
                                             "proposal": "请县水利局到场"}}, TUESDAY_9)
    assert d.next_at() is None


def test_the_lead_department_signs_within_or_after_the_window_as_planned(calendar: WorkCalendar) -> None:
    late_seen = on_time_seen = False
    for cid in range(1, 200):
        d = director(calendar)
        sign_due = calendar.add_working_hours(datetime.fromtimestamp(TUESDAY_9, CST), 2).timestamp()
        c = case(id=cid, version=3, state="dispatched", lead_department_id=2, dispatched_at=iso_time(TUESDAY_9),
                 sign_due_at=iso_time(sign_due))
        d.observe("case.dispatched", {"case": c}, TUESDAY_9)
        [(at, act)] = due(d, TUESDAY_9 + 30 * 86400)
        plan = d.plan(c)
        assert act.actor == ("department", 2)
        if act.command == "case.return":
            assert plan.return_reason and at < sign_due
            continue
        assert act.command == "case.sign"
        if plan.sign_frac > 1:
            late_seen = True
            assert at > sign_due
        else:
            on_time_seen = True
            assert TUESDAY_9 < at <= sign_due
    assert late_seen and on_time_seen


def test_a_step_is_skipped_once_the_entity_moved_on_and_uses_the_latest_version(calendar: WorkCalendar) -> None:
    d = director(calendar)
    d.observe("case.reported", {"case": case()}, TUESDAY_9)
    [(_, act)] = due(d, TUESDAY_9 + 86400)
    d.observe("case.sign_overdue", {"case": case(version=2)}, TUESDAY_9 + 60)  # the sweeper bumped the version
    assert d.build(act) == (act.command, {**act.params, "id": 10, "expected_version": 2})
    d.observe("case.rejected", {"case": case(version=3, state="rejected")}, TUESDAY_9 + 120)  # a human was faster
    assert d.build(act) is None
    assert 10 not in d.world["case"]  # finished entities are forgotten


def test_an_older_copy_never_replaces_a_newer_one(calendar: WorkCalendar) -> None:
    d = director(calendar)
    d.observe("case.registered", {"case": case(version=5, state="registered")}, TUESDAY_9)
    d.observe("case.reported", {"case": case(version=4)}, TUESDAY_9)
    assert d.world["case"][10]["version"] == 5


def test_whistle_arrivals_are_never_doubled_while_one_is_in_flight(calendar: WorkCalendar) -> None:
    d = director(calendar)
    arrival_due = calendar.add_working_days(datetime.fromtimestamp(TUESDAY_9, CST), 1).timestamp()
    calls = [{"department_id": dep, "arrival_due_at": iso_time(arrival_due), "arrived_at": None,
              "village_score": None, "department_score": None} for dep in (5, 6)]
    w = {"id": 1, "version": 2, "state": "approved", "township_id": 2, "approved_at": iso_time(TUESDAY_9),
         "due_at": iso_time(arrival_due + 86400), "proposal": "请县水利局、县应急管理局到场", "calls": calls}
    d.observe("whistle.approved", {"whistle": w}, TUESDAY_9)
    first, second = due(d, TUESDAY_9 + 30 * 86400)[:2]
    assert {first[1].actor, second[1].actor} == {("department", 5), ("department", 6)}
    # the first arrival comes back while the second is still on its way: no new step for the second
    arrived = [{**calls[0], "arrived_at": iso_time(first[0])}, calls[1]] if first[1].actor[1] == 5 else \
        [calls[0], {**calls[1], "arrived_at": iso_time(first[0])}]
    d.observe("whistle.arrived", {"whistle": {**w, "version": 3, "calls": arrived}}, first[0])
    d.done(first[1])
    assert all(act.command != "whistle.arrive" for _, act in due(d, TUESDAY_9 + 30 * 86400))
    # and a department that has arrived is not sent again even if asked
    assert d.build(first[1]) is None


def test_arrivals_make_the_creating_requests_at_the_rate(calendar: WorkCalendar) -> None:
    d = director(calendar, rate=30)
    acts = due(d, TUESDAY_9 + 10 * 3600)
    reports = [a for _, a in acts if a.command == "case.report"]
    expected = sum(30 * curve_at(CURVES["case"], TUESDAY_9 + m * 60) / 60 for m in range(600)) * (1 + P_DUPLICATE)
    assert abs(len(reports) - expected) < 0.15 * expected  # 30 an hour on average, shaped by the day
    assert all(a.actor == ("intake", 0) and d.build(a) == ("case.report", a.params) for a in reports)
    whistles = [a for _, a in acts if a.command == "whistle.raise"]
    assert all(a.actor == ("village", a.params["township_id"]) for a in whistles)
    assert [at for at, _ in acts] == sorted(at for at, _ in acts)


def test_deferred_steps_give_up_after_a_few_tries(calendar: WorkCalendar) -> None:
    d = director(calendar)
    act = Act(("desk", 0), "case.register", "case", 10, frozenset({"reported"}), {}, ("case", 10, 0))
    for _ in range(10):
        d.defer(TUESDAY_9, act, 60)
        popped = due(d, TUESDAY_9 + 86400)
        if not popped:
            break
        act = popped[0][1]
    assert not popped and d.counts["gave_up"] == 1


def test_disputes_go_from_received_to_follow_up(calendar: WorkCalendar) -> None:
    d = director(calendar)
    dispute = {"id": 4, "version": 1, "state": "received", "category": "邻里纠纷", "sessions": [],
               "next_session_at": None}
    d.observe("dispute.opened", {"dispute": dispute}, TUESDAY_9)
    [(at, act)] = due(d, TUESDAY_9 + 30 * 86400)
    assert act.command == "dispute.assign" and act.params["mediator_id"] == 1 and act.actor == ("mediator", 0)
    d.done(act)
    d.observe("dispute.assigned", {"dispute": {**dispute, "version": 2, "state": "assigned"}}, at)
    [(at2, act2)] = due(d, TUESDAY_9 + 30 * 86400)
    assert act2.command == "dispute.schedule" and datetime.fromisoformat(act2.params["at"]).timestamp() > at2
    d.done(act2)
    session_at = act2.params["at"]
    d.observe("dispute.scheduled", {"dispute": {**dispute, "version": 3, "state": "assigned",
                                                "next_session_at": session_at}}, at2)
    [(at3, act3)] = due(d, TUESDAY_9 + 30 * 86400)
    assert act3.command == "dispute.record_session" and at3 >= datetime.fromisoformat(session_at).timestamp()
