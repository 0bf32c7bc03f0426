"""The store: current state + the append-only event log, changed together in one transaction.

Every change goes through `Store._write`: open a serialized write transaction (BEGIN IMMEDIATE on SQLite,
an advisory lock on PostgreSQL), check the idempotency key, apply the pure domain function, update the
row conditionally on its version, append the events with the next gap-free seqs, store the idempotency
result and an audit row, commit. Only then does the caller publish the events.

All methods are blocking: the server calls them from its writer thread or read pool, never on the loop.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, insert, select, text, update
from sqlalchemy.exc import DBAPIError

from config.schema import Rules
from services.backend import tables as t
from services.backend import wall_stats
from services.backend.alarm_dispute_writes import (
    AlarmDisputeWrites,
    EntitySql,
    alarm_from_row,
    alarm_to_wire,
    dispute_from_row,
    dispute_to_wire,
)
from services.backend.case_query import case_query
from services.backend.db import EVENT_LOG_LOCK_KEY, Engines, open_engines
from services.backend.migrate import upgrade
from services.backend.passwords import hash_password, verify_password
from services.backend.rawsql import RawCursor, RawTable, dumps
from services.backend.serialize import (
    case_from_row,
    case_to_row,
    case_to_wire,
    iso,
    row_to_wire,
    whistle_from_row,
    whistle_to_row,
    whistle_to_wire,
    wire_times,
)
from services.domain import cases as case_machine
from services.domain import whistles as whistle_machine
from services.domain.alarms import ALARM_RULES, AlarmState
from services.domain.deadlines import DeadlinePolicy
from services.domain.disputes import DISPUTE_RULES, OPEN_DISPUTE_STATES
from services.domain.errors import DomainError, Forbidden, InvalidInput, NotFound
from services.domain.model import CLOCKED_STATES, OPEN_STATES, Actor, Case, CaseState, Role, Whistle, WhistleState
from services.domain.workcalendar import CST, WorkCalendar

DUPLICATE_WINDOW_S = 48 * 3600
_DUMMY_HASH = "scrypt$16384$8$1$" + "00" * 16 + "$" + "00" * 32
"""Checked against when the user is unknown, so a wrong name costs as long as a wrong password."""
OPEN_ALARMS_LIMIT = 500
"""The newest open alarms a snapshot carries; older open ones stay in the store (and on the map via cases)."""
REFERENCE_TABLES: dict[str, Any] = {
    "townships": t.TownshipRow, "service_points": t.ServicePointRow, "grids": t.GridRow,
    "departments": t.DepartmentRow, "channels": t.ChannelRow, "cameras": t.CameraRow, "mediators": t.MediatorRow,
}
"""Reference data: replaced as a whole by `load_reference`, served by `snapshot`."""


class Conflict(DomainError):
    """Stale expected_version: someone else changed the entity first."""

    code = "conflict"


class DuplicateIdem(DomainError):
    """The idempotency key was used before with a different request body."""

    code = "duplicate"


@dataclass(frozen=True)
class StoredEvent:
    seq: int
    ts: float
    kind: str
    entity: str
    entity_id: int
    actor: str
    console: str
    data: dict[str, Any]

    def wire_data(self) -> dict[str, Any]:
        return {**self.data, "at": iso(self.ts), "actor": self.actor, "console": self.console}


EventEntry = tuple[str, str, int, dict[str, Any]]
"""(kind, entity, entity_id, data) of an event to append."""
Applier = Callable[[Connection], tuple[dict[str, Any], list[EventEntry]]]
"""Applies one change on an open write transaction; returns the reply body and the events to append."""


@dataclass(frozen=True)
class WriteJob:
    command: str
    actor: Actor
    body: dict[str, Any]
    idem: str | None
    now: float


@dataclass(frozen=True)
class WriteResult:
    result: dict[str, Any]
    events: list[StoredEvent]
    replayed: bool = False


class WriteSql:
    """The write path's statements for one dialect, built once (services/backend/rawsql.py says why)."""

    def __init__(self, dialect: str) -> None:
        self.cases = RawTable(t.CaseRow, dialect)
        self.whistles = RawTable(t.WhistleRow, dialect)
        events, idem, audit = (RawTable(orm, dialect) for orm in (t.EventRow, t.Idempotency, t.AuditRow))
        self.case_columns = [c for c in self.cases.columns if c != "id"]
        self.whistle_columns = [c for c in self.whistles.columns if c != "id"]
        self.insert_case = self.cases.insert(self.case_columns, returning_id=True)
        self.update_case = self.cases.update_if_version(self.case_columns)
        self.insert_whistle = self.whistles.insert(self.whistle_columns, returning_id=True)
        self.update_whistle = self.whistles.update_if_version(self.whistle_columns)
        self.set_case_code = self.cases.sql("UPDATE cases SET code = :code WHERE id = :id")
        self.set_whistle_code = self.cases.sql("UPDATE whistles SET code = :code WHERE id = :id")
        open_states = ", ".join(f"'{s.value}'" for s in sorted(OPEN_STATES, key=lambda s: s.value))
        self.possible_duplicate = self.cases.sql(
            "SELECT id FROM cases WHERE category = :category AND grid_id = :grid_id AND reported_at >= :since"
            f" AND state IN ({open_states}) ORDER BY reported_at LIMIT 1")
        self.head = self.cases.sql("SELECT COALESCE(MAX(seq), 0) FROM events")
        self.idem_lookup = self.cases.sql(
            "SELECT request_hash, result FROM idempotency WHERE user_id = :user_id AND idem = :idem")
        self.insert_event = events.insert(events.columns)
        self.insert_idem = idem.insert(idem.columns)
        self.insert_audit = audit.insert([c for c in audit.columns if c != "id"])
        self.alarms = EntitySql(t.AlarmRow, dialect)
        self.disputes = EntitySql(t.DisputeRow, dialect)
        self.camera_place = self.cases.sql("SELECT township_id, grid_id, lat, lon FROM cameras WHERE id = :id")


@dataclass
class WriteBatch:
    """What one write transaction appends, kept in memory and inserted at its end (one statement per table).

    `head` is the log's last seq; the writer is the only appender (serialized transaction), so reading it
    once per transaction is enough. A job rolled back to its savepoint is undone here with `undo_to`.
    """

    head: int
    events: list[StoredEvent] = field(default_factory=list)
    idem_rows: list[dict[str, Any]] = field(default_factory=list)
    audit_rows: list[dict[str, Any]] = field(default_factory=list)

    def mark(self) -> tuple[int, int, int, int]:
        return self.head, len(self.events), len(self.idem_rows), len(self.audit_rows)

    def undo_to(self, mark: tuple[int, int, int, int]) -> None:
        self.head = mark[0]
        del self.events[mark[1]:], self.idem_rows[mark[2]:], self.audit_rows[mark[3]:]

    def idem_result(self, user_id: int, idem: str) -> tuple[str, Any] | None:
        for row in self.idem_rows:  # a retry can land in the same group commit as its original
            if row["user_id"] == user_id and row["idem"] == idem:
                return row["request_hash"], row["result"]
        return None


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def request_hash(command: str, body: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps([command, body], sort_keys=True, ensure_ascii=False).encode()).hexdigest()


class Store(AlarmDisputeWrites):
    def __init__(self, engines: Engines, rules: Rules, calendar: WorkCalendar) -> None:
        self.engines = engines
        self.rules = rules
        self.calendar = calendar
        self.policy = DeadlinePolicy(calendar, rules)
        self._sql = WriteSql(engines.write.dialect.name)
        self.epoch = self._ensure_epoch()
        self._refs = self._load_reference_ids()

    @classmethod
    def open(cls, url: str | None, rules: Rules, calendar: WorkCalendar) -> Store:
        engines = open_engines(url)
        upgrade(engines.write)
        return cls(engines, rules, calendar)

    def close(self) -> None:
        self.engines.dispose()

    # -- plumbing ---------------------------------------------------------------------------------
    def _ensure_epoch(self) -> str:
        with self.engines.write.begin() as conn:
            row = conn.execute(select(t.Meta.value).where(t.Meta.key == "epoch")).scalar()
            if row:
                return str(row)
            epoch = uuid.uuid4().hex[:16]
            conn.execute(insert(t.Meta).values(key="epoch", value=epoch))
            return epoch

    def reset_epoch(self) -> str:
        """A new epoch: every client must reload its snapshot (used after a restore or a log reset)."""
        epoch = uuid.uuid4().hex[:16]
        with self.engines.write.begin() as conn:
            conn.execute(update(t.Meta).where(t.Meta.key == "epoch").values(value=epoch))
        self.epoch = epoch
        return epoch

    def _begin_write(self, conn: Connection) -> None:
        if not self.engines.is_sqlite:
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": EVENT_LOG_LOCK_KEY})

    @contextmanager
    def _writing(self) -> Iterator[tuple[Connection, RawCursor, WriteBatch]]:
        """One serialized write transaction; what the batch collected is inserted just before the commit."""
        with self.engines.write.begin() as conn:
            self._begin_write(conn)
            cur = RawCursor(conn)
            batch = WriteBatch(head=int(cur.scalar(self._sql.head)))
            yield conn, cur, batch
            self._flush_batch(cur, batch)
            cur.close()

    def _flush_batch(self, cur: RawCursor, batch: WriteBatch) -> None:
        cur.executemany(self._sql.insert_event, [
            {"seq": e.seq, "ts": e.ts, "kind": e.kind, "entity": e.entity, "entity_id": e.entity_id,
             "actor": e.actor, "console": e.console, "data": dumps(e.data)} for e in batch.events])
        cur.executemany(self._sql.insert_idem, [{**r, "result": dumps(r["result"])} for r in batch.idem_rows])
        cur.executemany(self._sql.insert_audit, [{**r, "detail": dumps(r["detail"])} for r in batch.audit_rows])

    @staticmethod
    def _append_events(batch: WriteBatch, actor: Actor, entries: Iterable[EventEntry],
                       now: float) -> list[StoredEvent]:
        out: list[StoredEvent] = []
        for kind, entity, entity_id, data in entries:
            batch.head += 1
            out.append(StoredEvent(batch.head, now, kind, entity, entity_id, actor.name, actor.console, data))
        batch.events.extend(out)
        return out

    @staticmethod
    def _audit(batch: WriteBatch, actor: Actor | None, action: str, outcome: str,
               detail: dict[str, Any], remote: str = "", now: float | None = None) -> None:
        batch.audit_rows.append({
            "ts": now or time.time(), "user_id": actor.user_id if actor else None,
            "user_name": actor.name if actor else "", "action": action, "outcome": outcome, "detail": detail,
            "remote": remote[:64],
        })

    def audit(self, actor: Actor | None, action: str, outcome: str, detail: dict[str, Any] | None = None,
              remote: str = "") -> None:
        """An audit row in its own transaction (logins, failures, denials: things with no state change)."""
        with self._writing() as (_conn, _cur, batch):
            self._audit(batch, actor, action, outcome, detail or {}, remote)

    def _write_in(self, cur: RawCursor, batch: WriteBatch, job: WriteJob, apply: Applier) -> WriteResult:
        """One change inside an open, serialized write transaction: idem check, apply, events, idem, audit."""
        actor, idem = job.actor, job.idem
        digest = request_hash(job.command, job.body)
        if idem is not None:
            prior = batch.idem_result(actor.user_id, idem)
            if prior is None:
                row = cur.one(self._sql.idem_lookup, {"user_id": actor.user_id, "idem": idem})
                prior = None if row is None else (row[0], json.loads(row[1]) if isinstance(row[1], str) else row[1])
            if prior is not None:
                if prior[0] != digest:
                    raise DuplicateIdem("this idem key was already used for a different request", idem=idem)
                return WriteResult(prior[1], [], replayed=True)
        result, entries = apply(cur)
        events = self._append_events(batch, actor, entries, job.now)
        result = {**result, "seq": events[-1].seq if events else None}
        if idem is not None:
            batch.idem_rows.append({"user_id": actor.user_id, "idem": idem, "request_hash": digest,
                                    "result": result, "created_at": job.now})
        self._audit(batch, actor, job.command, "ok", {"entity_id": result.get("id"), "seq": result["seq"]},
                    now=job.now)
        return WriteResult(result, events)

    # -- users ------------------------------------------------------------------------------------
    def create_user(self, name: str, role: Role, department_id: int | None = None,
                    township_id: int | None = None, token: str | None = None) -> str:
        token = token or secrets.token_urlsafe(24)
        now = time.time()
        with self._writing() as (conn, _cur, batch):
            if conn.execute(select(t.User.id).where(t.User.name == name)).first():
                raise InvalidInput(f"user {name!r} already exists", field="name")
            conn.execute(insert(t.User).values(
                name=name, role=role.value, department_id=department_id, township_id=township_id,
                token_hash=hash_token(token), active=True, created_at=now,
                token_expires_at=now + self.rules.server.token_ttl_days * 86400.0,
            ))
            self._audit(batch, None, "user.add", "ok", {"name": name, "role": role.value}, now=now)
        return token

    def authenticate(self, token: str, console: str = "", now: float | None = None) -> Actor | None:
        now = now or time.time()
        with self.engines.read.connect() as conn:
            row = conn.execute(select(t.User).where(t.User.token_hash == hash_token(token))).first()
        if row is None or not row.active or row.token_expires_at < now:
            return None
        return Actor(row.id, row.name, Role(row.role), row.department_id, row.township_id, console[:64])

    def set_password(self, name: str, password: str) -> None:
        """Lets the user log in with name and password too (the token keeps working)."""
        digest = hash_password(password)
        with self._writing() as (conn, _cur, batch):
            res = conn.execute(update(t.User).where(t.User.name == name).values(password_hash=digest))
            if res.rowcount != 1:
                raise NotFound(f"no such user: {name}", name=name)
            self._audit(batch, None, "user.password", "ok", {"name": name})

    def authenticate_password(self, name: str, password: str, console: str = "",
                              now: float | None = None) -> Actor | None:
        """Name and password; the same None for an unknown name, a wrong password, a disabled user or no password."""
        with self.engines.read.connect() as conn:
            row = conn.execute(select(t.User).where(t.User.name == name)).first()
        stored = row.password_hash if row is not None else ""
        if not verify_password(password, stored or _DUMMY_HASH) or row is None or not stored or not row.active:
            return None
        return Actor(row.id, row.name, Role(row.role), row.department_id, row.township_id, console[:64])

    def set_active(self, name: str, active: bool) -> None:
        with self._writing() as (conn, _cur, batch):
            res = conn.execute(update(t.User).where(t.User.name == name).values(active=active))
            if res.rowcount != 1:
                raise NotFound(f"no such user: {name}", name=name)
            self._audit(batch, None, "user.enable" if active else "user.disable", "ok", {"name": name})

    def user_status(self, user_ids: Iterable[int], now: float) -> dict[int, str]:
        """For each id: "ok", "disabled" or "expired" (a missing user counts as disabled)."""
        ids = list(user_ids)
        with self.engines.read.connect() as conn:
            rows = conn.execute(select(t.User.id, t.User.active, t.User.token_expires_at)
                                .where(t.User.id.in_(ids))).all()
        found = {r.id: ("disabled" if not r.active else "expired" if r.token_expires_at < now else "ok")
                 for r in rows}
        return {i: found.get(i, "disabled") for i in ids}

    def list_users(self) -> list[dict[str, Any]]:
        with self.engines.read.connect() as conn:
            rows = conn.execute(select(t.User).order_by(t.User.id)).all()
        return [{"id": r.id, "name": r.name, "role": r.role, "department_id": r.department_id,
                 "township_id": r.township_id, "active": r.active,
                 "token_expires_at": iso(r.token_expires_at)} for r in rows]

    # -- reference data ---------------------------------------------------------------------------
    def _load_reference_ids(self) -> dict[str, set[Any]]:
        with self.engines.read.connect() as conn:
            return {
                "townships": set(conn.execute(select(t.TownshipRow.id)).scalars()),
                "grids": set(conn.execute(select(t.GridRow.id)).scalars()),
                "departments": set(conn.execute(select(t.DepartmentRow.id)).scalars()),
                "channels": set(conn.execute(select(t.ChannelRow.code)).scalars()),
                "mediators": set(conn.execute(select(t.MediatorRow.id)).scalars()),
            }

    def load_reference(self, data: dict[str, list[dict[str, Any]]]) -> list[StoredEvent]:
        """Replaces reference tables with `data` (townships, service_points, grids, departments, channels, cameras)."""
        tables = REFERENCE_TABLES
        unknown = set(data) - set(tables)
        if unknown:
            raise InvalidInput(f"unknown reference table(s): {sorted(unknown)}")
        now = time.time()
        system = Actor(0, "system", Role.admin, console="loader")
        with self._writing() as (conn, _cur, batch):
            for name, rows in data.items():
                conn.execute(tables[name].__table__.delete())
                if rows:
                    conn.execute(insert(tables[name]), rows)
            counts = {name: len(rows) for name, rows in data.items()}
            events = self._append_events(batch, system, [("reference.updated", "reference", 0, counts)], now)
            self._audit(batch, system, "reference.load", "ok", counts, now=now)
        self._refs = self._load_reference_ids()
        return events

    def _require(self, kind: str, value: Any, field: str) -> None:
        if value is not None and value not in self._refs[kind]:
            raise NotFound(f"no such {kind[:-1]}: {value}", field=field)

    # -- the case loop ----------------------------------------------------------------------------
    def execute(self, command: str, actor: Actor, body: dict[str, Any], idem: str | None,
                now: float | None = None) -> WriteResult:
        """Runs one changing command (`case.*`, `whistle.*`) in one transaction; raises its error."""
        now = now if now is not None else time.time()
        outcome = self.execute_many([WriteJob(command, actor, body, idem, now)])[0]
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    def execute_many(self, jobs: list[WriteJob]) -> list[WriteResult | Exception]:
        """Group commit: each job in its own SAVEPOINT, one transaction and one commit (one fsync) for all.

        A job that fails rolls back alone (its savepoint, and what it added to the batch) and gets its
        error; the others commit. Seqs stay gap-free: the batch's head is undone with the job.
        """
        outcomes: list[WriteResult | Exception] = []
        with self._writing() as (_conn, cur, batch):
            for job in jobs:
                mark = batch.mark()
                try:
                    apply = self._applier(job.command, job.actor, job.body, job.now)
                    cur.execute("SAVEPOINT job")
                    try:
                        result = self._write_in(cur, batch, job, apply)
                    except Exception:
                        cur.execute("ROLLBACK TO SAVEPOINT job")
                        raise
                    cur.execute("RELEASE SAVEPOINT job")
                    outcomes.append(result)
                except DBAPIError:
                    raise  # the connection or the database failed: the whole batch fails, nothing is committed
                except Exception as exc:  # this job's own error (domain rule, or a bug): only it is rolled back
                    batch.undo_to(mark)
                    outcomes.append(exc)
        return outcomes

    def _applier(self, command: str, actor: Actor, body: dict[str, Any], now: float) -> Applier:
        noun, _, verb = command.partition(".")
        if command == "case.report":
            return lambda c: self._report(c, actor, body, now)
        if command == "whistle.raise":
            return lambda c: self._raise(c, actor, body, now)
        if noun == "case" and verb in case_machine.CASE_RULES:
            return lambda c: self._change_case(c, actor, verb, body, now)
        if noun == "whistle" and verb in whistle_machine.WHISTLE_RULES:
            return lambda c: self._change_whistle(c, actor, verb, body, now)
        if command == "alarm.raise":
            return lambda c: self._raise_alarm(c, actor, body, now)
        if noun == "alarm" and verb in ALARM_RULES:
            return lambda c: self._change_alarm(c, actor, verb, body, now)
        if command == "dispute.open":
            return lambda c: self._open_dispute(c, actor, body, now)
        if noun == "dispute" and verb in DISPUTE_RULES:
            return lambda c: self._change_dispute(c, actor, verb, body, now)
        raise InvalidInput(f"not a changing command: {command}")

    def _insert_returning_id(self, cur: RawCursor, statement: str, params: dict[str, Any]) -> int:
        out = cur.execute(statement, params)
        return int(out.fetchone()[0]) if not self.engines.is_sqlite else cur.lastrowid

    def _report(self, cur: RawCursor, actor: Actor, body: dict[str, Any], now: float):
        if actor.role not in case_machine.REPORT_ROLES:
            raise Forbidden(f"role {actor.role} may not report cases",
                            allowed_roles=sorted(r.value for r in case_machine.REPORT_ROLES))
        self._require("channels", body["channel"], "channel")
        self._require("townships", body.get("township_id"), "township_id")
        self._require("grids", body.get("grid_id"), "grid_id")
        fields = {k: body[k] for k in ("channel", "category", "title", "description", "township_id", "grid_id",
                                       "lat", "lon", "priority", "reporter_name", "reporter_phone",
                                       "reporter_id_number") if k in body}
        case = Case(id=0, code="", version=1, state=CaseState.reported, reported_at=now, updated_at=now,
                    updated_by=actor.name, duplicate_of=self._possible_duplicate(cur, body, now), **fields)
        row = self._sql.cases.encode(case_to_row(case))
        case.id = self._insert_returning_id(cur, self._sql.insert_case, row)
        case.code = f"NC-{datetime.fromtimestamp(now, CST):%Y%m%d}-{case.id:06d}"
        cur.execute(self._sql.set_case_code, {"id": case.id, "code": case.code})
        wire = case_to_wire(case)
        data = {"case": wire, "change": {"from": None, "to": "reported",
                                         "external_ref": body.get("external_ref", "")}}
        return {"id": case.id, "code": case.code, "version": case.version, "case": wire}, [
            ("case.reported", "case", case.id, data)]

    def _possible_duplicate(self, cur: RawCursor, body: dict[str, Any], now: float) -> int | None:
        """The oldest open case of the same category in the same grid within 48 h: linked, never merged."""
        if body.get("grid_id") is None:
            return None
        found = cur.scalar(self._sql.possible_duplicate, {
            "category": body["category"], "grid_id": body["grid_id"], "since": now - DUPLICATE_WINDOW_S})
        return None if found is None else int(found)

    def _load_case(self, cur: RawCursor, case_id: int) -> Case:
        row = cur.one(self._sql.cases.select_by_id, {"id": case_id})
        if row is None:
            raise NotFound(f"no such case: {case_id}", id=case_id)
        return case_from_row(self._sql.cases.decode(row))

    def _check_version(self, current: Any, expected: int, noun: str) -> None:
        if current.version != expected:
            wire = _ENTITY_WIRE[noun](current)
            raise Conflict(
                f"the {noun} was changed by {current.updated_by} at {iso(current.updated_at)}",
                reason="stale_version", current=wire, updated_by=current.updated_by,
                updated_at=iso(current.updated_at), expected_version=expected,
            )

    def _change_case(self, cur: RawCursor, actor: Actor, action: str, body: dict[str, Any], now: float):
        current = self._load_case(cur, body["id"])
        case_machine.check_role(current, action, actor)  # a caller without the right learns nothing more
        self._check_version(current, body["expected_version"], "case")
        for key in ("lead_department_id",):
            self._require("departments", body.get(key), key)
        for dep in body.get("co_department_ids", []):
            self._require("departments", dep, "co_department_ids")
        self._require("townships", body.get("township_id"), "township_id")
        self._require("grids", body.get("grid_id"), "grid_id")
        action_body = {k: v for k, v in body.items() if k not in ("id", "expected_version")}
        outcome = case_machine.apply_case_action(current, action, action_body, actor, now, self.policy)
        self._update_case(cur, current.version, outcome.case)
        wire = case_to_wire(outcome.case)
        data = {"case": wire, "change": wire_times(outcome.change)}
        return {"id": current.id, "version": outcome.case.version, "case": wire}, [
            (outcome.kind, "case", current.id, data)]

    def _update_case(self, cur: RawCursor, version: int, case: Case) -> None:
        params = self._sql.cases.encode(case_to_row(case))
        self._update_if_version(cur, self._sql.update_case, case.id, version, params)

    @staticmethod
    def _update_if_version(cur: RawCursor, statement: str, entity_id: int, version: int,
                           params: dict[str, Any]) -> None:
        params.pop("id", None)
        cur.execute(statement, {**params, "_id": entity_id, "_version": version})
        if cur.rowcount != 1:  # only reachable when another writer slipped past the serialization
            raise Conflict("the record was changed concurrently", reason="stale_version")

    # -- whistles ---------------------------------------------------------------------------------
    def _raise(self, cur: RawCursor, actor: Actor, body: dict[str, Any], now: float):
        if actor.role not in whistle_machine.RAISE_ROLES:
            raise Forbidden(f"role {actor.role} may not blow the whistle", allowed_roles=["village"])
        self._require("townships", body["township_id"], "township_id")
        self._require("grids", body.get("grid_id"), "grid_id")
        if actor.township_id is not None and actor.township_id != body["township_id"]:
            raise Forbidden("a village may only blow the whistle in its own township")
        w = Whistle(id=0, code="", version=1, state=WhistleState.raised, township_id=body["township_id"],
                    grid_id=body.get("grid_id"), title=body["title"], description=body["description"],
                    proposal=body.get("proposal", ""), raised_by=actor.name, raised_at=now, updated_at=now,
                    updated_by=actor.name)
        row = self._sql.whistles.encode(whistle_to_row(w))
        w.id = self._insert_returning_id(cur, self._sql.insert_whistle, row)
        w.code = f"CS-{datetime.fromtimestamp(now, CST):%Y%m%d}-{w.id:05d}"
        cur.execute(self._sql.set_whistle_code, {"id": w.id, "code": w.code})
        wire = whistle_to_wire(w)
        return {"id": w.id, "code": w.code, "version": 1, "whistle": wire}, [
            ("whistle.raised", "whistle", w.id, {"whistle": wire, "change": {"to": "raised"}})]

    def _change_whistle(self, cur: RawCursor, actor: Actor, action: str, body: dict[str, Any], now: float):
        row = cur.one(self._sql.whistles.select_by_id, {"id": body["id"]})
        if row is None:
            raise NotFound(f"no such whistle: {body['id']}", id=body["id"])
        current = whistle_from_row(self._sql.whistles.decode(row))
        whistle_machine.check_role(action, actor)
        self._check_version(current, body["expected_version"], "whistle")
        for dep in body.get("department_ids", []):
            self._require("departments", dep, "department_ids")
        action_body = {k: v for k, v in body.items() if k not in ("id", "expected_version")}
        outcome = whistle_machine.apply_whistle_action(current, action, action_body, actor, now, self.policy)
        params = self._sql.whistles.encode(whistle_to_row(outcome.whistle))
        self._update_if_version(cur, self._sql.update_whistle, current.id, current.version, params)
        wire = whistle_to_wire(outcome.whistle)
        return {"id": current.id, "version": outcome.whistle.version, "whistle": wire}, [
            (outcome.kind, "whistle", current.id, {"whistle": wire, "change": wire_times(outcome.change)})]

    # -- deadlines --------------------------------------------------------------------------------
    def sweep_deadlines(self, now: float | None = None, limit: int = 500) -> list[StoredEvent]:
        """Marks sign-overdue, overdue (with automatic supervision) and escalated cases; one transaction."""
        now = now if now is not None else time.time()
        system = Actor(0, "system", Role.admin, console="deadline-sweeper")
        clocked = [s.value for s in CLOCKED_STATES]
        cols = t.CaseRow
        with self._writing() as (conn, cur, batch):
            rows = conn.execute(select(cols.__table__).where(
                cols.state.in_(clocked),
                ((cols.due_at <= now) & (cols.overdue.is_(False)))
                | ((cols.escalate_at <= now) & (cols.escalated.is_(False)))
                | ((cols.state == CaseState.dispatched.value) & (cols.sign_due_at <= now)
                   & (cols.sign_overdue.is_(False)))
            ).limit(limit)).all()
            entries = []
            for row in rows:
                case = case_from_row(row)
                before = case.version
                for kind, change in case_machine.sweep_case(case, now):
                    entries.append((kind, "case", case.id, {"case": case_to_wire(case), "change": wire_times(change)}))
                if case.version != before:
                    self._update_case(cur, before, case)
            events = self._append_events(batch, system, entries, now)
        return events

    # -- reads ------------------------------------------------------------------------------------
    def head_seq(self) -> int:
        with self.engines.read.connect() as conn:
            return int(conn.execute(select(func.coalesce(func.max(t.EventRow.seq), 0))).scalar_one())

    def events_after(self, seq: int, limit: int = 1000) -> list[StoredEvent]:
        with self.engines.read.connect() as conn:
            rows = conn.execute(
                select(t.EventRow.__table__).where(t.EventRow.seq > seq).order_by(t.EventRow.seq).limit(limit)
            ).all()
        return [StoredEvent(r.seq, r.ts, r.kind, r.entity, r.entity_id, r.actor, r.console, r.data) for r in rows]

    def snapshot(self, what: Iterable[str], now: float | None = None) -> dict[str, Any]:
        """Reference data and open items, read in one transaction together with the seq they reflect."""
        now = now if now is not None else time.time()
        out: dict[str, Any] = {}
        with self.engines.read.begin() as conn:
            out["as_of_seq"] = int(conn.execute(select(func.coalesce(func.max(t.EventRow.seq), 0))).scalar_one())
            out["epoch"] = self.epoch
            for name in what:
                out[name] = self._snapshot_part(conn, name, now)
        return out

    def _snapshot_part(self, conn: Connection, name: str, now: float) -> Any:
        if name in REFERENCE_TABLES:
            table = REFERENCE_TABLES[name].__table__
            return [dict(r._mapping) for r in conn.execute(select(table).order_by(*table.primary_key.columns))]
        if name == "open_cases":
            rows = conn.execute(select(t.CaseRow.__table__).where(
                t.CaseRow.state.in_([s.value for s in OPEN_STATES])).order_by(t.CaseRow.id)).all()
            return [self._row_with_urgency(r, now) for r in rows]
        if name == "whistles":
            rows = conn.execute(select(t.WhistleRow.__table__).where(
                t.WhistleRow.state.in_([WhistleState.raised.value, WhistleState.approved.value])
                | (t.WhistleRow.raised_at >= now - 30 * 86400)).order_by(t.WhistleRow.id)).all()
            return [whistle_to_wire(whistle_from_row(r)) for r in rows]
        if name == "open_alarms":
            rows = conn.execute(select(t.AlarmRow.__table__).where(t.AlarmRow.state == AlarmState.open.value)
                                .order_by(t.AlarmRow.id.desc()).limit(OPEN_ALARMS_LIMIT)).all()
            return [alarm_to_wire(alarm_from_row(dict(r._mapping))) for r in rows]
        if name == "open_disputes":
            rows = conn.execute(select(t.DisputeRow.__table__).where(
                t.DisputeRow.state.in_([s.value for s in OPEN_DISPUTE_STATES])).order_by(t.DisputeRow.id)).all()
            return [dispute_to_wire(dispute_from_row(dict(r._mapping))) for r in rows]
        if name == "warnings":
            return [w.as_dict() for w in self.calendar.warnings()]
        raise InvalidInput(f"unknown snapshot part {name!r}")

    @staticmethod
    def _row_with_urgency(row: Any, now: float) -> dict[str, Any]:
        wire = row_to_wire(row)
        m = row._mapping
        wire["urgency"] = DeadlinePolicy.urgency(now, m["due_soon_at"], m["due_at"], m["escalate_at"]).value
        return wire

    def _with_urgency(self, case: Case, now: float) -> dict[str, Any]:
        wire = case_to_wire(case)
        wire["urgency"] = DeadlinePolicy.urgency(now, case.due_soon_at, case.due_at, case.escalate_at).value
        return wire

    def get_case(self, case_id: int, now: float | None = None) -> dict[str, Any]:
        now = now if now is not None else time.time()
        with self.engines.read.begin() as conn:
            case = self._load_case(RawCursor(conn), case_id)
            rows = conn.execute(select(t.EventRow.__table__).where(
                t.EventRow.entity == "case", t.EventRow.entity_id == case_id).order_by(t.EventRow.seq)).all()
        timeline = [{"seq": r.seq, "kind": r.kind, "at": iso(r.ts), "actor": r.actor, "console": r.console,
                     "change": r.data.get("change", {})} for r in rows]
        return {"case": self._with_urgency(case, now), "timeline": timeline}

    def query_cases(self, body: dict[str, Any], now: float | None = None) -> dict[str, Any]:
        now = now if now is not None else time.time()
        with self.engines.read.connect() as conn:
            rows = conn.execute(case_query(body)).all()
        return {"cases": [self._row_with_urgency(r, now) for r in rows]}

    def stats_today(self, now: float | None = None) -> dict[str, Any]:
        """Today's counters (local day, CST), each a single indexed query (services/backend/wall_stats.py)."""
        now = now if now is not None else time.time()
        with self.engines.read.begin() as conn:
            return wall_stats.today_counters(conn, now)

    def stats_wall(self, days: int = 30, now: float | None = None) -> dict[str, Any]:
        """The leaders' wall: today's counters, series and rankings, all as of one seq (one transaction)."""
        now = now if now is not None else time.time()
        with self.engines.read.begin() as conn:
            return wall_stats.wall(conn, now, days)


_ENTITY_WIRE: dict[str, Callable[[Any], dict[str, Any]]] = {
    "case": case_to_wire, "whistle": whistle_to_wire, "alarm": alarm_to_wire, "dispute": dispute_to_wire}
