"""The video wall (视频墙): cameras by township and grid on the left, the tiles on the right.

    ┌ 视频墙   [1] [4] [9] [16] [25] [1+5] [1+7]                 解码 9/16 路 · (a refusal, if any) ┐
    │ 搜索摄像头          │ tiles: drag a camera onto a tile; double-click a tile to maximise and back  │
    │ 莲塘街道 (12)       │ (large tiles show the main stream, small ones the sub stream)               │
    │   网格 …            │                                                                             │
    └─────────────────────┴─────────────────────────────────────────────────────────────────────────────┘

Decoding runs in the capture threads (services/video); the Qt thread only wraps the newest frame of each tile in an
image and paints it, driven by one timer at the screen's rate (widgets/video_grid.py)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtGui import QCloseEvent, QResizeEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.context import WindowContext
from app.models.video_streams import DecoderPool, TileStreams, frame_getter
from app.settings import VideoConfig
from widgets.camera_tree import CameraPicker
from widgets.video_grid import LAYOUTS, VideoGrid
from widgets.video_tile import TileHealth
from widgets.wall_theme import WALL_THEME, apply_wall_theme, wall_scale

VIDEO_PARTS = ["townships", "grids", "cameras", "open_alarms"]
HEALTH_REFRESH_MS = 500
FIRST_LAYOUT = "9"


class VideoWindow(QMainWindow):
    def __init__(self, context: WindowContext, config: VideoConfig | None = None, *,
                 pool: DecoderPool | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setWindowTitle(self.tr("昌南治理指挥中心 — 视频墙"))
        self.pool = pool if pool is not None else DecoderPool(config or VideoConfig())  # an empty pool is falsy
        self.streams = TileStreams(self.pool, lambda: context.reference.cameras)
        self.picker = CameraPicker()
        self.grid = VideoGrid(FIRST_LAYOUT)
        self.status = QLabel()
        self.layout_buttons = QButtonGroup(self)
        self.filled = False
        self._build()
        self._connect()
        self._health_timer = QTimer(self)
        self._health_timer.timeout.connect(self.show_health)
        self._health_timer.start(HEALTH_REFRESH_MS)
        self.grid.start_refresh()

    def _build(self) -> None:
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("分屏")))
        for name in LAYOUTS:
            button = QPushButton(name)
            button.setCheckable(True)
            button.setChecked(name == FIRST_LAYOUT)
            self.layout_buttons.addButton(button)
            bar.addWidget(button)
        bar.addStretch(1)
        bar.addWidget(self.status)
        split = QSplitter()
        split.addWidget(self.picker)
        split.addWidget(self.grid)
        split.setStretchFactor(0, 18)
        split.setStretchFactor(1, 82)
        split.setSizes([340, 1580])
        central = QWidget()
        column = QVBoxLayout(central)
        column.addLayout(bar)
        column.addWidget(split, 1)
        self.setCentralWidget(central)

    def _connect(self) -> None:
        self.context.session.snapshot_loaded.connect(self._on_snapshot)
        self.layout_buttons.buttonClicked.connect(lambda button: self.set_layout(button.text()))
        self.grid.tile_camera_dropped.connect(self.show_camera)
        self.grid.layout_changed.connect(lambda _name: self._resize_streams())
        self.grid.maximized_changed.connect(lambda _index: self._resize_streams())
        self.picker.camera_activated.connect(self.show_on_free_tile)

    # -- cameras ------------------------------------------------------------------------------------
    def _on_snapshot(self, _snapshot: dict[str, Any]) -> None:
        reference = self.context.reference
        cameras = list(reference.cameras.values())
        self.picker.set_cameras(cameras, {i: t["name"] for i, t in reference.townships.items()},
                                {i: g["name"] for i, g in reference.grids.items()})
        if not self.filled:  # the first time: fill the layout with the first cameras, so the wall is never blank
            self.filled = True
            for tile, camera in enumerate(cameras[:len(self.grid.tiles())]):
                self.show_camera(tile, camera["id"])

    def show_camera(self, tile: int, camera_id: int | None) -> None:
        """Puts a camera on a tile (a drop, a tour, an alarm); a refusal is shown, the tile stays empty."""
        problem = self.streams.show(tile, camera_id, self.grid.tile_is_large(tile))
        self._attach(tile)
        self._report(problem)

    def show_on_free_tile(self, camera_id: int) -> None:
        tiles = self.grid.tiles()
        free = next((i for i in range(len(tiles)) if i not in self.streams.wanted), 0)
        self.show_camera(free, camera_id)

    def set_layout(self, name: str) -> None:
        self.grid.set_layout(name)

    def _resize_streams(self) -> None:
        tiles = self.grid.tiles()
        problems = self.streams.resize({i: self.grid.tile_is_large(i) for i in range(len(tiles))})
        for tile in range(len(tiles)):
            self._attach(tile)
        for button in self.layout_buttons.buttons():
            button.setChecked(button.text() == self.grid.layout_name())
        self._report(problems[0] if problems else None)

    def _attach(self, tile: int) -> None:
        """The tile shows what the streams say it shows: name and newest-frame getter, or empty."""
        widget = self.grid.tiles()[tile]
        camera_id = self.streams.wanted.get(tile)
        binding = self.streams.bindings.get(tile)
        name = self.context.reference.cameras.get(camera_id, {}).get("name", "") if camera_id else ""
        widget.set_camera(camera_id, name)
        widget.set_frame_getter(frame_getter(binding.capture) if binding else None)

    # -- health -------------------------------------------------------------------------------------
    def show_health(self) -> None:
        for tile, widget in enumerate(self.grid.tiles()):
            health = self.streams.health(tile)
            if health is None:
                state = "lost" if tile in self.streams.wanted else "idle"
                widget.set_health(TileHealth(state, detail=self.tr("无法打开")) if state == "lost" else TileHealth())
                continue
            widget.set_health(TileHealth(health.state, health.fps, health.frame_age_s or 0.0, health.drops,
                                         health.last_error))
        self.status.setText(self.tr("解码 {0}/{1} 路").format(len(self.pool), self.pool.settings.max_decoders)
                            + (f" · {self._problem}" if self._problem else ""))

    _problem = ""

    def _report(self, problem: str | None) -> None:
        if problem:
            self._problem = problem
        self.show_health()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        scale = wall_scale(self.width(), self.height())
        if scale != self._scale:  # the wall's dark theme, sized for the room
            self._scale = scale
            apply_wall_theme(self, WALL_THEME, scale)
            self.grid.set_scale(scale)

    _scale = 0.0

    def closeEvent(self, event: QCloseEvent) -> None:
        self.grid.stop_refresh()
        self._health_timer.stop()
        self.streams.release_all()
        self.pool.close_all()
        super().closeEvent(event)
