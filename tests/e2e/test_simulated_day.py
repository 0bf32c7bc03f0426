"""Issue #3 end to end: `main.py serve --demo --simulate RATE --speed N --history MONTHS` as a real process, run for
one simulated working day, then checked from the event log alone (never from the simulator's own counters):
every state and kind of the case loop, whistle and report both ways, alarms, disputes to their end.

The history (nine days before a Monday 07:00) is how cases get old enough to escalate (2 × 3 working days); the
live day then has to carry them there, and everything else happens live too."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter, defaultdict
from datetime import datetime
from pathlib import Path

from config.schema import load_rules
from services.backend.store import Store, StoredEvent
from services.domain.workcalendar import WorkCalendar
from tests.e2e.conftest import ROOT, free_port

START = "2026-11-23T07:00:00+08:00"  # a Monday
SPEED = 4320.0  # one simulated day in 20 real seconds
RATE, HISTORY = 5.0, 0.3


def label(e: StoredEvent) -> str:
    """The event kind, with the variant that matters for coverage (late sign, decision, on time, side)."""
    change = e.data.get("change") or {}
    variant = {"case.signed": "late" if change.get("late") else "", "case.arbitrated": change.get("decision", ""),
               "case.extension_decided": "approved" if change.get("approve") else "refused",
               "case.supervised": "auto" if change.get("auto") else "manual",
               "whistle.arrived": "on time" if change.get("on_time") else "late",
               "whistle.scored": change.get("side", "")}.get(e.kind, "")
    return f"{e.kind}({variant})" if variant else e.kind


def run_one_simulated_day(db: Path) -> tuple[int, str]:
    args = [sys.executable, "main.py", "serve", "--demo", "--db", str(db), "--port", str(free_port()),
            "--simulate", str(RATE), "--speed", str(SPEED), "--history", str(HISTORY), "--start", START,
            "--seed", "11"]
    proc = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    assert proc.stdout is not None
    lines: list[str] = []
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        lines.append(line)
        if not line or "simulator running" in line:
            break
    assert "simulator running" in lines[-1], "".join(lines)
    time.sleep(86400 / SPEED)
    proc.send_signal(signal.SIGINT)
    rest, _ = proc.communicate(timeout=60)
    return proc.returncode, "".join(lines) + rest


def read_log(db: Path) -> list[StoredEvent]:
    rules = load_rules()
    store = Store.open(f"sqlite:///{db}", rules, WorkCalendar(rules.working_hours))
    try:
        events: list[StoredEvent] = []
        while batch := store.events_after(events[-1].seq if events else 0, 5000):
            events += batch
        return events
    finally:
        store.close()


def test_a_simulated_day_drives_every_state_and_kind(tmp_path: Path) -> None:
    db = tmp_path / "day.sqlite"
    code, output = run_one_simulated_day(db)
    assert code == 0, output
    assert output.index("stopping: simulator first") < output.index("server closing"), output
    events = read_log(db)
    start = datetime.fromisoformat(START).timestamp()
    live = [e for e in events if e.ts >= start and e.kind != "reference.updated"]
    kinds = Counter(label(e) for e in events)
    live_kinds = Counter(label(e) for e in live)

    every = [
        "case.reported", "case.registered", "case.rejected", "case.dispatched", "case.returned",
        "case.arbitrated(redispatch)", "case.arbitrated(uphold)", "case.signed", "case.signed(late)",
        "case.sign_overdue", "case.extension_requested", "case.extension_decided(approved)",
        "case.extension_decided(refused)", "case.feedback", "case.verified", "case.reworked", "case.closed",
        "case.evaluated", "case.overdue", "case.supervised(auto)", "case.escalated",
        "whistle.raised", "whistle.approved", "whistle.rejected", "whistle.arrived(on time)", "whistle.arrived(late)",
        "whistle.resolved", "whistle.scored(village)", "whistle.scored(department)",
        "alarm.raised", "alarm.dismissed", "alarm.converted",
        "dispute.opened", "dispute.assigned", "dispute.scheduled", "dispute.session_recorded", "dispute.agreed",
        "dispute.referred", "dispute.followed_up",
    ]
    assert not [k for k in every if not kinds[k]], dict(kinds)
    # the live day itself, by the simulator's accounts (the history only set the stage)
    for kind in ("case.reported", "case.registered", "case.rejected", "case.dispatched", "case.returned",
                 "case.arbitrated(uphold)", "case.arbitrated(redispatch)", "case.signed", "case.signed(late)",
                 "case.sign_overdue", "case.feedback", "case.verified", "case.closed", "case.overdue",
                 "case.escalated", "alarm.raised", "alarm.dismissed", "whistle.arrived(on time)"):
        assert live_kinds[kind], f"no live {kind}: {dict(live_kinds)}"
    assert {e.actor for e in live} - {"system"} <= {e.actor for e in live if e.actor.startswith("sim_")}
    check_whole_journeys(events)


def check_whole_journeys(events: list[StoredEvent]) -> None:
    """Entities went through their states in order: a case from report to evaluation, a returned case back to
    work, a late sign flagged before it came, an escalated case overdue first, a dispute opened to closed."""
    timelines: dict[tuple[str, int], list[str]] = defaultdict(list)
    for e in events:
        timelines[(e.entity, e.entity_id)].append(e.kind)
    cases = {i: t for (entity, i), t in timelines.items() if entity == "case"}
    full = ["case.reported", "case.registered", "case.dispatched", "case.signed", "case.feedback", "case.verified",
            "case.closed", "case.evaluated"]
    assert any([k for k in t if k in full] == full for t in cases.values())
    assert any(t.index("case.returned") < t.index("case.arbitrated") < t.index("case.signed")
               for t in cases.values() if "case.returned" in t and "case.signed" in t)
    assert any(t.index("case.reworked") < t.index("case.verified") for t in cases.values()
               if "case.reworked" in t and "case.verified" in t)
    late = [e for e in events if e.kind == "case.signed" and e.data["change"]["late"]]
    assert any(cases[e.entity_id].index("case.sign_overdue") < cases[e.entity_id].index("case.signed")
               for e in late if "case.sign_overdue" in cases[e.entity_id])
    escalated = [t for t in cases.values() if "case.escalated" in t]
    assert escalated and all(t.index("case.overdue") < t.index("case.escalated") for t in escalated)
    disputes = [t for (entity, _), t in timelines.items() if entity == "dispute"]
    assert any(t[0] == "dispute.opened" and t[-1] == "dispute.followed_up" for t in disputes)
    assert any(t[-1] == "dispute.referred" for t in disputes)
