"""The server's clock as seen from a screen: countdowns and ages must follow it, also when a demo runs it faster
(`serve --speed N`). Estimated from (server time, local monotonic time) samples: the last sample gives the offset,
two samples far enough apart give the rate."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime

MIN_RATE_SPAN_S = 5.0
"""Local seconds between two samples before their ratio is trusted as the clock rate."""


class ServerTime:
    def __init__(self, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._monotonic = monotonic
        self._anchor: tuple[float, float] | None = None  # (server epoch s, local monotonic s)
        self._first: tuple[float, float] | None = None
        self.rate = 1.0

    def observe(self, server_ts: float) -> None:
        local = self._monotonic()
        if self._first is None:
            self._first = (server_ts, local)
        elif local - self._first[1] >= MIN_RATE_SPAN_S:
            rate = (server_ts - self._first[0]) / (local - self._first[1])
            if rate > 0:
                self.rate = rate
        if self._anchor is None or server_ts >= self.now():  # never step the clock backwards
            self._anchor = (server_ts, local)

    def observe_iso(self, text: str | None) -> None:
        if text:
            self.observe(datetime.fromisoformat(text).timestamp())

    def now(self) -> float:
        if self._anchor is None:
            return time.time()
        server, local = self._anchor
        return server + (self._monotonic() - local) * self.rate


def parse_time(text: str | None) -> float | None:
    return None if not text else datetime.fromisoformat(text).timestamp()
