"""Process-wide settings a process that decodes many streams needs, applied once when its first decoder pool is made.

- OpenCV's own thread pool off (`cv2.setNumThreads(1)`): each stream already has its thread, and cv2 splitting every
  small cvtColor across a pool of its own made 16 streams' threads contend and spin — the colour conversion cost
  0.25 of a core instead of ~0.02 (bench/video_wall.py). FFmpeg's decoding threads are FFmpeg's and unaffected.
- glibc's malloc arenas capped (`mallopt(M_ARENA_MAX)`): glibc gives each new thread an arena of its own, up to 8 per
  core; capture threads come and go with every tour step, each leaving an arena holding freed frame buffers, and the
  process grew by tens of MB over the first tour steps. The cap alone slowed the climb; with the trim below an hour
  of tours stays flat (docs/BENCHMARKS.md). Both are skipped where the C library is not glibc.
- Freed memory handed back (`malloc_trim(0)`) once capture threads have stopped ending for TRIM_QUIET_S: a closed
  stream's decoder and frame buffers are freed into the arenas, where glibc keeps them unless asked. A tour step ends
  16 threads at once; one trim follows the burst, on a timer thread (a trim walks every arena under its lock, ~30 ms
  for a 16-stream process here, so never on the Qt thread and never 16 times).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import logging
import threading
import time
from typing import Any

import cv2

log = logging.getLogger(__name__)

MALLOC_ARENAS = 2
M_ARENA_MAX = -8
"""From glibc's malloc.h."""

TRIM_QUIET_S = 1.0

_applied = False
_lock = threading.Lock()


def tune_for_capture() -> None:
    """Applies the settings above once per process (later calls do nothing)."""
    global _applied
    with _lock:
        if _applied:
            return
        _applied = True
    cv2.setNumThreads(1)
    cap_malloc_arenas(MALLOC_ARENAS)


@functools.lru_cache(maxsize=4)
def _libc_function(name: str) -> Any | None:
    """Looked up once (find_library runs ldconfig)."""
    library = ctypes.util.find_library("c")
    try:
        return getattr(ctypes.CDLL(library), name)
    except (OSError, AttributeError, TypeError):
        log.debug("no %s in %s", name, library)
        return None


def cap_malloc_arenas(arenas: int) -> bool:
    """True if glibc accepted the cap; False elsewhere."""
    mallopt = _libc_function("mallopt")
    return mallopt is not None and bool(mallopt(ctypes.c_int(M_ARENA_MAX), ctypes.c_int(arenas)))


class Trimmer:
    """Debounced `malloc_trim(0)`: `request()` as often as you like; the trim runs once, TRIM_QUIET_S after the last
    request, on a timer thread."""

    def __init__(self, quiet_s: float = TRIM_QUIET_S) -> None:
        self.quiet_s = quiet_s
        self.trims = 0
        self._lock = threading.Lock()
        self._due = 0.0
        self._timer: threading.Timer | None = None

    def request(self) -> None:
        with self._lock:
            self._due = time.monotonic() + self.quiet_s
            if self._timer is None:
                self._arm(self.quiet_s)

    def _arm(self, delay: float) -> None:
        self._timer = threading.Timer(delay, self._fire)
        self._timer.daemon = True
        self._timer.start()

    def _fire(self) -> None:
        with self._lock:
            left = self._due - time.monotonic()
            if left > 0:  # asked again meanwhile: wait for quiet
                self._arm(left)
                return
            self._timer = None
        if trim_now():
            self.trims += 1


def trim_now() -> bool:
    """Hands the allocator's free memory back to the system now; False where there is no malloc_trim."""
    trim = _libc_function("malloc_trim")
    if trim is None:
        return False
    trim(ctypes.c_size_t(0))
    return True


TRIMMER = Trimmer()
"""The process's one trimmer (capture threads ask it when they end)."""


def release_free_memory() -> None:
    TRIMMER.request()
