"""What every small state machine checks before an action: the role may take it, the state allows it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from services.domain.errors import Forbidden, InvalidInput, InvalidTransition
from services.domain.model import Actor, Role


@dataclass(frozen=True)
class Rule:
    from_states: frozenset[Any]
    roles: frozenset[Role]


def rule(states: set[Any], roles: set[Role]) -> Rule:
    return Rule(frozenset(states), frozenset(roles))


@dataclass(frozen=True)
class Outcome:
    """The entity after an action, the event kind to log, and what changed (the event's `change`)."""

    entity: Any
    kind: str
    change: dict[str, Any]


def check_role(rules: dict[str, Rule], noun: str, action: str, actor: Actor) -> Rule:
    """The role check comes first and says nothing about the entity (a caller without the right learns nothing)."""
    found = rules.get(action)
    if found is None:
        raise InvalidInput(f"unknown {noun} action {action!r}")
    if actor.role not in found.roles:
        raise Forbidden(f"role {actor.role} may not {action} a {noun}",
                        allowed_roles=sorted(r.value for r in found.roles))
    return found


def check_state(found: Rule, noun: str, action: str, state: StrEnum) -> None:
    if state not in found.from_states:
        raise InvalidTransition(f"cannot {action} a {noun} that is {state}", reason="invalid_transition",
                                state=state.value, allowed_from=sorted(s.value for s in found.from_states))
