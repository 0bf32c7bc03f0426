"""Tours (轮巡): a named group of cameras cycled through the tiles at an interval — the next page of cameras fills the
tiles at each step, wrapping around. Qt-free; the window drives it with a timer."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Tour:
    name: str
    cameras: tuple[int, ...]
    interval_s: float = 20.0


class TourCursor:
    """Where a running tour is: `next_page(n)` gives the cameras for n tiles and moves on."""

    def __init__(self, tour: Tour) -> None:
        self.tour = tour
        self.position = 0

    def next_page(self, tiles: int) -> list[int]:
        cameras = self.tour.cameras
        if not cameras or tiles <= 0:
            return []
        page = [cameras[(self.position + i) % len(cameras)] for i in range(min(tiles, len(cameras)))]
        self.position = (self.position + len(page)) % len(cameras)
        return page


def township_tours(cameras: Iterable[dict[str, Any]], township_names: dict[int, str],
                   interval_s: float) -> list[Tour]:
    """One tour per township of its cameras (the tours a site has before it configures its own)."""
    by_township: dict[int, list[int]] = {}
    for camera in cameras:
        by_township.setdefault(camera.get("township_id") or 0, []).append(camera["id"])
    return [Tour(f"{township_names.get(tid, str(tid))}轮巡", tuple(sorted(ids)), interval_s)
            for tid, ids in sorted(by_township.items()) if ids]
