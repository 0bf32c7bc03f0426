"""The county map's web plumbing: the page's private profile, its request interceptor, and the QWebChannel bridge.

- `LocalOnlyInterceptor` lets the page load file:, qrc:, data: and blob: URLs (and one configured tile host) and
  blocks everything else, recording each refused URL: the wall must work offline and leak nothing.
- `make_page` gives the view a page on its own off-the-record profile (the interceptor is installed on that profile,
  not on the application's default one, so other web views are not affected).
- `MapBridge` is the object the page sees as `bridge`: JS -> Python slots for ready, clicks, layer toggles and batch
  acknowledgements; the `batch` signal carries a batch to the page when the QWebChannel transport is used.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QUrl, Signal, Slot
from PySide6.QtWebChannel import QWebChannel
from PySide6.QtWebEngineCore import (
    QWebEnginePage,
    QWebEngineProfile,
    QWebEngineSettings,
    QWebEngineUrlRequestInfo,
    QWebEngineUrlRequestInterceptor,
)

LOCAL_SCHEMES = frozenset({"file", "qrc", "data", "blob"})


class LocalOnlyInterceptor(QWebEngineUrlRequestInterceptor):
    """Blocks every request that is not local (or to the one tile host); `refused` lists what it blocked."""

    def __init__(self, parent: QObject | None = None, tile_host: str | None = None) -> None:
        super().__init__(parent)
        self.tile_host = tile_host.lower() if tile_host else None
        self.refused: list[str] = []

    def allows(self, url: QUrl) -> bool:
        scheme = url.scheme().lower()
        if scheme in LOCAL_SCHEMES:
            return True
        return bool(self.tile_host) and scheme in ("http", "https") and url.host().lower() == self.tile_host

    def interceptRequest(self, info: QWebEngineUrlRequestInfo) -> None:
        url = info.requestUrl()
        if not self.allows(url):
            info.block(True)
            self.refused.append(url.toString())


def make_page(owner: QObject, interceptor: LocalOnlyInterceptor) -> QWebEnginePage:
    """A page on a fresh off-the-record profile with the interceptor. Both are children of `owner`; the profile is
    re-parented after the page so that Qt deletes the page first (a profile must outlive its pages)."""
    profile = QWebEngineProfile()  # no storage name: off the record, nothing written to disk
    profile.setUrlRequestInterceptor(interceptor)
    settings = profile.settings()
    # the interceptor is the one gate (a tile server, when configured, must be reachable from the file page)
    settings.setAttribute(QWebEngineSettings.WebAttribute.LocalContentCanAccessRemoteUrls, True)
    settings.setAttribute(QWebEngineSettings.WebAttribute.LocalContentCanAccessFileUrls, True)
    settings.setAttribute(QWebEngineSettings.WebAttribute.ErrorPageEnabled, False)
    page = QWebEnginePage(profile, owner)
    profile.setParent(owner)
    interceptor.setParent(profile)
    return page


class MapBridge(QObject):
    """The page's `bridge` object (QWebChannel). Slots are called by county_map.js; signals reach CountyMap."""

    batch = Signal(int, str)
    """Python -> page: (batch number, batch JSON), when batches travel over the channel."""
    page_ready = Signal()
    marker_clicked = Signal(str, int)
    township_clicked = Signal(int)
    layer_toggled = Signal(str, bool)
    batch_applied = Signal(int, float)

    @Slot()
    def pageReady(self) -> None:
        self.page_ready.emit()

    @Slot(str, int)
    def markerClicked(self, kind: str, ident: int) -> None:
        self.marker_clicked.emit(kind, int(ident))

    @Slot(int)
    def townshipClicked(self, ident: int) -> None:
        self.township_clicked.emit(int(ident))

    @Slot(str, bool)
    def layerToggled(self, layer: str, visible: bool) -> None:
        self.layer_toggled.emit(layer, bool(visible))

    @Slot(int, float)
    def batchApplied(self, seq: int, ms: float) -> None:
        self.batch_applied.emit(int(seq), float(ms))


def attach_bridge(page: QWebEnginePage, bridge: MapBridge) -> QWebChannel:
    channel = QWebChannel(page)
    channel.registerObject("bridge", bridge)
    page.setWebChannel(channel)
    return channel
