"""Alarms (告警) from video analytics and sensors: about a place and a time, never a person (DOMAIN.md).

An alarm is raised open; a duty officer dismisses it with a reason or turns it into a case (channel video_alarm)."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from services.domain.errors import InvalidInput
from services.domain.machine import Outcome, check_role, check_state, rule
from services.domain.model import Actor, Role


class AlarmState(StrEnum):
    open = "open"              # 待处置
    dismissed = "dismissed"    # 已排除 (false alarm or nothing to do)
    converted = "converted"    # 已转事件 (a case was reported from it)


ALARM_STATE_LABELS = {AlarmState.open: "待处置", AlarmState.dismissed: "已排除", AlarmState.converted: "已转事件"}
ALARM_KINDS = {
    "crowd": "人员聚集", "fire_smoke": "烟火", "intrusion": "区域入侵", "night_activity": "夜间异常活动",
    "traffic_accident": "交通事故", "illegal_dumping": "违规倾倒", "flooding": "积水内涝",
}
ALARM_CASE_CATEGORIES = {
    "crowd": "矛盾纠纷", "fire_smoke": "安全隐患", "intrusion": "安全隐患", "night_activity": "安全隐患",
    "traffic_accident": "道路交通", "illegal_dumping": "城市管理", "flooding": "供水排水",
}
"""The case category an alarm of each kind becomes when a duty officer turns it into a case (a proposal)."""
RAISE_ROLES = frozenset({Role.analytics})
ALARM_RULES = {
    "dismiss": rule({AlarmState.open}, {Role.duty_officer}),
    "to_case": rule({AlarmState.open}, {Role.duty_officer}),
}
EVENT_KINDS = {"dismiss": "alarm.dismissed", "to_case": "alarm.converted"}


@dataclass
class Alarm:
    id: int
    code: str
    version: int
    state: AlarmState
    camera_id: int
    kind: str
    raised_at: float
    confidence: float | None = None
    township_id: int | None = None
    grid_id: int | None = None
    lat: float | None = None
    lon: float | None = None
    note: str = ""
    handled_at: float | None = None
    handled_by: str = ""
    reason: str = ""
    case_id: int | None = None
    updated_at: float = 0.0
    updated_by: str = ""


def check_kind(kind: str) -> None:
    if kind not in ALARM_KINDS:
        raise InvalidInput(f"unknown alarm kind {kind!r}", field="kind", allowed=sorted(ALARM_KINDS))


def apply_alarm_action(alarm: Alarm, action: str, body: dict[str, Any], actor: Actor, now: float) -> Outcome:
    """`dismiss` (body: reason) or `to_case` (body: case_id, set by the store once the case exists)."""
    found = check_role(ALARM_RULES, "alarm", action, actor)
    check_state(found, "alarm", action, alarm.state)
    a = copy.deepcopy(alarm)
    a.handled_at, a.handled_by = now, actor.name
    if action == "dismiss":
        a.state, a.reason = AlarmState.dismissed, body["reason"]
        change = {"from": "open", "to": "dismissed", "reason": a.reason}
    else:
        a.state, a.case_id = AlarmState.converted, int(body["case_id"])
        change = {"from": "open", "to": "converted", "case_id": a.case_id}
    a.version += 1
    a.updated_at, a.updated_by = now, actor.name
    return Outcome(a, EVENT_KINDS[action], change)
