"""The decoder pool: open streams by (camera_id, "main"|"sub"), shared by reference count, under a cap."""

from __future__ import annotations

import threading
from pathlib import Path

from config.desktop import VideoConfig
from services.video.capture import StreamCapture
from services.video.clips import default_clips_dir
from services.video.health import StreamHealth
from services.video.sources import parse_source
from services.video.tuning import tune_for_capture

STREAMS = ("main", "sub")
StreamKey = tuple[int, str]


class DecoderCapError(RuntimeError):
    """A layout asked for more streams than `video.max_decoders`; nothing was dropped silently."""

    def __init__(self, cap: int):
        super().__init__(f"解码路数已达上限 {cap} 路 / decoder cap of {cap} streams reached")
        self.cap = cap


class DecoderPool:
    def __init__(self, settings: VideoConfig, clips_dir: Path | None = None):
        tune_for_capture()
        self.settings = settings
        self.clips_dir = clips_dir or (Path(settings.clips_dir) if settings.clips_dir else default_clips_dir())
        self._lock = threading.Lock()
        self._captures: dict[StreamKey, StreamCapture] = {}
        self._refs: dict[StreamKey, int] = {}

    def open(self, camera_id: int, stream: str, url: str, name: str = "") -> StreamCapture:
        """The running capture of this stream (shared), starting it if needed.
        Raises DecoderCapError at the cap and SourceError for a URL that cannot be played."""
        if stream not in STREAMS:
            raise ValueError(f"stream must be one of {', '.join(STREAMS)}, got {stream!r}")
        key = (camera_id, stream)
        with self._lock:
            if key in self._captures:
                self._refs[key] += 1
                return self._captures[key]
            if len(self._captures) >= self.settings.max_decoders:
                raise DecoderCapError(self.settings.max_decoders)
            source = parse_source(url, self.clips_dir, name)
            capture = StreamCapture(source, self.settings).start()
            self._captures[key] = capture
            self._refs[key] = 1
            return capture

    def close(self, camera_id: int, stream: str) -> None:
        """Drop one reference; the last one stops the capture (without waiting for its thread)."""
        key = (camera_id, stream)
        with self._lock:
            if key not in self._refs:
                return
            self._refs[key] -= 1
            if self._refs[key] > 0:
                return
            del self._refs[key]
            capture = self._captures.pop(key)
        capture.request_stop()

    def get(self, camera_id: int, stream: str) -> StreamCapture | None:
        with self._lock:
            return self._captures.get((camera_id, stream))

    def refs(self, camera_id: int, stream: str) -> int:
        with self._lock:
            return self._refs.get((camera_id, stream), 0)

    def health(self) -> dict[StreamKey, StreamHealth]:
        with self._lock:
            captures = dict(self._captures)
        return {key: capture.health() for key, capture in captures.items()}

    def __len__(self) -> int:
        with self._lock:
            return len(self._captures)

    def close_all(self, timeout: float = 2.0) -> None:
        """Stop every capture: all are asked first, then each is waited for."""
        with self._lock:
            captures = list(self._captures.values())
            self._captures.clear()
            self._refs.clear()
        for capture in captures:
            capture.request_stop()
        for capture in captures:
            capture.stop(timeout)
