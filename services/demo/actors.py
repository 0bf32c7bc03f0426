"""Who the simulator plays, and with which account (services/backend/seed.py makes the accounts).

An actor is `(role, key)`: ("desk", 0) the duty desk, ("intake", 0) the channel integrations, ("analytics", 0)
video analytics, ("mediator", 0) the mediation center, ("department", department id), ("village", township id),
("grid_worker", township id).
"""

from __future__ import annotations

from services.backend import seed

ActorRef = tuple[str, int]
REFERENCE_PARTS = ["townships", "grids", "departments", "channels", "cameras", "mediators"]
"""The snapshot parts the scenario reads the county from."""

_FIXED: dict[str, ActorRef] = {seed.SIM_DESK: ("desk", 0), seed.SIM_INTAKE: ("intake", 0),
                               seed.SIM_ANALYTICS: ("analytics", 0), seed.SIM_MEDIATOR: ("mediator", 0)}


def actor_of_user(name: str, department_id: int | None, township_id: int | None) -> ActorRef | None:
    """The actor a simulator account plays; None for any other user."""
    if name in _FIXED:
        return _FIXED[name]
    if name.startswith(seed.SIM_DEPT_PREFIX) and department_id:
        return ("department", department_id)
    if name.startswith(seed.SIM_VILLAGE_PREFIX) and township_id:
        return ("village", township_id)
    if name.startswith(seed.SIM_GRID_PREFIX) and township_id:
        return ("grid_worker", township_id)
    return None


def user_of(actor: ActorRef) -> str:
    """The simulator account that plays `actor`."""
    role, key = actor
    if role == "department":
        return seed.sim_department_user(key)
    if role == "village":
        return seed.sim_village_user(key)
    if role == "grid_worker":
        return seed.sim_grid_user(key)
    return {"desk": seed.SIM_DESK, "intake": seed.SIM_INTAKE, "analytics": seed.SIM_ANALYTICS,
            "mediator": seed.SIM_MEDIATOR}[role]
