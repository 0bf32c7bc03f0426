"""Which camera each tile of a video wall shows, and through which of its streams — kept in the decoder pool.

A tile shows the camera's main stream when it is large (a featured or maximised tile) and its sub stream when it is
small; the choice is remade whenever the layout changes. Tiles showing the same stream share one decoder (the pool
counts references). Asking for more decoders than the cap is refused with the pool's message, and the tile stays
empty: nothing is dropped silently. Qt-free: the window turns the bindings into frame getters and health badges."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy

from services.video.capture import StreamCapture
from services.video.health import StreamHealth
from services.video.pool import DecoderCapError, DecoderPool
from services.video.sources import SourceError

__all__ = ["Binding", "DecoderCapError", "DecoderPool", "FrameGetter", "StreamHealth", "TileStreams", "frame_getter"]

FrameGetter = Callable[[], tuple[int, numpy.ndarray] | None]


@dataclass(frozen=True)
class Binding:
    camera_id: int
    stream: str
    capture: StreamCapture


def frame_getter(capture: StreamCapture) -> FrameGetter:
    """The newest frame of a capture as (seq, B-G-R-255 array, Qt's RGB32); never modified once published."""
    def latest() -> tuple[int, numpy.ndarray] | None:
        frame = capture.latest()
        return None if frame is None else (frame.seq, frame.display)
    return latest


class TileStreams:
    def __init__(self, pool: DecoderPool, cameras: Callable[[], dict[int, dict[str, Any]]]) -> None:
        self.pool, self.cameras = pool, cameras
        """The cameras now known (the reference data is replaced on every snapshot, so asked each time)."""
        self.bindings: dict[int, Binding] = {}
        self.wanted: dict[int, int] = {}
        """tile → camera the user put there (also when its stream could not be opened)."""

    def show(self, tile: int, camera_id: int | None, large: bool) -> str | None:
        """Puts a camera (or nothing) on a tile. Returns None, or why its stream could not be opened."""
        self.release(tile)
        if camera_id is None:
            self.wanted.pop(tile, None)
            return None
        self.wanted[tile] = camera_id
        return self._bind(tile, camera_id, "main" if large else "sub")

    def resize(self, large: dict[int, bool]) -> list[str]:
        """After a layout change or a maximise: each tile's stream to its new size; tiles no longer in the layout
        released. Returns the refusals (cap reached, bad URL)."""
        problems = []
        for tile in [t for t in self.wanted if t not in large]:
            self.release(tile)
            self.wanted.pop(tile, None)
        for tile, camera_id in sorted(self.wanted.items()):
            stream = "main" if large[tile] else "sub"
            current = self.bindings.get(tile)
            if current is not None and current.stream == stream:
                continue
            self.release(tile)
            problem = self._bind(tile, camera_id, stream)
            if problem:
                problems.append(problem)
        return problems

    def release(self, tile: int) -> None:
        binding = self.bindings.pop(tile, None)
        if binding is not None:
            self.pool.close(binding.camera_id, binding.stream)

    def release_all(self) -> None:
        for tile in list(self.bindings):
            self.release(tile)
        self.wanted.clear()

    def health(self, tile: int) -> StreamHealth | None:
        binding = self.bindings.get(tile)
        return None if binding is None else binding.capture.health()

    def _bind(self, tile: int, camera_id: int, stream: str) -> str | None:
        camera = self.cameras().get(camera_id)
        if camera is None:
            return f"摄像头 {camera_id} 不存在 / unknown camera {camera_id}"
        url = camera.get("main_url" if stream == "main" else "sub_url") or camera.get("main_url", "")
        try:
            capture = self.pool.open(camera_id, stream, url, camera.get("name", ""))
        except (DecoderCapError, SourceError) as exc:
            return str(exc)
        self.bindings[tile] = Binding(camera_id, stream, capture)
        return None
