"""services/domain/whistles.py: whistle and report (吹哨报到).

Clock facts (08:30-12:00, 14:00-17:30, no holiday in March 2026): approved Mon 2026-03-09 10:00, each called
department must arrive by Tue 03-10 10:00; 及时办 (21 h) is due Thu 03-12 10:00, 协调办 (49 h) Wed 03-18 10:00.
"""

from __future__ import annotations

import copy
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from config.schema import load_rules
from services.domain.deadlines import DeadlinePolicy
from services.domain.errors import Forbidden, InvalidInput, InvalidTransition, NotFound
from services.domain.model import Actor, ResolutionClass, Role, Whistle, WhistleState
from services.domain.whistles import (
    RAISE_ROLES,
    VILLAGE_SCORE_KEYS,
    WHISTLE_RULES,
    apply_whistle_action,
    find_call,
)
from services.domain.workcalendar import WorkCalendar

TZ = timezone(timedelta(hours=8))
W = WhistleState
TOWNSHIP = 3


def ts(y: int, m: int, d: int, hh: int = 0, mm: int = 0) -> float:
    return datetime(y, m, d, hh, mm, tzinfo=TZ).timestamp()


APPROVED_AT = ts(2026, 3, 9, 10, 0)
ARRIVAL_DUE = ts(2026, 3, 10, 10, 0)

DUTY = Actor(1, "民情办值班员", Role.duty_officer)
VILLAGE = Actor(2, "塔城乡某村", Role.village, township_id=TOWNSHIP)
OTHER_VILLAGE = Actor(3, "别的乡某村", Role.village, township_id=TOWNSHIP + 1)
DEPT7 = Actor(4, "水务局", Role.department, department_id=7)
DEPT8 = Actor(5, "城管局", Role.department, department_id=8)
DEPT9 = Actor(6, "未被呼叫的局", Role.department, department_id=9)
ACTOR_FOR_ROLE = {
    Role.duty_officer: DUTY, Role.village: VILLAGE, Role.department: DEPT7,
    Role.leader: Actor(7, "领导", Role.leader), Role.grid_worker: Actor(8, "网格员", Role.grid_worker),
    Role.admin: Actor(9, "管理员", Role.admin), Role.mediator: Actor(10, "调解员", Role.mediator),
    Role.intake: Actor(11, "12345热线接口", Role.intake), Role.analytics: Actor(12, "视频分析", Role.analytics),
}
GOOD_SCORES = {"arrival": 25, "staffing": 20, "handling": 18, "outcome": 22}


@pytest.fixture(scope="module")
def policy() -> DeadlinePolicy:
    rules = load_rules()
    return DeadlinePolicy(WorkCalendar(rules.working_hours), rules)


def raised() -> Whistle:
    return Whistle(id=5, code="WS-20260309-0005", version=1, state=W.raised, township_id=TOWNSHIP, grid_id=31,
                   title="渠道堵塞", description="村里解决不了", proposal="请水务局来现场", raised_by="村支书",
                   raised_at=ts(2026, 3, 9, 9, 0))


def act(policy, whistle, action, body, actor, now):
    return apply_whistle_action(whistle, action, body, actor, now, policy)


def approved(policy, cls: str = "immediate") -> Whistle:
    body = {"approve": True, "department_ids": [8, 7, 7], "resolution_class": cls}
    return act(policy, raised(), "review", body, DUTY, APPROVED_AT).whistle


# -- raise ---------------------------------------------------------------------------------------
def test_only_a_village_may_raise():
    assert frozenset({Role.village}) == RAISE_ROLES
    for role in Role:
        assert (role in RAISE_ROLES) == (role is Role.village)


# -- review --------------------------------------------------------------------------------------
def test_approve_calls_each_department_once_with_the_arrival_deadline(policy):
    w = raised()
    before = copy.deepcopy(w)
    out = act(policy, w, "review", {"approve": True, "department_ids": [8, 7, 7]}, DUTY, APPROVED_AT)
    assert w == before, "the input whistle was mutated"
    a = out.whistle
    assert out.kind == "whistle.approved"
    assert a.state is W.approved and a.approved_at == APPROVED_AT
    assert [c.department_id for c in a.calls] == [7, 8]
    assert all(c.arrival_due_at == ARRIVAL_DUE for c in a.calls)
    assert all(c.arrived_at is None and c.on_time is None for c in a.calls)
    assert a.resolution_class is ResolutionClass.immediate
    assert a.due_at == ts(2026, 3, 12, 10, 0)
    assert a.version == 2 and a.updated_by == DUTY.name and a.updated_at == APPROVED_AT
    assert out.change["department_ids"] == [7, 8]
    assert out.change["arrival_due_at"] == ARRIVAL_DUE


def test_approve_with_a_class_uses_its_limit(policy):
    assert approved(policy, "coordinated").due_at == ts(2026, 3, 18, 10, 0)


@pytest.mark.parametrize("body", [{"approve": True}, {"approve": True, "department_ids": []}])
def test_approve_requires_departments(policy, body):
    with pytest.raises(InvalidInput):
        act(policy, raised(), "review", body, DUTY, APPROVED_AT)


def test_reject_records_the_reason(policy):
    out = act(policy, raised(), "review", {"approve": False, "reason": "村内可自行解决"}, DUTY, APPROVED_AT)
    assert out.kind == "whistle.rejected"
    assert out.whistle.state is W.rejected
    assert out.whistle.reject_reason == "村内可自行解决"
    assert out.whistle.calls == []


@pytest.mark.parametrize("body", [{"approve": False}, {"approve": False, "reason": ""}])
def test_reject_requires_a_reason(policy, body):
    w = raised()
    with pytest.raises(InvalidInput):
        act(policy, w, "review", body, DUTY, APPROVED_AT)
    assert w.state is W.raised


@pytest.mark.parametrize("role", [r for r in Role if r is not Role.duty_officer])
def test_review_is_for_the_duty_officer_only(policy, role):
    with pytest.raises(Forbidden):
        act(policy, raised(), "review", {"approve": True, "department_ids": [7]}, ACTOR_FOR_ROLE[role], APPROVED_AT)


def test_review_twice_is_invalid_transition(policy):
    with pytest.raises(InvalidTransition):
        act(policy, approved(policy), "review", {"approve": True, "department_ids": [9]}, DUTY, APPROVED_AT + 60)


def test_unknown_action_is_invalid_input(policy):
    with pytest.raises(InvalidInput):
        act(policy, raised(), "cancel", {}, DUTY, APPROVED_AT)


INVALID_FROM = [(a, s) for a, (states, _) in WHISTLE_RULES.items() for s in W if s not in states]


@pytest.mark.parametrize(("action", "state"), INVALID_FROM, ids=[f"{a}-from-{s}" for a, s in INVALID_FROM])
def test_action_outside_its_states_is_invalid_transition(policy, action, state):
    w = approved(policy)
    w.state = state
    roles = WHISTLE_RULES[action][1]
    actor = ACTOR_FOR_ROLE[sorted(roles)[0]]
    with pytest.raises(InvalidTransition):
        act(policy, w, action, {"approve": True, "department_ids": [7], "department_id": 7,
                                "scores": GOOD_SCORES}, actor, APPROVED_AT + 60)


# -- arrival -------------------------------------------------------------------------------------
@pytest.mark.parametrize(("now", "on_time"), [
    (ts(2026, 3, 9, 15, 0), True),
    (ARRIVAL_DUE, True),
    (ARRIVAL_DUE + 1, False),
    (ts(2026, 3, 11, 9, 0), False),
])
def test_arrival_on_time_or_late(policy, now, on_time):
    w = approved(policy)
    out = act(policy, w, "arrive", {"person": "李科长", "evidence": "photo.jpg"}, DEPT7, now)
    call = find_call(out.whistle, 7)
    assert call.on_time is on_time and out.change["on_time"] is on_time
    assert call.arrived_at == now and call.arrived_by == "李科长" and call.evidence == "photo.jpg"
    assert find_call(out.whistle, 8).arrived_at is None
    assert find_call(w, 7).arrived_at is None, "the input whistle was mutated"
    assert out.kind == "whistle.arrived"
    assert out.whistle.state is W.approved


def test_arrival_without_a_person_is_the_actor(policy):
    out = act(policy, approved(policy), "arrive", {}, DEPT8, ts(2026, 3, 9, 15, 0))
    assert find_call(out.whistle, 8).arrived_by == DEPT8.name


def test_an_uncalled_department_cannot_arrive(policy):
    with pytest.raises(Forbidden):
        act(policy, approved(policy), "arrive", {}, DEPT9, ts(2026, 3, 9, 15, 0))


def test_double_arrival_is_invalid_transition(policy):
    w = act(policy, approved(policy), "arrive", {}, DEPT7, ts(2026, 3, 9, 15, 0)).whistle
    with pytest.raises(InvalidTransition):
        act(policy, w, "arrive", {}, DEPT7, ts(2026, 3, 9, 16, 0))
    # the other department still may
    assert act(policy, w, "arrive", {}, DEPT8, ts(2026, 3, 9, 16, 0)).whistle.version == w.version + 1


@pytest.mark.parametrize("role", [r for r in Role if r is not Role.department])
def test_only_departments_arrive(policy, role):
    with pytest.raises(Forbidden):
        act(policy, approved(policy), "arrive", {}, ACTOR_FOR_ROLE[role], ts(2026, 3, 9, 15, 0))


def test_find_call_of_an_uncalled_department_is_not_found(policy):
    with pytest.raises(NotFound):
        find_call(approved(policy), 9)


# -- resolve -------------------------------------------------------------------------------------
def test_resolve_by_a_called_department_or_the_office(policy):
    out = act(policy, approved(policy), "resolve", {"note": "已疏通"}, DEPT7, ts(2026, 3, 11, 9, 0))
    assert out.whistle.state is W.resolved and out.whistle.resolved_at == ts(2026, 3, 11, 9, 0)
    assert out.change["on_time"] is True
    late = act(policy, approved(policy), "resolve", {}, DUTY, ts(2026, 3, 12, 10, 1))
    assert late.change["on_time"] is False
    with pytest.raises(Forbidden):
        act(policy, approved(policy), "resolve", {}, DEPT9, ts(2026, 3, 11, 9, 0))
    with pytest.raises(Forbidden):
        act(policy, approved(policy), "resolve", {}, VILLAGE, ts(2026, 3, 11, 9, 0))


# -- scoring -------------------------------------------------------------------------------------
def test_village_scores_a_department(policy):
    w = approved(policy)
    out = act(policy, w, "score", {"department_id": 7, "scores": dict(GOOD_SCORES)}, VILLAGE, APPROVED_AT + 60)
    assert find_call(out.whistle, 7).village_score == GOOD_SCORES
    assert find_call(out.whistle, 8).village_score is None
    assert out.change["total"] == 85 and out.change["side"] == "village"
    assert out.kind == "whistle.scored"
    assert find_call(w, 7).village_score is None
    assert set(VILLAGE_SCORE_KEYS) == {"arrival", "staffing", "handling", "outcome"}


@pytest.mark.parametrize("scores", [
    {"arrival": 25, "staffing": 20, "handling": 18},                                       # missing key
    {**GOOD_SCORES, "attitude": 10},                                                        # extra key
    {**GOOD_SCORES, "outcome": 26},
    {**GOOD_SCORES, "outcome": -1},
    {**GOOD_SCORES, "outcome": 12.5},
    {**GOOD_SCORES, "outcome": True},
    {**GOOD_SCORES, "outcome": "20"},
    {},
], ids=["missing", "extra", "26", "-1", "float", "bool", "string", "empty"])
def test_village_scores_are_validated(policy, scores):
    with pytest.raises(InvalidInput):
        act(policy, approved(policy), "score", {"department_id": 7, "scores": scores}, VILLAGE, APPROVED_AT + 60)


def test_village_score_edges_are_accepted(policy):
    zeros = dict.fromkeys(VILLAGE_SCORE_KEYS, 0)
    out = act(policy, approved(policy), "score", {"department_id": 7, "scores": zeros}, VILLAGE, APPROVED_AT)
    assert out.change["total"] == 0
    full = dict.fromkeys(VILLAGE_SCORE_KEYS, 25)
    assert act(policy, approved(policy), "score", {"department_id": 8, "scores": full}, VILLAGE,
               APPROVED_AT).change["total"] == 100


def test_village_cannot_score_an_uncalled_department_or_another_townships_whistle(policy):
    with pytest.raises(Forbidden):
        act(policy, approved(policy), "score", {"department_id": 9, "scores": GOOD_SCORES}, VILLAGE, APPROVED_AT)
    with pytest.raises(Forbidden):
        act(policy, approved(policy), "score", {"department_id": 7, "scores": GOOD_SCORES}, OTHER_VILLAGE,
            APPROVED_AT)


def test_village_double_score_is_rejected(policy):
    w = act(policy, approved(policy), "score", {"department_id": 7, "scores": GOOD_SCORES}, VILLAGE,
            APPROVED_AT).whistle
    with pytest.raises(InvalidTransition):
        act(policy, w, "score", {"department_id": 7, "scores": GOOD_SCORES}, VILLAGE, APPROVED_AT + 60)


def test_department_scores_the_village(policy):
    out = act(policy, approved(policy), "score", {"justified": True, "cooperation": 4}, DEPT8, APPROVED_AT)
    assert find_call(out.whistle, 8).department_score == {"justified": True, "cooperation": 4}
    assert find_call(out.whistle, 7).department_score is None
    assert out.change["side"] == "department" and out.change["department_id"] == 8
    edge = act(policy, approved(policy), "score", {"justified": False, "cooperation": 0}, DEPT7, APPROVED_AT)
    assert find_call(edge.whistle, 7).department_score == {"justified": False, "cooperation": 0}


@pytest.mark.parametrize("body", [
    {"justified": True, "cooperation": 6},
    {"justified": True, "cooperation": -1},
    {"justified": True, "cooperation": 2.5},
    {"justified": "yes", "cooperation": 3},
    {"justified": 1, "cooperation": 3},
    {"cooperation": 3},
    {"justified": True},
], ids=["6", "-1", "float", "str-justified", "int-justified", "no-justified", "no-cooperation"])
def test_department_scores_are_validated(policy, body):
    with pytest.raises(InvalidInput):
        act(policy, approved(policy), "score", body, DEPT7, APPROVED_AT)


def test_department_double_score_is_rejected(policy):
    w = act(policy, approved(policy), "score", {"justified": True, "cooperation": 5}, DEPT7, APPROVED_AT).whistle
    with pytest.raises(InvalidTransition):
        act(policy, w, "score", {"justified": False, "cooperation": 1}, DEPT7, APPROVED_AT + 60)


def test_uncalled_department_cannot_score(policy):
    with pytest.raises(Forbidden):
        act(policy, approved(policy), "score", {"justified": True, "cooperation": 3}, DEPT9, APPROVED_AT)


def test_scoring_is_allowed_after_resolution(policy):
    w = act(policy, approved(policy), "resolve", {}, DUTY, ts(2026, 3, 11, 9, 0)).whistle
    out = act(policy, w, "score", {"department_id": 7, "scores": GOOD_SCORES}, VILLAGE, ts(2026, 3, 11, 10, 0))
    assert out.whistle.state is W.resolved
    assert find_call(out.whistle, 7).village_score == GOOD_SCORES


@pytest.mark.parametrize("role", [r for r in Role if r not in (Role.village, Role.department)])
def test_other_roles_cannot_score(policy, role):
    with pytest.raises(Forbidden):
        act(policy, approved(policy), "score", {"department_id": 7, "scores": GOOD_SCORES},
            ACTOR_FOR_ROLE[role], APPROVED_AT)


def test_each_action_increments_the_version_by_one(policy):
    w = approved(policy)
    versions = [w.version]
    steps: list[tuple[str, dict[str, Any], Actor]] = [
        ("arrive", {}, DEPT7), ("arrive", {}, DEPT8),
        ("score", {"department_id": 7, "scores": GOOD_SCORES}, VILLAGE),
        ("score", {"justified": True, "cooperation": 5}, DEPT7),
        ("resolve", {}, DUTY),
    ]
    for action, body, actor in steps:
        w = act(policy, w, action, body, actor, ts(2026, 3, 9, 15, 0)).whistle
        versions.append(w.version)
    assert versions == list(range(2, 8))
