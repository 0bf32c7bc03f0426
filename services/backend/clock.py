"""The server's clock. Real time by default; `serve --speed N` runs it N times faster from start, so the simulator
can show a working day of activity in minutes with deadlines, sweeps and counters all on the same clock."""

from __future__ import annotations

import time
from dataclasses import dataclass, field


@dataclass
class ServerClock:
    speed: float = 1.0
    origin: float = field(default_factory=time.time)
    """Simulated time at start (defaults to now)."""
    _started: float = field(default_factory=time.monotonic, repr=False)

    def __post_init__(self) -> None:
        if not 0 < self.speed <= 10_000:
            raise ValueError("speed must be in (0, 10000]")

    def __call__(self) -> float:
        return self.origin + (time.monotonic() - self._started) * self.speed

    def real_seconds(self, simulated: float) -> float:
        """How long `simulated` seconds of server time take in real time."""
        return simulated / self.speed
