"""Months of past county life, written quickly and in-process, before the hub starts (`serve --history MONTHS`).

The same director as the live simulator decides every step (services/demo/director.py); each step runs through
`Store.execute_many` as a `WriteJob` whose `now` is its simulated past time, so every real rule applies: deadlines
on the working-day calendar, events, audit. The deadline sweeper runs at its past times too (`sweep_deadlines(now=t)`,
every half hour of the working day), so sign-overdue, overdue, automatic supervision and escalation events happen
when they would have. What was still going on at the end stays open for the live simulator to take over.

Steps are grouped into transactions by simulated time: a group holds the steps of up to WINDOW_S of simulated time
(at most one per entity). A reaction planned inside a group that is already written runs at that group's last time
instead (at most WINDOW_S later than planned), so the event log's times never go backwards.
"""

from __future__ import annotations

import contextlib
import logging
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, TextIO

from sqlalchemy import event

from services import protocol as p
from services.backend.store import Store, StoredEvent, WriteJob
from services.demo.actors import REFERENCE_PARTS, ActorRef, actor_of_user
from services.demo.director import Act, Director
from services.demo.scenario import P_DUPLICATE, County, Scenario
from services.domain.model import Actor, Role
from services.domain.workcalendar import CST

log = logging.getLogger(__name__)
MONTH_S = 30 * 86400.0
WINDOW_S = 600.0
MAX_BATCH = 2_000
SWEEP_EVERY_S = 1800.0


@dataclass
class HistoryResult:
    created: Counter[str] = field(default_factory=Counter)
    """Entities created, by kind (case, whistle, alarm, dispute)."""
    jobs: int = 0
    failed: Counter[str] = field(default_factory=Counter)
    events: int = 0
    seconds: float = 0.0


Progress = Callable[[float, HistoryResult], None]
"""Called now and then with the share of simulated time done (0..1) and the counts so far."""


def fill_history(store: Store, *, months: float, rate_per_hour: float, end: float, seed: int,
                 progress: Progress | None = None) -> HistoryResult:
    """Writes `months` (30-day months) of simulated activity ending at `end` into `store`; returns the counts."""
    began = time.perf_counter()
    start = end - months * MONTH_S
    county = County.from_snapshot(store.snapshot(REFERENCE_PARTS))
    director = Director(Scenario(county, seed), store.calendar, rate_per_hour=rate_per_hour, start=start,
                        commands=frozenset(p.COMMANDS))
    filler = _Filler(store, director, actors_of(store), start)
    with bulk_sqlite(store):
        filler.run(end, progress)
    filler.result.seconds = time.perf_counter() - began
    if progress is not None:
        progress(1.0, filler.result)
    return filler.result


@contextlib.contextmanager
def bulk_sqlite(store: Store) -> Iterator[None]:
    """SQLite only: commits without an fsync each (`synchronous=NORMAL`; WAL keeps the file consistent, a power cut
    may lose the last groups) while the fill runs; the server's own connections get `FULL` again afterwards."""
    engine = store.engines.write
    if not store.engines.is_sqlite:
        yield
        return

    def relaxed(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.execute("PRAGMA synchronous=NORMAL")

    engine.dispose()
    event.listen(engine, "connect", relaxed)
    try:
        yield
    finally:
        event.remove(engine, "connect", relaxed)
        engine.dispose()


def actors_of(store: Store) -> dict[ActorRef, Actor]:
    """The simulator's users (services/backend/seed.py) as in-process actors."""
    actors: dict[ActorRef, Actor] = {}
    for user in store.list_users():
        ref = actor_of_user(user["name"], user["department_id"], user["township_id"])
        if ref is not None:
            actors[ref] = Actor(user["id"], user["name"], Role(user["role"]), user["department_id"],
                                user["township_id"], "sim-history")
    return actors


class _Filler:
    def __init__(self, store: Store, director: Director, actors: dict[ActorRef, Actor], start: float) -> None:
        self.store = store
        self.director = director
        self.actors = actors
        self.result = HistoryResult()
        self.last_ts = start
        self.next_sweep = next_sweep_time(store, start)
        self.batch: list[WriteJob] = []
        self.acts: list[Act] = []
        self.keys: set[tuple[str, int]] = set()
        self.window_end = start

    def run(self, end: float, progress: Progress | None) -> None:
        start, shown = self.last_ts, 0.0
        while True:
            due = self.director.next_at()
            if due is None or due >= end:
                break
            if due >= self.next_sweep:
                if self.batch:  # write what is before the sweep first: its reactions may come before it too
                    self.flush()
                    continue
                self.last_ts = max(self.next_sweep, self.last_ts)
                self.sweep(self.last_ts)
                self.next_sweep = next_sweep_time(self.store, self.next_sweep + 1)
                continue
            if self.batch and (due >= self.window_end or len(self.batch) >= MAX_BATCH):
                self.flush()
            for at, act in self.director.pop_due(due, limit=1):
                self.add(at, act)
            if progress is not None and time.perf_counter() - shown > 0.25:
                shown = time.perf_counter()
                progress((self.last_ts - start) / max(end - start, 1.0), self.result)
        self.flush()

    def add(self, at: float, act: Act) -> None:
        key = (act.entity, act.entity_id) if act.entity else None
        if key is not None and key in self.keys:
            self.flush()  # one step per entity per transaction: the next one needs this one's version
        built = self.director.build(act)
        actor = self.actors.get(act.actor)
        if built is None or actor is None:
            self.result.failed["no_actor" if built is not None else "stale"] += 1
            self.director.done(act)
            return
        command, body = built
        try:
            body = p.COMMANDS[command].body.check(body, "body")
        except p.SchemaError as exc:
            self.result.failed[f"{command}: invalid_format"] += 1
            log.warning("history: %s refused by the schema: %s", command, exc)
            self.director.done(act)
            return
        now = max(at, self.last_ts)
        if not self.batch:
            self.window_end = now + WINDOW_S
        self.last_ts = now
        self.batch.append(WriteJob(command, actor, body, None, now))
        self.acts.append(act)
        if key is not None:
            self.keys.add(key)

    def flush(self) -> None:
        if not self.batch:
            return
        jobs, acts, self.batch, self.acts, self.keys = self.batch, self.acts, [], [], set()
        for job, outcome in zip(jobs, self.store.execute_many(jobs), strict=True):
            self.result.jobs += 1
            if isinstance(outcome, Exception):
                key = f"{job.command}: {getattr(outcome, 'code', type(outcome).__name__)}"
                if not self.result.failed[key]:
                    log.warning("history: %s refused: %s (logged once; counted)", job.command, outcome)
                self.result.failed[key] += 1
                continue
            if job.command in CREATES:
                self.result.created[CREATES[job.command]] += 1
            self.observe(outcome.events)
        for act in acts:
            self.director.done(act)

    def sweep(self, now: float) -> None:
        while True:
            events = self.store.sweep_deadlines(now=now)
            self.observe(events)
            if len(events) < 500:  # fewer events than the sweep's case limit: nothing left behind
                return

    def observe(self, events: list[StoredEvent]) -> None:
        self.result.events += len(events)
        for stored in events:
            self.director.observe(stored.kind, stored.data, stored.ts)


CREATES = {"case.report": "case", "whistle.raise": "whistle", "alarm.raise": "alarm", "dispute.open": "dispute",
           "alarm.to_case": "case"}


def next_sweep_time(store: Store, after: float) -> float:
    """The next half hour of a working day (08:30 ... 17:30 on working days) at or after `after`."""
    periods = store.rules.working_hours.periods
    first, last = periods[0][0], periods[-1][1]
    t = datetime.fromtimestamp(after, CST)
    step = timedelta(seconds=SWEEP_EVERY_S)
    t = t.replace(second=0, microsecond=0) + timedelta(minutes=(-t.minute) % 30)
    if t.timestamp() < after:
        t += step
    for _ in range(366 * 48):
        if store.calendar.is_workday(t.date()) and first <= t.time() <= last:
            return t.timestamp()
        if t.time() > last:
            t = datetime.combine(t.date() + timedelta(days=1), first, CST)
        else:
            t += step
    return t.timestamp()


class ProgressLine:
    """`历史数据  37%  41,230/≈110,000 cases  1,234 cases/s` on one terminal line (plain text, `\\r`)."""

    def __init__(self, expected_cases: float, stream: TextIO | None = None) -> None:
        self.expected = expected_cases
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()
        self.began = time.perf_counter()
        self.last_decile = -1

    def __call__(self, share: float, result: HistoryResult) -> None:
        cases = result.created["case"]
        rate = cases / max(time.perf_counter() - self.began, 1e-6)
        line = f"历史数据 {share * 100:3.0f}%  {cases:,}/≈{self.expected:,.0f} cases  {rate:,.0f} cases/s"
        if self.tty:
            self.stream.write("\r" + line + ("\n" if share >= 1.0 else ""))
        elif int(share * 10) > self.last_decile:
            self.last_decile = int(share * 10)
            self.stream.write(line + "\n")
        self.stream.flush()


def expected_cases(months: float, rate_per_hour: float) -> float:
    return months * MONTH_S / 3600.0 * rate_per_hour * (1 + P_DUPLICATE)
