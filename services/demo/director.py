"""Who does what when: the simulator's brain, shared by the live simulator and the history fill (no I/O).

The director sees the event log (`observe`) and the open entities at start (`adopt`), keeps the latest copy of
every open case, whistle, alarm and dispute, and answers each change with the next step of the entity's plan
(services/demo/scenario.py): an `Act` for one simulated actor at a simulated time. A driver pops the acts that are
due (`pop_due`), turns each into a request body with the entity's current version (`build`), sends it, and feeds
the resulting events back in. The live driver sends over the protocol; the history driver runs `Store.execute_many`.

Reactions follow the entity's *state*, not the event that led there, so entities reported by humans, made from
alarms or left open by an earlier run are handled the same way. Deadlines come from the server (the case's
`sign_due_at`, `due_at`, the whistle's `arrival_due_at`); the plan places each step at a fraction of such a window,
measured in working time (`WorkCalendar`), so "late" is late on the server's clock too.
"""

from __future__ import annotations

import heapq
import itertools
import logging
import random
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from services.demo import texts as tx
from services.demo.actors import ActorRef
from services.demo.scenario import CasePlan, DisputePlan, Scenario, WhistlePlan
from services.domain.workcalendar import CST, WorkCalendar

log = logging.getLogger(__name__)

Key = tuple[str, int, int]
"""What a pending act is about: (entity, id, slot). A newer act for the same key replaces the older one."""

ENTITIES = ("case", "whistle", "alarm", "dispute")
SWEEPER_KINDS = frozenset({"case.sign_overdue", "case.overdue", "case.escalated", "case.supervised"})
TERMINAL = {"case": {"rejected", "evaluated"}, "whistle": {"rejected"}, "alarm": {"dismissed", "converted"},
            "dispute": {"referred", "closed"}}
MAX_ATTEMPTS = 4
MAX_PENDING = 50_000
"""Acts waiting in the director; beyond it new arrivals are skipped (counted), so memory stays bounded."""
HOUR = 3600.0


@dataclass(frozen=True)
class Act:
    actor: ActorRef
    command: str
    entity: str = ""
    entity_id: int = 0
    states: frozenset[str] = frozenset()
    """The entity must be in one of these states when the act runs (else it is skipped)."""
    params: dict[str, Any] = field(default_factory=dict)
    key: Key | None = None
    attempts: int = 0


def parse_time(value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, int | float):
        return float(value)
    return datetime.fromisoformat(str(value)).timestamp()


def _already_done(act: Act, whistle: dict[str, Any]) -> bool:
    """A whistle step this department (or village) has taken already: arrivals and scores happen once."""
    if act.command not in ("whistle.arrive", "whistle.score"):
        return False
    department = act.params.get("department_id", act.actor[1])
    call = next((c for c in whistle.get("calls") or [] if c.get("department_id") == department), None)
    if call is None:
        return True
    if act.command == "whistle.arrive":
        return call.get("arrived_at") is not None
    return call.get("village_score" if act.actor[0] == "village" else "department_score") is not None


def iso_time(t: float) -> str:
    return datetime.fromtimestamp(t, CST).isoformat(timespec="seconds")


class Director:
    def __init__(self, scenario: Scenario, calendar: WorkCalendar, *, rate_per_hour: float, start: float,
                 desk: bool = True, commands: frozenset[str] | None = None) -> None:
        self.scenario = scenario
        self.calendar = calendar
        self.desk = desk
        self.commands = commands
        self.counts: Counter[str] = Counter()
        """For logging only (tests read the event log, not these)."""
        self.world: dict[str, dict[int, dict[str, Any]]] = {e: {} for e in ENTITIES}
        self._heap: list[tuple[float, int, Act]] = []
        self._tokens: dict[Key, int] = {}
        self._in_flight: set[Key] = set()
        """Keys of acts handed to a driver and not `done` yet: not scheduled twice meanwhile."""
        self._serial = itertools.count()
        self._rng = random.Random(f"{scenario.seed}:director:{int(start)}")
        self._plans: dict[int, CasePlan] = {}
        self._asked_extension: set[int] = set()
        self._arrivals: dict[str, tuple[Iterator[float], Iterator[int]]] = {}
        first = (int(start) // 60) * 1_000 + 1
        """Arrival numbers start from the start minute: a live run after a history never repeats its reports."""
        for stream, command in (("case", "case.report"), ("whistle", "whistle.raise"), ("alarm", "alarm.raise"),
                                ("dispute", "dispute.open")):
            if self.available(command):
                self._arrivals[stream] = (scenario.arrivals(stream, rate_per_hour, start), itertools.count(first))
                self._schedule_arrival(stream)

    def available(self, command: str) -> bool:
        return self.commands is None or command in self.commands

    # -- the queue --------------------------------------------------------------------------------------------
    def _push(self, at: float, act: Act, *, replace_pending: bool = True) -> None:
        if act.key is not None:
            if not replace_pending and (act.key in self._tokens or act.key in self._in_flight):
                return
            n = next(self._serial)
            self._tokens[act.key] = n
        else:
            n = next(self._serial)
        if not self.available(act.command) and not act.command.startswith("arrive."):
            return
        heapq.heappush(self._heap, (at, n, act))

    def _live(self, n: int, act: Act) -> bool:
        return act.key is None or self._tokens.get(act.key) == n

    def next_at(self) -> float | None:
        while self._heap and not self._live(self._heap[0][1], self._heap[0][2]):
            heapq.heappop(self._heap)
        return self._heap[0][0] if self._heap else None

    def pending(self) -> int:
        return len(self._heap)

    def pop_due(self, now: float, limit: int = 1_000) -> list[tuple[float, Act]]:
        """Acts due at `now` in time order (arrivals become their creating acts here)."""
        out: list[tuple[float, Act]] = []
        while self._heap and self._heap[0][0] <= now and len(out) < limit:
            at, n, act = heapq.heappop(self._heap)
            if not self._live(n, act):
                continue
            if act.key is not None:
                del self._tokens[act.key]
                self._in_flight.add(act.key)
            if act.command.startswith("arrive."):
                created = self._arrive(act.command.removeprefix("arrive."), at)
                out.extend((at, c) for c in created if self.available(c.command))
                continue
            out.append((at, act))
        return out

    def done(self, act: Act) -> None:
        """The driver has sent `act` (or given up on it) and seen what came of it."""
        if act.key is not None:
            self._in_flight.discard(act.key)

    def defer(self, at: float, act: Act, delay: float) -> None:
        """Tries an act again later (the connection was busy or down); gives up after MAX_ATTEMPTS."""
        self.done(act)
        if act.attempts + 1 >= MAX_ATTEMPTS:
            self.counts["gave_up"] += 1
            return
        self._push(at + delay, replace(act, attempts=act.attempts + 1), replace_pending=False)

    # -- arrivals ---------------------------------------------------------------------------------------------
    def _schedule_arrival(self, stream: str) -> None:
        times, _ = self._arrivals[stream]
        at = next(times, None)
        if at is not None:
            heapq.heappush(self._heap, (at, next(self._serial), Act(("", 0), f"arrive.{stream}")))

    def _arrive(self, stream: str, at: float) -> list[Act]:
        _, numbers = self._arrivals[stream]
        n = next(numbers)
        self._schedule_arrival(stream)
        if len(self._heap) > MAX_PENDING:
            self.counts[f"skipped_{stream}"] += 1
            return []
        if stream == "case":
            body, duplicate = self.scenario.new_case(n, at)
            if duplicate is not None:
                self._push(at + self._rng.uniform(0.15, 2.0) * HOUR, Act(("intake", 0), "case.report",
                                                                         params=duplicate))
            return [Act(("intake", 0), "case.report", params=body)]
        if stream == "whistle":
            body = self.scenario.new_whistle(n)
            return [Act(("village", body["township_id"]), "whistle.raise", params=body)]
        if stream == "alarm":
            alarm = self.scenario.new_alarm(n, at)
            return [Act(("analytics", 0), "alarm.raise", params=alarm)] if alarm else []
        return [Act(("intake", 0), "dispute.open", params=self.scenario.new_dispute(n))]

    # -- building requests ------------------------------------------------------------------------------------
    def build(self, act: Act) -> tuple[str, dict[str, Any]] | None:
        """The request for `act` on the entity as it is now; None if it no longer applies."""
        if not act.entity:
            return act.command, dict(act.params)
        current = self.world[act.entity].get(act.entity_id)
        if current is None or (act.states and current.get("state") not in act.states) or _already_done(act, current):
            self.counts["skipped_stale"] += 1
            return None
        return act.command, {"id": act.entity_id, "expected_version": current["version"], **act.params}

    def refresh(self, entity: str, current: dict[str, Any]) -> None:
        """A conflict reply carried the entity as it now is: keep it (a newer event may follow)."""
        self._store(entity, current)

    # -- seeing changes ---------------------------------------------------------------------------------------
    def adopt(self, entity: str, rows: list[dict[str, Any]], now: float) -> None:
        """Entities already open at start: each gets its next step (spread over the next working hours)."""
        for row in rows:
            if self._store(entity, row):
                self._react(entity, row, now, "", adopted=True)

    def observe(self, kind: str, data: dict[str, Any], at: float) -> None:
        entity = kind.partition(".")[0]
        row = data.get(entity)
        if entity not in self.world or not isinstance(row, dict) or "id" not in row:
            return
        if not self._store(entity, row):
            return  # an older copy than ours
        if kind in SWEEPER_KINDS:
            return
        self._react(entity, row, at, kind)
        if self._finished(entity, row):
            self._forget(entity, int(row["id"]))

    def _finished(self, entity: str, row: dict[str, Any]) -> bool:
        """Nothing more will happen to it: forget it, so memory follows the open entities only."""
        state = row.get("state")
        if state in TERMINAL[entity]:
            return True
        if entity == "case" and state == "closed":
            return ("case", int(row["id"]), 0) not in self._tokens  # no evaluation coming
        if entity == "whistle" and state == "resolved":
            return all(c.get("village_score") and c.get("department_score") for c in row.get("calls") or [])
        return False

    def _store(self, entity: str, row: dict[str, Any]) -> bool:
        known = self.world[entity].get(int(row["id"]))
        if known is not None and known.get("version", 0) > row.get("version", 0):
            return False
        self.world[entity][int(row["id"])] = row
        return True

    def _forget(self, entity: str, entity_id: int) -> None:
        self.world[entity].pop(entity_id, None)
        if entity == "case":
            self._plans.pop(entity_id, None)
            self._asked_extension.discard(entity_id)

    def _react(self, entity: str, row: dict[str, Any], at: float, kind: str, adopted: bool = False) -> None:
        react: Callable[[dict[str, Any], float, str, bool], None] = getattr(self, f"_react_{entity}")
        react(row, at, kind, adopted)

    # -- time -------------------------------------------------------------------------------------------------
    def work_after(self, t: float, seconds: float) -> float:
        return self.calendar.add_working_seconds(datetime.fromtimestamp(t, CST), seconds).timestamp()

    def within(self, start: float, end: float | None, frac: float, now: float) -> float:
        """The point `frac` of the way from `start` to `end` in working time; soon after `now` if that is past."""
        if end is None or end <= start:
            at = self.work_after(start, frac * 2 * HOUR)
        else:
            span = self.calendar.working_seconds_between(datetime.fromtimestamp(start, CST),
                                                         datetime.fromtimestamp(end, CST))
            at = self.work_after(start, frac * span)
        return at if at > now else self.work_after(now, self._rng.uniform(0.05, 0.6) * HOUR)

    def desk_time(self, at: float) -> float:
        """The duty desk works around the clock, slower at night."""
        hour = datetime.fromtimestamp(at, CST).hour
        minutes = self._rng.uniform(5, 45) if hour < 7 or hour >= 22 else self._rng.uniform(2, 20)
        return at + minutes * 60

    def spread(self, at: float, adopted: bool) -> float:
        """Adopted entities start over the next working hours, not all at once."""
        return self.work_after(at, self._rng.uniform(0.0, 3.0) * HOUR) if adopted else at

    # -- cases ------------------------------------------------------------------------------------------------
    def plan(self, case: dict[str, Any]) -> CasePlan:
        cid = int(case["id"])
        plan = self._plans.get(cid)
        if plan is None:
            plan = self._plans[cid] = self.scenario.plan_for_case(case)
        return plan

    def _case_act(self, when: float, actor: ActorRef, command: str, case: dict[str, Any], states: set[str],
                  **params: Any) -> None:
        self._push(when, Act(actor, command, "case", int(case["id"]), frozenset(states), params,
                           ("case", int(case["id"]), 0)))

    def _react_case(self, c: dict[str, Any], at: float, kind: str, adopted: bool) -> None:
        state = c.get("state")
        handler = getattr(self, f"_case_{state}", None)
        if handler is not None:
            handler(self.plan(c), c, at, kind, adopted)

    def _case_reported(self, plan: CasePlan, c: dict[str, Any], at: float, kind: str, adopted: bool) -> None:
        if not self.desk:
            return
        when = self.desk_time(self.spread(at, adopted))
        if plan.reject_reason:
            original = self.world["case"].get(c.get("duplicate_of") or 0, {})
            reason = plan.reject_reason.format(code=original.get("code") or f"#{c.get('duplicate_of')}")
            self._case_act(when, ("desk", 0), "case.reject", c, {"reported"}, reason=reason)
        else:
            self._case_act(when, ("desk", 0), "case.register", c, {"reported"}, note="已核实,予以立案")

    def _case_registered(self, plan: CasePlan, c: dict[str, Any], at: float, kind: str, adopted: bool) -> None:
        if not self.desk or not plan.lead:
            return
        self._case_act(self.desk_time(self.spread(at, adopted)), ("desk", 0), "case.dispatch", c, {"registered"},
                       lead_department_id=plan.lead, co_department_ids=[d for d in plan.co if d != plan.lead],
                       resolution_class=plan.resolution_class, note=plan.text("dispatch", tx.DISPATCH_NOTES))

    def _case_dispatched(self, plan: CasePlan, c: dict[str, Any], at: float, kind: str, adopted: bool) -> None:
        lead = c.get("lead_department_id")
        if not lead:
            return
        actor = ("department", int(lead))
        sign_due = parse_time(c.get("sign_due_at"))
        start = self.spread(at, adopted)
        if plan.return_reason and not c.get("return_count") and lead == plan.lead:
            when = self.within(start, sign_due, self._rng.uniform(0.2, 0.9), start)
            self._case_act(when, actor, "case.return", c, {"dispatched"}, reason=plan.return_reason)
            return
        late = plan.sign_frac if not c.get("return_count") else self._rng.uniform(0.05, 0.7)
        self._case_act(self.within(start, sign_due, late, start), actor, "case.sign", c, {"dispatched"},
                       note="已签收")

    def _case_returned(self, plan: CasePlan, c: dict[str, Any], at: float, kind: str, adopted: bool) -> None:
        if not self.desk:
            return
        when = self.desk_time(self.spread(at, adopted))
        current = c.get("lead_department_id")
        target = plan.redispatch_lead if plan.redispatch_lead not in (0, current) else plan.lead
        if plan.arbitration == "uphold" or not target or target == current:
            self._case_act(when, ("desk", 0), "case.arbitrate", c, {"returned"}, decision="uphold",
                           note=plan.text("uphold", tx.UPHOLD_NOTES))
            return
        name = next((n for n, i in self.scenario.county.departments.items() if i == target), "")
        self._case_act(when, ("desk", 0), "case.arbitrate", c, {"returned"}, decision="redispatch",
                       lead_department_id=target, note=plan.text("redispatch", tx.REDISPATCH_NOTES, lead=name))

    def _case_handling(self, plan: CasePlan, c: dict[str, Any], at: float, kind: str, adopted: bool) -> None:
        cid = int(c["id"])
        lead = c.get("lead_department_id")
        if c.get("extension_pending"):
            if self.desk:
                approve = plan.extension_approved
                params: dict[str, Any] = {"approve": approve, "note": plan.text(
                    "ext", tx.EXTENSION_APPROVE_NOTES if approve else tx.EXTENSION_REFUSE_NOTES)}
                self._case_act(self.desk_time(self.spread(at, adopted)), ("desk", 0), "case.decide_extension", c,
                               {"handling", "feedback"}, **params)
            return
        if not lead:
            return
        actor = ("department", int(lead))
        dispatched, due = parse_time(c.get("dispatched_at")), parse_time(c.get("due_at"))
        start = self.spread(at, adopted)
        if (plan.extension_days and cid not in self._asked_extension and not c.get("rework_count")
                and not c.get("extension_days")):
            self._asked_extension.add(cid)
            when = self.within(dispatched or start, due, plan.extension_frac, start)
            self._case_act(when, actor, "case.request_extension", c, {"handling"}, days=plan.extension_days,
                           reason=plan.text("ext-reason", tx.EXTENSION_REASONS))
            return
        if c.get("rework_count"):
            when = self.work_after(start, self._rng.uniform(0.3, 1.5) * 7 * HOUR)
        else:
            when = self.within(dispatched or start, due, plan.feedback_frac, start)
        self._case_act(when, actor, "case.feedback", c, {"handling"},
                       result=plan.text(f"fb{c.get('rework_count', 0)}", tx.FEEDBACK_RESULTS),
                       evidence=[f"demo://evidence/case/{cid}/{c.get('rework_count', 0) + 1}.jpg"])

    def _case_feedback(self, plan: CasePlan, c: dict[str, Any], at: float, kind: str, adopted: bool) -> None:
        if c.get("extension_pending") and self.desk:
            self._case_act(self.desk_time(at), ("desk", 0), "case.decide_extension", c, {"handling", "feedback"},
                           approve=False, note="已反馈办结,延期申请不再审批")
            return
        passed = int(c.get("rework_count") or 0) >= plan.reworks
        notes = tx.VERIFY_PASS_NOTES if passed else tx.VERIFY_FAIL_NOTES
        actor = self._verifier(c)
        if actor is None:
            return
        when = self.work_after(self.spread(at, adopted), self._rng.uniform(0.5, 5.0) * HOUR)
        self._case_act(when, actor, "case.verify", c, {"feedback"}, passed=passed,
                       note=plan.text(f"verify{c.get('rework_count', 0)}", notes))

    def _verifier(self, c: dict[str, Any]) -> ActorRef | None:
        township = c.get("township_id")
        if township:
            return ("grid_worker", int(township))
        return ("desk", 0) if self.desk else None

    def _case_verified(self, plan: CasePlan, c: dict[str, Any], at: float, kind: str, adopted: bool) -> None:
        if self.desk:
            self._case_act(self.desk_time(self.spread(at, adopted)), ("desk", 0), "case.close", c, {"verified"},
                           note=plan.text("close", tx.CLOSE_NOTES))

    def _case_closed(self, plan: CasePlan, c: dict[str, Any], at: float, kind: str, adopted: bool) -> None:
        if not plan.satisfaction or not c.get("reporter_name"):
            return
        actor = self._verifier(c)
        if actor is None:
            return
        when = self.work_after(at, self._rng.uniform(1.0, 6.0) * HOUR)
        self._case_act(when, actor, "case.evaluate", c, {"closed"}, satisfaction=plan.satisfaction,
                       note=tx.EVALUATE_NOTES[plan.satisfaction])

    # -- whistles ---------------------------------------------------------------------------------------------
    def _whistle_act(self, when: float, actor: ActorRef, command: str, w: dict[str, Any], states: set[str],
                     slot: int, **params: Any) -> None:
        key = ("whistle", int(w["id"]), slot)
        self._push(when, Act(actor, command, "whistle", int(w["id"]), frozenset(states), params, key),
                   replace_pending=False)

    def _react_whistle(self, w: dict[str, Any], at: float, kind: str, adopted: bool) -> None:
        plan = self.scenario.plan_for_whistle(w)
        state = w.get("state")
        start = self.spread(at, adopted)
        if state == "raised" and self.desk:
            params: dict[str, Any] = ({"approve": True, "department_ids": list(plan.departments),
                                       "resolution_class": plan.resolution_class} if plan.approve
                                      else {"approve": False, "reason": plan.reject_reason})
            self._whistle_act(self.desk_time(start), ("desk", 0), "whistle.review", w, {"raised"}, 0, **params)
        elif state == "approved":
            self._whistle_approved(plan, w, start)
        elif state == "resolved":
            self._whistle_scores(plan, w, start)

    def _whistle_approved(self, plan: WhistlePlan, w: dict[str, Any], start: float) -> None:
        calls = w.get("calls") or []
        fracs = dict(zip(plan.departments, plan.arrival_fracs, strict=True))
        for call in calls:
            dept = int(call["department_id"])
            if call.get("arrived_at") is None:
                when = self.within(parse_time(w.get("approved_at")) or start, parse_time(call.get("arrival_due_at")),
                                   fracs.get(dept, 0.5), start)
                self._whistle_act(when, ("department", dept), "whistle.arrive", w, {"approved"}, 10 + dept,
                                  person=f"{self._dept_name(dept)}{self._rng.choice(tx.ARRIVAL_PEOPLE)}",
                                  evidence=f"demo://evidence/whistle/{w['id']}/arrive-{dept}.jpg")
        if calls and all(call.get("arrived_at") for call in calls):
            first = int(calls[0]["department_id"])
            when = self.within(parse_time(w.get("approved_at")) or start, parse_time(w.get("due_at")),
                               plan.resolve_frac, start)
            self._whistle_act(when, ("department", first), "whistle.resolve", w, {"approved"}, 1,
                              note="现场问题已处置完毕")

    def _whistle_scores(self, plan: WhistlePlan, w: dict[str, Any], start: float) -> None:
        township = int(w["township_id"])
        for call in w.get("calls") or []:
            dept = int(call["department_id"])
            if call.get("village_score") is None:
                self._whistle_act(self.work_after(start, self._rng.uniform(0.5, 7.0) * HOUR), ("village", township),
                                  "whistle.score", w, {"approved", "resolved"}, 100 + dept, department_id=dept,
                                  scores=plan.village_scores(call.get("on_time"), dept))
            if call.get("department_score") is None:
                self._whistle_act(self.work_after(start, self._rng.uniform(0.5, 7.0) * HOUR), ("department", dept),
                                  "whistle.score", w, {"approved", "resolved"}, 1000 + dept,
                                  justified=plan.justified, cooperation=plan.cooperation)

    def _dept_name(self, dept: int) -> str:
        return next((n for n, i in self.scenario.county.departments.items() if i == dept), "")

    # -- alarms -----------------------------------------------------------------------------------------------
    def _react_alarm(self, a: dict[str, Any], at: float, kind: str, adopted: bool) -> None:
        if not self.desk or a.get("state") != "open":
            return
        plan = self.scenario.plan_for_alarm(a)
        when = at + self._rng.uniform(1, 10) * 60 if not adopted else self.spread(at, True)
        key = ("alarm", int(a["id"]), 0)
        states = frozenset({"open"})
        if plan.to_case:
            act = Act(("desk", 0), "alarm.to_case", "alarm", int(a["id"]), states,
                      {"category": plan.category, "title": plan.title, "priority": plan.priority,
                       "description": f"视频告警转事件:{plan.title}"}, key)
        else:
            act = Act(("desk", 0), "alarm.dismiss", "alarm", int(a["id"]), states, {"reason": plan.dismiss_reason},
                      key)
        self._push(when, act)

    # -- disputes ---------------------------------------------------------------------------------------------
    def _dispute_act(self, when: float, command: str, d: dict[str, Any], states: set[str], **params: Any) -> None:
        self._push(when, Act(("mediator", 0), command, "dispute", int(d["id"]), frozenset(states), params,
                           ("dispute", int(d["id"]), 0)))

    def _react_dispute(self, d: dict[str, Any], at: float, kind: str, adopted: bool) -> None:
        plan = self.scenario.plan_for_dispute(d)
        state = d.get("state")
        start = self.spread(at, adopted)
        if state == "received" and plan.mediator_id is not None:
            self._dispute_act(self.work_after(start, self._rng.uniform(0.5, 7.0) * HOUR), "dispute.assign", d,
                              {"received"}, mediator_id=plan.mediator_id, note="按专长指派调解员")
        elif state in ("assigned", "mediating"):
            self._dispute_session_step(plan, d, start)
        elif state == "agreed":
            note = "电话回访,协议履行情况良好" if plan.honoured else "回访发现一方未按期履行,已督促"
            self._dispute_act(self.work_after(start, self._rng.uniform(1, 5) * 7 * HOUR), "dispute.follow_up", d,
                              {"agreed"}, honoured=plan.honoured, note=note)

    def _dispute_session_step(self, plan: DisputePlan, d: dict[str, Any], start: float) -> None:
        """A session is due: hold it; too few held: schedule the next; enough: conclude."""
        next_session = parse_time(d.get("next_session_at"))
        held = len(d.get("sessions") or [])
        if next_session is not None:
            self._dispute_act(max(next_session, start), "dispute.record_session", d, {"assigned", "mediating"},
                              summary=self._rng.choice(tx.SESSION_SUMMARIES),
                              proposal="调解员提出调解方案" if held else "")
        elif held < plan.sessions:
            session = self.work_after(start, self._rng.uniform(0.2, 1.5) * 7 * HOUR)
            self._dispute_act(self.work_after(start, self._rng.uniform(0.1, 1.0) * HOUR), "dispute.schedule", d,
                              {"assigned", "mediating"}, at=iso_time(session), room=plan.room)
        elif d.get("state") == "mediating":
            text = self._rng.choice(tx.AGREEMENTS if plan.agreed else tx.FAILURES)
            self._dispute_act(self.work_after(start, self._rng.uniform(0.5, 4.0) * HOUR), "dispute.conclude", d,
                              {"mediating"}, outcome="agreed" if plan.agreed else "failed", text=text)
