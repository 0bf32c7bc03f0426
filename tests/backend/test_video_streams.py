"""services/video against real live servers on 127.0.0.1: ffmpeg's HTTP MJPEG stream and GStreamer's RTSP server.
A stream that stalls goes frozen then lost; a server killed and restarted (at another size) comes back by itself."""

from __future__ import annotations

import signal
import subprocess
from collections.abc import Iterator

import pytest
from video_servers import free_port, kill, rtsp_available, start_mjpeg_server, start_rtsp_server, wait_for

from config.desktop import VideoConfig
from services.video import DecoderPool, StreamCapture, parse_source

SETTINGS = VideoConfig(max_decoders=4, frozen_after_s=0.5, lost_after_s=2.0, reconnect_initial_s=0.2,
                       reconnect_max_s=0.8)


@pytest.fixture
def servers() -> Iterator[list[subprocess.Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []
    yield started
    for process in started:
        kill(process)


def states_seen(capture: StreamCapture, seen: list[str]) -> str:
    state = capture.health().state
    if not seen or seen[-1] != state:
        seen.append(state)
    return state


def test_mjpeg_stream_that_stalls_is_frozen_then_lost_and_recovers_at_a_new_size(servers) -> None:
    port = free_port()
    servers.append(start_mjpeg_server(port, 320, 180))
    capture = StreamCapture(parse_source(f"http://127.0.0.1:{port}/x"), SETTINGS).start()
    try:
        wait_for(lambda: capture.health().state == "live", 15, "the MJPEG stream to go live")
        frame = capture.latest()
        assert frame is not None and (frame.width, frame.height) == (320, 180)

        servers[0].send_signal(signal.SIGSTOP)  # the source stops sending; the connection stays open
        seen: list[str] = []
        wait_for(lambda: states_seen(capture, seen) == "lost", 15, "the stalled stream to be lost")
        assert seen[-2:] == ["frozen", "lost"], seen
        assert capture.health().last_error

        kill(servers[0])
        servers.append(start_mjpeg_server(port, 640, 360))  # the same address, now at another size
        last_seq = capture.latest().seq
        wait_for(lambda: capture.health().state == "live", 20, "the stream to come back")
        frame = capture.latest()
        health = capture.health()
        assert frame.seq > last_seq and (frame.width, frame.height) == (640, 360) and frame.image.shape == (360, 640, 3)
        assert (health.width, health.height) == (640, 360) and health.reconnects >= 1
    finally:
        assert capture.stop(5)


@pytest.mark.skipif(not rtsp_available(), reason="GStreamer RTSP server not installed (./run setup as root)")
def test_rtsp_server_killed_and_restarted_shows_the_loss_then_recovers(servers) -> None:
    port = free_port()
    servers.append(start_rtsp_server(port))
    url = f"rtsp://127.0.0.1:{port}/x"
    pool = DecoderPool(SETTINGS)
    try:
        # three cameras on the one server, opened at once: each opens in its own thread
        captures = [pool.open(camera_id, "main", url) for camera_id in (1, 2, 3)]
        wait_for(lambda: all(c.health().state == "live" for c in captures), 30, "three RTSP streams live")
        assert all((c.latest().width, c.latest().height) == (320, 180) for c in captures)

        kill(servers[0])
        wait_for(lambda: all(c.health().state == "lost" for c in captures), 15, "the streams to be lost")
        last_seqs = [c.latest().seq for c in captures]
        assert all(c.health().last_error for c in captures)

        servers.append(start_rtsp_server(port))
        wait_for(lambda: all(c.health().state == "live" for c in captures), 30, "the streams to recover")
        assert all(c.latest().seq > seq for c, seq in zip(captures, last_seqs, strict=True))
        assert all(c.health().reconnects >= 1 for c in captures)
    finally:
        pool.close_all(5)
