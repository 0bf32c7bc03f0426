"""The live simulator against a real hub on 127.0.0.1 (services/demo/simulator.py): a human can take the duty
desk, a refused account is logged and skipped without spinning, and stopping closes every connection.
Checked from the event log and the audit table, never from the simulator's counters."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest_asyncio
from sqlalchemy import select

from config.schema import DEFAULT_HOLIDAY_DIR
from services.backend import tables
from services.backend.clock import ServerClock
from services.backend.hub import Hub
from services.backend.seed import ensure_demo
from services.backend.store import Store, StoredEvent
from services.demo.simulator import SimOptions, Simulator
from services.domain.workcalendar import CST, WorkCalendar
from tests.backend.conftest import RawClient, make_rules

TUESDAY_9 = datetime(2026, 11, 24, 9, 0, tzinfo=CST).timestamp()
SPEED = 3000.0


@dataclass
class DemoServer:
    hub: Hub
    store: Store
    url: str
    tokens: dict[str, str]
    clock: ServerClock


@pytest_asyncio.fixture
async def demo_server(tmp_path: Path) -> AsyncIterator[DemoServer]:
    rules = make_rules(deadline_sweep_s=30.0)
    store = Store.open(f"sqlite:///{tmp_path / 'sim.sqlite'}", rules,
                       WorkCalendar(rules.working_hours, DEFAULT_HOLIDAY_DIR))
    tokens = ensure_demo(store)
    clock = ServerClock(SPEED, origin=TUESDAY_9)
    hub = Hub(store, rules, clock=clock)
    host, port = await hub.start("127.0.0.1", 0)
    yield DemoServer(hub, store, f"ws://{host}:{port}", tokens, clock)
    await hub.stop()
    store.close()


def events_of(store: Store) -> list[StoredEvent]:
    out: list[StoredEvent] = []
    after = 0
    while batch := store.events_after(after, 5000):
        out += batch
        after = batch[-1].seq
    return out


async def wait_until(check: Any, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.2)


async def test_a_human_takes_the_desk_and_simulated_departments_answer(demo_server: DemoServer) -> None:
    srv = demo_server
    sim = Simulator(SimOptions(srv.url, srv.tokens, rate_per_hour=0, speed=SPEED, desk=False, seed=9))
    await sim.start()  # no clock handed in: it reads the server's time with ping
    assert abs(sim.now() - srv.clock()) < 3 * SPEED  # within a few real seconds
    duty = await RawClient.open(srv.url, srv.tokens["demo_duty_officer"], "console-1")
    try:
        departments = {d["name"]: d["id"] for d in srv.store.snapshot(["departments"])["departments"]}
        ids = []
        for n, (title, lead) in enumerate([("小区停水未提前通知", "县水务集团"), ("生活垃圾堆积未清运", "县城管局"),
                                           ("路口红绿灯故障", "县交警大队"), ("楼道杂物堵塞消防通道", "县消防救援大队"),
                                           ("占道经营", "县城管局"), ("路面坑洼破损", "县住建局")]):
            reported = await duty.ok("case.report", {"channel": "hotline_12345", "category": "城市管理",
                                                     "title": f"莲塘街道迎宾花园社区{title}", "township_id": 1,
                                                     "grid_id": 1 + n, "reporter_name": "张三"})
            registered = await duty.ok("case.register", {"id": reported["id"], "expected_version": 1})
            await duty.ok("case.dispatch", {"id": reported["id"], "expected_version": registered["version"],
                                            "lead_department_id": departments[lead],
                                            "resolution_class": "immediate"})
            ids.append(reported["id"])

        def answered() -> bool:
            return all(srv.store.get_case(i)["case"]["state"] != "dispatched" for i in ids)

        await wait_until(answered, 40)
        for case_id in ids:
            case = srv.store.get_case(case_id)
            answer = next(e for e in case["timeline"] if e["kind"] in ("case.signed", "case.returned"))
            assert answer["actor"] == f"sim_dept_{case['case']['lead_department_id']:02d}"
            if case["case"]["state"] == "returned":  # the human desk arbitrates; the department then signs
                await duty.ok("case.arbitrate", {"id": case_id, "expected_version": case["case"]["version"],
                                                 "decision": "uphold"})
        await wait_until(lambda: all(srv.store.get_case(i)["case"]["state"] not in ("dispatched", "returned")
                                     for i in ids), 40)
        assert all(e.actor != "sim_desk" for e in events_of(srv.store))  # the desk was left to the human
    finally:
        await sim.stop()
        await duty.close()


async def test_a_refused_account_is_skipped_and_the_rest_goes_on(demo_server: DemoServer) -> None:
    srv = demo_server
    tokens = dict(srv.tokens)
    tokens["sim_dept_02"], tokens["sim_dept_03"] = srv.tokens["sim_dept_03"], srv.tokens["sim_dept_02"]  # swapped
    sim = Simulator(SimOptions(srv.url, tokens, rate_per_hour=30, speed=SPEED, seed=4, clock=srv.clock))
    await sim.start()
    try:
        await wait_until(lambda: sum(e.kind == "case.signed" for e in events_of(srv.store)) >= 15, 40)
        await asyncio.sleep(2)
    finally:
        await sim.stop()
    events = events_of(srv.store)
    swapped = {e.entity_id for e in events if e.kind in ("case.dispatched", "case.arbitrated")
               and e.data["case"]["lead_department_id"] in (2, 3)}
    with srv.store.engines.read.connect() as conn:
        denied = conn.execute(select(tables.AuditRow.user_name).where(tables.AuditRow.action == "denied")).all()
    assert swapped and denied  # their steps went out under the wrong account and were refused ...
    assert {row[0] for row in denied} <= {"sim_dept_02", "sim_dept_03"}
    assert len(denied) <= 3 * len(swapped) + 5  # ... once each, never in a loop
    signers = {e.actor for e in events if e.kind == "case.signed"}
    assert len(signers - {"sim_dept_02", "sim_dept_03"}) >= 3  # every other department kept working
    assert not [c for c in srv.hub.clients if c.actor.name.startswith("sim_")]  # stop closed every connection
    ping = await RawClient.open(srv.url, srv.tokens["demo_leader"])
    try:
        assert (await ping.ok("ping"))["head_seq"] >= events[-1].seq  # the server is fine
    finally:
        await ping.close()
