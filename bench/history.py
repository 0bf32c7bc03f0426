"""The demo's history: how long generating the county and filling a year of history take, and the store's size.

One process, fresh SQLite files under bench/out/history/ (deleted at the end unless --keep):

1. `generate_county()`: median of RUNS runs after one warm-up;
2. `seed.ensure_demo` on a fresh store (migrations, the county, 93 users);
3. `fill_history(months, rate)` (services/demo/history.py): every step through `Store.execute_many` with its past
   time, past deadline sweeps — wall time, cases/s, steps/s, events; the file's size after a WAL checkpoint;
4. baseline, same run, same disk: raw `sqlite3` `executemany` INSERT of as many rows into a `cases` table with the
   same columns and indexes (created from services/backend/tables.py), batches of 2,000, same PRAGMAs as the fill
   (WAL, synchronous=NORMAL): what writing that many case rows costs with no rules, no events, no audit.

    .venv/bin/python bench/history.py [--quick] [--months 12] [--rate 12.5] [--keep]

Prints tables; asserts no time.
"""

from __future__ import annotations

import contextlib
import io
import random
import sqlite3
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import OUT, ROOT, base_args, print_header, print_table

sys.path.insert(0, str(ROOT))
from sqlalchemy import create_engine

from config.schema import DEFAULT_HOLIDAY_DIR, load_rules
from services.backend import tables
from services.backend.seed import ensure_demo
from services.backend.store import Store
from services.demo.county import generate_county
from services.demo.history import ProgressLine, expected_cases, fill_history
from services.domain.workcalendar import WorkCalendar

BATCH = 2_000


def time_county(runs: int) -> list[float]:
    generate_county()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        generate_county()
        times.append(time.perf_counter() - t0)
    return times


def fresh(path: Path) -> Path:
    for part in path.parent.glob(path.name + "*"):
        part.unlink()
    path.with_name("demo-tokens.json").unlink(missing_ok=True)
    return path


def file_size_mb(path: Path) -> float:
    with contextlib.closing(sqlite3.connect(path)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*")) / 1e6


def run_history(db: Path, months: float, rate: float) -> dict[str, Any]:
    rules = load_rules()
    store = Store.open(f"sqlite:///{db}", rules, WorkCalendar(rules.working_hours, DEFAULT_HOLIDAY_DIR))
    try:
        t0 = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()):
            ensure_demo(store)
        seeded = time.perf_counter() - t0
        end = time.time()
        result = fill_history(store, months=months, rate_per_hour=rate, end=end, seed=2026,
                              progress=ProgressLine(expected_cases(months, rate)))
        open_cases = len(store.snapshot(["open_cases"], now=end)["open_cases"])
    finally:
        store.close()
    return {"seed_s": seeded, "result": result, "open": open_cases, "size_mb": file_size_mb(db)}


def case_rows(n: int) -> list[dict[str, Any]]:
    """`n` closed cases with every column filled the way the history fills them (no rules, just values)."""
    rng = random.Random(1)
    columns = [c.name for c in tables.CaseRow.__table__.columns if c.name != "id"]
    base = time.time() - 365 * 86400
    rows = []
    for i in range(n):
        t = base + i * 300.0
        row: dict[str, Any] = dict.fromkeys(columns)
        row.update(code=f"NC-BENCH-{i:06d}", version=9, state="evaluated", channel="hotline_12345",
                   category="城市管理", title=f"莲塘街道迎宾花园社区生活垃圾堆积未清运{i}",
                   description="市民来电反映:莲塘街道迎宾花园社区某小区门口垃圾三天没有清运,气味很大,请尽快处置。",
                   township_id=1 + i % 21, grid_id=1 + i % 1066, lat=28.55, lon=115.94, priority=3,
                   reporter_name="张建国", reporter_phone="13800001234", reporter_id_number="",
                   lead_department_id=3, co_department_ids="[]", resolution_class="immediate", reported_at=t,
                   registered_at=t + 600, dispatched_at=t + 1200, sign_due_at=t + 8400, signed_at=t + 3600,
                   due_soon_at=t + 70000, due_at=t + 86400, escalate_at=t + 172800, extension_days=0.0,
                   feedback_at=t + 40000, verified_at=t + 50000, closed_at=t + 51000, on_time=True,
                   rework_count=0, return_count=0, supervision_count=0, sign_overdue=False, overdue=False,
                   escalated=False, satisfaction=rng.randint(3, 5), note="", updated_at=t + 60000,
                   updated_by="sim_grid_01")
        rows.append(row)
    return rows


def run_baseline(db: Path, n: int) -> dict[str, Any]:
    engine = create_engine(f"sqlite:///{db}")
    tables.CaseRow.__table__.create(engine)  # the same columns and indexes as the store's cases table
    engine.dispose()
    rows = case_rows(n)
    columns = list(rows[0])
    sql = f"INSERT INTO cases ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
    values = [tuple(r[c] for c in columns) for r in rows]
    conn = sqlite3.connect(db, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        t0 = time.perf_counter()
        for start in range(0, n, BATCH):
            conn.execute("BEGIN IMMEDIATE")
            conn.executemany(sql, values[start:start + BATCH])
            conn.execute("COMMIT")
        elapsed = time.perf_counter() - t0
    finally:
        conn.close()
    return {"seconds": elapsed, "size_mb": file_size_mb(db)}


def main() -> None:
    parser = base_args(__doc__.splitlines()[0])
    parser.add_argument("--months", type=float, default=None, help="months of history (default 12; --quick: 0.5)")
    parser.add_argument("--rate", type=float, default=12.5, help="case reports per simulated hour (default 12.5)")
    parser.add_argument("--keep", action="store_true", help="keep the SQLite files in bench/out/history/")
    args = parser.parse_args()
    months = args.months if args.months is not None else (0.5 if args.quick else 12.0)
    print_header("demo history: county generation, history fill, store size", args.quick,
                 [f"{months:g} months at {args.rate:g} case reports per simulated hour"])
    work = OUT / "history"  # its own directory: demo-tokens.json lands beside the database
    work.mkdir(parents=True, exist_ok=True)
    county = time_county(2 if args.quick else 5)
    history_db, baseline_db = fresh(work / "history-bench.sqlite"), fresh(work / "history-baseline.sqlite")
    filled = run_history(history_db, months, args.rate)
    result = filled["result"]
    cases, steps = result.created["case"], result.jobs
    baseline = run_baseline(baseline_db, cases)
    print()
    print_table(["what", "seconds", "per second", "SQLite MB", "vs baseline"], [
        ["generate_county (median of runs)", statistics.median(county), "", "", ""],
        ["ensure_demo: migrate, load the county, 93 users", filled["seed_s"], "", "", ""],
        [f"raw sqlite3 executemany, {cases:,} case rows (baseline)", baseline["seconds"],
         f"{cases / baseline['seconds']:,.0f} rows/s", baseline["size_mb"], "1.0×"],
        [f"fill_history {months:g} months: {cases:,} cases, {steps:,} steps", result.seconds,
         f"{cases / result.seconds:,.0f} cases/s, {steps / result.seconds:,.0f} steps/s", filled["size_mb"],
         f"{result.seconds / baseline['seconds']:,.0f}× time, {filled['size_mb'] / baseline['size_mb']:,.1f}× size"],
    ])
    print(f"\nhistory: {dict(result.created)} created, {result.events:,} events, {filled['open']:,} cases left open, "
          f"refused steps: {dict(result.failed) or 'none'}")
    if not args.keep:
        fresh(history_db)
        fresh(baseline_db)


if __name__ == "__main__":
    main()
