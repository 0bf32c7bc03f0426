"""One capture thread per open stream, keeping only the newest frame (Qt-free).

The thread opens the stream itself (an RTSP open takes ~1 s, so many streams open in parallel), reads at the stream's
own rate (files are paced to their fps; a live read blocks on the source), and puts each frame in a one-frame slot.
A new frame replaces the slot's arrays and never writes into them, so a reader may wrap `latest().image` or
`.display` without copying (the arrays are read-only). Frames replaced before any reader took them are counted as drops;
nothing is ever queued.

Each frame also comes as `display`, 4 bytes a pixel (B, G, R, 255): Qt's Format_RGB32 on a little-endian machine,
the format Qt paints without converting. Converting here, in the capture's thread, costs cv2 ~40 µs for 640×360;
Qt converting BGR888 itself at paint time cost ~4× that on the GUI thread and in Qt's pooled threads (BENCHMARKS).
On a failed open or read the capture is released and reopened after an exponential backoff with jitter.
"""

from __future__ import annotations

import atexit
import os
import threading
import time
import weakref
from dataclasses import dataclass

import cv2
import numpy as np

from config.desktop import VideoConfig
from services.video.health import Backoff, HealthTracker, StreamHealth
from services.video.sources import Source
from services.video.tuning import release_free_memory

DEFAULT_FILE_FPS = 25.0
STOP_JOIN_S = 2.0
EXIT_JOIN_S = 10.0
"""At interpreter exit, how long all still-running captures together are waited for (see `_stop_all_at_exit`)."""

_running: weakref.WeakSet[StreamCapture] = weakref.WeakSet()
_running_lock = threading.Lock()


@atexit.register
def _stop_all_at_exit() -> None:
    """Stops every capture still running and waits for them (at most EXIT_JOIN_S in all). Python ends daemon threads
    at exit by unwinding them from inside whatever C++ they are in — cv2's read, its clip writer — and that unwinding
    through C++ aborts the process ("terminate called without an active exception", exit code 134). A window that
    closed without waiting for its captures, or a program that never closed them, must still exit cleanly."""
    with _running_lock:
        captures = [c for c in _running if c.running]
    for capture in captures:
        capture.request_stop()
    deadline = time.monotonic() + EXIT_JOIN_S
    for capture in captures:
        capture.stop(max(0.0, deadline - time.monotonic()))


@dataclass(frozen=True)
class Frame:
    seq: int
    image: np.ndarray
    """BGR, height × width × 3, read-only; replaced (never modified) by the next frame."""
    display: np.ndarray
    """The same picture as B, G, R, 255 (height × width × 4, read-only): what a tile paints."""
    captured_at: float
    """time.monotonic() when the frame was read."""
    width: int
    height: int


class StreamCapture:
    def __init__(self, source: Source, settings: VideoConfig):
        self.source = source
        self.settings = settings
        self._health = HealthTracker(settings.frozen_after_s, settings.lost_after_s)
        self._backoff = Backoff(settings.reconnect_initial_s, settings.reconnect_max_s)
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._frame: Frame | None = None
        self._taken = True
        self._drops = 0
        self._seq = 0
        self._thread = threading.Thread(target=self._run, name=f"capture {source.url}", daemon=True)

    def start(self) -> StreamCapture:
        with _running_lock:
            _running.add(self)
        self._thread.start()
        return self

    def latest(self) -> Frame | None:
        """The newest frame (or None before the first); the same frame again until a new one arrives."""
        with self._lock:
            self._taken = True
            return self._frame

    def health(self) -> StreamHealth:
        with self._lock:
            drops = self._drops
        return self._health.snapshot(drops)

    def stop(self, timeout: float = STOP_JOIN_S) -> bool:
        """Ask the thread to end and wait up to `timeout`; True if it ended. A read blocked on a silent source ends
        at the read timeout (lost_after_s), after which the thread releases the capture itself."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout)
        return not self._thread.is_alive()

    def request_stop(self) -> None:
        self._stop.set()

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                if self._attempt():
                    continue  # a file reached its end: reopen it at once (looping)
            except Exception as exc:  # a capture thread never dies of its input
                self._health.failed(f"{type(exc).__name__}: {exc}")
            if self._stop.wait(self._backoff.next_delay()):
                break
            self._health.reconnecting()
        release_free_memory()  # the closed decoder's buffers, freed above, back to the system

    def _attempt(self) -> bool:
        """Open and read until stopped or failed; True when a file played to its end (loop), False otherwise."""
        target = self.source.prepare(self._stop.is_set)
        timeout_ms = int(self.settings.lost_after_s * 1000)
        params = [cv2.CAP_PROP_OPEN_TIMEOUT_MSEC, timeout_ms, cv2.CAP_PROP_READ_TIMEOUT_MSEC, timeout_ms]
        capture = cv2.VideoCapture(target, cv2.CAP_FFMPEG, params)
        try:
            if not capture.isOpened():
                self._health.failed(self._open_error(target))
                return False
            return self._read_frames(capture)
        finally:
            capture.release()

    def _open_error(self, target: str) -> str:
        if self.source.is_file and not os.path.exists(target):
            return f"file not found / 文件不存在: {target}"
        if self.source.is_file:
            return f"not a playable video file / 不是可播放的视频文件: {target}"
        return f"cannot open stream / 无法连接视频流: {self.source.url}"

    def _read_frames(self, capture: cv2.VideoCapture) -> bool:
        """Reopening beats seeking to 0 at a file's end: raw MJPEG files read nothing after a seek."""
        interval = 1.0 / self._file_fps(capture) if self.source.is_file else 0.0
        due = time.monotonic()
        frames_since_open = 0
        while not self._stop.is_set():
            ok, image = capture.read()
            if not ok or image is None:
                if self.source.is_file and frames_since_open:
                    return True
                self._health.failed(self._read_error(frames_since_open))
                return False
            frames_since_open += 1
            self._publish(image)
            self._backoff.reset()
            if interval:
                due = self._pace(due, interval)
        return False

    def _read_error(self, frames_since_open: int) -> str:
        if self.source.is_file and not frames_since_open:
            return f"no frames could be decoded / 无法解码: {self.source.url}"
        return f"stream ended or no frame for {self.settings.lost_after_s:g} s / 视频流中断"

    def _file_fps(self, capture: cv2.VideoCapture) -> float:
        fps = capture.get(cv2.CAP_PROP_FPS)
        return fps if 1.0 <= fps <= 120.0 else DEFAULT_FILE_FPS

    def _pace(self, due: float, interval: float) -> float:
        """Sleep until the next frame is due; after a long stall start afresh rather than burst to catch up."""
        due += interval
        delay = due - time.monotonic()
        if delay > 0:
            self._stop.wait(delay)
        elif delay < -1.0:
            due = time.monotonic()
        return due

    def _publish(self, image: np.ndarray) -> None:
        display = cv2.cvtColor(image, cv2.COLOR_BGR2BGRA)
        image.flags.writeable = display.flags.writeable = False
        now = time.monotonic()
        height, width = image.shape[:2]
        with self._lock:
            self._seq += 1
            if self._frame is not None and not self._taken:
                self._drops += 1
            self._frame = Frame(self._seq, image, display, now, width, height)
            self._taken = False
        self._health.frame(now, width, height)
