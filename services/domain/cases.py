"""The case loop (六步闭环) as a pure state machine.

`apply_case_action` takes the current case, an action name, its validated body, the actor and the time,
checks the state and the role, and returns the new case with the event that records the change.
It never touches storage: the store wraps it in one transaction with the event append.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from services.domain.deadlines import DeadlinePolicy
from services.domain.errors import Forbidden, InvalidInput, InvalidTransition
from services.domain.model import CLOCKED_STATES, Actor, Case, CaseState, ResolutionClass, Role

S = CaseState
R = Role


@dataclass(frozen=True)
class CaseRule:
    from_states: frozenset[CaseState]
    roles: frozenset[Role]
    lead_department_only: bool = False
    """The acting department user must belong to the case's lead department."""


def _rule(states: set[CaseState], roles: set[Role], lead_only: bool = False) -> CaseRule:
    return CaseRule(frozenset(states), frozenset(roles), lead_only)


SUPERVISABLE = {S.dispatched, S.returned, S.handling, S.feedback}

CASE_RULES: dict[str, CaseRule] = {
    "register": _rule({S.reported}, {R.duty_officer}),
    "reject": _rule({S.reported}, {R.duty_officer}),
    "dispatch": _rule({S.registered}, {R.duty_officer}),
    "recall": _rule({S.dispatched}, {R.duty_officer}),
    "sign": _rule({S.dispatched}, {R.department}, lead_only=True),
    "return": _rule({S.dispatched}, {R.department}, lead_only=True),
    "arbitrate": _rule({S.returned}, {R.duty_officer}),
    "request_extension": _rule({S.handling}, {R.department}, lead_only=True),
    "decide_extension": _rule({S.handling, S.feedback}, {R.duty_officer, R.leader}),
    "feedback": _rule({S.handling}, {R.department}, lead_only=True),
    "verify": _rule({S.feedback}, {R.grid_worker, R.duty_officer}),
    "close": _rule({S.verified}, {R.duty_officer}),
    "evaluate": _rule({S.closed}, {R.duty_officer, R.village, R.grid_worker}),
    "supervise": _rule(SUPERVISABLE, {R.leader, R.duty_officer}),
}
"""Which states each action leaves from, and which roles may take it (admin may take none)."""

REPORT_ROLES = frozenset({R.duty_officer, R.village, R.grid_worker, R.intake})


@dataclass(frozen=True)
class CaseOutcome:
    case: Case
    kind: str
    change: dict[str, Any]


def check_role(case: Case, action: str, actor: Actor) -> CaseRule:
    """May this actor take this action on this case at all (role, lead department)? State is not looked at."""
    rule = CASE_RULES.get(action)
    if rule is None:
        raise InvalidInput(f"unknown case action {action!r}")
    if actor.role not in rule.roles:
        raise Forbidden(
            f"role {actor.role} may not {action} a case",
            allowed_roles=sorted(r.value for r in rule.roles),
        )
    if rule.lead_department_only and actor.department_id != case.lead_department_id:
        raise Forbidden(f"only the lead department may {action} this case", lead_department_id=case.lead_department_id)
    return rule


def check_action(case: Case, action: str, actor: Actor) -> CaseRule:
    rule = check_role(case, action, actor)
    if case.state not in rule.from_states:
        raise InvalidTransition(
            f"cannot {action} a case that is {case.state}",
            reason="invalid_transition",
            state=case.state.value,
            allowed_from=sorted(s.value for s in rule.from_states),
        )
    return rule


@dataclass
class _Ctx:
    case: Case
    body: dict[str, Any]
    actor: Actor
    now: float
    policy: DeadlinePolicy


def _set_deadlines(ctx: _Ctx, start: float, resolution_class: ResolutionClass, *, keep_sign: bool = False) -> None:
    c = ctx.case
    d = ctx.policy.for_dispatch(start, resolution_class, c.extension_days)
    if not keep_sign:
        c.sign_due_at = d.sign_due_at
        c.sign_overdue = False
    c.due_soon_at, c.due_at, c.escalate_at = d.due_soon_at, d.due_at, d.escalate_at


def _clear_deadlines(c: Case) -> None:
    c.dispatched_at = c.sign_due_at = c.due_soon_at = c.due_at = c.escalate_at = None
    c.sign_overdue = c.overdue = c.escalated = False


def _register(ctx: _Ctx) -> dict[str, Any]:
    c, b = ctx.case, ctx.body
    for key in ("category", "township_id", "grid_id", "priority", "title"):
        if b.get(key) is not None:
            setattr(c, key, b[key])
    c.registered_at = ctx.now
    return {"note": b.get("note", "")}


def _reject(ctx: _Ctx) -> dict[str, Any]:
    ctx.case.note = ctx.body["reason"]
    ctx.case.closed_at = ctx.now
    return {"reason": ctx.body["reason"]}


def _dispatch_to(ctx: _Ctx, lead: int, co: list[int], resolution_class: ResolutionClass) -> dict[str, Any]:
    if lead in co:
        raise InvalidInput("the lead department cannot also be a co-operating department")
    c = ctx.case
    c.lead_department_id, c.co_department_ids, c.resolution_class = lead, sorted(set(co)), resolution_class
    c.dispatched_at = ctx.now
    c.extension_days = 0.0
    c.extension_pending = None
    c.overdue = c.escalated = False
    _set_deadlines(ctx, ctx.now, resolution_class)
    return {
        "lead_department_id": lead, "co_department_ids": c.co_department_ids,
        "resolution_class": resolution_class.value, "note": ctx.body.get("note", ""),
    }


def _dispatch(ctx: _Ctx) -> dict[str, Any]:
    b = ctx.body
    return _dispatch_to(ctx, b["lead_department_id"], b.get("co_department_ids", []),
                        ResolutionClass(b["resolution_class"]))


def _recall(ctx: _Ctx) -> dict[str, Any]:
    c = ctx.case
    previous = c.lead_department_id
    c.lead_department_id, c.co_department_ids, c.resolution_class = None, [], None
    _clear_deadlines(c)
    return {"recalled_from": previous, "note": ctx.body.get("note", "")}


def _sign(ctx: _Ctx) -> dict[str, Any]:
    c = ctx.case
    c.signed_at = ctx.now
    late = c.sign_due_at is not None and ctx.now > c.sign_due_at
    return {"late": late}


def _return(ctx: _Ctx) -> dict[str, Any]:
    c = ctx.case
    c.return_count += 1
    c.note = ctx.body["reason"]
    return {"reason": ctx.body["reason"], "department_id": c.lead_department_id}


def _arbitrate(ctx: _Ctx) -> dict[str, Any]:
    b, c = ctx.body, ctx.case
    decision = b["decision"]
    if decision == "uphold":
        # The return was not justified: the same department keeps the case and the original clock;
        # it gets a fresh signing window.
        assert c.resolution_class is not None
        c.sign_due_at = ctx.policy.for_dispatch(ctx.now, c.resolution_class).sign_due_at
        c.sign_overdue = False
        return {"decision": "uphold", "lead_department_id": c.lead_department_id, "note": b.get("note", "")}
    if "lead_department_id" not in b:
        raise InvalidInput("redispatch needs lead_department_id", field="lead_department_id")
    resolution_class = ResolutionClass(b.get("resolution_class") or (c.resolution_class or "immediate"))
    change = _dispatch_to(ctx, b["lead_department_id"], b.get("co_department_ids", []), resolution_class)
    return {"decision": "redispatch", **change}


def _request_extension(ctx: _Ctx) -> dict[str, Any]:
    c, b = ctx.case, ctx.body
    if c.extension_pending is not None:
        raise InvalidTransition("an extension request is already pending", reason="invalid_transition",
                                state=c.state.value)
    if b["days"] > ctx.policy.rules.case.max_extension_days:
        raise InvalidInput(f"at most {ctx.policy.rules.case.max_extension_days} working days", field="days")
    c.extension_pending = {"days": b["days"], "reason": b["reason"], "requested_at": ctx.now,
                           "requested_by": ctx.actor.name}
    return {"days": b["days"], "reason": b["reason"]}


def _decide_extension(ctx: _Ctx) -> dict[str, Any]:
    c, b = ctx.case, ctx.body
    if c.extension_pending is None:
        raise InvalidTransition("no extension request is pending", reason="invalid_transition", state=c.state.value)
    requested = float(c.extension_pending["days"])  # type: ignore[arg-type]
    granted = float(b.get("days", requested)) if b["approve"] else 0.0
    limit = ctx.policy.rules.case.max_extension_days
    if granted > limit:
        raise InvalidInput(f"at most {limit} working days may be granted at once", field="days")
    c.extension_pending = None
    if granted:
        c.extension_days += granted
        assert c.dispatched_at is not None and c.resolution_class is not None
        _set_deadlines(ctx, c.dispatched_at, c.resolution_class, keep_sign=True)
        c.overdue = ctx.now >= (c.due_at or 0)
        c.escalated = c.escalated and ctx.now >= (c.escalate_at or 0)
    return {"approve": bool(b["approve"]), "days": granted, "note": b.get("note", "")}


def _feedback(ctx: _Ctx) -> dict[str, Any]:
    c = ctx.case
    c.feedback_at = ctx.now
    return {"result": ctx.body["result"], "evidence": ctx.body.get("evidence", [])}


def _verify(ctx: _Ctx) -> dict[str, Any]:
    c, b = ctx.case, ctx.body
    if b["passed"]:
        c.verified_at = ctx.now
        return {"passed": True, "note": b.get("note", "")}
    c.rework_count += 1
    c.feedback_at = None
    return {"passed": False, "note": b.get("note", ""), "rework_count": c.rework_count}


def _close(ctx: _Ctx) -> dict[str, Any]:
    c = ctx.case
    c.closed_at = ctx.now
    resolved_at = c.feedback_at or ctx.now
    c.on_time = c.due_at is None or resolved_at <= c.due_at
    return {"on_time": c.on_time, "note": ctx.body.get("note", "")}


def _evaluate(ctx: _Ctx) -> dict[str, Any]:
    ctx.case.satisfaction = ctx.body["satisfaction"]
    return {"satisfaction": ctx.body["satisfaction"], "note": ctx.body.get("note", "")}


def _supervise(ctx: _Ctx) -> dict[str, Any]:
    ctx.case.supervision_count += 1
    return {"note": ctx.body.get("note", ""), "auto": False, "by": ctx.actor.name}


_NEXT_STATE: dict[str, Callable[[_Ctx], CaseState]] = {
    "register": lambda ctx: S.registered,
    "reject": lambda ctx: S.rejected,
    "dispatch": lambda ctx: S.dispatched,
    "recall": lambda ctx: S.registered,
    "sign": lambda ctx: S.handling,
    "return": lambda ctx: S.returned,
    "arbitrate": lambda ctx: S.dispatched,
    "request_extension": lambda ctx: ctx.case.state,
    "decide_extension": lambda ctx: ctx.case.state,
    "feedback": lambda ctx: S.feedback,
    "verify": lambda ctx: S.verified if ctx.body["passed"] else S.handling,
    "close": lambda ctx: S.closed,
    "evaluate": lambda ctx: S.evaluated,
    "supervise": lambda ctx: ctx.case.state,
}

_ACTIONS: dict[str, Callable[[_Ctx], dict[str, Any]]] = {
    "register": _register, "reject": _reject, "dispatch": _dispatch, "recall": _recall, "sign": _sign,
    "return": _return, "arbitrate": _arbitrate, "request_extension": _request_extension,
    "decide_extension": _decide_extension, "feedback": _feedback, "verify": _verify, "close": _close,
    "evaluate": _evaluate, "supervise": _supervise,
}

EVENT_KINDS = {
    "register": "case.registered", "reject": "case.rejected", "dispatch": "case.dispatched",
    "recall": "case.recalled", "sign": "case.signed", "return": "case.returned", "arbitrate": "case.arbitrated",
    "request_extension": "case.extension_requested", "decide_extension": "case.extension_decided",
    "feedback": "case.feedback", "verify": "case.verified", "close": "case.closed", "evaluate": "case.evaluated",
    "supervise": "case.supervised",
}


def apply_case_action(
    case: Case, action: str, body: dict[str, Any], actor: Actor, now: float, policy: DeadlinePolicy
) -> CaseOutcome:
    check_action(case, action, actor)
    ctx = _Ctx(copy.deepcopy(case), body, actor, now, policy)
    change = _ACTIONS[action](ctx)
    new_state = _NEXT_STATE[action](ctx)
    kind = EVENT_KINDS[action]
    if action == "verify" and not body["passed"]:
        kind = "case.reworked"
    c = ctx.case
    change = {"from": case.state.value, "to": new_state.value, **change}
    c.state = new_state
    c.version = case.version + 1
    c.updated_at = now
    c.updated_by = actor.name
    return CaseOutcome(c, kind, change)


def sweep_case(case: Case, now: float) -> list[tuple[str, dict[str, Any]]]:
    """Deadline transitions due at `now`: sign overdue, overdue (auto supervision), escalation.

    Mutates `case` (flags, supervision count, version) and returns the events to append; empty if nothing is due.
    """
    events: list[tuple[str, dict[str, Any]]] = []
    if case.state == S.dispatched and not case.sign_overdue and case.sign_due_at and now >= case.sign_due_at:
        case.sign_overdue = True
        events.append(("case.sign_overdue", {"sign_due_at": case.sign_due_at}))
    if case.state in CLOCKED_STATES and case.due_at:
        if not case.overdue and now >= case.due_at:
            case.overdue = True
            case.supervision_count += 1
            events.append(("case.overdue", {"due_at": case.due_at}))
            events.append(("case.supervised", {"note": "超期自动督办", "auto": True, "by": "system"}))
        if not case.escalated and case.escalate_at and now >= case.escalate_at:
            case.escalated = True
            events.append(("case.escalated", {"escalate_at": case.escalate_at}))
    if events:
        case.version += 1
        case.updated_at = now
        case.updated_by = "system"
    return events
