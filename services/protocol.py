"""Protocol v1: the wire schema both the server and every client import.

One envelope per direction (see docs/PROTOCOL.md): requests `{id, type, idem?, body}`, replies
`{type: result, id, ok, result | error}`, events `{type: event, sub, seq, epoch, kind, data}`.
Command bodies are declared here with a small schema language, so validation and documentation come
from one place and a bad field is reported with its path.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from services.domain.alarms import ALARM_KINDS
from services.domain.disputes import DISPUTE_KINDS, DISPUTE_LEVELS, PARTY_SIDES

VERSION = 1
MAX_FRAME_BYTES = 65536
"""Largest frame a client may send (the server closes with 1009 above it)."""
MAX_SERVER_FRAME_BYTES = 16 * 1024 * 1024
"""Largest frame the server sends (a snapshot of thousands of open cases); clients accept up to this.
A reply that would be larger is refused with `too_large` (narrow the query)."""

# -- error codes (reply error.code) --------------------------------------------------------------
INVALID_JSON = "invalid_json"
INVALID_FORMAT = "invalid_format"
UNKNOWN_COMMAND = "unknown_command"
ID_REUSE = "id_reuse"
UNAUTHORIZED = "unauthorized"
FORBIDDEN = "forbidden"
NOT_FOUND = "not_found"
CONFLICT = "conflict"
DUPLICATE = "duplicate"
RESYNC_REQUIRED = "resync_required"
RATE_LIMITED = "rate_limited"
TOO_LARGE = "too_large"
UNAVAILABLE = "unavailable"
INTERNAL = "internal"

ERROR_CODES = frozenset({
    INVALID_JSON, INVALID_FORMAT, UNKNOWN_COMMAND, ID_REUSE, UNAUTHORIZED, FORBIDDEN, NOT_FOUND, CONFLICT,
    DUPLICATE, RESYNC_REQUIRED, RATE_LIMITED, TOO_LARGE, UNAVAILABLE, INTERNAL,
})
RETRYABLE_CODES = frozenset({RATE_LIMITED, UNAVAILABLE})

# -- close codes ---------------------------------------------------------------------------------
CLOSE_GOING_AWAY = 1001
CLOSE_INVALID_UTF8 = 1007
CLOSE_TOO_BIG = 1009
CLOSE_SERVICE_RESTART = 1012
CLOSE_SLOW_CONSUMER = 4008
CLOSE_PROTOCOL_ABUSE = 4400
CLOSE_AUTH_FAILED = 4401
CLOSE_PERMISSION_REVOKED = 4403
CLOSE_AUTH_TIMEOUT = 4408
RECONNECT_CLOSE_CODES = frozenset({CLOSE_GOING_AWAY, CLOSE_SERVICE_RESTART, CLOSE_SLOW_CONSUMER, 1006, 1011})


class SchemaError(ValueError):
    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}" if path else message)
        self.path = path
        self.message = message


# -- schema language -----------------------------------------------------------------------------
class Spec:
    def check(self, value: Any, path: str) -> Any:  # pragma: no cover - interface
        raise NotImplementedError

    def describe(self) -> str:  # pragma: no cover - interface
        raise NotImplementedError


@dataclass(frozen=True)
class Str(Spec):
    max_len: int = 2000
    min_len: int = 0
    choices: tuple[str, ...] = ()

    def check(self, value: Any, path: str) -> str:
        if not isinstance(value, str):
            raise SchemaError(path, f"expected a string, got {type(value).__name__}")
        if not self.min_len <= len(value) <= self.max_len:
            raise SchemaError(path, f"length must be {self.min_len}..{self.max_len}")
        if self.choices and value not in self.choices:
            raise SchemaError(path, f"must be one of {', '.join(self.choices)}")
        return value

    def describe(self) -> str:
        return f"one of {'|'.join(self.choices)}" if self.choices else f"string (≤{self.max_len})"


@dataclass(frozen=True)
class Int(Spec):
    lo: int = -(2**53)
    hi: int = 2**53

    def check(self, value: Any, path: str) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise SchemaError(path, f"expected an integer, got {type(value).__name__}")
        if not self.lo <= value <= self.hi:
            raise SchemaError(path, f"must be {self.lo}..{self.hi}")
        return value

    def describe(self) -> str:
        return f"integer {self.lo}..{self.hi}"


@dataclass(frozen=True)
class Num(Spec):
    lo: float = -1e15
    hi: float = 1e15

    def check(self, value: Any, path: str) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise SchemaError(path, f"expected a number, got {type(value).__name__}")
        if not self.lo <= value <= self.hi:
            raise SchemaError(path, f"must be {self.lo}..{self.hi}")
        return float(value)

    def describe(self) -> str:
        return f"number {self.lo}..{self.hi}"


@dataclass(frozen=True)
class Bool(Spec):
    def check(self, value: Any, path: str) -> bool:
        if not isinstance(value, bool):
            raise SchemaError(path, f"expected true or false, got {type(value).__name__}")
        return value

    def describe(self) -> str:
        return "boolean"


@dataclass(frozen=True)
class ZonedTime(Spec):
    """An ISO 8601 date and time with its UTC offset (`2026-11-28T08:00:00+08:00`); kept as the string.

    Without an offset a time would mean different instants on machines in different zones, so it is refused.
    """

    def check(self, value: Any, path: str) -> str:
        if not isinstance(value, str) or len(value) > 40:
            raise SchemaError(path, "expected an ISO 8601 time string such as 2026-11-28T08:00:00+08:00")
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            raise SchemaError(path, "not an ISO 8601 time, e.g. 2026-11-28T08:00:00+08:00") from None
        if parsed.tzinfo is None:
            raise SchemaError(path, "the time needs its UTC offset, e.g. 2026-11-28T08:00:00+08:00")
        return value

    def describe(self) -> str:
        return "ISO 8601 time with offset"


@dataclass(frozen=True)
class ListOf(Spec):
    item: Spec
    max_items: int = 100
    min_items: int = 0

    def check(self, value: Any, path: str) -> list[Any]:
        if not isinstance(value, list):
            raise SchemaError(path, f"expected a list, got {type(value).__name__}")
        if not self.min_items <= len(value) <= self.max_items:
            raise SchemaError(path, f"must have {self.min_items}..{self.max_items} items")
        return [self.item.check(v, f"{path}[{i}]") for i, v in enumerate(value)]

    def describe(self) -> str:
        return f"list of {self.item.describe()}"


@dataclass(frozen=True)
class MapOf(Spec):
    value: Spec
    max_items: int = 20

    def check(self, value: Any, path: str) -> dict[str, Any]:
        if not isinstance(value, dict) or len(value) > self.max_items:
            raise SchemaError(path, f"expected an object of at most {self.max_items} entries")
        return {str(k): self.value.check(v, f"{path}.{k}") for k, v in value.items()}

    def describe(self) -> str:
        return f"object of {self.value.describe()}"


@dataclass(frozen=True)
class Obj(Spec):
    required: Mapping[str, Spec] = field(default_factory=dict)
    optional: Mapping[str, Spec] = field(default_factory=dict)

    def check(self, value: Any, path: str = "body") -> dict[str, Any]:
        if not isinstance(value, dict):
            raise SchemaError(path, f"expected an object, got {type(value).__name__}")
        unknown = sorted(set(value) - set(self.required) - set(self.optional))
        if unknown:
            raise SchemaError(f"{path}.{unknown[0]}", "unknown field")
        out: dict[str, Any] = {}
        for name, spec in self.required.items():
            if name not in value:
                raise SchemaError(f"{path}.{name}", "required field missing")
            out[name] = spec.check(value[name], f"{path}.{name}")
        for name, spec in self.optional.items():
            if name in value and value[name] is not None:
                out[name] = spec.check(value[name], f"{path}.{name}")
        return out

    def describe(self) -> str:
        parts = [f"{k}: {s.describe()}" for k, s in self.required.items()]
        parts += [f"{k}?: {s.describe()}" for k, s in self.optional.items()]
        return "{" + ", ".join(parts) + "}"


# -- commands ------------------------------------------------------------------------------------
MAX_SAFE_INT = 2**53 - 1
"""The largest integer a JavaScript client reads exactly."""
ID = Int(1, MAX_SAFE_INT)
IDS = ListOf(ID, max_items=40)
NOTE = Str(2000)
REASON = Str(2000, min_len=1)
RESOLUTION_CLASS = Str(choices=("immediate", "coordinated", "planned"))
PRIORITY = Int(1, 4)
CHANGE = {"id": ID, "expected_version": Int(1, MAX_SAFE_INT)}
CASE_TIME_FILTERS = ("reported", "registered", "dispatched", "closed")
"""`cases.query` takes `<step>_from` / `<step>_to` for each: `<step>_at` in [from, to)."""
PARTY = Obj({"name": Str(64, 1)}, {"phone": Str(32), "id_number": Str(32), "side": Str(choices=tuple(PARTY_SIDES))})


@dataclass(frozen=True)
class Command:
    name: str
    body: Obj
    changes: bool
    """Changes state: needs an `idem` key; replays return the first result."""
    summary: str


def _cmd(name: str, summary: str, required: dict[str, Spec] | None = None,
         optional: dict[str, Spec] | None = None, *, changes: bool = True) -> Command:
    return Command(name, Obj(required or {}, optional or {}), changes, summary)


COMMANDS: dict[str, Command] = {c.name: c for c in [
    # session
    _cmd("ping", "liveness check; returns the server time and head seq", changes=False),
    _cmd("subscribe", "stream events after a seq (resume) or from now",
         optional={"after_seq": Int(0, MAX_SAFE_INT), "epoch": Str(64), "kinds": ListOf(Str(64), 50)}, changes=False),
    _cmd("unsubscribe", "stop a subscription", {"sub": ID}, changes=False),
    _cmd("snapshot", "reference data and/or open cases, consistent as of a seq",
         {"what": ListOf(Str(choices=("townships", "grids", "service_points", "departments", "channels",
                                      "cameras", "mediators", "open_cases", "whistles", "open_alarms",
                                      "open_disputes", "warnings")), 13, 1)},
         changes=False),
    _cmd("case.get", "one case with its timeline", {"id": ID}, changes=False),
    _cmd("cases.query", "cases by state / place / department / channel / category / time range, newest first",
         optional={"states": ListOf(Str(32), 12), "township_id": ID, "department_id": ID,
                   "overdue": Bool(), "limit": Int(1, 1000), "before_id": ID, "channel": Str(32, 1),
                   "category": Str(64, 1), "open_only": Bool(), "on_time": Bool(),
                   **{f"{step}_{end}": ZonedTime() for step in CASE_TIME_FILTERS for end in ("from", "to")}},
         changes=False),
    _cmd("stats.today", "today's counters", changes=False),
    _cmd("stats.wall", "the leaders' wall: today's counters, hourly and daily series, rankings, whistle arrivals",
         optional={"days": Int(7, 90)}, changes=False),
    # the case loop
    _cmd("case.report", "report a case (上报) from a channel",
         {"channel": Str(32, 1), "category": Str(64, 1), "title": Str(200, 1)},
         {"description": Str(4000), "township_id": ID, "grid_id": ID, "lat": Num(-90, 90), "lon": Num(-180, 180),
          "priority": PRIORITY, "reporter_name": Str(64), "reporter_phone": Str(32), "reporter_id_number": Str(32),
          "external_ref": Str(64)}),
    _cmd("case.register", "accept (立案), optionally correcting category, place, priority", CHANGE,
         {"category": Str(64, 1), "township_id": ID, "grid_id": ID, "priority": PRIORITY, "title": Str(200, 1),
          "note": NOTE}),
    _cmd("case.reject", "refuse to register, with a reason", {**CHANGE, "reason": REASON}),
    _cmd("case.dispatch", "dispatch (派遣) to a lead department (+ co-operating) with a resolution class",
         {**CHANGE, "lead_department_id": ID, "resolution_class": RESOLUTION_CLASS},
         {"co_department_ids": IDS, "note": NOTE}),
    _cmd("case.recall", "recall a dispatch before the department signs", CHANGE, {"note": NOTE}),
    _cmd("case.sign", "the lead department signs for the case (签收)", CHANGE, {"note": NOTE}),
    _cmd("case.return", "the lead department returns the case (退回) with a reason", {**CHANGE, "reason": REASON}),
    _cmd("case.arbitrate", "decide a returned case: redispatch elsewhere or uphold the first department",
         {**CHANGE, "decision": Str(choices=("redispatch", "uphold"))},
         {"lead_department_id": ID, "co_department_ids": IDS, "resolution_class": RESOLUTION_CLASS,
          "note": NOTE}),
    _cmd("case.request_extension", "ask for more working days (延期)",
         {**CHANGE, "days": Num(0.5, 60), "reason": REASON}),
    _cmd("case.decide_extension", "approve or refuse the pending extension",
         {**CHANGE, "approve": Bool()}, {"days": Num(0.5, 60), "note": NOTE}),
    _cmd("case.feedback", "report the result with evidence (反馈)",
         {**CHANGE, "result": REASON}, {"evidence": ListOf(Str(500), 20)}),
    _cmd("case.verify", "verify on site (核查): pass, or fail into rework", {**CHANGE, "passed": Bool()},
         {"note": NOTE}),
    _cmd("case.close", "close a verified case (结案)", CHANGE, {"note": NOTE}),
    _cmd("case.evaluate", "the reporter's satisfaction (评价) 1..5", {**CHANGE, "satisfaction": Int(1, 5)},
         {"note": NOTE}),
    _cmd("case.supervise", "issue supervision (督办) on an open case", CHANGE, {"note": NOTE}),
    # whistle and report
    _cmd("whistle.raise", "a village blows the whistle (吹哨)",
         {"township_id": ID, "title": Str(200, 1), "description": Str(4000, 1)},
         {"grid_id": ID, "proposal": Str(2000)}),
    _cmd("whistle.review", "the office approves (calling departments) or rejects a whistle",
         {**CHANGE, "approve": Bool()},
         {"department_ids": IDS, "resolution_class": RESOLUTION_CLASS, "reason": Str(2000)}),
    _cmd("whistle.arrive", "a called department records its arrival on site (报到)", CHANGE,
         {"person": Str(64), "evidence": Str(500)}),
    _cmd("whistle.resolve", "the problem behind a whistle is solved", CHANGE, {"note": NOTE}),
    _cmd("whistle.score", "two-way scoring: village scores a department, or a department scores the village",
         CHANGE, {"department_id": ID, "scores": MapOf(Int(0, 25), 4), "justified": Bool(),
                  "cooperation": Int(0, 5)}),
    # alarms (告警) from video analytics
    _cmd("alarm.raise", "video analytics raises an alarm on a camera (a place and a time, never a person)",
         {"camera_id": ID, "kind": Str(choices=tuple(ALARM_KINDS))}, {"confidence": Num(0, 1), "note": NOTE}),
    _cmd("alarm.dismiss", "a duty officer dismisses an open alarm, with a reason", {**CHANGE, "reason": REASON}),
    _cmd("alarm.to_case", "a duty officer turns an open alarm into a case (channel video_alarm, the camera's place)",
         {**CHANGE, "category": Str(64, 1), "title": Str(200, 1)}, {"description": Str(4000), "priority": PRIORITY}),
    # disputes (矛盾纠纷) for the mediation center
    _cmd("dispute.open", "a dispute comes in (from a channel, a case, or walking in)",
         {"title": Str(200, 1), "category": Str(64, 1), "level": Str(choices=tuple(DISPUTE_LEVELS)),
          "kind": Str(choices=tuple(DISPUTE_KINDS))},
         {"description": Str(4000), "township_id": ID, "grid_id": ID, "parties": ListOf(PARTY, 20), "case_id": ID,
          "channel": Str(32)}),
    _cmd("dispute.assign", "assign (or change) the mediator, from the roster", {**CHANGE, "mediator_id": ID},
         {"note": NOTE}),
    _cmd("dispute.schedule", "schedule the next session (ISO 8601 time with its offset)",
         {**CHANGE, "at": Str(40, 10)}, {"room": Str(64)}),
    _cmd("dispute.record_session", "record a session held in the mediation room", {**CHANGE, "summary": REASON},
         {"statements": Str(4000), "proposal": Str(4000)}),
    _cmd("dispute.conclude", "an agreement (调解协议) or a failure (referred to litigation services)",
         {**CHANGE, "outcome": Str(choices=("agreed", "failed")), "text": Str(8000, 1)}),
    _cmd("dispute.follow_up", "the follow-up visit (回访): is the agreement honoured?", {**CHANGE, "honoured": Bool()},
         {"note": NOTE}),
]}


def parse_request(frame: Any) -> tuple[int, str, str | None, dict[str, Any]]:
    """Checks the request envelope; returns (id, type, idem, raw body). Raises SchemaError."""
    if not isinstance(frame, dict):
        raise SchemaError("", "a request must be a JSON object")
    unknown = sorted(set(frame) - {"id", "type", "idem", "body"})
    if unknown:
        raise SchemaError(unknown[0], "unknown field")
    rid = frame.get("id")
    if isinstance(rid, bool) or not isinstance(rid, int) or rid < 1 or rid > MAX_SAFE_INT:
        raise SchemaError("id", "required positive integer")
    rtype = frame.get("type")
    if not isinstance(rtype, str) or not rtype:
        raise SchemaError("type", "required string")
    idem = frame.get("idem")
    if idem is not None and (not isinstance(idem, str) or not 8 <= len(idem) <= 64):
        raise SchemaError("idem", "must be a string of 8..64 characters (a UUID)")
    body = frame.get("body", {})
    if not isinstance(body, dict):
        raise SchemaError("body", "must be an object")
    return rid, rtype, idem, body


def result_ok(rid: int, result: Any) -> dict[str, Any]:
    return {"type": "result", "id": rid, "ok": True, "result": result}


def result_error(rid: int | None, code: str, message: str, details: dict[str, Any] | None = None) -> dict[str, Any]:
    error: dict[str, Any] = {"code": code, "message": message, "retryable": code in RETRYABLE_CODES}
    if details:
        error["details"] = details
    return {"type": "result", "id": rid, "ok": False, "error": error}
