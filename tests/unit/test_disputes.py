"""The dispute machine: received → assigned → mediating → agreed → closed, or referred; roles; the 30-day limit."""

from __future__ import annotations

import copy

import pytest

from services.domain.disputes import DISPUTE_RULES, DisputeState, apply_dispute_action, new_dispute
from services.domain.errors import Forbidden, InvalidInput, InvalidTransition
from services.domain.model import Actor, Role

DUTY = Actor(1, "值班员", Role.duty_officer)
MEDIATOR = Actor(2, "调解员", Role.mediator)
VILLAGE = Actor(3, "某村", Role.village, township_id=4)
BODY = {"title": "邻里纠纷", "category": "邻里", "level": "village", "kind": "people", "township_id": 4,
        "parties": [{"name": "王大明", "phone": "13912345678"}]}
DAY = 86400.0


def test_a_new_dispute_is_received_with_a_30_day_limit_and_default_party_fields() -> None:
    d = new_dispute(VILLAGE, BODY, 1000.0, 30.0)
    assert d.state is DisputeState.received and d.due_at == 1000.0 + 30 * DAY
    assert d.parties == [{"name": "王大明", "phone": "13912345678", "id_number": "", "side": "other"}]


@pytest.mark.parametrize(("actor", "body"), [
    (Actor(5, "网格员", Role.grid_worker), BODY),
    (Actor(6, "他村", Role.village, township_id=9), BODY),  # a village opens disputes in its own township only
])
def test_who_may_not_open(actor: Actor, body: dict) -> None:
    with pytest.raises(Forbidden):
        new_dispute(actor, body, 1000.0, 30.0)


@pytest.mark.parametrize("field", ["level", "kind"])
def test_unknown_level_or_kind(field: str) -> None:
    with pytest.raises(InvalidInput):
        new_dispute(DUTY, {**BODY, field: "x"}, 1000.0, 30.0)


def walk(steps: list[tuple[str, dict, float]]):
    d = new_dispute(DUTY, BODY, 1000.0, 30.0)
    for action, body, at in steps:
        before = copy.deepcopy(d)
        out = apply_dispute_action(d, action, body, MEDIATOR, at)
        assert d == before, "the input dispute was mutated"
        d = out.entity
    return d, out


def test_the_whole_way_to_a_follow_up_on_time() -> None:
    d, out = walk([("assign", {"mediator_id": 3}, 2000.0), ("schedule", {"at": 5000.0}, 2100.0),
                   ("record_session", {"summary": "陈述"}, 5000.0), ("conclude", {"outcome": "agreed", "text": "协议"},
                                                                    6000.0),
                   ("follow_up", {"honoured": True}, 9 * DAY)])
    assert d.state is DisputeState.closed and d.on_time is True and d.version == 6 and d.honoured is True
    assert out.kind == "dispute.followed_up" and out.change["from"] == "agreed"


def test_late_and_failed_is_referred_not_on_time() -> None:
    d, out = walk([("assign", {"mediator_id": 3}, 2000.0), ("record_session", {"summary": "陈述"}, 3000.0),
                   ("conclude", {"outcome": "failed", "text": "不成"}, 1000.0 + 31 * DAY)])
    assert d.state is DisputeState.referred and d.on_time is False and out.kind == "dispute.referred"


def test_a_session_cannot_be_scheduled_before_the_dispute_existed() -> None:
    with pytest.raises(InvalidInput):
        walk([("assign", {"mediator_id": 3}, 2000.0), ("schedule", {"at": 10.0}, 2100.0)])


@pytest.mark.parametrize("action", ["conclude", "follow_up", "record_session", "schedule"])
def test_actions_out_of_order_are_invalid_transitions(action: str) -> None:
    d = new_dispute(DUTY, BODY, 1000.0, 30.0)
    with pytest.raises(InvalidTransition):
        apply_dispute_action(d, action, {"outcome": "agreed", "text": "x", "honoured": True, "summary": "x",
                                         "at": 2000.0}, MEDIATOR, 2000.0)


@pytest.mark.parametrize("action", sorted(DISPUTE_RULES))
def test_leaders_and_departments_do_not_mediate(action: str) -> None:
    for role in (Role.leader, Role.department, Role.analytics):
        with pytest.raises(Forbidden):
            apply_dispute_action(new_dispute(DUTY, BODY, 1000.0, 30.0), action, {}, Actor(9, "x", role), 2000.0)
