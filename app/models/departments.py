"""Each department's live load, for the department board: open cases it leads, how many are overdue, how many await
its signature, and (from the whistle model) how many whistle calls await its arrival on site.

Kept incrementally: every case's contribution is remembered, so a changed case costs one subtraction and one
addition (`CaseModel.cases_changed`); only a model reset (snapshot) recomputes everything. Overdue also changes
with time alone: cases whose deadline is still ahead sit in a heap by deadline, and `tick()` moves the ones whose
time has come, again without a full pass.

`LoadTally` is the Qt-free bookkeeping; `DepartmentLoad` binds it to the case model, the server clock and an
optional `ArrivalSource`.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any, Protocol, runtime_checkable

from PySide6.QtCore import QObject, QTimer, Signal

from app.models.cases import CaseModel
from app.models.reference import CLASS_LABELS
from app.servertime import parse_time
from config.schema import RESOLUTION_CLASSES, load_rules

LOAD_STATES = frozenset({"dispatched", "handling", "feedback", "verified"})
"""Open states in which a case is with its lead department. A `returned` case still names the department that
returned it, but it waits in the duty officer's arbitration queue: it is not that department's load."""
CLOCK_STATES = frozenset({"dispatched", "handling"})
"""Of those, the states in which the department's clock runs (it stops at feedback): only there does passing
`due_at` make a case overdue before the server's sweeper has flagged it."""
TICK_MS = 5_000


@dataclass(frozen=True)
class Load:
    open: int = 0
    overdue: int = 0
    awaiting_sign: int = 0
    awaiting_arrival: int = 0


@dataclass(frozen=True)
class CaseFacts:
    """What one case contributes to its lead department's load, apart from time."""

    department_id: int
    awaiting_sign: bool
    flagged_overdue: bool
    clock_due: float | None
    """`due_at` while the department's clock runs; None otherwise."""

    def overdue(self, now: float) -> bool:
        return self.flagged_overdue or (self.clock_due is not None and now >= self.clock_due)

    @classmethod
    def of(cls, case: dict[str, Any] | None) -> CaseFacts | None:
        if case is None or case.get("state") not in LOAD_STATES or case.get("lead_department_id") is None:
            return None
        state = case["state"]
        return cls(int(case["lead_department_id"]), state == "dispatched", bool(case.get("overdue")),
                   parse_time(case.get("due_at")) if state in CLOCK_STATES else None)


class _Counts:
    __slots__ = ("awaiting_arrival", "awaiting_sign", "open", "overdue")

    def __init__(self) -> None:
        self.open = self.overdue = self.awaiting_sign = self.awaiting_arrival = 0

    def frozen(self) -> Load:
        return Load(self.open, self.overdue, self.awaiting_sign, self.awaiting_arrival)


class LoadTally:
    """Per-department counters from per-case contributions. Every mutator returns the departments it changed."""

    def __init__(self) -> None:
        self._loads: dict[int, _Counts] = {}
        self._cases: dict[int, tuple[CaseFacts, bool]] = {}  # case id -> (facts, counted as overdue)
        self._due: list[tuple[float, int]] = []  # (clock_due, case id) of cases not yet counted overdue
        self._arrivals: dict[int, int] = {}

    def get(self, department_id: int) -> Load:
        counts = self._loads.get(department_id)
        return counts.frozen() if counts is not None else Load()

    def departments(self) -> set[int]:
        return set(self._loads)

    def reset(self, cases: Iterable[tuple[int, dict[str, Any]]], now: float) -> set[int]:
        """Recomputes everything from (case id, case) pairs; returns every department whose load may differ."""
        before = {d: c.frozen() for d, c in self._loads.items()}
        self._loads, self._cases, self._due = {}, {}, []
        for department_id, count in self._arrivals.items():
            self._counts(department_id).awaiting_arrival = count
        for case_id, case in cases:
            self._add(case_id, CaseFacts.of(case), now)
        heapq.heapify(self._due)
        after = {d: c.frozen() for d, c in self._loads.items()}
        return {d for d in before.keys() | after.keys() if before.get(d, Load()) != after.get(d, Load())}

    def update(self, case_id: int, case: dict[str, Any] | None, now: float) -> set[int]:
        """The case as it is now (None: it left the open cases)."""
        facts = CaseFacts.of(case)
        old = self._cases.get(case_id)
        if old is not None and old[0] == facts and old[1] == facts.overdue(now):
            return set()
        changed = self._remove(case_id)
        changed |= self._add(case_id, facts, now, push=True)
        if len(self._due) > 2 * len(self._cases) + 1_000:  # drop the entries of cases that changed since
            self._due = [(f.clock_due, cid) for cid, (f, overdue) in self._cases.items()
                         if not overdue and f.clock_due is not None]
            heapq.heapify(self._due)
        return changed

    def tick(self, now: float) -> set[int]:
        """Counts the cases whose deadline has passed since the last tick as overdue."""
        changed: set[int] = set()
        while self._due and self._due[0][0] <= now:
            due, case_id = heapq.heappop(self._due)
            entry = self._cases.get(case_id)
            if entry is None or entry[1] or entry[0].clock_due != due:
                continue  # the case changed or left since it was queued
            facts = entry[0]
            self._cases[case_id] = (facts, True)
            self._counts(facts.department_id).overdue += 1
            changed.add(facts.department_id)
        return changed

    def set_arrivals(self, pending: dict[int, int]) -> set[int]:
        """Whistle calls awaiting arrival, per department (the whole map; missing departments have none)."""
        changed = {d for d in self._arrivals.keys() | pending.keys() if self._arrivals.get(d, 0) != pending.get(d, 0)}
        for department_id in changed:
            self._counts(department_id).awaiting_arrival = pending.get(department_id, 0)
        self._arrivals = {d: n for d, n in pending.items() if n}
        return changed

    def _counts(self, department_id: int) -> _Counts:
        counts = self._loads.get(department_id)
        if counts is None:
            counts = self._loads[department_id] = _Counts()
        return counts

    def _add(self, case_id: int, facts: CaseFacts | None, now: float, push: bool = False) -> set[int]:
        if facts is None:
            return set()
        overdue = facts.overdue(now)
        self._cases[case_id] = (facts, overdue)
        counts = self._counts(facts.department_id)
        counts.open += 1
        counts.overdue += overdue
        counts.awaiting_sign += facts.awaiting_sign
        if not overdue and facts.clock_due is not None:
            if push:
                heapq.heappush(self._due, (facts.clock_due, case_id))
            else:
                self._due.append((facts.clock_due, case_id))
        return {facts.department_id}

    def _remove(self, case_id: int) -> set[int]:
        entry = self._cases.pop(case_id, None)
        if entry is None:
            return set()
        facts, overdue = entry
        counts = self._counts(facts.department_id)
        counts.open -= 1
        counts.overdue -= overdue
        counts.awaiting_sign -= facts.awaiting_sign
        return {facts.department_id}


@runtime_checkable
class ArrivalSource(Protocol):
    """What the department load needs from the whistle model: a Qt signal `arrivals_changed` (any arguments),
    emitted whenever a call is made, answered or dropped, and the current count of calls awaiting arrival on site,
    per department id (approved whistles whose call has no `arrived_at` yet)."""

    arrivals_changed: Any

    def arrivals_pending(self) -> dict[int, int]: ...


class DepartmentLoad(QObject):
    """The load of every department, kept from the case model (and an optional whistle model)."""

    load_changed = Signal(object)
    """set[int]: the departments whose load changed."""

    def __init__(self, cases: CaseModel, now: Callable[[], float], arrivals: ArrivalSource | None = None,
                 tick_ms: int = TICK_MS, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._cases = cases
        self._now = now
        self._tally = LoadTally()
        self._arrivals: ArrivalSource | None = None
        cases.cases_changed.connect(self._on_cases_changed)
        cases.modelReset.connect(self.recompute)
        self._timer = QTimer(self)
        self._timer.setInterval(tick_ms)
        self._timer.timeout.connect(self.tick)
        self._timer.start()
        self._tally.reset(self._all_cases(), now())
        if arrivals is not None:
            self.set_arrival_source(arrivals)

    def load(self, department_id: int) -> Load:
        return self._tally.get(department_id)

    def departments(self) -> set[int]:
        """Departments that have (or had) any load."""
        return self._tally.departments()

    @property
    def arrival_source(self) -> ArrivalSource | None:
        return self._arrivals

    def set_arrival_source(self, source: ArrivalSource | None) -> None:
        if self._arrivals is not None:
            self._arrivals.arrivals_changed.disconnect(self._on_arrivals_changed)
        self._arrivals = source
        if source is not None:
            source.arrivals_changed.connect(self._on_arrivals_changed)
        self._on_arrivals_changed()

    def recompute(self) -> None:
        """Everything again (after a snapshot)."""
        self._emit(self._tally.reset(self._all_cases(), self._now()))

    def tick(self) -> None:
        self._emit(self._tally.tick(self._now()))

    def _all_cases(self) -> list[tuple[int, dict[str, Any]]]:
        return [(row.case["id"], row.case) for row in self._cases.rows()]

    def _on_cases_changed(self, ids: Iterable[int]) -> None:
        now = self._now()
        changed: set[int] = set()
        for case_id in ids:
            changed |= self._tally.update(case_id, self._cases.case(case_id), now)
        self._emit(changed)

    def _on_arrivals_changed(self, *_: Any) -> None:
        pending = self._arrivals.arrivals_pending() if self._arrivals is not None else {}
        self._emit(self._tally.set_arrivals(pending))

    def _emit(self, changed: set[int]) -> None:
        if changed:
            self.load_changed.emit(changed)


@cache
def resolution_classes() -> list[tuple[str, str, float]]:
    """(code, 中文 label, working days to resolve) of each resolution class, from the rules file."""
    limits = load_rules().case.class_limit_days
    return [(code, CLASS_LABELS.get(code, code), limits.get(code, 0.0)) for code in RESOLUTION_CLASSES]
