"""The demo county: how long `generate_county` takes, how big its JSON is, and what loading it costs.

Measured in one process (import time excluded): `generate_county(seed)` (median and min of RUNS runs after one
warm-up), the canonical JSON (`to_json`) per table, raw and gzip-compressed; the file round trip
(`export_reference` + `import_reference`, full validation); `Store.load_reference(store_rows(...))` into a fresh
migrated SQLite file and that file's size.

    .venv/bin/python bench/county.py [--quick] [--seed N]
"""

from __future__ import annotations

import gzip
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ROOT, base_args, print_header, print_table

sys.path.insert(0, str(ROOT))
from config.schema import load_rules
from services.backend.store import Store
from services.demo.county import DEFAULT_SEED, Reference, generate_county, store_rows, to_json
from services.demo.importer import export_reference, import_reference
from services.domain.workcalendar import WorkCalendar


def timed(fn: Callable[[], Any], runs: int) -> tuple[list[float], Any]:
    """Seconds of each of `runs` calls after one warm-up, and the last result."""
    result = fn()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return times, result


def json_sizes(data: Reference) -> list[list[Any]]:
    rows = []
    for table, items in [*data.items(), ("(all)", None)]:
        text = to_json(data if items is None else {table: items}).encode()
        rows.append([table, len(data[table]) if items is not None else sum(map(len, data.values())),
                     len(text) / 1024, len(gzip.compress(text)) / 1024])
    return rows


def store_load(data: Reference, directory: Path) -> tuple[float, float]:
    rules = load_rules()
    db = directory / "county.sqlite"
    store = Store.open(f"sqlite:///{db}", rules, WorkCalendar(rules.working_hours))
    try:
        t0 = time.perf_counter()
        store.load_reference(store_rows(data))
        elapsed = time.perf_counter() - t0
    finally:
        store.close()
    return elapsed, db.stat().st_size / 1024


def main() -> None:
    parser = base_args(__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args()
    runs = 2 if args.quick else 5
    print_header("demo county: generate, size, round trip, store load", args.quick, [f"seed {args.seed}"])
    gen_times, data = timed(lambda: generate_county(args.seed), runs)
    json_times, _ = timed(lambda: to_json(data), runs)
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        export_times, _ = timed(lambda: export_reference(data, directory / "files"), runs)
        import_times, back = timed(lambda: import_reference(directory / "files"), runs)
        assert back == data, "round trip changed the data"
        load_s, db_kib = store_load(data, directory)
    print()
    print_table(["step", "median s", "min s", "runs"], [
        [name, statistics.median(times), min(times), len(times)]
        for name, times in (("generate_county", gen_times), ("to_json", json_times),
                            ("export_reference (files)", export_times),
                            ("import_reference (validated)", import_times))
    ] + [["Store.load_reference (SQLite)", load_s, load_s, 1]])
    print()
    print_table(["table", "rows", "JSON KiB", "gzip KiB"], json_sizes(data))
    print(f"\nSQLite file after the load (migrated schema + reference tables): {db_kib:,.0f} KiB")


if __name__ == "__main__":
    main()
