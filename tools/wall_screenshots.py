"""Screenshots of the leaders' wall against a real demo server, at wall sizes, one PNG per page and size.

    .venv/bin/python tools/wall_screenshots.py OUT_DIR [--sizes 1920x1080,3840x2160] [--history 1] [--simulate 60]
        [--speed 20] [--start 2026-12-07T15:00:00+08:00] [--settle 20]

Starts `main.py serve --demo` (history, simulator, speed-up) with a fresh SQLite file in a temporary directory,
opens the wall as the demo leader (masked), lets the simulator run `--settle` seconds, then grabs each page at each
size, the camera preview a click on the map's first camera opens (as if from an alarm), and the video wall with 16
tiles playing (as the demo duty officer). Runs under
QT_QPA_PLATFORM=offscreen unless a display is set (use Xvfb for the xcb platform)."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QCoreApplication  # noqa: E402

from app.bootstrap import make_application  # noqa: E402
from app.context import WindowContext  # noqa: E402
from app.session import Session  # noqa: E402
from app.settings import VideoConfig, WallConfig, load_desktop  # noqa: E402
from views.video_window import VIDEO_PARTS, VideoWindow  # noqa: E402
from views.wall_window import WALL_PARTS, WallWindow  # noqa: E402


def start_server(directory: Path, port: int, args: argparse.Namespace) -> subprocess.Popen[bytes]:
    log = (directory / "server.log").open("wb")
    extra = ["--start", args.start] if args.start else []
    return subprocess.Popen([sys.executable, "main.py", "serve", "--demo", "--db", str(directory / "ccc.sqlite"),
                             "--port", str(port), "--simulate", str(args.simulate), "--history", str(args.history),
                             "--speed", str(args.speed), *extra], cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)


def wait_for(condition, timeout: float) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        QCoreApplication.processEvents()
        time.sleep(0.01)
    return True


def grab_camera_preview(window: WallWindow, out: Path) -> Path:
    """What a click on the map's first camera opens: its live main stream over the wall."""
    camera_id = min(window.context.reference.cameras)
    preview = window.open_camera(camera_id, "烟火 · 15:02")
    wait_for(lambda: preview.tile.painted_frames > 10, 60)
    path = out / "wall-camera-preview.png"
    preview.grab().save(str(path))
    preview.close()
    return path


def grab_video_wall(url: str, token: str, out: Path) -> Path:
    """The video wall as a duty officer sees it: 16 tiles of the demo cameras playing, at 1920×1080."""
    session = Session(url, token, console="video-screenshots", parts=VIDEO_PARTS)
    context = WindowContext(session, case_list=False)
    window = VideoWindow(context, VideoConfig(), sound=False)
    window.resize(1920, 1080)
    window.show()
    session.start()
    wait_for(lambda: window.filled, 60)
    window.set_layout("16")
    for tile in range(16):
        if tile not in window.streams.wanted:
            window.show_on_free_tile(sorted(context.reference.cameras)[tile])
    wait_for(lambda: all(t.painted_frames > 5 for t in window.grid.tiles()), 120)
    wait_for(lambda: False, 3.0)
    path = out / "video-16-1920x1080.png"
    window.grab().save(str(path))
    window.close()
    context.close()
    return path


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("--sizes", default="1920x1080,3840x2160")
    parser.add_argument("--simulate", type=float, default=60.0, help="case reports per simulated hour")
    parser.add_argument("--history", type=float, default=0.3, help="months of past activity filled in first")
    parser.add_argument("--speed", type=float, default=20.0, help="server clock speed-up")
    parser.add_argument("--start", default="", help="the server clock's start (ISO 8601), e.g. today 15:00")
    parser.add_argument("--settle", type=float, default=20.0)
    parser.add_argument("--port", type=int, default=8799)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    app = make_application(load_desktop())
    with tempfile.TemporaryDirectory() as tmp:
        server = start_server(Path(tmp), args.port, args)
        try:
            tokens_file = Path(tmp) / "demo-tokens.json"
            if not wait_for(lambda: "listening on" in (Path(tmp) / "server.log").read_text(errors="replace"), 600):
                print((Path(tmp) / "server.log").read_text(), file=sys.stderr)
                return 1
            token = json.loads(tokens_file.read_text())["demo_leader"]
            session = Session(f"ws://127.0.0.1:{args.port}", token, console="wall-screenshots", parts=WALL_PARTS)
            context = WindowContext(session, case_list=False)
            window = WallWindow(context, WallConfig(rotate_seconds=0))
            for size in args.sizes.split(","):
                width, height = (int(v) for v in size.split("x"))
                window.resize(width, height)
                window.show()
                if size == args.sizes.split(",")[0]:
                    session.start()
                    wait_for(lambda: window.stats.latest is not None and window.map.is_ready(), 60)
                    wait_for(lambda: False, args.settle)
                for index, name in enumerate(window.playlist):
                    window.show_page(index)
                    wait_for(lambda: False, 3.0)
                    path = args.out / f"wall-{name}-{width}x{height}.png"
                    window.grab().save(str(path))
                    print(path)
            print(grab_camera_preview(window, args.out))
            video_token = json.loads(tokens_file.read_text())["demo_duty_officer"]
            print(grab_video_wall(f"ws://127.0.0.1:{args.port}", video_token, args.out))
            context.close()
            window.close()
        finally:
            server.terminate()
            server.wait(30)
    app.quit()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
