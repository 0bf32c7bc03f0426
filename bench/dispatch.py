"""Dispatch throughput through the full stack: M concurrent duty consoles doing case.dispatch, one subscriber.

A dispatch counts when its reply is `ok` AND the subscriber has received its `case.dispatched` event;
rate = counted dispatches / (time of the last completion - start). Each client sends its next dispatch
when the previous reply arrives (closed loop), every dispatch with `expected_version`.

Setup: a SQLite store (WAL, synchronous=FULL) in bench/out/, reference data of the demo county, K cases
pre-created through `Store.execute` (case.report + case.register, the same transactions the server runs);
the pre-created file is cached under bench/out/ and copied for each run. Then `main.py serve` in its own
process; clients and subscriber in this process (websockets client).
Baselines in the same run, same disk:
  raw SQLite commits/s: one small-row INSERT per transaction, WAL, synchronous=FULL, BEGIN IMMEDIATE (sqlite3)
  Store.execute("case.dispatch") in-process on one thread (the store alone: no websocket, no hub)

    .venv/bin/python bench/dispatch.py [--quick]
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import json
import shutil
import sqlite3
import sys
import time
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import (
    OUT,
    CpuMeter,
    Rpc,
    ServerProc,
    add_user,
    base_args,
    lat_summary,
    print_header,
    print_table,
    report_body,
)

STORE_ONLY_CASES = 400


def raw_sqlite_commits(seconds: float) -> tuple[float, int]:
    """One small-row insert per transaction, WAL, synchronous=FULL, BEGIN IMMEDIATE; commits/s."""
    path = OUT / "raw-commits.sqlite"
    _unlink_db(path)
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, ts REAL, payload TEXT)")
        n, t0 = 0, time.perf_counter()
        while time.perf_counter() - t0 < seconds and n < 10_000_000:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("INSERT INTO t (ts, payload) VALUES (?, ?)", (time.time(), "x" * 64))
            conn.execute("COMMIT")
            n += 1
        return n / (time.perf_counter() - t0), n
    finally:
        conn.close()
        _unlink_db(path)


def _unlink_db(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", ".lock"):
        with contextlib.suppress(FileNotFoundError):
            Path(f"{path}{suffix}").unlink()


def _open_store(path: Path, fast_setup: bool = False) -> Any:
    from sqlalchemy import event

    from config.schema import load_rules
    from services.backend.store import Store
    from services.domain.workcalendar import WorkCalendar

    rules = load_rules()
    store = Store.open(f"sqlite:///{path}", rules, WorkCalendar(rules.working_hours))
    if fast_setup:  # only for building the cached fixture, never for a measurement
        store.engines.write.dispose()

        @event.listens_for(store.engines.write, "connect")
        def _fast(dbapi_conn: Any, _rec: Any) -> None:
            dbapi_conn.execute("PRAGMA synchronous=OFF")
    return store


def build_fixture(k: int) -> tuple[Path, dict[str, str]]:
    """A store with the demo reference data, two users and K+STORE_ONLY_CASES registered cases (cached)."""
    OUT.mkdir(parents=True, exist_ok=True)
    base = OUT / f"dispatch-base-{k}.sqlite"
    meta = base.with_suffix(".json")
    if base.exists() and meta.exists():
        return base, json.loads(meta.read_text())
    _unlink_db(base)
    from services.backend import seed
    from services.domain.model import Actor, Role

    tokens = {"duty": add_user(base, "bench_duty", "duty_officer"), "wall": add_user(base, "bench_wall", "leader")}
    store = _open_store(base, fast_setup=True)
    try:
        store.load_reference(seed.minimal_reference())
        uid = next(u["id"] for u in store.list_users() if u["name"] == "bench_duty")
        actor = Actor(uid, "bench_duty", Role.duty_officer, console="bench-setup")
        t0 = time.perf_counter()
        for i in range(k + STORE_ONLY_CASES):
            r = store.execute("case.report", actor, report_body(f"dispatch-bench-{i:07d}", 1 + i % 21),
                              uuid.uuid4().hex)
            store.execute("case.register", actor, {"id": r.result["id"], "expected_version": 1}, uuid.uuid4().hex)
            if i and i % 2000 == 0:
                print(f"   fixture: {i:,} cases ({i / (time.perf_counter() - t0):,.0f}/s)", flush=True)
    finally:
        store.close()
    meta.write_text(json.dumps(tokens))
    return base, tokens


def store_only_dispatch(path: Path, case_ids: list[int]) -> tuple[float, dict[str, float]]:
    """Store.execute('case.dispatch') in-process, one thread, synchronous=FULL: dispatches/s and latency."""
    from services.domain.model import Actor, Role

    store = _open_store(path)
    try:
        uid = next(u["id"] for u in store.list_users() if u["name"] == "bench_duty")
        actor = Actor(uid, "bench_duty", Role.duty_officer, console="bench")
        lats = []
        t0 = time.perf_counter()
        for cid in case_ids:
            t = time.perf_counter()
            store.execute("case.dispatch", actor, {"id": cid, "expected_version": 2, "lead_department_id":
                                                   1 + cid % 38, "resolution_class": "immediate"}, uuid.uuid4().hex)
            lats.append(time.perf_counter() - t)
        return len(case_ids) / (time.perf_counter() - t0), lat_summary(lats)
    finally:
        store.close()


async def full_stack(url: str, tokens: dict[str, str], levels: list[tuple[int, list[int], float]]
                     ) -> list[dict[str, Any]]:
    events: dict[int, float] = {}
    sub = await Rpc.open(url, tokens["wall"], "bench-wall")
    sub.on_event = lambda msg, t: events.__setitem__(msg["seq"], t)
    await sub.call("subscribe", {"kinds": ["case.dispatched"]}, change=False)
    out = []
    try:
        for m, case_ids, seconds in levels:
            out.append(await run_level(url, tokens, m, case_ids, seconds, events))
    finally:
        await sub.close()
    return out


async def run_level(url: str, tokens: dict[str, str], m: int, case_ids: list[int], seconds: float,
                    events: dict[int, float]) -> dict[str, Any]:
    """M consoles dispatch from a shared pool, closed loop, for SECONDS or until the pool is empty."""
    rpcs = [await Rpc.open(url, tokens["duty"], f"console-{i}") for i in range(m)]
    pool = collections.deque(case_ids)
    acked: dict[int, float] = {}
    lats: list[float] = []
    errors: collections.Counter[str] = collections.Counter()
    t0 = time.perf_counter()
    t_end = t0 + seconds

    async def console(rpc: Rpc) -> None:
        while pool and time.perf_counter() < t_end:
            cid = pool.popleft()
            body = {"id": cid, "expected_version": 2, "lead_department_id": 1 + cid % 38,
                    "resolution_class": "immediate"}
            sent = time.perf_counter()
            _, fut = await rpc.send("case.dispatch", body)
            reply = await asyncio.wait_for(fut, 120)
            now = time.perf_counter()
            if reply["ok"]:
                acked[reply["result"]["seq"]] = now
                lats.append(now - sent)
                continue
            code = reply["error"]["code"]
            errors[code] += 1
            if code == "rate_limited":  # the hub allows 50 requests/s per connection (burst 200)
                pool.appendleft(cid)
                await asyncio.sleep(0.02)

    try:
        await asyncio.wait_for(asyncio.gather(*(console(r) for r in rpcs)), seconds + 300)
        deadline = time.perf_counter() + 60
        while time.perf_counter() < deadline and any(s not in events for s in acked):
            await asyncio.sleep(0.01)
    finally:
        for rpc in rpcs:
            await rpc.close()
    done = [max(t, events[s]) for s, t in acked.items() if s in events]
    elapsed = (max(done) - t0) if done else float("nan")
    return {"m": m, "n": len(done), "acked": len(acked), "rate": len(done) / elapsed if done else 0.0,
            "lat": lat_summary(lats), "errors": dict(errors), "missing": len(acked) - len(done)}


def main() -> None:
    parser = base_args(__doc__.splitlines()[0])
    args = parser.parse_args()
    if args.quick:
        k, levels_m, seconds, raw_s = 1500, [1, 16], 4.0, 3.0
    else:
        k, levels_m, seconds, raw_s = 12000, [1, 4, 16, 32], 8.0, 10.0
    print_header("dispatch throughput: case.dispatch acknowledged and its event received", args.quick, [
        f"K={k:,} pre-created registered cases; concurrency levels M={levels_m}, {seconds:.0f} s or until the "
        "pool is used up; clients and subscriber in this process, server in its own",
    ])
    t = time.perf_counter()
    base, tokens = build_fixture(k)
    print(f"   fixture {base.name} ready in {time.perf_counter() - t:.1f} s", flush=True)
    db = OUT / f"dispatch-{int(time.time())}.sqlite"
    rows: list[list[Any]] = []
    cpu_notes: list[str] = []
    try:
        shutil.copyfile(base, db)
        raw_rate, raw_n = raw_sqlite_commits(raw_s)
        rows.append(["raw SQLite: 1-row INSERT per txn (FULL, BEGIN IMMEDIATE)", "-", raw_n, raw_rate, "-", "-",
                     "baseline"])
        ids = list(range(1, k + STORE_ONLY_CASES + 1))
        store_ids, stack_ids = ids[:STORE_ONLY_CASES], ids[STORE_ONLY_CASES:]
        rate, lat = store_only_dispatch(db, store_ids)
        rows.append(["Store.execute('case.dispatch') in-process, 1 thread", "-", len(store_ids), rate, lat["p50"],
                     lat["p99"], f"{100 * rate / raw_rate:.0f} % of raw"])
        per_level = len(stack_ids) // len(levels_m)
        levels = [(m, stack_ids[i * per_level:(i + 1) * per_level], seconds) for i, m in enumerate(levels_m)]
        with ServerProc(db, log_name="dispatch-server.log") as server:
            meter = CpuMeter({"server": server.pid})
            meter.start()
            results = asyncio.run(full_stack(server.url, tokens, levels))
            meter.stop()
        for r in results:
            err = ", ".join(f"{c}×{n}" for c, n in r["errors"].items()) or "no errors"
            rows.append([f"full stack: M={r['m']} consoles + 1 subscriber", r["m"], r["n"], r["rate"],
                         r["lat"]["p50"], r["lat"]["p99"], f"{100 * r['rate'] / raw_rate:.0f} % of raw; {err}"
                         + (f"; {r['missing']} events missing" if r["missing"] else "")])
        cpu_notes.append(f"server CPU during the full-stack levels (% of one core): {meter.describe()}")
    finally:
        _unlink_db(db)
        with contextlib.suppress(FileNotFoundError):
            db.with_name("demo-tokens.json").unlink()
    print()
    print_table(["what", "M", "dispatches", "per s", "p50 ms", "p99 ms", "notes"], rows)
    for note in cpu_notes:
        print(f"   {note}")
    print("   (p50/p99: latency of one dispatch: send → reply; store-only: one Store.execute call)")


if __name__ == "__main__":
    main()
