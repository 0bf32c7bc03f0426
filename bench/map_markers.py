"""The wall's county map with 10,000 live case markers and 100 updates/s (widgets/county_map.py).

One process, offscreen: the real CountyMap (1920×1080 at scale 1, or --size 3840x2160 --scale 2) on the demo
county's page, with 200 cameras, 10 pulsing alarms, township labels with counts and the heat layer on. Updates are
upserts/removes through the widget's public API at RATE per second (40 % moves, 30 % state changes = a layer
change, 15 % new cases, 15 % removals, so the count stays near N); the widget coalesces them into at most one batch
per 100 ms.

Measured, each phase SECONDS long:
  page load      build (folium, write the file) + load to `ready`, empty map (median of 3 fresh views)
  reload         the baseline: the same page reloaded and given the same N markers, until markercluster has them all
                 (what "reload the page for an update" would cost each time; median of 3)
  batch on page  performance.now() around ccc.apply in the page, per batch (p50/p99), and Python send -> page ack
  flush          the widget's flush on the Qt thread per batch (take, encode, hand to the page)
  UI stall       a 5 ms PreciseTimer on the Qt thread; stall = lateness of each tick (p50/p99); the idle phase (same
                 map, no updates) is the floor
  transports     the live phase once per transport: one runJavaScript call per batch, and one QWebChannel signal
  memory         RSS of this process + its QtWebEngineProcess children (psutil), before the markers and at the end

    .venv/bin/python bench/map_markers.py [--quick] [--markers 10000] [--rate 100] [--size 1920x1080] [--scale 1]
Targets: batch on the page p99 <= 30 ms; UI stall p99 <= 16 ms.
"""

from __future__ import annotations

import contextlib
import os
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import base_args, lat_summary, median, print_header, print_table

from services.demo.county import OUTLINE_PATH, generate_county

TICK_MS = 5
TARGET_BATCH_P99_MS = 30.0
TARGET_STALL_P99_MS = 16.0
LAYERS = ("new", "dispatched", "overdue", "closed_today")


# -- the Qt side -------------------------------------------------------------------------------------------------
def run_for(seconds: float) -> None:
    """Runs the Qt event loop for `seconds` (a real loop, not a processEvents spin)."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()


def wait_until(predicate: Callable[[], bool], timeout: float = 120.0) -> None:
    from PySide6.QtCore import QCoreApplication

    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise RuntimeError("timed out")
        QCoreApplication.processEvents()
        time.sleep(0.001)


class StallProbe:
    """A 5 ms PreciseTimer on the Qt thread; records each tick's lateness (ms) into the current phase's list."""

    def __init__(self) -> None:
        from PySide6.QtCore import QElapsedTimer, Qt, QTimer

        self.clock = QElapsedTimer()
        self.clock.start()
        self.last = self.clock.nsecsElapsed()
        self.values: list[float] | None = None
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self._tick)
        self.timer.start()

    def _tick(self) -> None:
        now = self.clock.nsecsElapsed()
        if self.values is not None:
            self.values.append(max(0.0, (now - self.last) / 1e6 - TICK_MS))
        self.last = now

    def measure(self, seconds: float, during: Callable[[], None] | None = None) -> list[float]:
        self.values = []
        self.last = self.clock.nsecsElapsed()
        if during is not None:
            during()
        run_for(seconds)
        values, self.values = self.values, None
        return values


class Workload:
    """Case records for N markers and a stream of updates at RATE/s driven by a timer on the Qt thread."""

    def __init__(self, points: list[tuple[float, float]], count: int, seed: int = 1) -> None:
        from widgets.map_markers import MapCase

        self.MapCase = MapCase
        self.points = points
        self.rng = random.Random(seed)
        self.cases = {i: self.new_case(i) for i in range(1, count + 1)}
        self.next_id = count + 1
        self.updates = 0

    def new_case(self, ident: int, layer: str | None = None) -> Any:
        lat, lon = self.rng.choice(self.points)
        jitter = self.rng.uniform(-0.002, 0.002)
        return self.MapCase(ident, lat + jitter, lon - jitter, layer or self.rng.choice(LAYERS),
                            f"案件{ident}：占道经营（演示）", self.rng.random() < 0.3, self.rng.random() < 0.05)

    def one_update(self, view: Any) -> None:
        pick = self.rng.random()
        if pick < 0.7:
            old = self.cases[self.rng.choice(list(self.cases))] if pick >= 0.4 else None
            if old is None:  # a move
                ident = self.rng.choice(list(self.cases))
                case = self.new_case(ident, self.cases[ident].layer)
            else:  # a state change
                case = self.MapCase(old.id, old.lat, old.lon, self.rng.choice(LAYERS), old.tooltip, old.today)
            self.cases[case.id] = case
            view.upsert_cases([case])
        elif pick < 0.85:
            case = self.new_case(self.next_id)
            self.next_id += 1
            self.cases[case.id] = case
            view.upsert_cases([case])
        else:
            ident = self.rng.choice(list(self.cases))
            del self.cases[ident]
            view.remove_cases([ident])
        self.updates += 1

    def drive(self, view: Any, rate: float) -> Any:
        """Starts a 10 ms timer doing every update that is due (rate per second); returns it (stop it after)."""
        from PySide6.QtCore import QElapsedTimer, Qt, QTimer

        clock = QElapsedTimer()
        clock.start()
        start = self.updates

        def tick() -> None:
            due = int(clock.elapsed() / 1000 * rate) - (self.updates - start)
            for _ in range(due):
                self.one_update(view)

        timer = QTimer()
        timer.setTimerType(Qt.TimerType.PreciseTimer)
        timer.setInterval(10)
        timer.timeout.connect(tick)
        timer.start()
        return timer


def process_tree_rss_mb() -> float:
    import psutil

    me = psutil.Process()
    total = me.memory_info().rss
    for child in me.children(recursive=True):
        with contextlib.suppress(psutil.Error):
            total += child.memory_info().rss
    return total / 2**20


def js_value(view: Any, script: str) -> Any:
    out: list[Any] = []
    view.run_js(script, out.append)
    wait_until(lambda: bool(out), 30)
    return out[0]


def page_settled(view: Any) -> bool:
    return view.idle() and js_value(view, "ccc.idle()") is True


def open_map(county: dict[str, Any], transport: str, page_dir: Path, size: tuple[int, int] = (1920, 1080),
             scale: float = 1.0) -> tuple[Any, float, float]:
    """A shown map of `size`, built and ready: (view, build seconds, load-to-ready seconds)."""
    from widgets.county_map import CountyMap

    view = CountyMap(page_dir=page_dir, transport=transport)
    view.resize(*size)
    view.show()
    view.set_scale(scale)
    ready: list[float] = []
    view.ready.connect(lambda: ready.append(time.perf_counter()))
    t0 = time.perf_counter()
    view.build(OUTLINE_PATH, county["townships"], county["grids"])
    t1 = time.perf_counter()
    wait_until(lambda: bool(ready))
    return view, t1 - t0, ready[0] - t1


def dress(view: Any, county: dict[str, Any], points: list[tuple[float, float]]) -> None:
    """What a wall shows beside the cases: cameras, pulsing alarms, township counts."""
    from widgets.map_markers import MapAlarm, MapCamera

    view.set_cameras(MapCamera(c["id"], c["lat"], c["lon"], c["name"]) for c in county["cameras"])
    view.set_alarms(MapAlarm(i, *points[i * 97], f"告警{i}") for i in range(1, 11))
    view.set_township_counts({t["id"]: 10 + t["id"] for t in county["townships"]})


def reload_with_markers(view: Any, workload: Workload) -> float:
    """The baseline: reload the page and give it every marker again; seconds until markercluster has them all."""
    from PySide6.QtCore import QUrl

    ready: list[float] = []
    view.ready.connect(lambda: ready.append(time.perf_counter()))
    t0 = time.perf_counter()
    view.load(QUrl.fromLocalFile(str(view.page_path)))
    wait_until(lambda: bool(ready))
    view.set_cases(workload.cases.values())
    wait_until(lambda: page_settled(view))
    view.ready.disconnect()
    return time.perf_counter() - t0


def live_phase(view: Any, workload: Workload, probe: StallProbe, rate: float, seconds: float) -> dict[str, Any]:
    """RATE updates/s for SECONDS: batch times on the page, send -> ack, and the stall of the Qt thread."""
    sent: dict[int, tuple[float, int]] = {}
    applied: dict[int, tuple[float, float]] = {}
    view.batch_sent.connect(lambda seq, size: sent.__setitem__(seq, (time.perf_counter(), size)))
    view.batch_applied.connect(lambda seq, ms: applied.__setitem__(seq, (time.perf_counter(), ms)))
    flush_s: list[float] = []
    restore = time_flushes(view, flush_s)
    timer: list[Any] = []
    before = workload.updates
    stall = probe.measure(seconds, during=lambda: timer.append(workload.drive(view, rate)))
    timer[0].stop()
    wait_until(lambda: page_settled(view))
    restore()
    view.batch_sent.disconnect()
    view.batch_applied.disconnect()
    seqs = sorted(set(sent) & set(applied))
    return {"batches": len(seqs), "apply_ms": [applied[s][1] for s in seqs],
            "trips": [applied[s][0] - sent[s][0] for s in seqs],
            "bytes": median([sent[s][1] for s in seqs]) if seqs else 0,
            "per_batch": (workload.updates - before) / max(1, len(seqs)), "stall": stall, "flush": flush_s}


def time_flushes(view: Any, out: list[float]) -> Callable[[], None]:
    """Times each flush of the widget on the Qt thread (take the batch, encode it, hand it to the page): a
    diagnostic that reaches into the widget's private timer; returns the function that undoes it."""
    flush = view._flush

    def timed() -> None:
        t0 = time.perf_counter()
        flush()
        out.append(time.perf_counter() - t0)

    view._timer.timeout.disconnect()
    view._timer.timeout.connect(timed)

    def restore() -> None:
        view._timer.timeout.disconnect()
        view._timer.timeout.connect(flush)

    return restore


# -- the run -----------------------------------------------------------------------------------------------------
def main() -> None:
    parser = base_args(__doc__ or "")
    parser.add_argument("--markers", type=int, default=10_000)
    parser.add_argument("--rate", type=float, default=100.0)
    parser.add_argument("--size", default="1920x1080", help="the view's size, WIDTHxHEIGHT")
    parser.add_argument("--scale", type=float, default=1.0, help="CountyMap.set_scale (2 for 3840x2160)")
    args = parser.parse_args()
    size = tuple(int(v) for v in args.size.lower().split("x"))
    seconds = 6.0 if args.quick else 20.0
    print_header("county map: live markers on the wall's map page", args.quick, [
        f"{args.markers:,} case markers + 200 cameras + 10 pulsing alarms + 21 labels, heat on; {args.rate:g} updates/s"
        f" (40 % moves, 30 % state changes, 15 % new, 15 % removed); view {args.size} at scale {args.scale:g}, "
        f"QT_QPA_PLATFORM={os.environ['QT_QPA_PLATFORM']}; {seconds:g} s per phase"])
    from PySide6 import __version__ as pyside_version
    from PySide6.QtWidgets import QApplication

    app = QApplication([sys.argv[0]])
    print(f"   PySide6 {pyside_version}")
    county = generate_county()
    from shapely.geometry import shape

    points = [(round(p.y, 6), round(p.x, 6)) for p in
              (shape(g["geometry"]).representative_point() for g in county["grids"])]
    out_dir = Path(__file__).resolve().parent / "out" / "map"
    out_dir.mkdir(parents=True, exist_ok=True)
    probe = StallProbe()
    rows: list[list[Any]] = []

    loads = []
    for n in range(3):
        view, build_s, load_s = open_map(county, "channel", out_dir / f"load{n}", size, args.scale)
        loads.append((build_s, load_s))
        view.close()
        view.deleteLater()
        run_for(0.5)
    results: dict[str, Any] = {}
    memory: dict[str, float] = {}
    for transport in ("channel", "runjs"):
        view, _, _ = open_map(county, transport, out_dir / transport, size, args.scale)
        dress(view, county, points)
        wait_until(lambda view=view: page_settled(view))
        run_for(1.0)
        memory.setdefault("before", process_tree_rss_mb())
        workload = Workload(points, args.markers)
        t0 = time.perf_counter()
        view.set_cases(workload.cases.values())
        wait_until(lambda view=view: page_settled(view))
        first_fill = time.perf_counter() - t0
        run_for(1.0)
        idle = probe.measure(seconds)
        live = live_phase(view, workload, probe, args.rate, seconds)
        reloads = [reload_with_markers(view, workload) for _ in range(3)] if transport == "channel" else []
        results[transport] = {"idle": idle, "live": live, "reloads": reloads,
                              "first_fill": first_fill}
        memory["after"] = max(memory.get("after", 0.0), process_tree_rss_mb())
        view.close()
        view.deleteLater()
        run_for(0.5)

    print()
    build_ms, load_ms = median([b for b, _ in loads]) * 1e3, median([w for _, w in loads]) * 1e3
    print(f"   page load (median of 3 fresh views, empty): build {build_ms:.0f} ms + load to ready {load_ms:.0f} ms")
    for transport, res in results.items():
        live = res["live"]
        apply = lat_summary([v / 1000 for v in live["apply_ms"]])
        trips = lat_summary(live["trips"])
        stall, floor = lat_summary([v / 1000 for v in live["stall"]]), lat_summary([v / 1000 for v in res["idle"]])
        flush = lat_summary(live["flush"])
        rows.append([f"{transport}: no updates (floor)", "-", "-", "-", "-", floor["p50"], floor["p99"], "-"])
        verdict = "met" if apply["p99"] <= TARGET_BATCH_P99_MS and stall["p99"] <= TARGET_STALL_P99_MS else "MISSED"
        rows.append([f"{transport}: {args.rate:g} updates/s", f"{live['batches']} × {live['per_batch']:.1f}",
                     f"{apply['p50']:.2f} / {apply['p99']:.2f}", f"{trips['p50']:.1f} / {trips['p99']:.1f}",
                     f"{flush['p50']:.2f} / {flush['p99']:.2f}", stall["p50"], stall["p99"], verdict])
        print(f"   {transport}: median batch {live['bytes']:,.0f} bytes of JSON; first fill of {args.markers:,} "
              f"markers (set_cases until all clustered) {res['first_fill'] * 1e3:.0f} ms")
        if res["reloads"]:
            print(f"   baseline, page reload + the same {args.markers:,} markers until all clustered: "
                  f"{median(res['reloads']) * 1e3:.0f} ms (median of 3: "
                  f"{', '.join(f'{r * 1e3:.0f}' for r in res['reloads'])})")
    print()
    print_table(["phase", "batches × updates", "ccc.apply p50 / p99 ms", "send→ack p50 / p99 ms",
                 "flush on Qt thread p50 / p99 ms", "stall p50 ms", "stall p99 ms", "targets"], rows)
    print(f"   memory (RSS of this process + QtWebEngineProcess children): {memory['before']:.0f} MB with the empty "
          f"map, {memory['after']:.0f} MB at the end (max over the two views)")
    del app


if __name__ == "__main__":
    main()
