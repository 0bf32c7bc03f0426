"""services/video with real encoded files decoded by cv2: looping, pacing, the one-frame slot, drops, health, bad
input (missing file, a text file named .mp4, unreachable URLs, a size change mid-file) and the decoder pool's cap."""

from __future__ import annotations

import random
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import cv2
import numpy as np
import pytest
from video_servers import wait_for

from config.desktop import VideoConfig
from services.video import DecoderCapError, DecoderPool, SourceError, StreamCapture, parse_source
from services.video.health import Backoff, HealthTracker

SETTINGS = VideoConfig(max_decoders=3, frozen_after_s=0.5, lost_after_s=2.0, reconnect_initial_s=0.1,
                       reconnect_max_s=0.4)


def write_grey_clip(path: Path, frames: int, size: tuple[int, int] = (320, 180)) -> Path:
    """Frame i is a flat grey of level 20*i + 10, so a decoded frame tells which one it is."""
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), 25, size)
    assert writer.isOpened()
    for i in range(frames):
        writer.write(np.full((size[1], size[0], 3), 20 * i + 10, np.uint8))
    writer.release()
    return path


def frame_index(image: np.ndarray) -> int:
    return round((float(image.mean()) - 10) / 20)


@pytest.fixture
def clip(tmp_path: Path) -> Path:
    return write_grey_clip(tmp_path / "grey.mp4", 10)


@pytest.fixture
def capture_of() -> Iterator:
    started: list[StreamCapture] = []

    def start(url: str, settings: VideoConfig = SETTINGS) -> StreamCapture:
        capture = StreamCapture(parse_source(url), settings)
        started.append(capture)
        return capture.start()

    yield start
    for capture in started:
        assert capture.stop(), "capture thread did not end"


def test_a_file_loops_at_its_own_rate_keeping_only_the_newest_frame(clip: Path, capture_of) -> None:
    capture = capture_of(str(clip))
    seen: set[int] = set()
    wait_for(lambda: (frame := capture.latest()) is not None and seen.add(frame_index(frame.image)) is None
             and frame.seq > 25, 10, "the 10-frame clip to play more than twice")
    frame = capture.latest()
    assert frame is not None and (frame.width, frame.height) == (320, 180) and frame.image.shape == (180, 320, 3)
    assert seen <= set(range(10)) and len(seen) >= 5
    health = capture.health()
    assert health.state == "live" and health.last_error == "" and (health.width, health.height) == (320, 180)
    # paced to the file's 25 fps, not decoded as fast as possible (hundreds of frames per second here)
    assert 0 < health.fps < 60


def test_frames_are_replaced_never_written_into_and_unread_ones_count_as_drops(clip: Path, capture_of) -> None:
    capture = capture_of(str(clip))
    wait_for(lambda: capture.latest() is not None, 10, "a first frame")
    held = capture.latest()
    assert held is not None
    before = held.image.copy()
    assert not held.image.flags.writeable and not held.display.flags.writeable
    # the picture to paint is the same picture, four bytes a pixel: B, G, R, 255 (Qt's RGB32)
    assert held.display.shape == (held.height, held.width, 4) and held.display.dtype == np.uint8
    assert np.array_equal(held.display[:, :, :3], held.image) and (held.display[:, :, 3] == 255).all()
    wait_for(lambda: (capture.health().drops > 3), 10, "frames nobody read")
    newest = capture.latest()
    assert newest is not None and newest.seq > held.seq and newest.image is not held.image
    assert newest.display is not held.display
    assert np.array_equal(held.image, before)
    capture.stop()
    last = capture.latest()
    assert last is capture.latest()  # the same frame again until a new one arrives
    # with the thread stopped: every frame but the ones returned by latest() was dropped
    assert capture.health().drops <= last.seq - 2


def test_drops_are_exactly_the_frames_never_returned(clip: Path, capture_of) -> None:
    capture = capture_of(str(clip))
    wait_for(lambda: capture.health().drops >= 5, 10, "drops")
    capture.stop()
    frame = capture.latest()
    assert frame is not None and capture.health().drops == frame.seq - 1


def test_a_text_file_named_mp4_is_lost_with_a_clear_error(tmp_path: Path, capture_of) -> None:
    fake = tmp_path / "fake.mp4"
    fake.write_text("这不是视频 / this is not a video\n" * 100, encoding="utf-8")
    capture = capture_of(str(fake))
    wait_for(lambda: capture.health().reconnects >= 2, 10, "reconnect attempts")
    health = capture.health()
    assert health.state == "lost" and "not a playable video" in health.last_error and capture.latest() is None
    assert capture.running


def test_a_missing_file_is_lost_as_not_found(tmp_path: Path, capture_of) -> None:
    capture = capture_of((tmp_path / "nowhere.mp4").as_uri())
    wait_for(lambda: capture.health().state == "lost", 10, "lost")
    assert "file not found" in capture.health().last_error


@pytest.mark.parametrize("url", ["rtsp://127.0.0.1:1/x", "http://127.0.0.1:1/x"])
def test_an_unreachable_url_goes_from_connecting_to_lost_and_keeps_retrying(url: str) -> None:
    capture = StreamCapture(parse_source(url), SETTINGS)
    assert capture.health().state == "connecting"
    capture.start()
    try:
        wait_for(lambda: capture.health().reconnects >= 2, 15, "reconnect attempts")
        health = capture.health()
        assert health.state == "lost" and "cannot open stream" in health.last_error and health.frame_age_s is None
        assert capture.running
    finally:
        assert capture.stop()


def test_a_file_that_changes_size_midway_keeps_playing(tmp_path: Path, capture_of) -> None:
    """Red 320×180 then blue 640×360 in one MJPEG file. cv2's FFmpeg backend scales a mid-stream size change to the
    size it opened with, so frames keep coming (both parts) and each carries its own true array size."""
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        pytest.skip("ffmpeg is not installed (./run setup installs it)")
    parts = []
    for colour, size in (("red", "320x180"), ("blue", "640x360")):
        part = tmp_path / f"{colour}.mjpeg"
        source = f"color={colour}:size={size}:rate=25"
        subprocess.run([ffmpeg, "-nostdin", "-loglevel", "error", "-f", "lavfi", "-i", source,
                        "-t", "1", "-c:v", "mjpeg", "-f", "mjpeg", str(part)], check=True)
        parts.append(part.read_bytes())
    mixed = tmp_path / "mixed.mjpeg"
    mixed.write_bytes(b"".join(parts))
    capture = capture_of(str(mixed))
    colours: set[str] = set()

    def both_parts_seen() -> bool:
        frame = capture.latest()
        if frame is not None:
            assert frame.image.shape[:2] == (frame.height, frame.width)
            blue, _, red = frame.image[frame.height // 2, frame.width // 2]
            colours.add("blue" if blue > red else "red")
        return colours == {"red", "blue"}

    wait_for(both_parts_seen, 10, "frames from both halves of the file")
    health = capture.health()
    assert health.state == "live" and health.last_error == ""


def test_sources_parse_every_scheme_and_refuse_the_unknown(tmp_path: Path) -> None:
    assert parse_source("rtsp://10.0.0.5:554/h264/ch1/main").kind == "rtsp"
    assert parse_source("https://cams.example/x.m3u8").kind == "http"
    assert parse_source("file:///srv/v%20a.mp4").target == "/srv/v a.mp4"
    assert parse_source("clips/a.mp4").is_file
    demo = parse_source("demo://camera/12/sub", tmp_path, "莲塘农贸市场")
    assert (demo.kind, demo.camera_id, demo.stream, demo.is_file) == ("demo", 12, "sub", True)
    for bad in ("ftp://x/y.mp4", "", "demo://camera/x/main", "demo://camera/3/hd", "rtsp:///nohost"):
        with pytest.raises(SourceError):
            parse_source(bad, tmp_path)


def test_backoff_doubles_with_jitter_up_to_the_cap_and_resets() -> None:
    backoff = Backoff(0.5, 30, rng=random.Random(1))
    delays = [backoff.next_delay() for _ in range(10)]
    for delay, base in zip(delays, [0.5, 1, 2, 4, 8, 16, 30, 30, 30, 30], strict=True):
        assert base * 0.8 <= delay <= base * 1.2
    assert len({round(d / b, 6) for d, b in zip(delays[6:], [30] * 4, strict=True)}) > 1  # jittered
    backoff.reset()
    assert 0.4 <= backoff.next_delay() <= 0.6


def test_health_ages_live_to_frozen_to_lost_and_measures_fps() -> None:
    tracker = HealthTracker(frozen_after_s=3, lost_after_s=10)
    assert tracker.snapshot(0, now=0).state == "connecting"
    for i in range(26):
        tracker.frame(100 + i * 0.04, 640, 360)
    live = tracker.snapshot(2, now=101.1)
    assert (live.state, live.drops, live.width, live.height) == ("live", 2, 640, 360)
    assert live.fps == pytest.approx(25, rel=0.01)
    assert tracker.snapshot(0, now=104.1).state == "frozen"
    lost = tracker.snapshot(0, now=111)
    assert lost.state == "lost" and lost.fps == 0 and lost.frame_age_s == pytest.approx(10)
    tracker.failed("read failed")
    tracker.reconnecting()
    assert tracker.snapshot(0, now=111).state == "lost"
    tracker.frame(112, 1280, 720)
    back = tracker.snapshot(0, now=112.1)
    assert (back.state, back.reconnects, back.last_error, back.width) == ("live", 1, "read failed", 1280)


def test_the_pool_shares_a_stream_by_reference_and_refuses_beyond_its_cap(tmp_path: Path) -> None:
    clips = [write_grey_clip(tmp_path / f"c{i}.mp4", 5) for i in range(4)]
    pool = DecoderPool(SETTINGS, tmp_path / "clips")
    try:
        first = pool.open(1, "sub", str(clips[0]))
        assert pool.open(1, "sub", str(clips[0])) is first and pool.refs(1, "sub") == 2
        pool.open(2, "sub", str(clips[1]))
        pool.open(2, "main", str(clips[2]))
        with pytest.raises(DecoderCapError, match="解码路数已达上限 3 路 / decoder cap of 3 streams reached"):
            pool.open(3, "sub", str(clips[3]))
        assert len(pool) == 3 and pool.open(2, "sub", str(clips[1])) is pool.get(2, "sub")  # shared: no new decoder
        pool.close(1, "sub")
        assert first.running and pool.get(1, "sub") is first
        pool.close(1, "sub")
        assert pool.get(1, "sub") is None
        wait_for(lambda: not first.running, 5, "the last reference to stop its capture")
        fourth = pool.open(3, "sub", str(clips[3]))
        wait_for(lambda: fourth.health().state == "live", 10, "the stream opened after a slot was freed")
        assert set(pool.health()) == {(2, "sub"), (2, "main"), (3, "sub")}
    finally:
        pool.close_all()
    assert len(pool) == 0 and not fourth.running


def test_the_capture_process_is_tuned_once_and_a_burst_of_ended_streams_trims_once(clip: Path) -> None:
    from services.video.tuning import TRIMMER, Trimmer

    pool = DecoderPool(SETTINGS, clips_dir=clip.parent)
    assert cv2.getNumThreads() == 1  # each stream has its thread; cv2's own pool only contended with them
    trimmer = Trimmer(quiet_s=0.3)
    for _ in range(16):
        trimmer.request()
    wait_for(lambda: trimmer.trims == 1, 5, "one trim after the burst")
    time.sleep(0.5)
    assert trimmer.trims == 1
    trimmer.request()
    wait_for(lambda: trimmer.trims == 2, 5, "a trim after a later request")
    before = TRIMMER.trims
    for camera_id in (1, 2, 3):
        pool.open(camera_id, "sub", str(clip))
    pool.close_all()
    wait_for(lambda: TRIMMER.trims == before + 1, 10, "the process trimmer to run after the captures ended")
