"""The county map's update queue: what Python last said about every marker, and what the page has not heard yet.

Qt-free. The queue keeps a mirror of the whole map state (markers by kind and id, township counts, layer visibility,
scale) and only the *keys* that changed since the last batch. Several changes to one id before a flush therefore
collapse into its latest state, and the queue can never hold more than the map itself: it is bounded by its nature.
The mirror also lets a reloaded page (after a renderer crash) be given everything again in one batch.

A batch (what `take_batch` returns, JSON for `ccc.apply` in resources/web/county_map.js):

    {"cases":   {"reset": true, "upsert": [[id, lat, lon, layer, tooltip, today, estimated], ...], "remove": [id, ...]},
     "cameras": {"upsert": [[id, lat, lon, name], ...], "remove": [...]},
     "alarms":  {"upsert": [[id, lat, lon, tooltip], ...], "remove": [...]},
     "counts":  {"<township id>": n, ...},          # replaces all counts
     "visible": {"<layer>": true | false, ...},
     "scale":   1.5,
     "focus":   [lat, lon, zoom | null]}

Every key is optional; "reset" means: drop every marker of that kind first.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from widgets.map_markers import Marker, wire

KINDS: tuple[str, ...] = ("cases", "cameras", "alarms")


class UpdateQueue:
    def __init__(self) -> None:
        self.markers: dict[str, dict[int, Marker]] = {kind: {} for kind in KINDS}
        self.counts: dict[int, int] = {}
        self.visible: dict[str, bool] = {}
        self.scale = 1.0
        self._dirty: dict[str, set[int]] = {kind: set() for kind in KINDS}
        self._reset: set[str] = set()
        self._counts_dirty = False
        self._visible_dirty: set[str] = set()
        self._scale_dirty = False
        self._focus: tuple[float, float, int | None] | None = None

    # -- changes ----------------------------------------------------------------------------------
    def replace(self, kind: str, markers: Iterable[Marker]) -> None:
        self.markers[kind] = {m.id: m for m in markers}
        self._dirty[kind].clear()
        self._reset.add(kind)

    def upsert(self, kind: str, markers: Iterable[Marker]) -> None:
        mirror, dirty = self.markers[kind], self._dirty[kind]
        for m in markers:
            mirror[m.id] = m
            dirty.add(m.id)

    def remove(self, kind: str, ids: Iterable[int]) -> None:
        mirror, dirty = self.markers[kind], self._dirty[kind]
        for ident in ids:
            mirror.pop(ident, None)
            dirty.add(ident)

    def set_counts(self, counts: dict[int, int]) -> None:
        self.counts = dict(counts)
        self._counts_dirty = True

    def set_visible(self, layer: str, visible: bool) -> None:
        self.visible[layer] = visible
        self._visible_dirty.add(layer)

    def note_visible(self, layer: str, visible: bool) -> None:
        """The page changed a layer itself (its layer control): remember it, send nothing."""
        self.visible[layer] = visible
        self._visible_dirty.discard(layer)

    def set_scale(self, factor: float) -> None:
        self.scale = factor
        self._scale_dirty = True

    def set_focus(self, lat: float, lon: float, zoom: int | None) -> None:
        self._focus = (lat, lon, zoom)

    def resend_all(self) -> None:
        """The page was (re)loaded and knows nothing: the next batch carries the whole mirror (a fresh page has
        nothing to drop, so an empty kind sends nothing)."""
        self._reset = {kind for kind in KINDS if self.markers[kind]}
        for dirty in self._dirty.values():
            dirty.clear()
        self._counts_dirty = bool(self.counts)
        self._visible_dirty = set(self.visible)
        self._scale_dirty = self.scale != 1.0

    # -- the batch --------------------------------------------------------------------------------
    def pending(self) -> int:
        """Entries queued, not yet sent (a reset counts the markers it will send, and at least one)."""
        n = sum(len(d) for d in self._dirty.values())
        n += sum(max(1, len(self.markers[kind])) for kind in self._reset)
        n += int(self._counts_dirty) + len(self._visible_dirty) + int(self._scale_dirty) + int(self._focus is not None)
        return n

    def take_batch(self) -> dict[str, Any] | None:
        """Everything queued as one batch (and the queue emptied), or None when nothing is queued."""
        if not self.pending():
            return None
        batch: dict[str, Any] = {}
        for kind in KINDS:
            part = self._take_kind(kind)
            if part:
                batch[kind] = part
        if self._counts_dirty:
            batch["counts"] = {str(k): v for k, v in self.counts.items()}
        if self._visible_dirty:
            batch["visible"] = {layer: self.visible[layer] for layer in sorted(self._visible_dirty)}
        if self._scale_dirty:
            batch["scale"] = self.scale
        if self._focus is not None:
            batch["focus"] = list(self._focus)
        self._counts_dirty, self._scale_dirty, self._focus = False, False, None
        self._visible_dirty.clear()
        return batch

    def _take_kind(self, kind: str) -> dict[str, Any]:
        mirror, dirty = self.markers[kind], self._dirty[kind]
        part: dict[str, Any] = {}
        if kind in self._reset:
            self._reset.discard(kind)
            part["reset"] = True
            ids: Iterable[int] = mirror.keys()
        else:
            ids = dirty
        upsert = [wire(mirror[i]) for i in ids if i in mirror]
        remove = sorted(i for i in dirty if i not in mirror) if "reset" not in part else []
        if upsert:
            part["upsert"] = upsert
        if remove:
            part["remove"] = remove
        dirty.clear()
        return part
