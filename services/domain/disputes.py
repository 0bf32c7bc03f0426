"""Disputes (矛盾纠纷) for the mediation center: one door in, graded, a mediator from the roster, sessions in the
mediation room, an agreement or a referral to litigation services, and a follow-up visit (DOMAIN.md)."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from services.domain.errors import Forbidden, InvalidInput
from services.domain.machine import Outcome, check_role, check_state, rule
from services.domain.model import Actor, Role


class DisputeState(StrEnum):
    received = "received"      # 已受理, no mediator yet
    assigned = "assigned"      # 已分派调解员
    mediating = "mediating"    # 调解中 (a session was held)
    agreed = "agreed"          # 达成协议, awaiting the follow-up visit
    referred = "referred"      # 调解不成, referred to litigation services (terminal)
    closed = "closed"          # 回访结案 (terminal)


DISPUTE_STATE_LABELS = {
    DisputeState.received: "已受理", DisputeState.assigned: "已分派", DisputeState.mediating: "调解中",
    DisputeState.agreed: "已达成协议", DisputeState.referred: "转诉讼服务", DisputeState.closed: "已回访结案",
}
OPEN_DISPUTE_STATES = frozenset({DisputeState.received, DisputeState.assigned, DisputeState.mediating,
                                 DisputeState.agreed})
DISPUTE_LEVELS = {"village": "村级", "township": "镇级", "county": "县级"}
DISPUTE_KINDS = {"people": "人民调解", "administrative": "行政调解", "judicial": "司法调解", "litigation": "诉讼服务"}
PARTY_SIDES = {"applicant": "申请人", "respondent": "被申请人", "other": "其他"}
OPEN_ROLES = frozenset({Role.intake, Role.duty_officer, Role.mediator, Role.village})

_S = DisputeState
DISPUTE_RULES = {
    "assign": rule({_S.received, _S.assigned, _S.mediating}, {Role.duty_officer, Role.mediator}),
    "schedule": rule({_S.assigned, _S.mediating}, {Role.mediator, Role.duty_officer}),
    "record_session": rule({_S.assigned, _S.mediating}, {Role.mediator}),
    "conclude": rule({_S.mediating}, {Role.mediator}),
    "follow_up": rule({_S.agreed}, {Role.mediator}),
}


@dataclass
class Dispute:
    id: int
    code: str
    version: int
    state: DisputeState
    title: str
    category: str
    level: str
    kind: str
    opened_at: float
    due_at: float
    description: str = ""
    township_id: int | None = None
    grid_id: int | None = None
    parties: list[dict[str, Any]] = field(default_factory=list)
    case_id: int | None = None
    channel: str = ""
    opened_by: str = ""
    mediator_id: int | None = None
    assigned_at: float | None = None
    next_session_at: float | None = None
    room: str = ""
    sessions: list[dict[str, Any]] = field(default_factory=list)
    concluded_at: float | None = None
    outcome_text: str = ""
    on_time: bool | None = None
    followed_up_at: float | None = None
    honoured: bool | None = None
    note: str = ""
    updated_at: float = 0.0
    updated_by: str = ""


def check_open(actor: Actor, body: dict[str, Any]) -> None:
    if actor.role not in OPEN_ROLES:
        raise Forbidden(f"role {actor.role} may not open a dispute", allowed_roles=sorted(r.value for r in OPEN_ROLES))
    if actor.role == Role.village and actor.township_id is not None and body.get("township_id") != actor.township_id:
        raise Forbidden("a village may only open disputes in its own township")
    if body["level"] not in DISPUTE_LEVELS:
        raise InvalidInput(f"unknown level {body['level']!r}", field="level", allowed=sorted(DISPUTE_LEVELS))
    if body["kind"] not in DISPUTE_KINDS:
        raise InvalidInput(f"unknown kind {body['kind']!r}", field="kind", allowed=sorted(DISPUTE_KINDS))


def new_dispute(actor: Actor, body: dict[str, Any], now: float, limit_days: float) -> Dispute:
    """A received dispute; people's mediation normally concludes within `limit_days` calendar days."""
    check_open(actor, body)
    parties = [{"name": p["name"], "phone": p.get("phone", ""), "id_number": p.get("id_number", ""),
                "side": p.get("side", "other")} for p in body.get("parties", [])]
    return Dispute(id=0, code="", version=1, state=DisputeState.received, title=body["title"],
                   category=body["category"], level=body["level"], kind=body["kind"], opened_at=now,
                   due_at=now + limit_days * 86400.0, description=body.get("description", ""),
                   township_id=body.get("township_id"), grid_id=body.get("grid_id"), parties=parties,
                   case_id=body.get("case_id"), channel=body.get("channel", ""), opened_by=actor.name,
                   updated_at=now, updated_by=actor.name)


def apply_dispute_action(dispute: Dispute, action: str, body: dict[str, Any], actor: Actor, now: float) -> Outcome:
    found = check_role(DISPUTE_RULES, "dispute", action, actor)
    check_state(found, "dispute", action, dispute.state)
    d = copy.deepcopy(dispute)
    before = d.state
    kind, change = _ACTIONS[action](d, body, actor, now)
    d.version += 1
    d.updated_at, d.updated_by = now, actor.name
    return Outcome(d, kind, {"from": before.value, "to": d.state.value, **change})


def _assign(d: Dispute, body: dict[str, Any], _actor: Actor, now: float) -> tuple[str, dict[str, Any]]:
    d.mediator_id, d.assigned_at = int(body["mediator_id"]), now
    if d.state == DisputeState.received:
        d.state = DisputeState.assigned
    return "dispute.assigned", {"mediator_id": d.mediator_id, "note": body.get("note", "")}


def _schedule(d: Dispute, body: dict[str, Any], _actor: Actor, _now: float) -> tuple[str, dict[str, Any]]:
    at = float(body["at"])
    if at < d.opened_at:
        raise InvalidInput("a session cannot be scheduled before the dispute was opened", field="at")
    d.next_session_at, d.room = at, body.get("room", d.room or "调解室")
    return "dispute.scheduled", {"next_session_at": at, "room": d.room}


def _record_session(d: Dispute, body: dict[str, Any], actor: Actor, now: float) -> tuple[str, dict[str, Any]]:
    d.sessions.append({"at": now, "by": actor.name, "summary": body["summary"],
                       "statements": body.get("statements", ""), "proposal": body.get("proposal", "")})
    d.state, d.next_session_at = DisputeState.mediating, None
    return "dispute.session_recorded", {"session_no": len(d.sessions), "summary": body["summary"]}


def _conclude(d: Dispute, body: dict[str, Any], _actor: Actor, now: float) -> tuple[str, dict[str, Any]]:
    outcome = body["outcome"]
    if outcome not in ("agreed", "failed"):
        raise InvalidInput("outcome is agreed or failed", field="outcome")
    d.concluded_at, d.outcome_text, d.on_time = now, body["text"], now <= d.due_at
    d.state = DisputeState.agreed if outcome == "agreed" else DisputeState.referred
    kind = "dispute.agreed" if outcome == "agreed" else "dispute.referred"
    return kind, {"outcome": outcome, "on_time": d.on_time}


def _follow_up(d: Dispute, body: dict[str, Any], _actor: Actor, now: float) -> tuple[str, dict[str, Any]]:
    d.followed_up_at, d.honoured, d.note = now, bool(body["honoured"]), body.get("note", d.note)
    d.state = DisputeState.closed
    return "dispute.followed_up", {"honoured": d.honoured}


_ACTIONS = {"assign": _assign, "schedule": _schedule, "record_session": _record_session, "conclude": _conclude,
            "follow_up": _follow_up}
