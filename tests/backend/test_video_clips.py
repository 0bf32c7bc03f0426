"""Demo cameras' clips: generated locally, distinct per camera, with a running clock, written atomically and reused;
a demo:// camera plays through the pool, its clip generated in the capture thread on first open."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
from video_servers import wait_for

from config.desktop import VideoConfig
from services.video import DecoderPool
from services.video.clips import clip_path, ensure_clip, time_code


def decode_all(path: Path) -> list[np.ndarray]:
    capture = cv2.VideoCapture(str(path), cv2.CAP_FFMPEG)
    frames = []
    while (read := capture.read())[0]:
        frames.append(read[1])
    capture.release()
    return frames


def test_clips_are_distinct_per_camera_with_a_running_clock_and_reused(tmp_path: Path) -> None:
    first = ensure_clip(tmp_path, 1, "sub", "莲塘农贸市场1号", seconds=1)
    second = ensure_clip(tmp_path, 2, "sub", "", seconds=1)
    assert first == clip_path(tmp_path, 1, "sub") and first != second
    frames_one, frames_two = decode_all(first), decode_all(second)
    assert len(frames_one) == 25 and frames_one[0].shape == (360, 640, 3)
    assert np.abs(frames_one[0].astype(int) - frames_two[0].astype(int)).mean() > 10  # distinct cameras
    clock = slice(330, 360), slice(120, 260)  # the time code's place, bottom left
    assert not np.array_equal(frames_one[0][clock], frames_one[13][clock])  # the clock runs
    stamp = first.stat().st_mtime_ns, first.stat().st_ino
    assert ensure_clip(tmp_path, 1, "sub", "莲塘农贸市场1号", seconds=1) == first
    assert (first.stat().st_mtime_ns, first.stat().st_ino) == stamp  # reused, not regenerated
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([first.name, second.name])  # no temp files left


def test_time_codes_run_from_zero_to_the_last_frame() -> None:
    assert (time_code(0), time_code(1), time_code(249)) == ("00:00.00", "00:00.04", "00:09.96")


def test_a_demo_camera_plays_through_the_pool(tmp_path: Path) -> None:
    pool = DecoderPool(VideoConfig(max_decoders=2), tmp_path)
    try:
        capture = pool.open(42, "sub", "demo://camera/42/sub", "向塘镇政府门口")
        wait_for(lambda: capture.health().state == "live", 30, "the demo camera to go live")
        frame = capture.latest()
        assert frame is not None and (frame.width, frame.height) == (640, 360)
        assert clip_path(tmp_path, 42, "sub").exists()
    finally:
        pool.close_all()


def test_a_clip_abandoned_midway_leaves_nothing_behind(tmp_path: Path) -> None:
    import pytest

    from services.video.clips import ClipAborted

    frames = iter(range(1000))
    with pytest.raises(ClipAborted):
        ensure_clip(tmp_path, 3, "sub", "中止测试", seconds=2.0, should_stop=lambda: next(frames) >= 5)
    assert list(tmp_path.iterdir()) == []


def test_a_program_exiting_with_captures_running_exits_cleanly(tmp_path: Path) -> None:
    """A main-stream demo clip takes seconds to generate; the program exits meanwhile without closing anything. Python
    unwinding the capture's daemon thread from inside cv2 at exit used to abort the process (exit code 134)."""
    import subprocess
    import sys

    script = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from config.desktop import VideoConfig\n"
        "from services.video import DecoderPool\n"
        "pool = DecoderPool(VideoConfig(), Path(sys.argv[1]))\n"
        "pool.open(1, 'main', 'demo://camera/1/main', '退出测试')\n"
        "pool.open(2, 'sub', sys.argv[2])\n"
        "time.sleep(1.0)\n"
    )
    playing = tmp_path / "playing.mp4"
    ensure_clip(tmp_path / "ready", 2, "sub").rename(playing)
    clips = tmp_path / "clips"
    done = subprocess.run([sys.executable, "-c", script, str(clips), str(playing)], cwd=Path(__file__).parents[2],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "terminate called" not in done.stderr
    assert not list(clips.glob("*.mp4")), "a half-written clip was left behind"
