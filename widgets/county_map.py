"""The live county map for the leaders' wall: a QWebEngineView showing a page built once, fed with batches.

Data in, signals out (widgets import Qt only): the caller gives plain records (widgets/map_markers.py) and gets
`marker_clicked(layer, id)` and `township_clicked(id)` back. How it works:

- `build()` writes the page with folium (widgets/map_page.py) into `page_dir` and loads it from that file. It runs
  on a private off-the-record profile whose interceptor refuses every non-local request (`refused_requests`).
- Every setter only records the change in an `UpdateQueue` (widgets/map_queue.py), keyed by id, so repeated changes
  to one marker collapse into its latest state. One single-shot QTimer sends everything queued as ONE batch, at most
  every `FLUSH_INTERVAL_MS`, and never while the previous batch is still being applied on the page: if the page is
  slow, updates coalesce instead of piling up. Calls made before the page is ready are queued the same way.
- A batch reaches `ccc.apply` as one QWebChannel signal carrying its JSON (the default), or as one `runJavaScript`
  call (`transport="runjs"`); docs/BENCHMARKS.md "Map" has both measured. Clicks and acknowledgements come back
  over QWebChannel.
- If the page's renderer dies, the page is loaded again from its file and given the whole state again.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QElapsedTimer, Qt, QTimer, QUrl, Signal
from PySide6.QtWebEngineCore import QWebEnginePage
from PySide6.QtWebEngineWidgets import QWebEngineView
from PySide6.QtWidgets import QWidget

from widgets.map_markers import LAYERS, MapAlarm, MapCamera, MapCase
from widgets.map_page import MapDataError, tile_host, write_page
from widgets.map_queue import UpdateQueue
from widgets.map_web import LocalOnlyInterceptor, MapBridge, attach_bridge, make_page

__all__ = ["FLUSH_INTERVAL_MS", "CountyMap", "MapAlarm", "MapCamera", "MapCase", "MapDataError"]

FLUSH_INTERVAL_MS = 100
"""At most one batch per this many milliseconds."""
TRANSPORTS = ("channel", "runjs")
DEFAULT_TRANSPORT = "channel"
"""How a batch reaches the page: a QWebChannel signal (default) or one runJavaScript call. With 10,000 markers at
100 updates/s both cost the Qt thread ~0.3 ms a batch and the page the same (docs/BENCHMARKS.md "Map"); the channel
is the default because it carries the batch as data (JSON.parse), never as script source to compile, and it is the
same channel clicks come back on."""


class CountyMap(QWebEngineView):
    ready = Signal()
    """The page is loaded and its bridge connected (again after a renderer crash); queued updates are on their way."""
    marker_clicked = Signal(str, int)
    """("cases" | "cameras" | "alarms", id)."""
    township_clicked = Signal(int)
    layer_toggled = Signal(str, bool)
    """The user switched a layer in the page's layer control."""
    batch_sent = Signal(int, int)
    """(batch number, its JSON size in bytes): a batch left the queue for the page."""
    batch_applied = Signal(int, float)
    """(batch number, milliseconds `ccc.apply` took on the page)."""

    def __init__(self, parent: QWidget | None = None, *, tile_url: str | None = None, page_dir: Path | None = None,
                 transport: str = DEFAULT_TRANSPORT) -> None:
        super().__init__(parent)
        if transport not in TRANSPORTS:
            raise ValueError(f"transport {transport!r}: one of {', '.join(TRANSPORTS)}")
        self._tile_url = tile_url
        self._interceptor = LocalOnlyInterceptor(tile_host=tile_host(tile_url) if tile_url else None)
        self.refused_requests: list[str] = self._interceptor.refused
        self.setPage(make_page(self, self._interceptor))
        self._bridge = MapBridge(self)
        attach_bridge(self.page(), self._bridge)
        self._transport = transport
        self._temp_dir: tempfile.TemporaryDirectory[str] | None = None
        self._page_dir = page_dir
        self.page_path: Path | None = None
        self._queue = UpdateQueue()
        self._ready = False
        self._in_flight: int | None = None
        self.batches_sent = 0
        self._since_flush = QElapsedTimer()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._flush)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self._connect()

    def _connect(self) -> None:
        self._bridge.page_ready.connect(self._on_page_ready)
        self._bridge.marker_clicked.connect(self.marker_clicked)
        self._bridge.township_clicked.connect(self.township_clicked)
        self._bridge.layer_toggled.connect(self._on_layer_toggled)
        self._bridge.batch_applied.connect(self._on_applied)
        self.page().loadStarted.connect(self._on_load_started)
        self.page().renderProcessTerminated.connect(self._on_renderer_gone)

    # -- building -------------------------------------------------------------------------------------
    def build(self, outline_path: Path, townships: list[dict[str, Any]], grids: list[dict[str, Any]]) -> None:
        """Writes the page (raises MapDataError on bad geometry) and loads it; `ready` follows."""
        self.page_path = write_page(self._directory(), Path(outline_path), townships, grids, self._tile_url)
        self.load(QUrl.fromLocalFile(str(self.page_path)))

    def _directory(self) -> Path:
        if self._page_dir is None:
            self._temp_dir = tempfile.TemporaryDirectory(prefix="ccc-map-")
            self._page_dir = Path(self._temp_dir.name)
        return self._page_dir

    # -- data in --------------------------------------------------------------------------------------
    def set_cases(self, cases: Iterable[MapCase]) -> None:
        self._queue.replace("cases", cases)
        self._schedule()

    def upsert_cases(self, cases: Iterable[MapCase]) -> None:
        self._queue.upsert("cases", cases)
        self._schedule()

    def remove_cases(self, ids: Iterable[int]) -> None:
        self._queue.remove("cases", ids)
        self._schedule()

    def set_cameras(self, cameras: Iterable[MapCamera]) -> None:
        self._queue.replace("cameras", cameras)
        self._schedule()

    def set_alarms(self, alarms: Iterable[MapAlarm]) -> None:
        self._queue.replace("alarms", alarms)
        self._schedule()

    def upsert_alarms(self, alarms: Iterable[MapAlarm]) -> None:
        self._queue.upsert("alarms", alarms)
        self._schedule()

    def remove_alarms(self, ids: Iterable[int]) -> None:
        self._queue.remove("alarms", ids)
        self._schedule()

    def set_township_counts(self, counts: dict[int, int]) -> None:
        """Today's count per township for the labels ("莲塘街道 123"); replaces all counts (absent: name only)."""
        self._queue.set_counts(counts)
        self._schedule()

    def set_layer_visible(self, layer: str, visible: bool) -> None:
        if layer not in LAYERS:
            raise ValueError(f"unknown layer {layer!r} (one of {', '.join(LAYERS)})")
        self._queue.set_visible(layer, visible)
        self._schedule()

    def layer_visible(self, layer: str) -> bool:
        """What Python last set or the page's layer control last reported (every layer starts visible)."""
        return self._queue.visible.get(layer, True)

    def set_scale(self, factor: float) -> None:
        """Marker, label and line sizes: 1.0 at 1920×1080, 2.0 at 3840×2160."""
        if not 0.25 <= factor <= 8.0:
            raise ValueError(f"scale {factor}: expected 0.25 to 8")
        self._queue.set_scale(factor)
        self._schedule()

    def focus(self, lat: float, lon: float, zoom: int | None = None) -> None:
        self._queue.set_focus(lat, lon, zoom)
        self._schedule()

    # -- state --------------------------------------------------------------------------------------------
    def pending_updates(self) -> int:
        """Entries queued and not yet sent to the page."""
        return self._queue.pending()

    def is_ready(self) -> bool:
        return self._ready

    def idle(self) -> bool:
        """Ready, nothing queued and no batch being applied."""
        return self._ready and self._in_flight is None and not self._queue.pending()

    def page_ids(self, layer: str, callback: Callable[[list[int]], None]) -> None:
        """The ids on the page now in `layer` (a case layer, "heat", "cameras", "alarms" or "labels"), sorted."""
        # as a JSON string: PySide6 hands a JS array to the callback as ''
        self.page().runJavaScript(f"JSON.stringify(window.ccc ? ccc.ids({json.dumps(layer)}) : [])", 0,
                                  lambda result: callback(_id_list(result)))

    def run_js(self, script: str, callback: Callable[[Any], None] | None = None) -> None:
        """Evaluates `script` in the page (diagnostics and tests)."""
        if callback is None:
            self.page().runJavaScript(script, 0)
        else:
            self.page().runJavaScript(script, 0, callback)

    # -- sending batches -------------------------------------------------------------------------------
    def _schedule(self) -> None:
        if not self._ready or self._in_flight is not None or self._timer.isActive() or not self._queue.pending():
            return
        elapsed = self._since_flush.elapsed() if self._since_flush.isValid() else FLUSH_INTERVAL_MS
        self._timer.start(max(0, FLUSH_INTERVAL_MS - elapsed))

    def _flush(self) -> None:
        if not self._ready or self._in_flight is not None:
            return
        batch = self._queue.take_batch()
        if batch is None:
            return
        self.batches_sent += 1
        seq = self.batches_sent
        self._in_flight = seq
        self._since_flush.start()
        text = json.dumps(batch, ensure_ascii=False, separators=(",", ":"))
        self.batch_sent.emit(seq, len(text.encode()))
        if self._transport == "channel":
            self._bridge.batch.emit(seq, text)
        else:
            self.page().runJavaScript(f"ccc.apply({text})", 0, lambda ms, seq=seq: self._on_applied(seq, ms))

    def _on_applied(self, seq: int, ms: Any) -> None:
        if seq != self._in_flight:
            return  # a batch of a page that has since been reloaded
        self._in_flight = None
        self.batch_applied.emit(seq, float(ms) if isinstance(ms, int | float) else float("nan"))
        self._schedule()

    # -- the page's life -------------------------------------------------------------------------------
    def _on_page_ready(self) -> None:
        self._ready = True
        self._in_flight = None
        self._queue.resend_all()
        self._flush()
        self.ready.emit()

    def _on_load_started(self) -> None:
        self._ready = False
        self._in_flight = None
        self._timer.stop()

    def _on_layer_toggled(self, layer: str, visible: bool) -> None:
        self._queue.note_visible(layer, visible)
        self.layer_toggled.emit(layer, visible)

    def _on_renderer_gone(self, status: QWebEnginePage.RenderProcessTerminationStatus, code: int) -> None:
        self._ready = False
        self._in_flight = None
        if self.page_path is not None:
            QTimer.singleShot(0, self, lambda: self.load(QUrl.fromLocalFile(str(self.page_path))))


def _id_list(result: Any) -> list[int]:
    try:
        values = json.loads(result) if isinstance(result, str) and result else []
    except json.JSONDecodeError:
        values = []
    return sorted(int(v) for v in values)
