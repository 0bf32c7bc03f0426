"""The video wall's figures (issue #6), each beside its baseline measured in the same run.

Clips: distinct synthetic clips encoded by services/video/clips.py's `write_clip` (MPEG-4 part 2 in .mp4, 25 fps,
10 s, looped), cached in bench/out/video-clips/: 64 of 640×360 and one of 1920×1080. Decoded for real by cv2.

The process is tuned first as the application's first DecoderPool tunes it (services/video/tuning.py: cv2's own
thread pool off, glibc malloc arenas capped), so the baselines run under the same settings.
Baselines, first, with no Qt application in the process:
  raw decode   16 threads (or 1 for the 1080p clip), each `cv2.VideoCapture(file, CAP_FFMPEG)` reading its clip and
               sleeping to 25 fps, reopened at the end (as the capture does) — frames/s and process CPU
  capture      the same files through the application's DecoderPool / StreamCapture, no UI
  read stamp   glass-to-glass source (below) read by one cv2 thread; latency taken right after `cv2.read()`
Then one `app.exec()` through timed phases (never a second exec: Qt 6's quit() closes the windows):
  empty wall   VideoGrid("16") at 1920×1080 (offscreen), no cameras: the stall baseline
  16 tiles     the 16 clips through DecoderPool / TileStreams (the sub stream of each tile), frame getters as the
               window makes them, health badges every 500 ms, `start_refresh()` at the screen's rate
  1080p        tile 0 maximised showing the 1920×1080 clip as its main stream
  glass        the stamped stream in tile 0: alone (maximised), then in the 16-tile wall beside 15 playing clips
  tour         16 tiles cycled through the 64 clips, a step every TOUR_STEP_S seconds; RSS sampled each step
Measured per phase: frames decoded/s (sum of the captures' frame seq deltas), frames painted/s (sum of the tiles'
`painted_frames` deltas), CPU = process CPU time / wall time (psutil, in cores), UI-thread stall (a 5 ms PreciseTimer
on the Qt thread, lateness of each tick), RSS. The first WARMUP_S after each change are not counted.

Glass-to-glass: a child process (this script, `serve-mjpeg`) serves an HTTP MJPEG stream (multipart/x-mixed-replace)
on 127.0.0.1, 640×360 at 25 fps; just before encoding each frame it draws time.time() in ms (40 bits) as black/white
16×16 blocks in the first rows, and its bitwise inverse below as a check. The capture opens it like a camera; at paint
time (the tile's paintEvent wrapped, after it painted) the stamp is read back from the painted frame: now - stamp.

    .venv/bin/python bench/video_wall.py [--quick] [--tour-seconds S] [--codec mp4v|h264]
Targets (issue #6): painted >= 95 % of source fps; CPU <= 1.2x the raw decode; glass-to-glass p99 <= 150 ms;
memory flat over tours.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import OUT, base_args, exec_with_probe, free_port, lat_summary, print_header, print_table

FPS = 25
TILES = 16
TOUR_CLIPS = 64
TOUR_STEP_S = 2.0
TICK_MS = 5
WARMUP_S = 2.0
STAMP_BITS = 40
BLOCK = 16
CLIPS_DIR = OUT / "video-clips"
H264_DIR = OUT / "video-clips-h264"
CAM_1080 = 1000
CAM_STAMP = 2000
DEFAULT_TOUR_INTERVAL_S = 20
"""VideoConfig().tour_interval_seconds: one tour step of the townships' tours in real use."""


# -- clips ------------------------------------------------------------------------------------------------------
def ensure_clips() -> tuple[list[Path], Path]:
    from services.video.clips import write_clip

    CLIPS_DIR.mkdir(parents=True, exist_ok=True)
    made = 0

    def clip(name: str, camera_id: int, size: tuple[int, int]) -> Path:
        nonlocal made
        path = CLIPS_DIR / name
        if not path.exists():
            tmp = path.with_suffix(".tmp.mp4")
            write_clip(tmp, camera_id, size, "", 10.0)
            tmp.replace(path)
            made += 1
        return path

    small = [clip(f"sub-{i:02d}.mp4", 1 + i, (640, 360)) for i in range(TOUR_CLIPS)]
    big = clip("main-1080.mp4", CAM_1080, (1920, 1080))
    print(f"   clips: {len(small)} × 640×360 and 1 × 1920×1080, 25 fps, 10 s, mp4v, in {CLIPS_DIR} "
          f"({made} generated now)")
    return small, big


def as_h264(paths: list[Path]) -> list[Path]:
    """The same clips as H.264 (what cameras send), transcoded once by the system's ffmpeg (libx264, the wheel's
    FFmpeg has no H.264 encoder): baseline-like, no B-frames, a keyframe every 2 s, as a camera's stream is."""
    import shutil

    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        raise SystemExit("--codec h264 needs the system's ffmpeg (./run setup installs it)")
    H264_DIR.mkdir(parents=True, exist_ok=True)
    out = []
    for path in paths:
        target = H264_DIR / path.name
        if not target.exists():
            tmp = target.with_suffix(".tmp.mp4")
            subprocess.run([ffmpeg, "-nostdin", "-loglevel", "error", "-y", "-i", str(path), "-c:v", "libx264",
                            "-preset", "veryfast", "-tune", "zerolatency", "-bf", "0", "-g", "50",
                            "-pix_fmt", "yuv420p", str(tmp)], check=True)
            tmp.replace(target)
        out.append(target)
    return out


# -- the stamped MJPEG source (child process) -------------------------------------------------------------------
def stamp_frame(base: Any, ms: int) -> Any:
    import numpy as np

    frame = base.copy()
    bits = np.array([(ms >> (STAMP_BITS - 1 - i)) & 1 for i in range(STAMP_BITS)], np.uint8) * 255
    row = np.repeat(bits, BLOCK)[None, :, None]
    frame[:BLOCK, : STAMP_BITS * BLOCK] = row
    frame[BLOCK: 2 * BLOCK, : STAMP_BITS * BLOCK] = 255 - row
    return frame


def read_stamp(image: Any) -> int | None:
    """The ms stamp drawn by stamp_frame, or None if the two copies disagree (a damaged frame)."""
    if image.shape[1] < STAMP_BITS * BLOCK or image.shape[0] < 2 * BLOCK:
        return None
    lo, hi = BLOCK // 4, BLOCK - BLOCK // 4
    top = image[lo:hi, : STAMP_BITS * BLOCK].reshape(hi - lo, STAMP_BITS, BLOCK, 3)[:, :, lo:hi].mean(axis=(0, 2, 3))
    low = image[BLOCK + lo: BLOCK + hi, : STAMP_BITS * BLOCK].reshape(hi - lo, STAMP_BITS, BLOCK, 3)[:, :, lo:hi]
    low = low.mean(axis=(0, 2, 3))
    value = 0
    for a, b in zip(top, low, strict=True):
        bit = a > 128
        if bit == (b > 128):
            return None
        value = (value << 1) | int(bit)
    return value


def latency_ms(stamp: int, now: float) -> float:
    return float((int(now * 1000) - stamp) % (1 << STAMP_BITS))


def serve_mjpeg(port: int) -> None:
    import cv2
    import numpy as np

    ramp = np.linspace(40, 200, 640, dtype=np.uint8)[None, :, None]
    base = np.repeat(np.repeat(ramp, 360, axis=0), 3, axis=2)
    cv2.putText(base, "glass-to-glass stamp", (20, 200), cv2.FONT_HERSHEY_SIMPLEX, 1.2, (255, 255, 255), 2)

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "multipart/x-mixed-replace;boundary=frame")
            self.send_header("Cache-Control", "no-cache")
            self.end_headers()
            due = time.monotonic()
            try:
                while True:
                    frame = stamp_frame(base, int(time.time() * 1000) % (1 << STAMP_BITS))
                    _ok, jpg = cv2.imencode(".jpg", frame, [cv2.IMWRITE_JPEG_QUALITY, 80])
                    data = jpg.tobytes()
                    self.wfile.write(b"--frame\r\nContent-Type: image/jpeg\r\nContent-Length: "
                                     + str(len(data)).encode() + b"\r\n\r\n" + data + b"\r\n")
                    self.wfile.flush()
                    due += 1 / FPS
                    time.sleep(max(0.0, due - time.monotonic()))
            except (BrokenPipeError, ConnectionResetError):
                return

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    print("serving", flush=True)
    server.serve_forever()


class MjpegProc:
    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/stream.mjpg"
        self.proc = subprocess.Popen([sys.executable, __file__, "serve-mjpeg", str(self.port)],
                                     stdout=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.1)
        raise RuntimeError("the MJPEG source did not start")

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(10)


# -- measuring --------------------------------------------------------------------------------------------------
class Meter:
    """Wall time and this process's CPU time between two points."""

    def __init__(self) -> None:
        import psutil

        self.proc = psutil.Process()

    def cpu(self) -> float:
        t = self.proc.cpu_times()
        return t.user + t.system

    def rss_mb(self) -> float:
        return self.proc.memory_info().rss / 2**20

    def mark(self) -> tuple[float, float]:
        return time.perf_counter(), self.cpu()

    @staticmethod
    def since(mark: tuple[float, float], now: tuple[float, float]) -> tuple[float, float]:
        """(wall seconds, CPU cores)."""
        wall = now[0] - mark[0]
        return wall, (now[1] - mark[1]) / wall


def thread_cpu() -> dict[int, float]:
    """CPU seconds per OS thread of this process."""
    import psutil

    return {t.id: t.user_time + t.system_time for t in psutil.Process().threads()}


def split_cpu(before: dict[int, float], wall_s: float) -> str:
    """Cores used since `before`, by the Qt (main) thread, the Python threads (capture / decode loops) and the
    native threads Python does not know (FFmpeg's decoder workers, Qt's own); threads that ended meanwhile are lost."""
    after = thread_cpu()
    main_id = threading.main_thread().native_id
    py_ids = {t.native_id for t in threading.enumerate()} - {main_id}
    parts = {"main/Qt": 0.0, "python threads": 0.0, "native threads": 0.0}
    names: dict[str, float] = {}
    for tid, cpu in after.items():
        used = cpu - before.get(tid, 0.0)
        key = "main/Qt" if tid == main_id else "python threads" if tid in py_ids else "native threads"
        parts[key] += used / wall_s
        if key == "native threads" and used > 0:
            name = thread_name(tid)
            names[name] = names.get(name, 0.0) + used / wall_s
    top = sorted(names.items(), key=lambda kv: -kv[1])[:4]
    return (", ".join(f"{k} {v:.2f}" for k, v in parts.items())
            + " (native by name: " + ", ".join(f"{k!r} {v:.2f}" for k, v in top) + ")")


def thread_name(tid: int) -> str:
    """The OS thread's name (/proc), digits dropped so that a pool's threads add up."""
    try:
        name = Path(f"/proc/self/task/{tid}/comm").read_text().strip()
    except OSError:
        return "?"
    return "".join(c for c in name if not c.isdigit()) or "?"


def raw_decode(paths: list[Path], seconds: float, meter: Meter) -> dict[str, Any]:
    """cv2 decoding in one thread per file, throttled to 25 fps, no UI."""
    import cv2

    counts = [0] * len(paths)
    stop = threading.Event()

    def run(i: int, path: Path) -> None:
        while not stop.is_set():
            capture = cv2.VideoCapture(str(path), cv2.CAP_FFMPEG)
            due = time.monotonic()
            while not stop.is_set():
                ok, _image = capture.read()
                if not ok:
                    break
                counts[i] += 1
                due += 1 / FPS
                delay = due - time.monotonic()
                if delay > 0:
                    stop.wait(delay)
            capture.release()

    threads = [threading.Thread(target=run, args=(i, p), daemon=True) for i, p in enumerate(paths)]
    for t in threads:
        t.start()
    result = measure_decoding(lambda: sum(counts), seconds, meter)
    stop.set()
    for t in threads:
        t.join(5)
    return result


def capture_decode(paths: list[Path], seconds: float, meter: Meter) -> dict[str, Any]:
    """The same files through the application's DecoderPool / StreamCapture, no UI."""
    from app.settings import VideoConfig
    from services.video.pool import DecoderPool

    pool = DecoderPool(VideoConfig(), CLIPS_DIR)
    captures = [pool.open(i, "sub", str(p)) for i, p in enumerate(paths)]
    result = measure_decoding(lambda: decoded(captures), seconds, meter)
    pool.close_all()
    return result


def measure_decoding(frames: Callable[[], int], seconds: float, meter: Meter) -> dict[str, Any]:
    """After the warm-up, `seconds` of decoding with no UI: frames/s, process CPU in cores and its split by thread."""
    time.sleep(WARMUP_S)
    f0, m0, th0 = frames(), meter.mark(), thread_cpu()
    time.sleep(seconds)
    f1, m1 = frames(), meter.mark()
    wall, cores = Meter.since(m0, m1)
    return {"decoded": (f1 - f0) / wall, "painted": float("nan"), "cpu": cores, "split": split_cpu(th0, wall)}


def decoded(captures: list[Any]) -> int:
    total = 0
    for capture in captures:
        frame = capture.latest()
        total += frame.seq if frame is not None else 0
    return total


def read_stamps(url: str, seconds: float) -> list[float]:
    """Glass-to-glass baseline: the stamp read right after cv2.read(), no UI."""
    import cv2

    capture = cv2.VideoCapture(url, cv2.CAP_FFMPEG)
    if not capture.isOpened():
        raise RuntimeError(f"cannot open {url}")
    lat: list[float] = []
    start = time.monotonic()
    while time.monotonic() - start < WARMUP_S + seconds:
        ok, image = capture.read()
        now = time.time()
        if not ok:
            break
        stamp = read_stamp(image)
        if stamp is not None and time.monotonic() - start >= WARMUP_S:
            lat.append(latency_ms(stamp, now))
    capture.release()
    return lat


# -- the UI run -------------------------------------------------------------------------------------------------
class Wall:
    """A VideoGrid("16") fed through DecoderPool / TileStreams as views/video_window.py feeds it."""

    def __init__(self, cameras: dict[int, dict[str, Any]]) -> None:
        from PySide6.QtCore import QTimer

        from app.models.video_streams import DecoderPool, TileStreams
        from app.settings import VideoConfig
        from widgets.video_grid import VideoGrid

        self.cameras = cameras
        self.pool = DecoderPool(VideoConfig(), CLIPS_DIR)
        self.streams = TileStreams(self.pool, lambda: cameras)
        self.grid = VideoGrid("16")
        self.grid.resize(1920, 1080)
        self.grid.show()
        self.grid.start_refresh()
        self.health_timer = QTimer()
        self.health_timer.timeout.connect(self.show_health)
        self.health_timer.start(500)
        self.refusals: list[str] = []

    def bind(self, tile: int, camera_id: int | None, large: bool = False) -> None:
        from app.models.video_streams import frame_getter

        widget = self.grid.tiles()[tile]
        problem = self.streams.show(tile, camera_id, large)
        if problem:
            self.refusals.append(problem)
        binding = self.streams.bindings.get(tile)
        widget.set_camera(camera_id, self.cameras[camera_id]["name"] if camera_id is not None else "")
        widget.set_frame_getter(frame_getter(binding.capture) if binding else None)

    def clear(self) -> None:
        for tile in range(len(self.grid.tiles())):
            self.bind(tile, None)
        if self.grid.maximized() >= 0:
            self.grid.toggle_maximized(self.grid.maximized())

    def show_health(self) -> None:
        """As the video window does it (views/video_feed.py)."""
        from views.video_feed import tile_health

        for tile, widget in enumerate(self.grid.tiles()):
            widget.set_health(tile_health(self.streams.health(tile), tile in self.streams.wanted))

    def captures(self) -> list[Any]:
        return [b.capture for b in self.streams.bindings.values()]

    def painted(self) -> int:
        return sum(t.painted_frames for t in self.grid.tiles())


def run_ui(app: Any, phases: list[tuple[str, float, Any, bool]], wall: Wall, meter: Meter) -> dict[str, dict]:
    """One app.exec() through the phases (name, seconds, on_start, measured); per measured phase its figures."""
    from PySide6.QtCore import QElapsedTimer, QTimer

    results: dict[str, dict] = {}
    state: dict[str, Any] = {"index": -1, "lateness": None}
    clock = QElapsedTimer()
    clock.start()
    last = [clock.nsecsElapsed()]

    def tick() -> None:
        now = clock.nsecsElapsed()
        if state["lateness"] is not None:
            state["lateness"].append(max(0.0, (now - last[0]) / 1e6 - TICK_MS))
        last[0] = now

    def close_phase() -> None:
        name, _s, _f, measured = phases[state["index"]]
        if not measured:
            return
        m1 = meter.mark()
        wall_s, cores = Meter.since(state["m0"], m1)
        captures = state["captures"]
        results[name] = {
            "decoded": (decoded(captures) - state["d0"]) / wall_s, "painted": (wall.painted() - state["p0"]) / wall_s,
            "cpu": cores, "ui_cpu": (time.thread_time() - state["t0"]) / wall_s,
            "stall": lat_summary([v / 1000 for v in state["lateness"]]), "rss": meter.rss_mb(),
            "split": split_cpu(state["th0"], wall_s),
            "streams": len(captures),
        }
        if name == "tour":  # the captures change at every step: their seqs do not add up
            results[name]["decoded"] = float("nan")
        state["lateness"] = None

    def next_phase() -> None:
        if state["index"] >= 0:
            close_phase()
        state["index"] += 1
        if state["index"] == len(phases):
            app.quit()
            return
        name, seconds, on_start, measured = phases[state["index"]]
        if on_start is not None:
            on_start()
        if measured:
            state["captures"] = wall.captures()
            state["d0"], state["p0"], state["m0"] = decoded(state["captures"]), wall.painted(), meter.mark()
            state["lateness"] = []
            state["t0"] = time.thread_time()  # the Qt thread's own CPU time
            state["th0"] = thread_cpu()
        print(f"   … {name} ({seconds:g} s)", flush=True)
        QTimer.singleShot(int(seconds * 1000), next_phase)

    exec_with_probe(app, TICK_MS, tick, next_phase)
    return results


def hook_stamps(tile: Any, getter_capture: Any, into: dict[str, list[float]]) -> None:
    """Wraps the tile's paintEvent: after it painted a new frame, read the stamp back from that frame.
    `into["total"]`: now - stamp (glass-to-glass); `into["ui"]`: paint time - the capture's read time."""
    from widgets.video_tile import VideoTile

    seen = [None]

    def paint(event: Any) -> None:
        VideoTile.paintEvent(tile, event)
        seq = tile.frame_seq()
        if seq is None or seq == seen[0] or into.get("off"):
            return
        seen[0] = seq
        frame = getter_capture().latest()
        if frame is None or frame.seq != seq:
            return  # a newer frame already arrived: the painted one is no longer at hand
        now, mono = time.time(), time.monotonic()
        stamp = read_stamp(frame.image)
        if stamp is not None:
            into["total"].append(latency_ms(stamp, now))
            into["ui"].append((mono - frame.captured_at) * 1000)

    tile.paintEvent = paint


def draw_costs() -> None:
    """What one tile's paint costs in QPainter.drawImage alone: a 640×360 frame as the capture delivers it (B-G-R-255,
    RGB32) drawn into an RGB32 image at a 16-tile cell's size, fast transform; the same frame as BGR888 (what the tile
    was given before: Qt converts it at each paint) beside it; and the 1080p frame at 1920×1080."""
    import numpy as np
    from PySide6.QtCore import QRect
    from PySide6.QtGui import QImage, QPainter

    target = QImage(1920, 1080, QImage.Format.Format_RGB32)
    cases = []
    for w, h, cell in ((640, 360, QRect(0, 0, 477, 268)), (1920, 1080, QRect(0, 0, 1920, 1080))):
        frame = np.random.default_rng(1).integers(0, 255, (h, w, 3), np.uint8)
        bgr = QImage(frame.data, w, h, frame.strides[0], QImage.Format.Format_BGR888)
        cases.append((f"{w}×{h} BGR888 → {cell.width()}×{cell.height()}", bgr, cell))
        rgb32 = bgr.convertToFormat(QImage.Format.Format_RGB32)
        cases.append((f"{w}×{h} RGB32 → {cell.width()}×{cell.height()}", rgb32, cell))
    parts = []
    for label, image, cell in cases:
        painter = QPainter(target)
        n, t0 = 0, time.process_time()
        while time.process_time() - t0 < 0.5:
            painter.drawImage(cell, image)
            n += 1
        painter.end()
        parts.append(f"{label} {(time.process_time() - t0) / n * 1000:.2f} ms")
    print("   QPainter.drawImage CPU per call, all threads (Qt converts in pooled threads; after the run, same "
          "process, captures stopped): " + "; ".join(parts))


def main() -> None:
    parser = base_args(__doc__ or "")
    parser.add_argument("--tour-seconds", type=float, default=None)
    parser.add_argument("--codec", choices=("mp4v", "h264"), default="mp4v",
                        help="the clips' codec: mp4v as generated, or the same clips transcoded to H.264")
    args = parser.parse_args()
    seconds = 5.0 if args.quick else 15.0
    tour_s = args.tour_seconds if args.tour_seconds is not None else (30.0 if args.quick else 300.0)
    steps = int(tour_s / TOUR_STEP_S)
    print_header("video wall: 16 tiles, one 1080p tile, glass-to-glass, memory over tours", args.quick, [
        f"{seconds:g} s per measured phase after {WARMUP_S:g} s warm-up; tour {tour_s:g} s = {steps} steps of "
        f"{TOUR_STEP_S:g} s (= {steps * DEFAULT_TOUR_INTERVAL_S / 60:.0f} min of touring at the default "
        f"{DEFAULT_TOUR_INTERVAL_S} s per step); QT_QPA_PLATFORM={os.environ['QT_QPA_PLATFORM']}"])
    import cv2

    print(f"   cv2 {cv2.__version__}, cv2.getNumThreads() {cv2.getNumThreads()}")
    small, big = ensure_clips()
    if args.codec == "h264":
        small, big = as_h264(small), as_h264([big])[0]
        print(f"   as H.264 (libx264 veryfast, no B-frames, GOP 50) in {H264_DIR}")
    from services.video.tuning import tune_for_capture

    tune_for_capture()  # as the application's first DecoderPool does, before any decoding thread exists
    first16 = small[:TILES]
    meter = Meter()
    source = MjpegProc()
    try:
        base: dict[str, dict] = {}
        print("   baselines (no Qt application yet) …", flush=True)
        base["raw16"] = raw_decode(first16, seconds, meter)
        base["cap16"] = capture_decode(first16, seconds, meter)
        base["raw1080"] = raw_decode([big], seconds, meter)
        base["cap1080"] = capture_decode([big], seconds, meter)
        stamps_read = read_stamps(source.url, seconds)
        rss_before_qt = meter.rss_mb()

        from PySide6.QtWidgets import QApplication

        app = QApplication([sys.argv[0]])
        cameras = {i: {"name": f"clip {i:02d}", "main_url": str(p), "sub_url": str(p)} for i, p in enumerate(small)}
        cameras[CAM_1080] = {"name": "1080p", "main_url": str(big), "sub_url": str(big)}
        cameras[CAM_STAMP] = {"name": "stamp", "main_url": source.url, "sub_url": source.url}
        wall = Wall(cameras)
        stamps: dict[str, dict[str, list[float]]] = {k: {"total": [], "ui": [], "off": True} for k in ("1", "16")}
        rss_tour: list[tuple[int, float]] = []
        tour_step = [0]

        def show16() -> None:
            wall.clear()
            for i in range(TILES):
                wall.bind(i, i)

        def show1080() -> None:
            wall.clear()
            wall.grid.toggle_maximized(0)
            wall.bind(0, CAM_1080, large=True)

        def glass(key: str, with_others: bool) -> Any:
            def start() -> None:
                for other in stamps.values():
                    other["off"] = True
                wall.clear()
                if not with_others:
                    wall.grid.toggle_maximized(0)
                wall.bind(0, CAM_STAMP, large=not with_others)
                if with_others:
                    for i in range(1, TILES):
                        wall.bind(i, i)
                hook_stamps(wall.grid.tiles()[0], lambda: wall.streams.bindings[0].capture, stamps[key])
            return start

        def measure(key: str) -> Any:
            return lambda: stamps[key].__setitem__("off", False)

        def tour() -> None:
            k = tour_step[0]
            for i in range(TILES):
                wall.bind(i, (k * TILES + i) % TOUR_CLIPS)
            rss_tour.append((k, meter.rss_mb()))
            tour_step[0] += 1

        def start_tour() -> None:
            stamps["16"]["off"] = True
            wall.clear()
            tour()
            tour_timer.start(int(TOUR_STEP_S * 1000))

        from PySide6.QtCore import QTimer

        tour_timer = QTimer()
        tour_timer.timeout.connect(tour)
        phases = [
            ("empty wall", seconds, None, True),
            ("warm 16", WARMUP_S, show16, False), ("16 tiles", seconds, None, True),
            ("warm 1080", WARMUP_S, show1080, False), ("1080p maximised", seconds, None, True),
            ("warm glass 1", WARMUP_S + 1, glass("1", False), False), ("glass alone", seconds, measure("1"), True),
            ("warm glass 16", WARMUP_S + 1, glass("16", True), False),
            ("glass in 16", seconds, measure("16"), True),
            ("tour", tour_s, start_tour, True),
            ("after tour", WARMUP_S, tour_timer.stop, True),
        ]
        ui = run_ui(app, phases, wall, meter)
        wall.clear()
        wall.pool.close_all()
    finally:
        source.stop()

    print()
    src16, src1 = TILES * FPS, FPS
    rows = []

    def row(label: str, r: dict, source_fps: float, cpu_base: float | None, stall: bool = True) -> list[Any]:
        painted = r["painted"]
        pct = f"{100 * painted / source_fps:.1f} %" if painted == painted else "–"
        ratio = f"{r['cpu'] / cpu_base:.2f}×" if cpu_base else "–"
        s = r.get("stall")
        ui_cpu = f"{r['ui_cpu']:.2f}" if "ui_cpu" in r else "–"
        return [label, r["decoded"], painted, pct, r["cpu"], ratio, ui_cpu,
                f"{s['p50']:.2f} / {s['p99']:.2f} / {s['max']:.1f}" if s and stall else "–"]

    rows.append(row("16 × 640×360 raw cv2 decode, 16 threads (baseline)", base["raw16"], src16, base["raw16"]["cpu"]))
    rows.append(row("16 × 640×360 DecoderPool/StreamCapture, no UI", base["cap16"], src16, base["raw16"]["cpu"]))
    rows.append(row("empty VideoGrid('16'), no streams (stall baseline)", ui["empty wall"], src16, None))
    rows.append(row("**16 tiles in VideoGrid('16')**", ui["16 tiles"], src16, base["raw16"]["cpu"]))
    rows.append(row("1 × 1920×1080 raw cv2 decode (baseline)", base["raw1080"], src1, base["raw1080"]["cpu"]))
    rows.append(row("1 × 1920×1080 DecoderPool/StreamCapture, no UI", base["cap1080"], src1, base["raw1080"]["cpu"]))
    rows.append(row("**1080p in the maximised tile**", ui["1080p maximised"], src1, base["raw1080"]["cpu"]))
    rows.append(row("tour: 16 tiles, new cameras every 2 s", ui["tour"], src16, base["raw16"]["cpu"]))
    print_table(["what", "decoded/s", "painted/s", "painted / source", "CPU cores", "CPU vs raw",
                 "of it Qt thread", "stall p50 / p99 / max ms"], rows)
    print("   CPU cores by thread kind:")
    for key, r in (("raw16", base["raw16"]), ("cap16", base["cap16"]), ("raw1080", base["raw1080"]),
                   ("cap1080", base["cap1080"]), *ui.items()):
        print(f"     {key}: {r['split']}")
    print(f"   VideoGrid refresh interval: {wall.grid.refresh_interval_ms() or 'stopped'} ms "
          f"(screen {wall.grid.screen().refreshRate():g} Hz); refusals: {wall.refusals or 'none'}")

    print()
    glass_rows = []
    s = lat_summary([v / 1000 for v in stamps_read])
    glass_rows.append(["stamp read right after cv2.read(), no UI (baseline)", s["n"], s["p50"], s["p99"], s["max"],
                       "–", "–"])
    for key, label in (("1", "painted in the maximised tile"), ("16", "painted in tile 0 of 16 playing tiles")):
        t = lat_summary([v / 1000 for v in stamps[key]["total"]])
        u = lat_summary([v / 1000 for v in stamps[key]["ui"]])
        glass_rows.append([f"**{label}**", t["n"], t["p50"], t["p99"], t["max"],
                           f"{u['p50']:.1f} / {u['p99']:.1f}", "met" if t["p99"] <= 150 else "MISSED"])
    print_table(["glass-to-glass", "frames", "p50 ms", "p99 ms", "max ms", "read → paint p50 / p99 ms",
                 "p99 ≤ 150 ms"], glass_rows)

    print()
    print(f"   RSS: {rss_before_qt:.0f} MB after the baselines (before Qt); "
          f"empty wall {ui['empty wall']['rss']:.0f} MB; "
          f"16 tiles playing {ui['16 tiles']['rss']:.0f} MB; 1080p {ui['1080p maximised']['rss']:.0f} MB")
    if rss_tour:
        mid = rss_tour[len(rss_tour) // 2]
        values = [v for _, v in rss_tour]
        print(f"   tour RSS over {len(rss_tour)} steps: start {rss_tour[0][1]:.0f} MB, step {mid[0]} {mid[1]:.0f} MB, "
              f"end {rss_tour[-1][1]:.0f} MB (min {min(values):.0f}, max {max(values):.0f}); "
              f"after the tour (same 16 tiles playing) {ui['after tour']['rss']:.0f} MB")
        print("   tour RSS every 10 steps: " + ", ".join(f"{v:.0f}" for k, v in rss_tour if k % 10 == 0))
    draw_costs()
    print(f"   threads alive at the end: {threading.active_count()}")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "serve-mjpeg":
        serve_mjpeg(int(sys.argv[2]))
    else:
        main()
