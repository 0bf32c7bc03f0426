"""One camera's live video in a window of its own, opened from the leaders' wall (a camera or an alarm clicked on the
county map).

    ┌ 实时视频 — 莲塘镇政府门口 ──────────────────────────────────┐
    │  (the camera's main stream, name strip and health badge)    │
    │                                                              │
    └ 莲塘镇 · 网格 3 · 告警: 人员聚集 (if opened from an alarm)  ┘

The window has a decoder pool of its own (one stream); a second click on the wall shows the new camera in the same
window. Closing it stops the stream without waiting for its thread (nothing blocks the Qt thread)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from app.context import WindowContext
from app.models.video_streams import DecoderPool, TileStreams, frame_getter
from app.settings import VideoConfig
from views.video_feed import tile_health, tr
from widgets.video_grid import VideoGrid
from widgets.video_tile import VideoTile
from widgets.wall_theme import WALL_THEME, apply_wall_theme, px

HEALTH_REFRESH_MS = 500
BASE_SIZE = (960, 600)
"""At scale 1; the window grows with the wall's scale."""


class CameraPreview(QWidget):
    def __init__(self, context: WindowContext, settings: VideoConfig, scale: float = 1.0,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.context = context
        self.pool = DecoderPool(settings)
        self.streams = TileStreams(self.pool, lambda: context.reference.cameras)
        self.grid = VideoGrid("1")
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        self.problem = ""
        """Why the stream could not be opened (decoder cap, a URL that cannot be played), or ""."""
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.grid, 1)
        column.addWidget(self.caption)
        self._health_timer = QTimer(self)
        self._health_timer.timeout.connect(self.show_health)
        self.set_scale(scale)

    @property
    def tile(self) -> VideoTile:
        return self.grid.tiles()[0]

    def set_scale(self, scale: float) -> None:
        apply_wall_theme(self, WALL_THEME, scale)
        self.grid.set_scale(scale)
        self.caption.setStyleSheet(f"font-size: {px(20, scale)}px; color: {WALL_THEME.text}; "
                                   f"padding: {px(8, scale)}px;")
        self.resize(px(BASE_SIZE[0], scale), px(BASE_SIZE[1], scale))

    def show_camera(self, camera_id: int, alarm: str | None = None) -> None:
        """Plays the camera's main stream; with `alarm` (the alarm's kind and time, as the map names it) the picture
        is framed in red and the alarm named below it."""
        camera = self.context.reference.cameras.get(camera_id, {})
        name = camera.get("name", "") or tr("摄像头 {0}").format(camera_id)
        self.problem = self.streams.show(0, camera_id, large=True) or ""
        binding = self.streams.bindings.get(0)
        self.tile.set_camera(camera_id, name)
        self.tile.set_frame_getter(frame_getter(binding.capture) if binding else None)
        self.tile.set_alarm(alarm is not None)
        self.setWindowTitle(tr("实时视频 — {0}").format(name))
        self.caption.setText(self._caption(camera, alarm))
        self.show_health()
        self.grid.start_refresh()
        self._health_timer.start(HEALTH_REFRESH_MS)

    def _caption(self, camera: dict[str, Any], alarm: str | None) -> str:
        reference = self.context.reference
        parts = [reference.townships.get(camera.get("township_id"), {}).get("name", ""),
                 reference.grids.get(camera.get("grid_id"), {}).get("name", "")]
        if alarm is not None:
            parts.append(tr("告警: {0}").format(alarm))
        if self.problem:
            parts.append(self.problem)
        return " · ".join(p for p in parts if p)

    def show_health(self) -> None:
        self.tile.set_health(tile_health(self.streams.health(0), 0 in self.streams.wanted))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.close()
        else:
            super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.stop()
        super().closeEvent(event)

    def stop(self) -> None:
        """Stops refreshing and the stream; its thread ends by itself (not waited for)."""
        self.grid.stop_refresh()
        self._health_timer.stop()
        self.streams.release_all()
        self.tile.set_frame_getter(None)
