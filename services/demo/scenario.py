"""What happens in the simulated county: pure, seeded decisions (no I/O, no clock, no Qt).

`County.from_snapshot(parts)` reads the reference data as the server serves it (snapshot parts), so the live
simulator and the history fill see the same county. `Scenario(county, seed)` then decides:

- **arrivals**: `arrivals(stream, rate_per_hour, start)` — a Poisson process shaped by a day/night curve
  (`CURVES`, each with mean 1 over a day, so `rate_per_hour` is the average);
- **what is reported**: `new_case(n, at)`, `new_whistle(n, at)`, `new_alarm(n, at)`, `new_dispute(n, at)` — the
  n-th arrival of a stream, as a request body (category mix, templated Chinese titles, a point inside a grid,
  channel mix, fake reporters: phone numbers with `0000` in the middle);
- **how each entity is handled**: `plan_for_case(case)`, `plan_for_whistle(...)`, ... — seeded by the entity's
  id, so the same case gets the same fate whoever reported it (the simulator, a human, an alarm).

Every random choice draws from `random.Random(f"{seed}:{stream}:{n}")`: the same seed gives the same county life,
whatever order the drivers ask in.
"""

from __future__ import annotations

import math
import random
import re
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from services.demo import texts as tx
from services.domain.workcalendar import CST

DEFAULT_SEED = 20260101
P_REJECT = 0.05              # registration refused (not the office's business, unclear, ...)
P_DUPLICATE = 0.05           # a second report of the same problem from another channel
P_REJECT_DUPLICATE = 0.9     # a linked duplicate is rejected (else registered anyway)
P_RETURN = 0.08              # the first department returns the case
P_UPHOLD = 0.4               # ... and the desk upholds the dispatch (else redispatches)
P_LATE_SIGN = 0.12           # signed after the 2-working-hour limit
P_EXTENSION = 0.10           # the department asks for more days
P_EXTENSION_APPROVED = 0.7
P_REWORK = 0.10              # verification fails once (a fifth of those twice)
P_DUE_SOON = 0.12            # feedback in the last 20 % of the limit
P_OVERDUE = 0.12             # feedback after the limit (overdue, automatic supervision)
P_ESCALATED = 0.05           # feedback after twice the limit (escalated)
P_ANONYMOUS = 0.10
P_PHONE_IN_TEXT = 0.2        # the reporter's number also written in the description (masking of free text)
P_WHISTLE_APPROVED = 0.85
P_LATE_ARRIVAL = 0.2
P_WHISTLE_UNJUSTIFIED = 0.05
P_ALARM_TO_CASE = 0.25
P_DISPUTE_AGREED = 0.8
P_AGREEMENT_HONOURED = 0.9
SATISFACTION_WEIGHTS = {5: 0.55, 4: 0.25, 3: 0.10, 2: 0.06, 1: 0.04}


def seed_for(seed: int | None, start: float) -> int:
    """The scenario seed: the one asked for, else one derived from the start time (each run lives differently)."""
    return seed if seed is not None else DEFAULT_SEED + int(start) % 100_000


def _normalised(hourly: Sequence[float]) -> tuple[float, ...]:
    mean = sum(hourly) / len(hourly)
    return tuple(h / mean for h in hourly)


CURVES: dict[str, tuple[float, ...]] = {
    # reports peak mid-morning and mid-afternoon, a trickle at night
    "case": _normalised((0.25, 0.15, 0.1, 0.1, 0.1, 0.2, 0.45, 0.9, 1.5, 1.9, 2.0, 1.8,
                         1.3, 1.2, 1.6, 1.8, 1.7, 1.5, 1.2, 1.1, 1.0, 0.8, 0.55, 0.35)),
    # villages blow the whistle in the working day
    "whistle": _normalised((0, 0, 0, 0, 0, 0, 0, 0.3, 1.5, 2.0, 2.0, 1.5, 0.8, 1.0, 1.8, 2.0, 1.8, 1.2,
                            0.4, 0, 0, 0, 0, 0)),
    # cameras see more at night (intrusion, night activity) and at rush hours
    "alarm": _normalised((1.3, 1.2, 1.1, 1.0, 0.9, 0.8, 0.8, 1.2, 1.2, 0.9, 0.8, 0.8,
                          0.8, 0.8, 0.8, 0.9, 1.0, 1.2, 1.2, 1.0, 1.0, 1.1, 1.2, 1.3)),
    "dispute": _normalised((0, 0, 0, 0, 0, 0, 0, 0.2, 1.5, 2.0, 2.0, 1.6, 0.6, 0.8, 1.8, 2.0, 1.8, 1.4,
                            0.6, 0.3, 0, 0, 0, 0)),
}
STREAM_SHARE = {"case": 1.0, "whistle": 1 / 30, "alarm": 1 / 6, "dispute": 1 / 25}
"""Arrivals per simulated hour of each stream, per unit of the case rate (`--simulate RATE`)."""


def curve_at(curve: Sequence[float], t: float) -> float:
    """The curve's value at epoch time `t` (local China time), linear between whole hours."""
    local = datetime.fromtimestamp(t, CST)
    hour = local.hour + local.minute / 60 + local.second / 3600
    low = int(hour) % 24
    frac = hour - int(hour)
    return curve[low] * (1 - frac) + curve[(low + 1) % 24] * frac


def arrival_times(rng: random.Random, rate_per_hour: float, curve: Sequence[float], start: float) -> Iterator[float]:
    """A non-homogeneous Poisson process (thinning): on average `rate_per_hour` × curve(t) arrivals an hour."""
    if rate_per_hour <= 0:
        return
    peak = max(curve)
    t = start
    while True:
        t += rng.expovariate(rate_per_hour * peak / 3600.0)
        if rng.random() * peak <= curve_at(curve, t):
            yield t


def pick_weighted(rng: random.Random, weights: dict[Any, float]) -> Any:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def fake_phone(rng: random.Random) -> str:
    """A clearly fake mobile number (0000 in the middle) that the masking rules still recognise."""
    return f"{rng.choice(('138', '139', '135', '186', '159', '177'))}0000{rng.randrange(10_000):04d}"


def fake_id_number(rng: random.Random) -> str:
    """An 18-character ID number of the county's area code with a 000 sequence (demo)."""
    return f"360121{rng.randint(1950, 2002)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}000{rng.randrange(10)}"


def person_name(rng: random.Random) -> str:
    from services.demo.county import GIVEN_FEMALE, GIVEN_MALE, SURNAMES

    given = GIVEN_MALE if rng.random() < 0.55 else GIVEN_FEMALE
    return rng.choice(SURNAMES) + "".join(rng.choice(given) for _ in range(rng.choice((1, 2, 2))))


# -- the county as the scenario needs it ------------------------------------------------------------------------
@dataclass(frozen=True)
class GridSite:
    id: int
    township_id: int
    place: str
    """Township + community/village, e.g. 莲塘街道迎宾花园社区."""
    urban: bool
    worker: str
    ring: tuple[tuple[float, float], ...] = ()


@dataclass(frozen=True)
class CameraSite:
    id: int
    name: str
    township_id: int | None
    grid_id: int | None
    setting: str
    """road / school / market / gate, from the camera's name."""


@dataclass
class County:
    townships: dict[int, str]
    grids: list[GridSite]
    departments: dict[str, int]
    """Department name -> id."""
    cameras: list[CameraSite] = field(default_factory=list)
    mediators: list[dict[str, Any]] = field(default_factory=list)
    channels: frozenset[str] = frozenset()

    @classmethod
    def from_snapshot(cls, parts: dict[str, Any]) -> County:
        townships = {int(t["id"]): str(t["name"]) for t in parts.get("townships", [])}
        grids = [_grid_site(g, townships) for g in parts.get("grids", [])]
        departments = {str(d["name"]): int(d["id"]) for d in parts.get("departments", [])}
        cameras = [CameraSite(int(c["id"]), str(c["name"]), c.get("township_id"), c.get("grid_id"),
                              _camera_setting(str(c["name"]))) for c in parts.get("cameras", [])]
        channels = frozenset(str(c["code"]) for c in parts.get("channels", []))
        return cls(townships, grids, departments, cameras, list(parts.get("mediators", [])), channels)

    def grids_of(self, township_id: int) -> list[GridSite]:
        return [g for g in self.grids if g.township_id == township_id]


def _grid_site(row: dict[str, Any], townships: dict[int, str]) -> GridSite:
    name = str(row.get("name") or "")
    community = name.split("第")[0] if "第" in name else name
    township = townships.get(int(row["township_id"]), "")
    return GridSite(int(row["id"]), int(row["township_id"]), f"{township}{community}", community.endswith("社区"),
                    str(row.get("worker") or ""), _outer_ring(row.get("geometry")))


def _outer_ring(geometry: Any) -> tuple[tuple[float, float], ...]:
    if not isinstance(geometry, dict):
        return ()
    coords = geometry.get("coordinates") or []
    if geometry.get("type") == "MultiPolygon" and coords:
        coords = coords[0]
    if not coords or not coords[0]:
        return ()
    return tuple((float(x), float(y)) for x, y, *_ in coords[0])


def _camera_setting(name: str) -> str:
    if name.endswith(("路口", "交叉口")):
        return "road"
    if "市场" in name:
        return "market"
    if re.search("(小学|中学|幼儿园|学校)门口$", name):
        return "school"
    return "gate"


def inside(ring: Sequence[tuple[float, float]], x: float, y: float) -> bool:
    """Ray casting: is (x, y) inside the polygon ring?"""
    hit = False
    j = len(ring) - 1
    for i, (xi, yi) in enumerate(ring):
        xj, yj = ring[j]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
            hit = not hit
        j = i
    return hit


def point_in_grid(rng: random.Random, grid: GridSite) -> tuple[float, float] | None:
    """(lat, lon) of a random point inside the grid's polygon; its vertex mean if 30 tries miss; None without one."""
    if len(grid.ring) < 3:
        return None
    xs, ys = [p[0] for p in grid.ring], [p[1] for p in grid.ring]
    for _ in range(30):
        x, y = rng.uniform(min(xs), max(xs)), rng.uniform(min(ys), max(ys))
        if inside(grid.ring, x, y):
            return round(y, 6), round(x, 6)
    return round(sum(ys) / len(ys), 6), round(sum(xs) / len(xs), 6)


# -- plans --------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class CasePlan:
    """How one case will be handled. Fractions are of a deadline window in working time (> 1: late)."""

    id: int
    reject_reason: str
    lead: int
    co: tuple[int, ...]
    resolution_class: str
    return_reason: str
    arbitration: str
    """"uphold" or "redispatch" when the case is returned."""
    redispatch_lead: int
    sign_frac: float
    extension_days: float
    extension_approved: bool
    extension_frac: float
    feedback_frac: float
    reworks: int
    satisfaction: int
    """0: the reporter is not asked (anonymous, or no answer on the callback)."""

    def text(self, key: str, options: Sequence[str], **fmt: Any) -> str:
        return _stable_choice(self.id, key, options).format(**fmt)


@dataclass(frozen=True)
class WhistlePlan:
    id: int
    approve: bool
    reject_reason: str
    departments: tuple[int, ...]
    resolution_class: str
    arrival_fracs: tuple[float, ...]
    resolve_frac: float
    justified: bool
    cooperation: int

    def village_scores(self, on_time: bool | None, rng_key: int) -> dict[str, int]:
        rng = random.Random(f"score:{self.id}:{rng_key}")
        arrival = rng.randint(20, 25) if on_time else rng.randint(8, 16)
        return {"arrival": arrival, "staffing": rng.randint(16, 25), "handling": rng.randint(15, 25),
                "outcome": rng.randint(14, 25)}


@dataclass(frozen=True)
class AlarmPlan:
    id: int
    to_case: bool
    dismiss_reason: str
    category: str
    title: str
    priority: int


@dataclass(frozen=True)
class DisputePlan:
    id: int
    mediator_id: int | None
    sessions: int
    agreed: bool
    honoured: bool
    room: str


def _stable_choice(n: int, key: str, options: Sequence[str]) -> str:
    return options[(n * 7919 + zlib.crc32(key.encode())) % len(options)]


class Scenario:
    def __init__(self, county: County, seed: int = DEFAULT_SEED) -> None:
        self.county = county
        self.seed = seed
        self._problems = {c: ps for c, ps in tx.PROBLEMS.items()}
        self._by_title = {_title_tail(t): p for ps in tx.PROBLEMS.values() for p in ps for t in p.titles}
        self._urban = [g for g in county.grids if g.urban]
        self._rural = [g for g in county.grids if not g.urban]
        self._dept_ids = sorted(county.departments.values())

    def rng(self, stream: str, n: int) -> random.Random:
        return random.Random(f"{self.seed}:{stream}:{n}")

    def arrivals(self, stream: str, rate_per_hour: float, start: float) -> Iterator[float]:
        """Arrival times of `stream` (case, whistle, alarm, dispute) for a case rate of `rate_per_hour`."""
        rng = self.rng(f"arrivals-{stream}", int(start))
        return arrival_times(rng, rate_per_hour * STREAM_SHARE[stream], CURVES[stream], start)

    # -- departments --------------------------------------------------------------------------------------------
    def department(self, name: str, fallback_key: str = "") -> int:
        """The id of the department called `name`, or a stable pick when this county has no such department."""
        found = self.county.departments.get(name)
        if found is not None or not self._dept_ids:
            return found or 0
        return self._dept_ids[zlib.crc32((name or fallback_key).encode()) % len(self._dept_ids)]

    def problem_of(self, category: str, title: str) -> tx.Problem | None:
        for tail, problem in self._by_title.items():
            if title.endswith(tail):
                return problem
        problems = self._problems.get(category)
        return problems[zlib.crc32(title.encode()) % len(problems)] if problems else None

    # -- cases --------------------------------------------------------------------------------------------------
    def new_case(self, n: int, at: float) -> tuple[dict[str, Any], dict[str, Any] | None]:
        """The n-th reported case: its `case.report` body, and a second report of it from another channel or None."""
        rng = self.rng("case", n)
        category = pick_weighted(rng, tx.CATEGORY_WEIGHTS)
        problem = rng.choice(self._problems[category])
        grid = self._grid_for(rng, problem.setting)
        channel = self._channel(rng)
        body = self._report_body(rng, n, category, problem, grid, channel)
        duplicate = None
        if rng.random() < P_DUPLICATE:
            other = self._channel(rng, exclude=channel)
            duplicate = {**self._report_body(rng, n, category, problem, grid, other),
                         "title": body["title"], "external_ref": f"{body['external_ref']}-2"}
            for key in ("lat", "lon"):
                if key in body:
                    duplicate[key] = body[key]
        return body, duplicate

    def _grid_for(self, rng: random.Random, setting: str) -> GridSite | None:
        pool = self._urban if setting == "urban" else self._rural if setting == "rural" else self.county.grids
        pool = pool or self.county.grids
        return rng.choice(pool) if pool else None

    def _channel(self, rng: random.Random, exclude: str = "") -> str:
        weights = {c: w for c, w in tx.CHANNEL_WEIGHTS.items()
                   if c != exclude and (not self.county.channels or c in self.county.channels)}
        return pick_weighted(rng, weights) if weights else exclude

    def _report_body(self, rng: random.Random, n: int, category: str, problem: tx.Problem, grid: GridSite | None,
                     channel: str) -> dict[str, Any]:
        place = grid.place if grid else rng.choice(list(self.county.townships.values()) or ["县城"])
        title = rng.choice(problem.titles).format(p=place)
        reporter, phone = self._reporter(rng, channel, grid)
        detail = rng.choice(problem.details)
        spot = rng.choice(tx.SPOTS_URBAN if grid is None or grid.urban else tx.SPOTS_RURAL)
        text = f"{rng.choice(tx.INTROS.get(channel, ('群众反映:',)))}{place}{spot}{detail},{rng.choice(tx.DURATIONS)}"
        if phone and rng.random() < P_PHONE_IN_TEXT:
            text += f"来电人{reporter}(联系电话{phone})"
        body: dict[str, Any] = {
            "channel": channel, "category": category, "title": title[:200], "description": text + rng.choice(tx.ASKS),
            "priority": rng.choices((1, 2, 3, 4), weights=(0.08, 0.25, 0.62, 0.05))[0],
            "reporter_name": reporter, "reporter_phone": phone, "external_ref": f"SIM{self.seed % 10_000:04d}-{n:07d}",
        }
        if grid is not None:
            body["township_id"], body["grid_id"] = grid.township_id, grid.id
            point = point_in_grid(rng, grid)
            if point is not None:
                body["lat"], body["lon"] = point
        return body

    def _reporter(self, rng: random.Random, channel: str, grid: GridSite | None) -> tuple[str, str]:
        if channel == "grid_app" and grid is not None and grid.worker:
            return grid.worker, fake_phone(rng)
        if rng.random() < P_ANONYMOUS:
            return "", ""
        return person_name(rng), fake_phone(rng)

    def plan_for_case(self, case: dict[str, Any]) -> CasePlan:
        """The fate of a case, from its id, category and title (whoever reported it)."""
        cid = int(case["id"])
        rng = self.rng("case-plan", cid)
        problem = self.problem_of(str(case.get("category") or ""), str(case.get("title") or ""))
        lead = self.department(problem.lead if problem else "县城管局", str(case.get("category")))
        alt = self.department(problem.alt if problem and problem.alt else "", f"alt-{cid}") if problem else 0
        co = tuple(sorted({self.department(n) for n in (problem.co if problem else ())} - {lead, 0}))
        if rng.random() >= 0.6:
            co = co[:1]
        classes = problem.classes if problem else (0.65, 0.28, 0.07)
        reject = ""
        if case.get("duplicate_of") and rng.random() < P_REJECT_DUPLICATE:
            reject = tx.DUPLICATE_REASON
        elif rng.random() < P_REJECT and case.get("channel") != "video_alarm":
            reject = rng.choice(tx.REJECT_REASONS)
        returned = rng.random() < P_RETURN and alt not in (0, lead)
        return CasePlan(
            id=cid, reject_reason=reject, lead=lead, co=co,
            resolution_class=rng.choices(("immediate", "coordinated", "planned"), weights=classes)[0],
            return_reason=rng.choice(tx.RETURN_REASONS).format(alt=_name_of(self.county, alt)) if returned else "",
            arbitration="uphold" if rng.random() < P_UPHOLD else "redispatch", redispatch_lead=alt,
            sign_frac=rng.uniform(1.6, 3.5) if rng.random() < P_LATE_SIGN else rng.uniform(0.05, 0.85),
            extension_days=float(rng.choice((1, 2, 2, 3, 5))) if rng.random() < P_EXTENSION else 0.0,
            extension_approved=rng.random() < P_EXTENSION_APPROVED, extension_frac=rng.uniform(0.4, 0.75),
            feedback_frac=_feedback_frac(rng),
            reworks=(2 if rng.random() < 0.2 else 1) if rng.random() < P_REWORK else 0,
            satisfaction=pick_weighted(rng, SATISFACTION_WEIGHTS) if rng.random() < 0.9 else 0,
        )

    # -- whistles -----------------------------------------------------------------------------------------------
    def new_whistle(self, n: int) -> dict[str, Any]:
        """The n-th whistle: a `whistle.raise` body (the village user of `township_id` raises it)."""
        rng = self.rng("whistle", n)
        grid = rng.choice(self._rural or self.county.grids)
        title, text, departments = rng.choice(tx.WHISTLES)
        names = [d for d in departments if d in self.county.departments] or list(departments)
        return {"township_id": grid.township_id, "grid_id": grid.id, "title": title.format(p=grid.place)[:200],
                "description": text, "proposal": f"请{'、'.join(names)}到场"}

    def plan_for_whistle(self, whistle: dict[str, Any]) -> WhistlePlan:
        wid = int(whistle["id"])
        rng = self.rng("whistle-plan", wid)
        proposal = str(whistle.get("proposal") or "")
        named = sorted({i for name, i in self.county.departments.items() if name in proposal})
        departments = tuple(named) or tuple(rng.sample(self._dept_ids, min(2, len(self._dept_ids))))
        return WhistlePlan(
            id=wid, approve=rng.random() < P_WHISTLE_APPROVED, reject_reason=rng.choice(tx.WHISTLE_REJECT_REASONS),
            departments=departments,
            resolution_class=rng.choices(("immediate", "coordinated", "planned"), weights=(0.5, 0.4, 0.1))[0],
            arrival_fracs=tuple(rng.uniform(1.2, 2.5) if rng.random() < P_LATE_ARRIVAL else rng.uniform(0.1, 0.9)
                                for _ in departments),
            resolve_frac=rng.uniform(0.3, 1.3), justified=rng.random() >= P_WHISTLE_UNJUSTIFIED,
            cooperation=rng.choice((3, 4, 4, 5, 5, 5)),
        )

    # -- alarms -------------------------------------------------------------------------------------------------
    def new_alarm(self, n: int, at: float) -> dict[str, Any] | None:
        """The n-th camera alarm: an `alarm.raise` body (None without cameras)."""
        if not self.county.cameras:
            return None
        rng = self.rng("alarm", n)
        camera = rng.choice(self.county.cameras)
        kinds = list(tx.ALARM_KINDS[camera.setting])
        night = not 6 <= datetime.fromtimestamp(at, CST).hour < 20
        if not night:
            kinds = [k for k in kinds if k != "night_activity"]
        return {"camera_id": camera.id, "kind": rng.choice(kinds), "confidence": round(rng.uniform(0.55, 0.99), 2)}

    def plan_for_alarm(self, alarm: dict[str, Any]) -> AlarmPlan:
        aid = int(alarm["id"])
        rng = self.rng("alarm-plan", aid)
        category, phrase, priority = tx.ALARM_CASES.get(str(alarm.get("kind")), ("安全隐患", "视频告警", 3))
        camera = next((c for c in self.county.cameras if c.id == alarm.get("camera_id")), None)
        where = camera.name.replace("·", "") if camera else "监控点位"
        return AlarmPlan(aid, rng.random() < P_ALARM_TO_CASE, rng.choice(tx.ALARM_DISMISS_REASONS), category,
                         f"{where}{phrase}"[:200], priority)

    # -- disputes -----------------------------------------------------------------------------------------------
    def new_dispute(self, n: int) -> dict[str, Any]:
        """The n-th dispute for the mediation center: a `dispute.open` body."""
        rng = self.rng("dispute", n)
        category = rng.choice(list(tx.DISPUTE_KINDS))
        grid = rng.choice(self.county.grids) if self.county.grids else None
        a, b = person_name(rng), person_name(rng)
        issue = rng.choice(tx.DISPUTE_KINDS[category])
        body: dict[str, Any] = {
            "title": f"{a}与{b}{issue}"[:200], "category": category,
            "level": rng.choices(("village", "township", "county"), weights=(0.5, 0.35, 0.15))[0],
            "kind": rng.choices(("people", "administrative", "judicial", "litigation"),
                                weights=(0.7, 0.12, 0.1, 0.08))[0],
            "description": f"{grid.place if grid else ''}{a}与{b}{issue},申请调解。",
            "parties": [{"name": a, "phone": fake_phone(rng), "id_number": fake_id_number(rng), "side": "applicant"},
                        {"name": b, "phone": fake_phone(rng), "side": "respondent"}],
            "channel": rng.choice(("walk_in", "hotline_12345", "grid_app")),
        }
        if grid is not None:
            body["township_id"], body["grid_id"] = grid.township_id, grid.id
        return body

    def plan_for_dispute(self, dispute: dict[str, Any]) -> DisputePlan:
        did = int(dispute["id"])
        rng = self.rng("dispute-plan", did)
        category = str(dispute.get("category") or "")
        roster = self.county.mediators
        fitting = [m for m in roster if category in (m.get("specialties") or [])] or roster
        mediator = rng.choice(fitting)["id"] if fitting else None
        return DisputePlan(did, mediator, rng.choice((1, 1, 2, 2, 3)), rng.random() < P_DISPUTE_AGREED,
                           rng.random() < P_AGREEMENT_HONOURED, rng.choice(tx.ROOMS))


def _feedback_frac(rng: random.Random) -> float:
    """When the department feeds back, as a fraction of the resolution limit (working time from dispatch)."""
    roll = rng.random()
    if roll < P_ESCALATED:
        return rng.uniform(2.1, 3.2)
    if roll < P_ESCALATED + P_OVERDUE:
        return rng.uniform(1.05, 1.9)
    if roll < P_ESCALATED + P_OVERDUE + P_DUE_SOON:
        return rng.uniform(0.8, 0.98)
    return math.sqrt(rng.uniform(0.01, 0.6))  # most feed back in the first half to three quarters


def _title_tail(template: str) -> str:
    return template.replace("{p}", "")


def _name_of(county: County, department_id: int) -> str:
    return next((n for n, i in county.departments.items() if i == department_id), "相关部门")
