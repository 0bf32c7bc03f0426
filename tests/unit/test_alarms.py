"""The alarm machine: open → dismissed | converted, duty officers only, the input never mutated."""

from __future__ import annotations

import copy

import pytest

from services.domain.alarms import ALARM_RULES, Alarm, AlarmState, apply_alarm_action, check_kind
from services.domain.errors import Forbidden, InvalidInput, InvalidTransition
from services.domain.model import Actor, Role

DUTY = Actor(1, "值班员", Role.duty_officer)


def open_alarm() -> Alarm:
    return Alarm(id=5, code="GJ-20261124-000005", version=1, state=AlarmState.open, camera_id=3, kind="crowd",
                 raised_at=1000.0, township_id=1, grid_id=2)


def test_dismiss_records_who_when_and_why_without_mutating_the_input() -> None:
    alarm = open_alarm()
    before = copy.deepcopy(alarm)
    out = apply_alarm_action(alarm, "dismiss", {"reason": "正常集市"}, DUTY, 2000.0)
    assert alarm == before
    a = out.entity
    assert (a.state, a.version, a.handled_by, a.handled_at, a.reason) == (AlarmState.dismissed, 2, "值班员", 2000.0,
                                                                            "正常集市")
    assert out.kind == "alarm.dismissed" and out.change == {"from": "open", "to": "dismissed", "reason": "正常集市"}


def test_to_case_links_the_case() -> None:
    out = apply_alarm_action(open_alarm(), "to_case", {"case_id": 77}, DUTY, 2000.0)
    assert out.entity.state is AlarmState.converted and out.entity.case_id == 77 and out.kind == "alarm.converted"


@pytest.mark.parametrize("role", [r for r in Role if r is not Role.duty_officer])
@pytest.mark.parametrize("action", sorted(ALARM_RULES))
def test_only_duty_officers_handle_alarms(role: Role, action: str) -> None:
    with pytest.raises(Forbidden):
        apply_alarm_action(open_alarm(), action, {"reason": "x", "case_id": 1}, Actor(2, "x", role), 2000.0)


@pytest.mark.parametrize("action", sorted(ALARM_RULES))
def test_a_handled_alarm_cannot_be_handled_again(action: str) -> None:
    done = apply_alarm_action(open_alarm(), "dismiss", {"reason": "x"}, DUTY, 2000.0).entity
    with pytest.raises(InvalidTransition) as err:
        apply_alarm_action(done, action, {"reason": "x", "case_id": 1}, DUTY, 3000.0)
    assert err.value.details["allowed_from"] == ["open"]


def test_unknown_kinds_are_refused() -> None:
    check_kind("fire_smoke")
    with pytest.raises(InvalidInput):
        check_kind("face_match")  # no person recognition: alarms are about places
