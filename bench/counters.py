"""Counters on a big store: Store.stats_today(), Store.stats_wall() and Store.snapshot(["open_cases"]) with
1,000,000 stored cases.

The store is a migrated SQLite file (the server's own engines: WAL, synchronous=FULL) whose cases table is
bulk-filled with SQLAlchemy Core executemany in batches: reported_at spread over the last 365 days,
~0.3 % of them today (3,000 of 1M), ~5 % open (a long tail of slow cases), the rest closed/evaluated/rejected,
open clocked cases past their due time flagged overdue as the sweeper would; ~2,900 whistles over the same year
calling 1-3 departments each. No ANALYZE is run
(the server never runs one). The file is cached under bench/out/ (git-ignored) with the generation time,
and every measurement passes that time as `now`, so "today" is the generated day on every rerun.

Each figure is the median of 10 runs after 1 warm-up. Baseline in the same run: `SELECT count(*) FROM cases`
(a full scan of the table's smallest index) through the same read engine. stats_wall (bench/_wall.py) is timed at
30 and 90 days with each of its queries apart, and the `cases.query` drill-down behind some of its figures.
With CCC_TEST_PG_URL set, the same rows go into a dedicated PostgreSQL schema (dropped at the end).

    .venv/bin/python bench/counters.py [--quick] [--cases N]
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import random
import sys
import time
import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import OUT, base_args, median, print_header, print_table
from _wall import wall_rows

TARGET_STATS_MS = 50.0
RUNS = 10
BATCH = 20_000
DAY = 86400.0
CLASS_DAYS = {"immediate": 3.0, "coordinated": 7.0, "planned": 15.0}
CHANNELS = (["hotline_12345"] * 5 + ["digital_city"] * 2 + ["grid_app"] * 2
            + ["peace_volunteer", "municipal_platform", "citizen_app", "walk_in", "video_alarm"])
CATEGORIES = ["市容环境", "道路交通", "噪音扰民", "环境污染", "邻里纠纷", "物业管理", "市政设施", "违章建筑",
              "劳动保障", "食品安全", "供水供电", "农村事务"]
TODAY_SHARE = 0.003  # 3,000 of 1,000,000 reported today
RESOLVE_MU, RESOLVE_SIGMA = math.log(0.5), 1.9  # time to feedback / limit: median 0.5, long tail
WHISTLES_PER_DAY = 8  # ~2,900 whistles over the year, 1-3 departments called each
GENERATOR_VERSION = 3  # part of the cache file name: bump when the data changes (3: whistles added)


def generate(n: int, now: float, seed: int = 42) -> Iterator[list[dict[str, Any]]]:
    """Batches of case rows, ids 1..n in reported order (as the server would assign them)."""
    from services.domain.workcalendar import CST

    rnd = random.Random(seed)
    local = datetime.fromtimestamp(now, CST)
    day0 = local.replace(hour=0, minute=0, second=0, microsecond=0).timestamp()
    today = max(1, round(n * TODAY_SHARE))
    times = sorted([rnd.uniform(now - 365 * DAY, day0) for _ in range(n - today)]
                   + [rnd.uniform(day0, now) for _ in range(today)])
    batch: list[dict[str, Any]] = []
    for i, reported in enumerate(times, start=1):
        batch.append(_row(rnd, i, reported, now))
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _row(rnd: random.Random, i: int, reported: float, now: float) -> dict[str, Any]:
    """One case's life: each step takes a random time; the state is the last step reached by `now`.

    Resolution takes limit × lognormal (median ~0.5 × limit, a long tail), so ~5 % of a year's cases are
    still open; an open case past its due time got an extension 3 times in 4 (due moved past now),
    otherwise it is flagged overdue (and escalated past 2 × limit), as the deadline sweeper would.
    """
    from services.domain.workcalendar import CST

    rc = rnd.choice(["immediate"] * 6 + ["coordinated"] * 3 + ["planned"])
    limit = CLASS_DAYS[rc] * DAY * 7 / 5  # working days, roughly, in calendar time
    row: dict[str, Any] = {
        "id": i, "code": f"NC-{datetime.fromtimestamp(reported, CST):%Y%m%d}-{i:06d}", "version": 1,
        "state": "reported", "channel": rnd.choice(CHANNELS), "category": rnd.choice(CATEGORIES),
        "title": f"群众反映问题 {i}", "description": "居民反映问题，请尽快处理（基准测试数据）",
        "township_id": rnd.randint(1, 21), "grid_id": None,
        "lat": 28.55 + rnd.uniform(-0.2, 0.2), "lon": 115.93 + rnd.uniform(-0.2, 0.2), "priority": 3,
        "reporter_name": "张三", "reporter_phone": f"138{rnd.randint(0, 99999999):08d}", "reporter_id_number": "",
        "duplicate_of": None, "lead_department_id": None, "co_department_ids": [], "resolution_class": None,
        "reported_at": reported, "registered_at": None, "dispatched_at": None, "sign_due_at": None,
        "signed_at": None, "due_soon_at": None, "due_at": None, "escalate_at": None, "extension_days": 0.0,
        "extension_pending": None, "feedback_at": None, "verified_at": None, "closed_at": None, "on_time": None,
        "rework_count": 0, "return_count": 0, "supervision_count": 0, "sign_overdue": False, "overdue": False,
        "escalated": False, "satisfaction": None, "note": "", "updated_at": reported, "updated_by": "bench",
    }
    t = reported + rnd.uniform(0.05, 4) * 3600
    if t > now:
        return row
    if rnd.random() < 0.05:
        row.update(state="rejected", version=2, closed_at=t, note="不属于受理范围", updated_at=t)
        return row
    row.update(state="registered", version=2, registered_at=t, updated_at=t)
    d = t + rnd.uniform(0.05, 2) * 3600
    if d > now:
        return row
    row.update(state="dispatched", version=3, dispatched_at=d, lead_department_id=rnd.randint(1, 38),
               resolution_class=rc, sign_due_at=d + 2 * 3600, due_soon_at=d + 0.8 * limit, due_at=d + limit,
               escalate_at=d + 2 * limit, updated_at=d)
    s = d + rnd.uniform(0.1, 1.5) * 3600
    if s > now:
        row["sign_overdue"] = row["sign_due_at"] <= now
        return row
    row.update(state="handling", version=4, signed_at=s, updated_at=s)
    f = s + limit * rnd.lognormvariate(RESOLVE_MU, RESOLVE_SIGMA)
    if f > now:
        if row["due_at"] <= now:
            if rnd.random() < 0.75:
                ext = math.ceil((now - row["due_at"]) / DAY + rnd.uniform(1, 10))
                row.update(extension_days=float(ext), due_at=row["due_at"] + ext * DAY,
                           escalate_at=row["escalate_at"] + ext * DAY, due_soon_at=row["due_soon_at"] + ext * DAY)
            else:
                row.update(overdue=True, escalated=row["escalate_at"] <= now, supervision_count=1)
        return row
    row.update(state="feedback", version=5, feedback_at=f, updated_at=f)
    v = f + rnd.uniform(0.1, 24) * 3600
    if v > now:
        return row
    row.update(state="verified", version=6, verified_at=v, updated_at=v)
    c = v + rnd.uniform(0.1, 12) * 3600
    if c > now:
        return row
    row.update(state="closed", version=7, closed_at=c, on_time=f <= row["due_at"], updated_at=c)
    e = c + rnd.uniform(0, 48) * 3600
    if e <= now and rnd.random() < 0.7:
        row.update(state="evaluated", version=8, satisfaction=rnd.choices([5, 4, 3, 2, 1], [55, 25, 10, 6, 4])[0],
                   updated_at=e)
    return row


def generate_whistles(now: float, seed: int = 43) -> list[dict[str, Any]]:
    """Whistle rows over the last 365 days (their own random stream, so the cases are those of version 2).

    Most are approved within hours and call 1-3 departments with arrival due a day later (calendar, not working
    days: close enough for a timing run); 85 % of arrivals are on time, 10 % late, the rest never recorded.
    """
    rnd = random.Random(seed)
    times = sorted(rnd.uniform(now - 365 * DAY, now) for _ in range(365 * WHISTLES_PER_DAY))
    return [_whistle_row(rnd, i, raised, now) for i, raised in enumerate(times, start=1)]


def _whistle_row(rnd: random.Random, i: int, raised: float, now: float) -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": i, "code": f"CS-{i:05d}", "version": 1, "state": "raised", "township_id": rnd.randint(1, 21),
        "grid_id": None, "title": f"村社吹哨 {i}", "description": "村里无力处置（基准测试数据）", "proposal": "",
        "raised_by": "bench", "raised_at": raised, "resolution_class": None, "approved_at": None, "due_at": None,
        "resolved_at": None, "reject_reason": "", "calls": [], "updated_at": raised, "updated_by": "bench",
    }
    approved = raised + rnd.uniform(0.1, 8) * 3600
    if approved > now:
        return row
    if rnd.random() < 0.1:
        row.update(state="rejected", version=2, reject_reason="村社可自行处置", updated_at=approved)
        return row
    due = approved + DAY
    calls = []
    for dep in sorted(rnd.sample(range(1, 39), rnd.randint(1, 3))):
        call: dict[str, Any] = {"department_id": dep, "arrival_due_at": due, "arrived_at": None, "arrived_by": "",
                                "evidence": "", "on_time": None, "village_score": None, "department_score": None}
        fate = rnd.random()
        arrived = approved + (rnd.uniform(0.05, 0.95) if fate < 0.85 else rnd.uniform(1.05, 3)) * DAY
        if fate < 0.95 and arrived <= now:
            call.update(arrived_at=arrived, arrived_by="到场人员", on_time=arrived <= due)
        calls.append(call)
    row.update(state="approved", version=2 + sum(c["arrived_at"] is not None for c in calls),
               resolution_class="immediate", approved_at=approved, due_at=approved + 3 * DAY * 7 / 5, calls=calls,
               updated_at=approved)
    resolved = approved + rnd.uniform(0.5, 6) * DAY
    if resolved <= now:
        row.update(state="resolved", version=row["version"] + 1, resolved_at=resolved, updated_at=resolved)
    return row


# -- stores ---------------------------------------------------------------------------------------
def open_store(url: str) -> Any:
    from config.schema import load_rules
    from services.backend.store import Store
    from services.domain.workcalendar import WorkCalendar

    rules = load_rules()
    return Store.open(url, rules, WorkCalendar(rules.working_hours))


def fill(store: Any, n: int, now: float, label: str) -> dict[str, Any]:
    """Reference data + n generated cases via Core executemany; returns facts about the data."""
    from sqlalchemy import insert

    from services.backend import seed
    from services.backend import tables as t

    store.load_reference(seed.minimal_reference())
    table = t.CaseRow.__table__
    t0, done = time.perf_counter(), 0
    for batch in generate(n, now):
        with store.engines.write.begin() as conn:
            conn.execute(insert(table), batch)
        done += len(batch)
        if done % 200_000 < BATCH:
            print(f"   {label}: {done:,} cases inserted ({done / (time.perf_counter() - t0):,.0f} rows/s)", flush=True)
    with store.engines.write.begin() as conn:
        conn.execute(insert(t.WhistleRow.__table__), generate_whistles(now))
    if not store.engines.is_sqlite:  # sequences follow explicit ids on PostgreSQL only if told
        from sqlalchemy import text

        with store.engines.write.begin() as conn:
            conn.execute(text("SELECT setval(pg_get_serial_sequence('cases', 'id'), :n)"), {"n": n})
            conn.execute(text("SELECT setval(pg_get_serial_sequence('whistles', 'id'), "
                              "(SELECT max(id) FROM whistles))"))
    return {"insert_s": time.perf_counter() - t0}


def sqlite_fixture(n: int) -> tuple[Path, float, str]:
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"counters-v{GENERATOR_VERSION}-{n}.sqlite"
    meta = path.with_suffix(".json")
    if path.exists() and meta.exists():
        info = json.loads(meta.read_text())
        return path, float(info["now"]), f"cached (generated {info['generated']}, {info['insert_s']:.0f} s to fill)"
    for suffix in ("", "-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            Path(f"{path}{suffix}").unlink()
    now = time.time()
    store = open_store(f"sqlite:///{path}")
    try:
        _fast_writes(store)
        info = fill(store, n, now, "SQLite")
    finally:
        store.close()
    import sqlite3

    conn = sqlite3.connect(path, isolation_level=None)  # fold the WAL into the file: the size is the table's
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    info.update(now=now, generated=datetime.fromtimestamp(now).isoformat(timespec="seconds"), n=n)
    meta.write_text(json.dumps(info))
    return path, now, f"generated now ({info['insert_s']:.0f} s to fill)"


def _fast_writes(store: Any) -> None:
    """Generation only (never a measurement): no fsync per batch."""
    from sqlalchemy import event

    store.engines.write.dispose()

    @event.listens_for(store.engines.write, "connect")
    def _off(dbapi_conn: Any, _rec: Any) -> None:
        dbapi_conn.execute("PRAGMA synchronous=OFF")


# -- measurements ---------------------------------------------------------------------------------
class StatementTimer:
    """Times every SQL statement a call issues on an engine (for the breakdown of a slow call)."""

    def __init__(self, engine: Any) -> None:
        from sqlalchemy import event

        self.rows: list[tuple[str, float]] = []
        self._t: list[float] = []
        self.on = False

        @event.listens_for(engine, "before_cursor_execute")
        def _before(*_a: Any) -> None:
            self._t.append(time.perf_counter())

        @event.listens_for(engine, "after_cursor_execute")
        def _after(_c: Any, _cur: Any, statement: str, *_a: Any) -> None:
            t = self._t.pop() if self._t else time.perf_counter()
            if self.on:
                self.rows.append((" ".join(statement.split()), time.perf_counter() - t))


def timed(fn: Any, runs: int = RUNS) -> tuple[float, Any]:
    fn()  # warm-up
    times, out = [], None
    for _ in range(runs):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return median(times) * 1e3, out


def measure(store: Any, now: float, label: str, size: str) -> tuple[list[list[Any]], list[str]]:
    from sqlalchemy import text

    def count_all() -> int:
        with store.engines.read.connect() as conn:
            return int(conn.execute(text("SELECT count(*) FROM cases")).scalar_one())

    base_ms, total = timed(count_all)
    stats_ms, stats = timed(lambda: store.stats_today(now))
    snap_runs = RUNS
    snap_ms, snap = timed(lambda: store.snapshot(["open_cases"], now), snap_runs)
    n_open = len(snap["open_cases"])
    verdict = "met" if stats_ms <= TARGET_STATS_MS else "MISSED"
    rows = [
        [label, "SELECT count(*) FROM cases (baseline)", base_ms, "1.0×", f"{total:,} rows; {size}"],
        [label, "Store.stats_today()", stats_ms, f"{stats_ms / base_ms:.2f}×",
         f"target ≤ {TARGET_STATS_MS:.0f} ms: {verdict}; reported today {stats['reported']:,}, "
         f"in handling {stats['in_handling']:,}, overdue {stats['overdue']:,}, closed today {stats['closed']:,}"],
        [label, 'Store.snapshot(["open_cases"])', snap_ms, f"{snap_ms / base_ms:.2f}×",
         f"{n_open:,} open cases, {snap_ms * 1e3 / max(1, n_open):.0f} µs per case"],
    ]
    more_rows, wall_notes = wall_rows(store, now, label, base_ms, timed)
    rows += more_rows
    fix_ms, fix_out = whatif_stats(store, now)
    same = (fix_out[2][0][0] == stats["closed"] and fix_out[7][0][0] == stats["overdue"]
            and fix_out[6][0][0] == stats["in_handling"])
    rows.append([label, "what-if: the counters' SQL with the bench's suggested rewrite", fix_ms,
                 f"{fix_ms / base_ms:.2f}×", f"target ≤ {TARGET_STATS_MS:.0f} ms: "
                 f"{'met' if fix_ms <= TARGET_STATS_MS else 'MISSED'}; same counts: {same} (SQL only, no glue)"])
    if not hasattr(type(store), "_row_with_urgency"):  # before 58b2feb: measure the suggested serialization fix
        with shallow_serialization():
            fix_snap_ms, fix_snap = timed(lambda: store.snapshot(["open_cases"], now), max(3, RUNS // 2))
        rows.append([label, "what-if: snapshot with shallow case_to_row/case_to_wire", fix_snap_ms,
                     f"{fix_snap_ms / base_ms:.2f}×", f"same output: {fix_snap['open_cases'] == snap['open_cases']}"])
    notes = list(wall_notes)
    timer = StatementTimer(store.engines.read)
    timer.on = True
    store.stats_today(now)
    timer.on = False
    notes.append(f"{label}: stats_today() statement by statement (one run, ms):")
    notes += [f"   {ms * 1e3:8.2f}  {sql[:150]}" for sql, ms in timer.rows]
    t = time.perf_counter()
    with store.engines.read.connect() as conn:
        from services.backend import tables as tt
        from services.domain.model import OPEN_STATES

        rows_only = conn.execute(tt.CaseRow.__table__.select().where(
            tt.CaseRow.state.in_([s.value for s in OPEN_STATES]))).all()
    fetch_ms = (time.perf_counter() - t) * 1e3
    notes.append(f"{label}: of the snapshot, fetching the {len(rows_only):,} open rows alone takes {fetch_ms:.0f} ms; "
                 f"the rest ({snap_ms - fetch_ms:.0f} ms) is turning rows into wire dicts and the urgency")
    notes.append(f"{label}: what-if = the SQL below inside a rolled-back transaction that first creates index "
                 "(overdue, state); closed-today and satisfaction in one range scan with the state test in the "
                 "select list")
    return rows, notes


# -- what-ifs: the suggested fixes, measured on the same data (nothing in services/ changes) -------------
WHATIF_STATS = [
    "SELECT coalesce(max(seq), 0) FROM events",
    "SELECT channel, count(*) FROM cases WHERE reported_at >= :d0 AND reported_at < :d1 GROUP BY channel",
    # closed-today and satisfaction in one range scan of the closed_at index: the state test moves out of WHERE
    # (with `state IN (...)` in WHERE, SQLite without ANALYZE walks ix_cases_state_due over every closed case)
    "SELECT count(CASE WHEN state IN ('closed', 'evaluated') THEN 1 END), "
    "sum(CASE WHEN state IN ('closed', 'evaluated') AND on_time THEN 1 ELSE 0 END), "
    "count(satisfaction), sum(CASE WHEN satisfaction >= 4 THEN 1 ELSE 0 END) "
    "FROM cases WHERE closed_at >= :d0 AND closed_at < :d1",
    "SELECT count(*) FROM whistles WHERE raised_at >= :d0 AND raised_at < :d1",
    "SELECT count(*) FROM cases WHERE registered_at >= :d0 AND registered_at < :d1",
    "SELECT count(*) FROM cases WHERE dispatched_at >= :d0 AND dispatched_at < :d1",
    "SELECT count(*) FROM cases WHERE state IN ('dispatched', 'handling', 'feedback', 'returned')",
    # with the new index ix_cases_overdue_state (overdue, state): a covering index range instead of a scan
    "SELECT count(*) FROM cases WHERE overdue = :yes AND state IN "
    "('reported', 'registered', 'dispatched', 'returned', 'handling', 'feedback', 'verified')",
]


def whatif_stats(store: Any, now: float) -> tuple[float, list[Any]]:
    """The same counters with the two suggested query/index fixes, inside a rolled-back transaction."""
    from datetime import timedelta

    from sqlalchemy import text

    from services.domain.workcalendar import CST

    start = datetime.fromtimestamp(now, CST).replace(hour=0, minute=0, second=0, microsecond=0)
    params = {"d0": start.timestamp(), "d1": (start + timedelta(days=1)).timestamp(), "yes": True}
    with store.engines.write.connect() as conn:
        tx = conn.begin()
        try:
            conn.execute(text("CREATE INDEX ix_cases_overdue_state ON cases (overdue, state)"))
            if not store.engines.is_sqlite:
                conn.execute(text("ANALYZE cases"))

            def run() -> list[Any]:
                return [conn.execute(text(q), params).all() for q in WHATIF_STATS]

            return timed(run)
        finally:
            tx.rollback()


@contextlib.contextmanager
def shallow_serialization() -> Iterator[None]:
    """What-if for the snapshot: case_to_row without dataclasses.asdict (a deep copy of every field) and
    case_to_wire converting the known `*_at` fields instead of walking the dict recursively."""
    from services.backend import serialize as ser
    from services.backend import store as st

    time_keys = tuple(k for k in ser.CASE_COLUMNS if k.endswith("_at"))

    def case_to_row(case: Any) -> dict[str, Any]:
        values = {name: getattr(case, name) for name in ser.CASE_COLUMNS}
        values["state"] = case.state.value
        values["resolution_class"] = case.resolution_class.value if case.resolution_class else None
        values["co_department_ids"] = list(case.co_department_ids)
        if values["extension_pending"] is not None:
            values["extension_pending"] = ser.wire_times(dict(values["extension_pending"]))
        return values

    def case_to_wire(case: Any) -> dict[str, Any]:
        row = case_to_row(case)
        for key in time_keys:
            if row[key] is not None:
                row[key] = ser.iso(row[key])
        return row

    saved = (ser.case_to_row, ser.case_to_wire, st.case_to_row, st.case_to_wire)
    ser.case_to_row, ser.case_to_wire, st.case_to_row, st.case_to_wire = case_to_row, case_to_wire, case_to_row, \
        case_to_wire
    try:
        yield
    finally:
        ser.case_to_row, ser.case_to_wire, st.case_to_row, st.case_to_wire = saved


def file_size(path: Path) -> str:
    total = sum(Path(f"{path}{s}").stat().st_size for s in ("", "-wal") if Path(f"{path}{s}").exists())
    return f"file {total / 2**20:,.0f} MB"


def run_pg(pg_url: str, n: int, now: float) -> tuple[list[list[Any]], list[str]]:
    """The same rows as the SQLite file (same seed, same `now`) in a fresh schema, dropped at the end."""
    from sqlalchemy import create_engine, text

    schema = f"ccc_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(pg_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        sep = "&" if "?" in pg_url else "?"
        store = open_store(f"{pg_url}{sep}options=-csearch_path%3D{schema}")
        try:
            fill(store, n, now, "PostgreSQL")
            with store.engines.write.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("VACUUM ANALYZE cases"))  # what autovacuum does after a bulk load
                size = conn.execute(text("SELECT pg_total_relation_size('cases')")).scalar_one()
            return measure(store, now, "PostgreSQL", f"table+indexes {size / 2**20:,.0f} MB")
        finally:
            store.close()
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


def main() -> None:
    parser = base_args(__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=None, help="number of cases (default 1,000,000; quick 100,000)")
    args = parser.parse_args()
    n = args.cases or (100_000 if args.quick else 1_000_000)
    pg_url = os.environ.get("CCC_TEST_PG_URL", "")
    print_header(f"counters with {n:,} stored cases", args.quick, [
        f"median of {RUNS} runs after 1 warm-up; store opened with the server's own engines (Store.open)",
        "PostgreSQL: " + ("CCC_TEST_PG_URL is set: run in a dedicated schema" if pg_url
                          else "not run (CCC_TEST_PG_URL not set)"),
    ])
    path, now, how = sqlite_fixture(n)
    print(f"   SQLite file {path.name}: {how}", flush=True)
    store = open_store(f"sqlite:///{path}")
    try:
        rows, notes = measure(store, now, "SQLite", file_size(path))
    finally:
        store.close()
    if pg_url:
        pg_rows, pg_notes = run_pg(pg_url, n, now)
        rows += pg_rows
        notes += pg_notes
    print()
    print_table(["store", "what", "median ms", "vs count(*)", "notes"], rows)
    for note in notes:
        print(f"   {note}")
    if not pg_url:
        print("   PostgreSQL: not run (set CCC_TEST_PG_URL, e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test)")


if __name__ == "__main__":
    main()
