"""Whistle and report (吹哨报到): a village calls, the office reviews, departments arrive within a working day,
the problem is resolved within its class limit, and both sides score each other."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from services.domain.deadlines import DeadlinePolicy
from services.domain.errors import Forbidden, InvalidInput, InvalidTransition, NotFound
from services.domain.model import Actor, ResolutionClass, Role, Whistle, WhistleCall, WhistleState

W = WhistleState
VILLAGE_SCORE_KEYS = ("arrival", "staffing", "handling", "outcome")
"""The seed's four points: 报到时限, 人员到位, 现场处置, 处置效果 (each 0-25, total 100)."""

WHISTLE_RULES: dict[str, tuple[frozenset[WhistleState], frozenset[Role]]] = {
    "review": (frozenset({W.raised}), frozenset({Role.duty_officer})),
    "arrive": (frozenset({W.approved}), frozenset({Role.department})),
    "resolve": (frozenset({W.approved}), frozenset({Role.department, Role.duty_officer})),
    "score": (frozenset({W.approved, W.resolved}), frozenset({Role.village, Role.department})),
}
RAISE_ROLES = frozenset({Role.village})

EVENT_KINDS = {
    "review": "whistle.reviewed", "arrive": "whistle.arrived", "resolve": "whistle.resolved",
    "score": "whistle.scored",
}


@dataclass(frozen=True)
class WhistleOutcome:
    whistle: Whistle
    kind: str
    change: dict[str, Any]


def _call_of(w: Whistle, department_id: int | None) -> WhistleCall:
    for call in w.calls:
        if call.department_id == department_id:
            return call
    raise Forbidden("this department was not called by the whistle", department_id=department_id)


def check_role(action: str, actor: Actor) -> None:
    if action not in WHISTLE_RULES:
        raise InvalidInput(f"unknown whistle action {action!r}")
    roles = WHISTLE_RULES[action][1]
    if actor.role not in roles:
        raise Forbidden(f"role {actor.role} may not {action} a whistle",
                        allowed_roles=sorted(r.value for r in roles))


def apply_whistle_action(
    whistle: Whistle, action: str, body: dict[str, Any], actor: Actor, now: float, policy: DeadlinePolicy
) -> WhistleOutcome:
    check_role(action, actor)
    states = WHISTLE_RULES[action][0]
    if whistle.state not in states:
        raise InvalidTransition(f"cannot {action} a whistle that is {whistle.state}", reason="invalid_transition",
                                state=whistle.state.value, allowed_from=sorted(s.value for s in states))
    w = copy.deepcopy(whistle)
    kind = EVENT_KINDS[action]
    change: dict[str, Any]
    if action == "review":
        change = _review(w, body, now, policy)
        kind = "whistle.approved" if body["approve"] else "whistle.rejected"
    elif action == "arrive":
        change = _arrive(w, actor, body, now)
    elif action == "resolve":
        if actor.role == Role.department:
            _call_of(w, actor.department_id)
        w.state, w.resolved_at = W.resolved, now
        change = {"note": body.get("note", ""), "on_time": w.due_at is None or now <= w.due_at}
    else:
        change = _score(w, actor, body)
    w.version += 1
    w.updated_at, w.updated_by = now, actor.name
    return WhistleOutcome(w, kind, change)


def _review(w: Whistle, body: dict[str, Any], now: float, policy: DeadlinePolicy) -> dict[str, Any]:
    if not body["approve"]:
        w.state, w.reject_reason = W.rejected, body.get("reason", "")
        if not w.reject_reason:
            raise InvalidInput("a rejection needs a reason", field="reason")
        return {"approve": False, "reason": w.reject_reason}
    departments = sorted(set(body.get("department_ids", [])))
    if not departments:
        raise InvalidInput("approving a whistle needs at least one department", field="department_ids")
    w.state, w.approved_at = W.approved, now
    w.resolution_class = ResolutionClass(body.get("resolution_class", "immediate"))
    arrival_due = policy.arrival_due(now)
    w.calls = [WhistleCall(department_id=d, arrival_due_at=arrival_due) for d in departments]
    w.due_at = policy.resolution_due(now, w.resolution_class)
    return {"approve": True, "department_ids": departments, "resolution_class": w.resolution_class.value,
            "arrival_due_at": arrival_due}


def _arrive(w: Whistle, actor: Actor, body: dict[str, Any], now: float) -> dict[str, Any]:
    call = _call_of(w, actor.department_id)
    if call.arrived_at is not None:
        raise InvalidTransition("arrival already recorded for this department", reason="invalid_transition",
                                state=w.state.value)
    call.arrived_at, call.arrived_by = now, body.get("person") or actor.name
    call.evidence, call.on_time = body.get("evidence", ""), now <= call.arrival_due_at
    return {"department_id": call.department_id, "on_time": call.on_time, "person": call.arrived_by}


def _score(w: Whistle, actor: Actor, body: dict[str, Any]) -> dict[str, Any]:
    if actor.role == Role.village:
        if actor.township_id is not None and actor.township_id != w.township_id:
            raise Forbidden("only the whistle's own village/township may score its departments")
        call = _call_of(w, body.get("department_id"))
        scores = body.get("scores") or {}
        if set(scores) != set(VILLAGE_SCORE_KEYS):
            raise InvalidInput(f"scores needs exactly {', '.join(VILLAGE_SCORE_KEYS)}", field="scores")
        if any(not isinstance(v, int) or isinstance(v, bool) or not 0 <= v <= 25 for v in scores.values()):
            raise InvalidInput("each score is an integer from 0 to 25", field="scores")
        if call.village_score is not None:
            raise InvalidTransition("this department was already scored", reason="invalid_transition",
                                    state=w.state.value)
        call.village_score = dict(scores)
        return {"side": "village", "department_id": call.department_id, "scores": scores,
                "total": sum(scores.values())}
    call = _call_of(w, actor.department_id)
    if call.department_score is not None:
        raise InvalidTransition("this department already scored the village", reason="invalid_transition",
                                state=w.state.value)
    justified, cooperation = body.get("justified"), body.get("cooperation")
    if not isinstance(justified, bool) or not isinstance(cooperation, int) or not 0 <= cooperation <= 5:
        raise InvalidInput("department scores need justified (bool) and cooperation (0-5)", field="justified")
    call.department_score = {"justified": justified, "cooperation": cooperation}
    return {"side": "department", "department_id": call.department_id, "justified": justified,
            "cooperation": cooperation}


def find_call(w: Whistle, department_id: int) -> WhistleCall:
    for call in w.calls:
        if call.department_id == department_id:
            return call
    raise NotFound("department not called", department_id=department_id)
