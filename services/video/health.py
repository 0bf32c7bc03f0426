"""Stream health: what a tile needs to tell the truth about its stream (Qt-free).

The capture thread reports what happens (connecting, a frame, a failure); `HealthTracker.snapshot()` turns that into
a `StreamHealth` at the reader's time, so a stream whose thread is blocked in a read still ages into frozen and lost.
"""

from __future__ import annotations

import random
import threading
import time
from collections import deque
from dataclasses import dataclass

STATES = ("connecting", "live", "frozen", "lost")
FPS_WINDOW_S = 2.0


@dataclass(frozen=True)
class StreamHealth:
    state: str
    """connecting | live | frozen | lost"""
    frame_age_s: float | None
    """Seconds since the newest frame arrived; None before the first one."""
    fps: float
    """Frames per second measured over the last ~2 s."""
    drops: int
    """Frames replaced in the slot before any reader took them."""
    reconnects: int
    last_error: str
    width: int
    height: int


class Backoff:
    """Exponential reconnect delay: initial, doubling, capped at maximum, each with ±jitter; reset on success."""

    def __init__(self, initial_s: float, maximum_s: float, jitter: float = 0.2, rng: random.Random | None = None):
        self.initial_s = initial_s
        self.maximum_s = maximum_s
        self.jitter = jitter
        self._rng = rng or random.Random()
        self._base = initial_s

    def next_delay(self) -> float:
        delay = self._base * self._rng.uniform(1 - self.jitter, 1 + self.jitter)
        self._base = min(self._base * 2, self.maximum_s)
        return delay

    def reset(self) -> None:
        self._base = self.initial_s


class HealthTracker:
    """Thread-safe record of one stream's events; the capture thread writes, any thread takes snapshots."""

    def __init__(self, frozen_after_s: float, lost_after_s: float):
        self.frozen_after_s = frozen_after_s
        self.lost_after_s = lost_after_s
        self._lock = threading.Lock()
        self._frame_times: deque[float] = deque()
        self._last_frame_at: float | None = None
        self._failed = False
        self._reconnects = 0
        self._last_error = ""
        self._width = 0
        self._height = 0

    def frame(self, now: float, width: int, height: int) -> None:
        with self._lock:
            self._last_frame_at = now
            self._failed = False
            self._width, self._height = width, height
            self._frame_times.append(now)
            self._trim(now)

    def failed(self, error: str) -> None:
        """An open or read failed: the stream is lost until a frame arrives again."""
        with self._lock:
            self._failed = True
            self._last_error = error[:200]

    def reconnecting(self) -> None:
        with self._lock:
            self._reconnects += 1

    def snapshot(self, drops: int, now: float | None = None) -> StreamHealth:
        now = time.monotonic() if now is None else now
        with self._lock:
            self._trim(now)
            age = None if self._last_frame_at is None else max(0.0, now - self._last_frame_at)
            return StreamHealth(
                state=self._state(age), frame_age_s=age, fps=self._fps(), drops=drops,
                reconnects=self._reconnects, last_error=self._last_error, width=self._width, height=self._height,
            )

    def _state(self, age: float | None) -> str:
        if self._failed:
            return "lost"
        if age is None:
            return "connecting"
        if age >= self.lost_after_s:
            return "lost"
        return "frozen" if age >= self.frozen_after_s else "live"

    def _fps(self) -> float:
        times = self._frame_times
        if len(times) < 2 or times[-1] <= times[0]:
            return 0.0
        return (len(times) - 1) / (times[-1] - times[0])

    def _trim(self, now: float) -> None:
        while self._frame_times and self._frame_times[0] < now - FPS_WINDOW_S:
            self._frame_times.popleft()
