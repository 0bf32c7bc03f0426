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

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QCloseEvent, QResizeEvent
from PySide6.QtWidgets import (
    QApplication,
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
from app.models.alarm_inbox import AlarmInbox, InboxAlarm
from app.models.tours import Tour, township_tours
from app.models.video_streams import DecoderPool, TileStreams, frame_getter
from app.settings import VideoConfig
from views.alarm_inbox import AlarmInboxPanel
from views.video_feed import tile_health
from views.video_tours import TourBar
from widgets.camera_tree import CameraPicker
from widgets.video_grid import LAYOUTS, VideoGrid
from widgets.wall_theme import WALL_THEME, apply_wall_theme, wall_scale

VIDEO_PARTS = ["townships", "grids", "cameras", "open_alarms"]
FEATURED_TILE = 0
"""The tile an alarm's camera comes up in (the big one of the 1+5 and 1+7 layouts)."""
HEALTH_REFRESH_MS = 500
FIRST_LAYOUT = "9"


class VideoWindow(QMainWindow):
    def __init__(self, context: WindowContext, config: VideoConfig | None = None, *,
                 pool: DecoderPool | None = None, sound: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setWindowTitle(self.tr("昌南治理指挥中心 — 视频墙"))
        self.pool = pool if pool is not None else DecoderPool(config or VideoConfig())  # an empty pool is falsy
        self.streams = TileStreams(self.pool, lambda: context.reference.cameras)
        self.picker = CameraPicker()
        self.sound = sound
        self.inbox = AlarmInbox(context.session, self.pool.clips_dir.parent / "alarm-snapshots", parent=self)
        self.inbox_panel = AlarmInboxPanel(context, self.inbox)
        self.alarm_cameras: dict[int, int] = {}
        """Open alarms raised while this window runs → their camera (for the red frame)."""
        self.waiting_snapshot: list[InboxAlarm] = []
        self.video_config = self.pool.settings
        self.tour_bar = TourBar(self.show_tour_page, lambda: len(self.tour_tiles()))
        self.grid = VideoGrid(FIRST_LAYOUT)
        self.status = QLabel()
        self.layout_buttons = QButtonGroup(self)
        self.filled = False
        self._problem = ""
        """The last refusal (decoder cap, unplayable URL), shown in the status line while a tile it left empty is
        still empty."""
        self._scale = 0.0
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
        bar.addSpacing(24)
        bar.addWidget(self.tour_bar)
        bar.addStretch(1)
        bar.addWidget(self.status)
        left = QSplitter(Qt.Orientation.Vertical)
        left.addWidget(self.picker)
        left.addWidget(self.inbox_panel)
        left.setSizes([620, 380])
        split = QSplitter()
        split.addWidget(left)
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
        self.inbox.raised.connect(self.on_alarm)
        self.inbox.gone.connect(self.on_alarm_gone)
        self.inbox_panel.alarm_selected.connect(lambda camera_id: self.show_camera(FEATURED_TILE, camera_id))

    # -- cameras ------------------------------------------------------------------------------------
    def _on_snapshot(self, _snapshot: dict[str, Any]) -> None:
        reference = self.context.reference
        cameras = list(reference.cameras.values())
        self.picker.set_cameras(cameras, {i: t["name"] for i, t in reference.townships.items()},
                                {i: g["name"] for i, g in reference.grids.items()})
        self.tour_bar.set_tours(self._tours())
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
        widget.set_alarm(camera_id is not None and camera_id in self.alarm_cameras.values())

    # -- tours --------------------------------------------------------------------------------------
    def _tours(self) -> list[Tour]:
        reference = self.context.reference
        configured = [Tour(t.name, tuple(t.cameras), float(t.interval_seconds)) for t in self.video_config.tours]
        return configured + township_tours(reference.cameras.values(),
                                           {i: t["name"] for i, t in reference.townships.items()},
                                           float(self.video_config.tour_interval_seconds))

    def tour_tiles(self) -> list[int]:
        """The tiles a tour may take: all but the featured tile while it shows an alarm's camera."""
        busy = self.streams.wanted.get(FEATURED_TILE) in set(self.alarm_cameras.values())
        return [i for i in range(len(self.grid.tiles())) if not (busy and i == FEATURED_TILE)]

    def show_tour_page(self, cameras: list[int]) -> None:
        for tile, camera_id in zip(self.tour_tiles(), cameras, strict=False):
            self.show_camera(tile, camera_id)

    # -- alarm linkage ------------------------------------------------------------------------------
    def on_alarm(self, item: InboxAlarm) -> None:
        """A new alarm: its camera in the featured tile with a red frame, a sound, a snapshot when a frame comes."""
        self.alarm_cameras[item.id] = item.camera_id
        self.show_camera(FEATURED_TILE, item.camera_id)
        self.waiting_snapshot.append(item)
        self._mark_alarms()
        if self.sound:
            QApplication.beep()

    def on_alarm_gone(self, alarm_id: int) -> None:
        self.alarm_cameras.pop(alarm_id, None)
        self.waiting_snapshot = [a for a in self.waiting_snapshot if a.id != alarm_id]
        self._mark_alarms()

    def _mark_alarms(self) -> None:
        alarmed = set(self.alarm_cameras.values())
        for tile, widget in enumerate(self.grid.tiles()):
            widget.set_alarm(self.streams.wanted.get(tile) in alarmed)

    def _take_snapshots(self) -> None:
        for item in list(self.waiting_snapshot):
            capture = self.pool.get(item.camera_id, "main") or self.pool.get(item.camera_id, "sub")
            frame = capture.latest() if capture is not None else None
            if frame is not None:
                self.inbox.take_snapshot(item, frame.image)
                self.inbox_panel.refresh_item(item)
                self.waiting_snapshot.remove(item)

    # -- health -------------------------------------------------------------------------------------
    def show_health(self) -> None:
        self._take_snapshots()
        for tile, widget in enumerate(self.grid.tiles()):
            widget.set_health(tile_health(self.streams.health(tile), tile in self.streams.wanted))
        if not set(self.streams.wanted) - set(self.streams.bindings):
            self._problem = ""  # every camera asked for is playing again: the refusal is history
        self.status.setText(self.tr("解码 {0}/{1} 路").format(len(self.pool), self.pool.settings.max_decoders)
                            + (f" · {self._problem}" if self._problem else ""))

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
            self.setStyleSheet(self.styleSheet() + _dark_controls(scale))
            self.grid.set_scale(scale)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.grid.stop_refresh()
        self._health_timer.stop()
        self.streams.release_all()
        self.pool.close_all()
        super().closeEvent(event)


def _dark_controls(scale: float) -> str:
    """The stock controls beside the tiles (camera tree, filter, buttons, alarm list) in the wall's dark colours."""
    t, pad = WALL_THEME, max(2, round(4 * scale))
    return (f"QTreeView, QListWidget, QLineEdit, QComboBox {{ background: {t.panel}; color: {t.text}; "
            f"border: 1px solid {t.panel_border}; }}"
            f"QPushButton {{ background: {t.tile}; color: {t.text}; border: 1px solid {t.panel_border}; "
            f"padding: {pad}px {2 * pad}px; }}"
            f"QPushButton:checked {{ background: {t.accent}; color: {t.background}; }}")
