"""services/domain/cases.py: the six-step case loop as a pure state machine.

Clock facts used below (08:30-12:00, 14:00-17:30; March 2026 has no holiday): a case dispatched on
Mon 2026-03-09 09:00 as 及时办 (3 days = 21 working hours) must be signed by 11:00, is due soon at
Wed 03-11 11:48 (16.8 h), due at Thu 03-12 09:00 and escalated at Tue 03-17 09:00 (42 h).
"""

from __future__ import annotations

import copy
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from config.schema import load_rules
from services.domain.cases import CASE_RULES, REPORT_ROLES, apply_case_action, check_action, sweep_case
from services.domain.deadlines import DeadlinePolicy
from services.domain.errors import Forbidden, InvalidInput, InvalidTransition
from services.domain.model import Actor, Case, CaseState, ResolutionClass, Role
from services.domain.workcalendar import WorkCalendar

TZ = timezone(timedelta(hours=8))
S = CaseState
LEAD, OTHER, CO = 7, 8, 9


def ts(y: int, m: int, d: int, hh: int = 0, mm: int = 0) -> float:
    return datetime(y, m, d, hh, mm, tzinfo=TZ).timestamp()


DUTY = Actor(1, "值班员甲", Role.duty_officer, console="desk-1")
LEADER = Actor(2, "领导乙", Role.leader)
DEPT = Actor(3, "水务局联络员", Role.department, department_id=LEAD)
OTHER_DEPT = Actor(4, "城管局联络员", Role.department, department_id=OTHER)
CO_DEPT = Actor(5, "环保局联络员", Role.department, department_id=CO)
GRID = Actor(6, "网格员丙", Role.grid_worker, township_id=3)
VILLAGE = Actor(7, "村社丁", Role.village, township_id=3)
ADMIN = Actor(8, "管理员", Role.admin)
MEDIATOR = Actor(9, "调解员", Role.mediator)
INTAKE = Actor(10, "12345热线接口", Role.intake)
ANALYTICS = Actor(11, "视频分析", Role.analytics)

ACTOR_FOR_ROLE = {
    Role.duty_officer: DUTY, Role.leader: LEADER, Role.department: DEPT, Role.grid_worker: GRID,
    Role.village: VILLAGE, Role.admin: ADMIN, Role.mediator: MEDIATOR, Role.intake: INTAKE, Role.analytics: ANALYTICS,
}

DISPATCHED_AT = ts(2026, 3, 9, 9, 0)
SIGN_DUE = ts(2026, 3, 9, 11, 0)
DUE_SOON = ts(2026, 3, 11, 11, 48)
DUE = ts(2026, 3, 12, 9, 0)
ESCALATE = ts(2026, 3, 17, 9, 0)

ANY_BODY: dict[str, Any] = {
    "reason": "不属本部门职责", "lead_department_id": LEAD, "resolution_class": "immediate", "decision": "uphold",
    "days": 1.0, "approve": True, "result": "已处置", "passed": True, "satisfaction": 5,
}


@pytest.fixture(scope="module")
def policy() -> DeadlinePolicy:
    rules = load_rules()
    return DeadlinePolicy(WorkCalendar(rules.working_hours), rules)


def new_case(state: CaseState = S.reported, **fields: Any) -> Case:
    base: dict[str, Any] = dict(
        id=42, code="NC-20260309-000042", version=1, state=state, channel="12345", category="环境卫生",
        title="河道垃圾堆积", description="联系人13812348000", reporter_name="张三", reporter_phone="13812348000",
        reported_at=ts(2026, 3, 9, 8, 0),
    )
    base.update(fields)
    return Case(**base)


def act(policy, case, action, body, actor, now):
    return apply_case_action(case, action, body, actor, now, policy)


def dispatched_case(policy, cls: str = "immediate", co: list[int] | None = None) -> Case:
    c = act(policy, new_case(), "register", {}, DUTY, ts(2026, 3, 9, 8, 30)).case
    body = {"lead_department_id": LEAD, "resolution_class": cls, "co_department_ids": co or []}
    return act(policy, c, "dispatch", body, DUTY, DISPATCHED_AT).case


def handling_case(policy) -> Case:
    return act(policy, dispatched_case(policy), "sign", {}, DEPT, ts(2026, 3, 9, 10, 0)).case


def feedback_case(policy, at: float = ts(2026, 3, 11, 10, 0)) -> Case:
    return act(policy, handling_case(policy), "feedback", {"result": "已清理", "evidence": ["a.jpg"]}, DEPT, at).case


# -- the happy path ------------------------------------------------------------------------------
def test_full_happy_path(policy):
    steps = [
        ("register", {"category": "河道管理", "township_id": 3, "grid_id": 31, "priority": 2}, DUTY,
         ts(2026, 3, 9, 8, 30), S.registered, "case.registered"),
        ("dispatch", {"lead_department_id": LEAD, "co_department_ids": [CO, 11, CO], "resolution_class": "immediate"},
         DUTY, DISPATCHED_AT, S.dispatched, "case.dispatched"),
        ("sign", {}, DEPT, ts(2026, 3, 9, 10, 0), S.handling, "case.signed"),
        ("feedback", {"result": "已清理", "evidence": ["before.jpg", "after.jpg"]}, DEPT,
         ts(2026, 3, 11, 10, 0), S.feedback, "case.feedback"),
        ("verify", {"passed": True}, GRID, ts(2026, 3, 11, 15, 0), S.verified, "case.verified"),
        ("close", {}, DUTY, ts(2026, 3, 11, 16, 0), S.closed, "case.closed"),
        ("evaluate", {"satisfaction": 5}, VILLAGE, ts(2026, 3, 12, 9, 0), S.evaluated, "case.evaluated"),
    ]
    case = new_case()
    for action, body, actor, now, state, kind in steps:
        before = copy.deepcopy(case)
        out = act(policy, case, action, body, actor, now)
        assert case == before, f"{action} mutated its input"
        assert out.case.state is state
        assert out.kind == kind
        assert out.change["from"] == before.state.value and out.change["to"] == state.value
        assert out.case.version == before.version + 1
        assert out.case.updated_at == now and out.case.updated_by == actor.name
        case = out.case
        if action == "register":
            assert (case.category, case.township_id, case.grid_id, case.priority) == ("河道管理", 3, 31, 2)
            assert case.registered_at == now
        if action == "dispatch":
            assert case.lead_department_id == LEAD
            assert case.co_department_ids == [CO, 11]
            assert case.resolution_class is ResolutionClass.immediate
            assert case.dispatched_at == DISPATCHED_AT
            assert (case.sign_due_at, case.due_soon_at, case.due_at, case.escalate_at) == (
                SIGN_DUE, DUE_SOON, DUE, ESCALATE)
        if action == "sign":
            assert case.signed_at == now and out.change["late"] is False
    assert case.version == 8
    assert case.on_time is True
    assert case.closed_at == ts(2026, 3, 11, 16, 0)
    assert case.verified_at == ts(2026, 3, 11, 15, 0)
    assert case.satisfaction == 5
    assert case.rework_count == 0


def test_report_roles():
    assert {Role.duty_officer, Role.village, Role.grid_worker, Role.intake} == REPORT_ROLES


def test_sign_after_the_window_is_late(policy):
    out = act(policy, dispatched_case(policy), "sign", {}, DEPT, SIGN_DUE + 1)
    assert out.change["late"] is True
    assert act(policy, dispatched_case(policy), "sign", {}, DEPT, SIGN_DUE).change["late"] is False


# -- state and role checks -----------------------------------------------------------------------
INVALID_FROM = [
    (action, state) for action, rule in CASE_RULES.items() for state in CaseState if state not in rule.from_states
]


@pytest.mark.parametrize(("action", "state"), INVALID_FROM, ids=[f"{a}-from-{s}" for a, s in INVALID_FROM])
def test_action_from_a_state_outside_its_rule_is_invalid_transition(policy, action, state):
    rule = CASE_RULES[action]
    actor = ACTOR_FOR_ROLE[sorted(rule.roles)[0]]
    case = new_case(state, lead_department_id=LEAD, resolution_class=ResolutionClass.immediate,
                    dispatched_at=DISPATCHED_AT, due_at=DUE)
    before = copy.deepcopy(case)
    with pytest.raises(InvalidTransition) as err:
        act(policy, case, action, dict(ANY_BODY), actor, ts(2026, 3, 10, 9, 0))
    assert err.value.details["state"] == state.value
    assert err.value.code == "conflict"
    assert case == before


FORBIDDEN_ROLES = [(action, role) for action, rule in CASE_RULES.items() for role in Role if role not in rule.roles]


@pytest.mark.parametrize(("action", "role"), FORBIDDEN_ROLES, ids=[f"{a}-by-{r}" for a, r in FORBIDDEN_ROLES])
def test_role_not_in_the_rule_is_forbidden(policy, action, role):
    state = sorted(CASE_RULES[action].from_states)[0]
    case = new_case(state, lead_department_id=LEAD, resolution_class=ResolutionClass.immediate)
    with pytest.raises(Forbidden):
        act(policy, case, action, dict(ANY_BODY), ACTOR_FOR_ROLE[role], ts(2026, 3, 10, 9, 0))


def test_admin_may_take_no_case_action():
    assert all(Role.admin not in rule.roles for rule in CASE_RULES.values())


LEAD_ONLY = sorted(a for a, rule in CASE_RULES.items() if rule.lead_department_only)


def test_the_lead_only_actions():
    assert set(LEAD_ONLY) == {"sign", "return", "request_extension", "feedback"}


@pytest.mark.parametrize("action", LEAD_ONLY)
@pytest.mark.parametrize(
    "actor", [OTHER_DEPT, CO_DEPT, Actor(10, "无部门", Role.department)], ids=["other", "co", "none"]
)
def test_a_department_that_is_not_the_lead_is_forbidden(policy, action, actor):
    state = sorted(CASE_RULES[action].from_states)[0]
    case = new_case(state, lead_department_id=LEAD, co_department_ids=[CO],
                    resolution_class=ResolutionClass.immediate)
    with pytest.raises(Forbidden):
        act(policy, case, action, dict(ANY_BODY), actor, ts(2026, 3, 10, 9, 0))


def test_unknown_action_is_invalid_input(policy):
    with pytest.raises(InvalidInput):
        act(policy, new_case(), "delete", {}, DUTY, 0.0)
    with pytest.raises(InvalidInput):
        check_action(new_case(), "", DUTY)


# -- reject, recall, return, arbitration ---------------------------------------------------------
def test_reject_is_terminal_with_the_reason(policy):
    out = act(policy, new_case(), "reject", {"reason": "重复上报"}, DUTY, ts(2026, 3, 9, 8, 30))
    assert out.case.state is S.rejected
    assert out.kind == "case.rejected"
    assert out.case.note == "重复上报" and out.change["reason"] == "重复上报"
    assert out.case.closed_at == ts(2026, 3, 9, 8, 30)
    for action in CASE_RULES:
        assert S.rejected not in CASE_RULES[action].from_states


def test_recall_clears_the_dispatch_and_its_deadlines(policy):
    case = dispatched_case(policy, co=[CO])
    case.sign_overdue = True
    out = act(policy, case, "recall", {"note": "派错"}, DUTY, ts(2026, 3, 9, 10, 0))
    c = out.case
    assert c.state is S.registered
    assert out.change["recalled_from"] == LEAD
    assert c.lead_department_id is None and c.co_department_ids == [] and c.resolution_class is None
    assert (c.dispatched_at, c.sign_due_at, c.due_soon_at, c.due_at, c.escalate_at) == (None,) * 5
    assert (c.sign_overdue, c.overdue, c.escalated) == (False, False, False)
    # and it can be dispatched again, with a new clock
    again = act(policy, c, "dispatch", {"lead_department_id": OTHER, "resolution_class": "immediate"}, DUTY,
                ts(2026, 3, 10, 9, 0)).case
    assert again.lead_department_id == OTHER
    assert again.due_at == ts(2026, 3, 13, 9, 0)


def test_return_goes_to_arbitration_and_keeps_the_clock(policy):
    case = dispatched_case(policy)
    out = act(policy, case, "return", {"reason": "不属本部门职责"}, DEPT, ts(2026, 3, 9, 10, 0))
    assert out.case.state is S.returned
    assert out.kind == "case.returned"
    assert out.case.return_count == 1
    assert out.case.note == "不属本部门职责"
    assert out.change["department_id"] == LEAD
    assert (out.case.due_at, out.case.dispatched_at) == (DUE, DISPATCHED_AT)


def test_arbitrate_uphold_keeps_the_clock_and_renews_the_signing_window(policy):
    returned = act(policy, dispatched_case(policy), "return", {"reason": "x"}, DEPT, ts(2026, 3, 9, 10, 0)).case
    returned.sign_overdue = True
    now = ts(2026, 3, 10, 16, 30)
    out = act(policy, returned, "arbitrate", {"decision": "uphold"}, DUTY, now)
    c = out.case
    assert c.state is S.dispatched
    assert out.kind == "case.arbitrated" and out.change["decision"] == "uphold"
    assert c.lead_department_id == LEAD
    assert (c.dispatched_at, c.due_soon_at, c.due_at, c.escalate_at) == (DISPATCHED_AT, DUE_SOON, DUE, ESCALATE)
    # 2 working hours from Tue 16:30: 1 h on Tuesday, 1 h on Wednesday.
    assert c.sign_due_at == ts(2026, 3, 11, 9, 30)
    assert c.sign_overdue is False
    # the same department may now sign
    assert act(policy, c, "sign", {}, DEPT, ts(2026, 3, 11, 9, 0)).case.state is S.handling


def test_arbitrate_redispatch_sets_a_new_lead_and_a_new_clock(policy):
    returned = act(policy, dispatched_case(policy), "return", {"reason": "x"}, DEPT, ts(2026, 3, 9, 10, 0)).case
    now = ts(2026, 3, 10, 16, 30)
    body = {"decision": "redispatch", "lead_department_id": OTHER, "co_department_ids": [CO],
            "resolution_class": "coordinated"}
    c = act(policy, returned, "arbitrate", body, DUTY, now).case
    assert c.state is S.dispatched
    assert c.lead_department_id == OTHER and c.co_department_ids == [CO]
    assert c.resolution_class is ResolutionClass.coordinated
    assert c.dispatched_at == now
    assert c.sign_due_at == ts(2026, 3, 11, 9, 30)
    # 49 h from Tue 16:30: 1 + 21 (Wed-Fri) + 21 (Mon-Wed) = 43 h, 6 h on Thu 03-19 -> 16:30.
    assert c.due_at == ts(2026, 3, 19, 16, 30)
    with pytest.raises(Forbidden):
        act(policy, c, "sign", {}, DEPT, now + 60)
    assert act(policy, c, "sign", {}, OTHER_DEPT, now + 60).case.state is S.handling


def test_arbitrate_redispatch_keeps_the_class_when_none_is_given(policy):
    returned = act(policy, dispatched_case(policy), "return", {"reason": "x"}, DEPT, ts(2026, 3, 9, 10, 0)).case
    c = act(policy, returned, "arbitrate", {"decision": "redispatch", "lead_department_id": OTHER}, DUTY,
            ts(2026, 3, 10, 16, 30)).case
    assert c.resolution_class is ResolutionClass.immediate
    assert c.due_at == ts(2026, 3, 13, 16, 30)  # 21 h: 1 + 7 + 7 + 6 (Fri 08:30-12:00, 14:00-16:30)


def test_redispatch_without_a_lead_is_invalid_input(policy):
    returned = act(policy, dispatched_case(policy), "return", {"reason": "x"}, DEPT, ts(2026, 3, 9, 10, 0)).case
    with pytest.raises(InvalidInput):
        act(policy, returned, "arbitrate", {"decision": "redispatch"}, DUTY, ts(2026, 3, 10, 9, 0))


def test_lead_in_the_co_list_is_invalid_input(policy):
    registered = act(policy, new_case(), "register", {}, DUTY, ts(2026, 3, 9, 8, 30)).case
    before = copy.deepcopy(registered)
    with pytest.raises(InvalidInput):
        act(policy, registered, "dispatch", {"lead_department_id": LEAD, "co_department_ids": [CO, LEAD],
                                             "resolution_class": "immediate"}, DUTY, DISPATCHED_AT)
    assert registered == before
    returned = act(policy, dispatched_case(policy), "return", {"reason": "x"}, DEPT, ts(2026, 3, 9, 10, 0)).case
    with pytest.raises(InvalidInput):
        act(policy, returned, "arbitrate", {"decision": "redispatch", "lead_department_id": CO,
                                            "co_department_ids": [CO]}, DUTY, ts(2026, 3, 10, 9, 0))


# -- extension -----------------------------------------------------------------------------------
def test_extension_request_twice_is_invalid_transition(policy):
    c = act(policy, handling_case(policy), "request_extension", {"days": 2, "reason": "需协调"}, DEPT,
            ts(2026, 3, 10, 9, 0)).case
    assert c.state is S.handling
    assert c.extension_pending is not None and c.extension_pending["days"] == 2
    with pytest.raises(InvalidTransition):
        act(policy, c, "request_extension", {"days": 1, "reason": "again"}, DEPT, ts(2026, 3, 10, 10, 0))


def test_extension_longer_than_the_maximum_is_invalid_input(policy):
    with pytest.raises(InvalidInput):
        act(policy, handling_case(policy), "request_extension", {"days": 15.5, "reason": "x"}, DEPT,
            ts(2026, 3, 10, 9, 0))
    ok = act(policy, handling_case(policy), "request_extension", {"days": 15, "reason": "x"}, DEPT,
             ts(2026, 3, 10, 9, 0))
    assert ok.case.extension_pending["days"] == 15


def test_decide_without_a_request_is_invalid_transition(policy):
    with pytest.raises(InvalidTransition):
        act(policy, handling_case(policy), "decide_extension", {"approve": True}, DUTY, ts(2026, 3, 10, 9, 0))


def requested(policy, days: float = 2) -> Case:
    return act(policy, handling_case(policy), "request_extension", {"days": days, "reason": "需协调"}, DEPT,
               ts(2026, 3, 10, 9, 0)).case


def test_approve_extends_due_by_exactly_the_requested_working_days(policy):
    out = act(policy, requested(policy, 2), "decide_extension", {"approve": True}, DUTY, ts(2026, 3, 10, 10, 0))
    c = out.case
    assert out.kind == "case.extension_decided"
    assert out.change["days"] == 2
    assert c.extension_pending is None and c.extension_days == 2
    # 5 working days after Mon 09:00 is Mon 03-16 09:00; 80 % (28 h) Fri 03-13 09:00; 2x (70 h) Mon 03-23 09:00.
    assert c.due_at == ts(2026, 3, 16, 9, 0)
    assert c.due_soon_at == ts(2026, 3, 13, 9, 0)
    assert c.escalate_at == ts(2026, 3, 23, 9, 0)
    assert c.sign_due_at == SIGN_DUE and c.dispatched_at == DISPATCHED_AT
    assert policy.calendar.working_seconds_between(
        datetime.fromtimestamp(DUE, TZ), datetime.fromtimestamp(c.due_at, TZ)) == 2 * policy.calendar.day_seconds


def test_approve_with_fewer_days_grants_those(policy):
    c = act(policy, requested(policy, 2), "decide_extension", {"approve": True, "days": 1}, LEADER,
            ts(2026, 3, 10, 10, 0)).case
    assert c.extension_days == 1
    assert c.due_at == ts(2026, 3, 13, 9, 0)


def test_refuse_keeps_the_deadline(policy):
    out = act(policy, requested(policy, 2), "decide_extension", {"approve": False}, DUTY, ts(2026, 3, 10, 10, 0))
    assert out.case.due_at == DUE and out.case.extension_days == 0 and out.case.extension_pending is None
    assert out.change["approve"] is False and out.change["days"] == 0


def test_approve_after_the_deadline_lifts_overdue(policy):
    c = requested(policy, 2)
    assert sweep_case(c, ts(2026, 3, 12, 10, 0))  # overdue now
    assert c.overdue
    c = act(policy, c, "decide_extension", {"approve": True}, DUTY, ts(2026, 3, 12, 11, 0)).case
    assert c.overdue is False
    assert c.supervision_count == 1  # history is not rewritten


def test_office_cannot_grant_more_than_the_maximum_extension(policy):
    """rules.toml: max_extension_days is "the longest single extension the office may grant"."""
    c = requested(policy, 2)
    with pytest.raises(InvalidInput):
        act(policy, c, "decide_extension", {"approve": True, "days": 20}, DUTY, ts(2026, 3, 10, 10, 0))


# -- verify, close -------------------------------------------------------------------------------
def test_failed_verification_is_rework(policy):
    out = act(policy, feedback_case(policy), "verify", {"passed": False, "note": "仍有垃圾"}, GRID,
              ts(2026, 3, 11, 15, 0))
    c = out.case
    assert c.state is S.handling
    assert out.kind == "case.reworked"
    assert c.rework_count == 1 and out.change["rework_count"] == 1
    assert c.feedback_at is None and c.verified_at is None
    c = act(policy, c, "feedback", {"result": "再次清理"}, DEPT, ts(2026, 3, 11, 16, 0)).case
    c = act(policy, c, "verify", {"passed": False}, DUTY, ts(2026, 3, 11, 17, 0)).case
    assert c.rework_count == 2
    c = act(policy, c, "feedback", {"result": "第三次"}, DEPT, ts(2026, 3, 12, 8, 45)).case
    c = act(policy, c, "verify", {"passed": True}, GRID, ts(2026, 3, 12, 10, 0)).case
    assert c.state is S.verified and c.rework_count == 2


@pytest.mark.parametrize(("feedback_at", "on_time"), [
    (ts(2026, 3, 11, 10, 0), True),
    (DUE, True),
    (DUE + 1, False),
    (ts(2026, 3, 13, 10, 0), False),
])
def test_close_records_whether_the_feedback_was_on_time(policy, feedback_at, on_time):
    c = feedback_case(policy, feedback_at)
    c = act(policy, c, "verify", {"passed": True}, GRID, feedback_at + 3600).case
    out = act(policy, c, "close", {}, DUTY, feedback_at + 7200)
    assert out.case.on_time is on_time
    assert out.change["on_time"] is on_time


def test_supervise_by_hand(policy):
    out = act(policy, handling_case(policy), "supervise", {"note": "请加快"}, LEADER, ts(2026, 3, 10, 9, 0))
    assert out.case.state is S.handling
    assert out.case.supervision_count == 1
    assert out.change["auto"] is False and out.change["by"] == LEADER.name


# -- sweep ---------------------------------------------------------------------------------------
def kinds(events: list[tuple[str, dict[str, Any]]]) -> list[str]:
    return [k for k, _ in events]


def test_sweep_emits_each_deadline_event_exactly_once(policy):
    c = dispatched_case(policy)
    v = c.version
    assert sweep_case(c, SIGN_DUE - 1) == []
    assert c.version == v
    assert kinds(sweep_case(c, SIGN_DUE)) == ["case.sign_overdue"]
    assert c.sign_overdue and c.version == v + 1 and c.updated_by == "system"
    assert sweep_case(c, SIGN_DUE + 60) == []
    c = act(policy, c, "sign", {}, DEPT, SIGN_DUE + 120).case
    v = c.version
    assert sweep_case(c, DUE - 1) == []
    events = sweep_case(c, DUE)
    assert kinds(events) == ["case.overdue", "case.supervised"]
    assert events[1][1]["auto"] is True
    assert c.overdue and c.supervision_count == 1 and c.version == v + 1
    assert sweep_case(c, DUE + 3600) == []
    assert not c.escalated
    assert kinds(sweep_case(c, ESCALATE)) == ["case.escalated"]
    assert c.escalated and c.version == v + 2
    assert sweep_case(c, ESCALATE + 86400) == []
    assert c.supervision_count == 1 and c.version == v + 2


def test_sweep_long_after_dispatch_emits_everything_once(policy):
    c = dispatched_case(policy)
    events = sweep_case(c, ESCALATE + 1)
    assert kinds(events) == ["case.sign_overdue", "case.overdue", "case.supervised", "case.escalated"]
    assert sweep_case(c, ESCALATE + 2) == []


def test_sweep_of_a_returned_case_runs_the_clock(policy):
    c = act(policy, dispatched_case(policy), "return", {"reason": "x"}, DEPT, ts(2026, 3, 9, 10, 0)).case
    assert kinds(sweep_case(c, DUE)) == ["case.overdue", "case.supervised"]


def test_sweep_ignores_cases_whose_clock_stopped(policy):
    c = act(policy, feedback_case(policy), "verify", {"passed": True}, GRID, ts(2026, 3, 11, 15, 0)).case
    assert sweep_case(c, ESCALATE + 1) == []
    registered = act(policy, new_case(), "register", {}, DUTY, ts(2026, 3, 9, 8, 30)).case
    assert sweep_case(registered, ESCALATE + 1) == []
