"""The store's writes for alarms (告警) and disputes (矛盾纠纷): a part of `Store`, kept apart so neither file grows
into a god file. Same pattern as cases: check, apply the pure domain function, write on the raw cursor, return
the reply body and the events to append."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import TYPE_CHECKING, Any

from services.backend.rawsql import RawCursor, RawTable
from services.backend.serialize import wire_times
from services.domain import alarms as alarm_machine
from services.domain import disputes as dispute_machine
from services.domain.alarms import Alarm, AlarmState
from services.domain.disputes import Dispute, DisputeState
from services.domain.errors import Forbidden, InvalidInput, NotFound
from services.domain.model import Actor
from services.domain.workcalendar import CST

if TYPE_CHECKING:
    from services.backend.store import EventEntry, Store

Reply = tuple[dict[str, Any], list["EventEntry"]]


class EntitySql:
    """Insert / conditional update / load statements for one entity table."""

    def __init__(self, orm: Any, dialect: str) -> None:
        self.table = RawTable(orm, dialect)
        self.columns = [c for c in self.table.columns if c != "id"]
        self.insert = self.table.insert(self.columns, returning_id=True)
        self.update = self.table.update_if_version(self.columns)
        self.set_code = self.table.sql(f"UPDATE {self.table.name} SET code = :code WHERE id = :id")


def alarm_to_row(alarm: Alarm) -> dict[str, Any]:
    row = dataclasses.asdict(alarm)
    row["state"] = alarm.state.value
    return row


def alarm_from_row(values: dict[str, Any]) -> Alarm:
    return Alarm(**{**values, "state": AlarmState(values["state"])})


def dispute_to_row(dispute: Dispute) -> dict[str, Any]:
    row = dataclasses.asdict(dispute)
    row["state"] = dispute.state.value
    return row


def dispute_from_row(values: dict[str, Any]) -> Dispute:
    return Dispute(**{**values, "state": DisputeState(values["state"]), "parties": list(values["parties"] or []),
                      "sessions": list(values["sessions"] or [])})


def alarm_to_wire(alarm: Alarm) -> dict[str, Any]:
    return wire_times(alarm_to_row(alarm))


def dispute_to_wire(dispute: Dispute) -> dict[str, Any]:
    return wire_times(dispute_to_row(dispute))


def parse_zoned_time(value: str, field: str) -> float:
    """An ISO 8601 date and time with its UTC offset (a time without one would depend on the server's zone)."""
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as exc:
        raise InvalidInput(f"{field} must be an ISO 8601 date and time, e.g. 2026-12-01T09:30:00+08:00",
                           field=field) from exc
    if parsed.tzinfo is None:
        raise InvalidInput(f"{field} needs its UTC offset, e.g. 2026-12-01T09:30:00+08:00", field=field)
    return parsed.timestamp()


def _code(prefix: str, now: float, entity_id: int, width: int) -> str:
    return f"{prefix}-{datetime.fromtimestamp(now, CST):%Y%m%d}-{entity_id:0{width}d}"


class AlarmDisputeWrites:
    """Mixed into Store; uses its `_sql`, `_require`, `_insert_returning_id`, `_update_if_version`, `_report`."""

    # -- alarms -----------------------------------------------------------------------------------
    def _raise_alarm(self: Store, cur: RawCursor, actor: Actor, body: dict[str, Any], now: float) -> Reply:
        if actor.role not in alarm_machine.RAISE_ROLES:
            raise Forbidden(f"role {actor.role} may not raise alarms", allowed_roles=["analytics"])
        alarm_machine.check_kind(body["kind"])
        camera = cur.one(self._sql.camera_place, {"id": body["camera_id"]})
        if camera is None:
            raise NotFound(f"no such camera: {body['camera_id']}", field="camera_id")
        township_id, grid_id, lat, lon = camera
        alarm = Alarm(id=0, code="", version=1, state=AlarmState.open, camera_id=body["camera_id"],
                      kind=body["kind"], raised_at=now, confidence=body.get("confidence"), township_id=township_id,
                      grid_id=grid_id, lat=lat, lon=lon, note=body.get("note", ""), updated_at=now,
                      updated_by=actor.name)
        sql = self._sql.alarms
        alarm.id = self._insert_returning_id(cur, sql.insert, sql.table.encode(alarm_to_row(alarm)))
        alarm.code = _code("GJ", now, alarm.id, 6)
        cur.execute(sql.set_code, {"id": alarm.id, "code": alarm.code})
        wire = alarm_to_wire(alarm)
        return {"id": alarm.id, "code": alarm.code, "version": 1, "alarm": wire}, [
            ("alarm.raised", "alarm", alarm.id, {"alarm": wire, "change": {"to": "open"}})]

    def _load_alarm(self: Store, cur: RawCursor, alarm_id: int) -> Alarm:
        row = cur.one(self._sql.alarms.table.select_by_id, {"id": alarm_id})
        if row is None:
            raise NotFound(f"no such alarm: {alarm_id}", id=alarm_id)
        return alarm_from_row(self._sql.alarms.table.decode(row))

    def _change_alarm(self: Store, cur: RawCursor, actor: Actor, action: str, body: dict[str, Any],
                      now: float) -> Reply:
        current = self._load_alarm(cur, body["id"])
        found = alarm_machine.check_role(alarm_machine.ALARM_RULES, "alarm", action, actor)
        self._check_version(current, body["expected_version"], "alarm")
        alarm_machine.check_state(found, "alarm", action, current.state)
        entries: list[EventEntry] = []
        extra: dict[str, Any] = {}
        action_body = dict(body)
        if action == "to_case":
            case_reply, case_entries = self._report(cur, actor, {  # a duty officer may report cases
                "channel": "video_alarm", "category": body["category"], "title": body["title"],
                "description": body.get("description") or alarm_machine.ALARM_KINDS[current.kind],
                "priority": body.get("priority", 2), "township_id": current.township_id,
                "grid_id": current.grid_id, "lat": current.lat, "lon": current.lon,
                "external_ref": current.code}, now)
            entries += case_entries
            action_body["case_id"] = case_reply["id"]
            extra = {"case_id": case_reply["id"], "case": case_reply["case"]}
        outcome = alarm_machine.apply_alarm_action(current, action, action_body, actor, now)
        sql = self._sql.alarms
        self._update_if_version(cur, sql.update, current.id, current.version,
                                sql.table.encode(alarm_to_row(outcome.entity)))
        wire = alarm_to_wire(outcome.entity)
        entries.append((outcome.kind, "alarm", current.id, {"alarm": wire, "change": wire_times(outcome.change)}))
        return {"id": current.id, "version": outcome.entity.version, "alarm": wire, **extra}, entries

    # -- disputes ---------------------------------------------------------------------------------
    def _open_dispute(self: Store, cur: RawCursor, actor: Actor, body: dict[str, Any], now: float) -> Reply:
        self._require("townships", body.get("township_id"), "township_id")
        self._require("grids", body.get("grid_id"), "grid_id")
        if body.get("channel"):
            self._require("channels", body["channel"], "channel")
        if body.get("case_id") is not None and cur.one(self._sql.cases.select_by_id, {"id": body["case_id"]}) is None:
            raise NotFound(f"no such case: {body['case_id']}", field="case_id")
        dispute = dispute_machine.new_dispute(actor, body, now, self.rules.mediation.conclude_days)
        sql = self._sql.disputes
        dispute.id = self._insert_returning_id(cur, sql.insert, sql.table.encode(dispute_to_row(dispute)))
        dispute.code = _code("TJ", now, dispute.id, 5)
        cur.execute(sql.set_code, {"id": dispute.id, "code": dispute.code})
        wire = dispute_to_wire(dispute)
        return {"id": dispute.id, "code": dispute.code, "version": 1, "dispute": wire}, [
            ("dispute.opened", "dispute", dispute.id, {"dispute": wire, "change": {"to": "received"}})]

    def _change_dispute(self: Store, cur: RawCursor, actor: Actor, action: str, body: dict[str, Any],
                        now: float) -> Reply:
        row = cur.one(self._sql.disputes.table.select_by_id, {"id": body["id"]})
        if row is None:
            raise NotFound(f"no such dispute: {body['id']}", id=body["id"])
        current = dispute_from_row(self._sql.disputes.table.decode(row))
        dispute_machine.check_role(dispute_machine.DISPUTE_RULES, "dispute", action, actor)
        self._check_version(current, body["expected_version"], "dispute")
        action_body = {k: v for k, v in body.items() if k not in ("id", "expected_version")}
        if action == "assign":
            self._require("mediators", body["mediator_id"], "mediator_id")
        if action == "schedule":
            action_body["at"] = parse_zoned_time(body["at"], "at")
        outcome = dispute_machine.apply_dispute_action(current, action, action_body, actor, now)
        sql = self._sql.disputes
        self._update_if_version(cur, sql.update, current.id, current.version,
                                sql.table.encode(dispute_to_row(outcome.entity)))
        wire = dispute_to_wire(outcome.entity)
        return {"id": current.id, "version": outcome.entity.version, "dispute": wire}, [
            (outcome.kind, "dispute", current.id, {"dispute": wire, "change": wire_times(outcome.change)})]
