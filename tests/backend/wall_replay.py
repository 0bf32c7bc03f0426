"""The wall's figures computed independently of the server's queries: the event log is folded into cases and
whistles (every event carries its whole entity, PROTOCOL §8), which are then counted as docs/PROTOCOL.md defines each
figure of `stats.today` / `stats.wall`. Nothing here calls services/backend/wall_stats.py."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from services.domain.workcalendar import CST

OPEN = {"reported", "registered", "dispatched", "returned", "handling", "feedback", "verified"}
"""PROTOCOL §14.1, "Open states"."""
IN_HANDLING = {"dispatched", "handling", "feedback", "returned"}
CLOSED = {"closed", "evaluated"}
Case = dict[str, Any]


def ts(value: str | None) -> float | None:
    return None if value is None else datetime.fromisoformat(value).timestamp()


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass
class Replay:
    now: float
    last_seq: int = 0
    cases: dict[int, Case] = field(default_factory=dict)
    whistles: dict[int, dict[str, Any]] = field(default_factory=dict)
    report_times: dict[int, float] = field(default_factory=dict)
    """`at` of each case's case.reported event."""

    @classmethod
    def from_events(cls, events: Iterable[dict[str, Any]], now: float) -> Replay:
        replay = cls(now)
        for event in sorted(events, key=lambda e: e["seq"]):
            assert event["seq"] == replay.last_seq + 1, "the log is gap-free"
            replay.last_seq = event["seq"]
            data = event["data"]
            if "case" in data:
                replay.cases[data["case"]["id"]] = data["case"]
                if event["kind"] == "case.reported":
                    replay.report_times[data["case"]["id"]] = ts(data["at"]) or 0.0
            if "whistle" in data:
                replay.whistles[data["whistle"]["id"]] = data["whistle"]
        return replay

    # -- days -------------------------------------------------------------------------------------
    def midnight(self, days_back: int) -> float:
        local = datetime.fromtimestamp(self.now, CST).replace(hour=0, minute=0, second=0, microsecond=0)
        return (local - timedelta(days=days_back)).timestamp()

    def day(self, days_back: int) -> tuple[float, float]:
        return self.midnight(days_back), self.midnight(days_back - 1)

    def label(self, days_back: int) -> str:
        return datetime.fromtimestamp(self.midnight(days_back), CST).date().isoformat()

    # -- sets of cases ----------------------------------------------------------------------------
    def where(self, test: Callable[[Case], bool]) -> set[int]:
        return {cid for cid, case in self.cases.items() if test(case)}

    def stepped(self, step: str, lo: float, hi: float) -> set[int]:
        """Cases whose `<step>_at` is in [lo, hi)."""
        return self.where(lambda c: (t := ts(c[f"{step}_at"])) is not None and lo <= t < hi)

    def closed(self, lo: float, hi: float) -> set[int]:
        """Closed (结案) in [lo, hi): now closed or evaluated (a rejection also has a closed_at)."""
        return {cid for cid in self.stepped("closed", lo, hi) if self.cases[cid]["state"] in CLOSED}

    def on_time(self, ids: set[int], value: bool = True) -> set[int]:
        return {cid for cid in ids if self.cases[cid]["on_time"] is value}

    def open(self) -> set[int]:
        return self.where(lambda c: c["state"] in OPEN)

    def overdue(self) -> set[int]:
        return {cid for cid in self.open() if self.cases[cid]["overdue"]}

    def having(self, key: str, value: Any, ids: set[int]) -> set[int]:
        return {cid for cid in ids if self.cases[cid][key] == value}

    def window(self, days: int) -> tuple[float, float]:
        return self.midnight(days - 1), self.midnight(-1)

    def figure_sets(self, days: int) -> dict[str, set[int]]:
        """The cases behind each count figure (the drill-down's figures, services/drilldown.py) for today."""
        d0, d1 = self.day(0)
        reported = self.stepped("reported", d0, d1)
        closed = self.closed(d0, d1)
        window_closed = self.closed(*self.window(days))
        out = {"reported": reported, "registered": self.stepped("registered", d0, d1),
               "dispatched": self.stepped("dispatched", d0, d1), "closed": closed,
               "closed_on_time": self.on_time(closed), "closed_late": self.on_time(closed, False),
               "in_handling": self.where(lambda c: c["state"] in IN_HANDLING), "overdue": self.overdue(),
               "open": self.open()}
        for code in {c["channel"] for c in self.cases.values()}:
            out[f"channel:{code}"] = self.having("channel", code, reported)
        for name in {c["category"] for c in self.cases.values()}:
            out[f"category:{name}"] = self.having("category", name, reported)
        for hour in range(24):
            out[f"hour:{hour}"] = self.stepped("reported", d0 + hour * 3600, d0 + (hour + 1) * 3600)
        for back in range(days):
            out[f"day:{self.label(back)}"] = self.stepped("reported", *self.day(back))
            out[f"day_closed:{self.label(back)}"] = self.closed(*self.day(back))
        for town in {c["township_id"] for c in self.cases.values()} - {None}:
            out[f"township:{town}"] = self.having("township_id", town, reported)
            out[f"township_open:{town}"] = self.having("township_id", town, self.open())
            out[f"township_overdue:{town}"] = self.having("township_id", town, self.overdue())
            out[f"township_closed:{town}"] = self.having("township_id", town, window_closed)
        for dep in {c["lead_department_id"] for c in self.cases.values()} - {None}:
            out[f"department:{dep}"] = self.having("lead_department_id", dep, self.open())
            out[f"department_overdue:{dep}"] = self.having("lead_department_id", dep, self.overdue())
            out[f"department_closed:{dep}"] = self.having("lead_department_id", dep, window_closed)
        return out

    # -- the figures ------------------------------------------------------------------------------
    def today(self) -> dict[str, Any]:
        """`stats.today`, PROTOCOL §16."""
        d0, d1 = self.day(0)
        reported = self.stepped("reported", d0, d1)
        closed = self.closed(d0, d1)
        evaluated = {cid for cid in closed if self.cases[cid]["satisfaction"] is not None}
        satisfied = {cid for cid in evaluated if self.cases[cid]["satisfaction"] >= 4}
        raised = [w for w in self.whistles.values() if d0 <= (ts(w["raised_at"]) or 0) < d1]
        return {
            "as_of_seq": self.last_seq, "day": self.label(0), "as_of": datetime.fromtimestamp(self.now, CST)
            .isoformat(timespec="seconds"),
            "reported": len(reported), "registered": len(self.stepped("registered", d0, d1)),
            "dispatched": len(self.stepped("dispatched", d0, d1)),
            "in_handling": len(self.where(lambda c: c["state"] in IN_HANDLING)),
            "closed": len(closed), "on_time_closure_rate": _rate(len(self.on_time(closed)), len(closed)),
            "overdue": len(self.overdue()), "satisfaction_rate": _rate(len(satisfied), len(evaluated)),
            "whistles_raised": len(raised),
            "by_channel": dict(Counter(self.cases[cid]["channel"] for cid in reported)),
        }

    def wall(self, days: int) -> dict[str, Any]:
        """`stats.wall`, PROTOCOL §16."""
        d0, d1 = self.day(0)
        y0 = self.midnight(1)
        reported = self.stepped("reported", d0, d1)
        calls_today = [c for c in self.calls() if d0 <= (ts(c["arrival_due_at"]) or 0) < d1]
        return {
            **self.today(), "days": days,
            "window_start": datetime.fromtimestamp(self.window(days)[0], CST).isoformat(timespec="seconds"),
            "whistle_calls_due_today": len(calls_today),
            "whistle_calls_arrived_on_time_today": sum(c["on_time"] is True for c in calls_today),
            "hourly_today": [len(self.stepped("reported", d0 + h * 3600, d0 + (h + 1) * 3600)) for h in range(24)],
            "hourly_yesterday": [len(self.stepped("reported", y0 + h * 3600, y0 + (h + 1) * 3600))
                                 for h in range(24)],
            "daily": [{"day": self.label(back), "reported": len(self.stepped("reported", *self.day(back))),
                       "closed": len(self.closed(*self.day(back))),
                       "on_time": len(self.on_time(self.closed(*self.day(back))))}
                      for back in range(days - 1, -1, -1)],
            "categories_today": [{"category": k, "count": n} for k, n in sorted(
                Counter(self.cases[cid]["category"] for cid in reported).items(), key=lambda kv: (-kv[1], kv[0]))],
            "townships": self.townships(days),
            "departments": self.departments(days),
            "whistle_arrival": self.whistle_arrival(days),
        }

    def townships(self, days: int) -> list[dict[str, Any]]:
        reported = self.stepped("reported", *self.day(0))
        closed = self.closed(*self.window(days))
        out = []
        for town in sorted({c["township_id"] for c in self.cases.values()} - {None}):
            row = {"township_id": town, "reported_today": len(self.having("township_id", town, reported)),
                   "open": len(self.having("township_id", town, self.open())),
                   "overdue": len(self.having("township_id", town, self.overdue())),
                   "closed_window": len(self.having("township_id", town, closed)),
                   "on_time_window": len(self.on_time(self.having("township_id", town, closed)))}
            if any(row[k] for k in ("reported_today", "open", "overdue", "closed_window")):
                out.append({**row, "on_time_rate_window": _rate(row["on_time_window"], row["closed_window"])})
        return out

    def departments(self, days: int) -> list[dict[str, Any]]:
        """Lead departments of open cases or of the window's closures, best on-time rate first (none last),
        then more closures first, then by id."""
        closed = self.closed(*self.window(days))
        out = []
        for dep in {self.cases[cid]["lead_department_id"] for cid in self.open() | closed} - {None}:
            mine = self.having("lead_department_id", dep, closed)
            out.append({"department_id": dep, "open": len(self.having("lead_department_id", dep, self.open())),
                        "overdue": len(self.having("lead_department_id", dep, self.overdue())),
                        "closed_window": len(mine), "on_time_window": len(self.on_time(mine)),
                        "on_time_rate_window": _rate(len(self.on_time(mine)), len(mine))})
        return sorted(out, key=lambda d: (d["on_time_rate_window"] is None, -(d["on_time_rate_window"] or 0),
                                          -d["closed_window"], d["department_id"]))

    def calls(self) -> list[dict[str, Any]]:
        return [call for w in self.whistles.values() for call in w["calls"]]

    def whistle_arrival(self, days: int) -> dict[str, Any]:
        """Calls due in the window whose due time has passed or that arrived already."""
        lo, hi = self.window(days)
        due = [c for c in self.calls() if lo <= (ts(c["arrival_due_at"]) or 0) < hi
               and (c["arrived_at"] is not None or (ts(c["arrival_due_at"]) or 0) <= self.now)]
        on_time = sum(c["on_time"] is True for c in due)
        late = sum(c["on_time"] is False for c in due)
        return {"calls_due": len(due), "arrived_on_time": on_time, "arrived_late": late,
                "not_arrived": len(due) - on_time - late, "rate": _rate(on_time, len(due))}
