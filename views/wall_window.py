"""The leaders' wall (领导大屏): pages on a playlist, all kept live, in one dark big-screen theme.

    ┌ 昌南治理指挥中心 · 社会治理态势     [态势] 考核          数据截至 10:32:05 · 10:32:07 ┐
    ├ (a banner while the server is unreachable: the picture stays, marked stale with its time) ┤
    │ the current page (views/wall_situation.py, views/wall_assessment.py)                      │
    └───────────────────────────────────────────────────────────────────────────────────────────┘

Every page is built once and updated whether shown or not, so rotating (轮播) never loses live state and a page
comes up current. Sizes follow the window: `wall_scale` of its size (1.0 at 1920×1080, 2.0 at 3840×2160 and on a
7680×2160 splicing wall). Keys: ←/→ previous/next page, space pauses the rotation."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QCloseEvent, QKeyEvent, QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMainWindow, QStackedWidget, QVBoxLayout, QWidget

from app.context import WindowContext
from app.models.drill import drill_query
from app.models.map_points import CST, load_county_outline
from app.models.wall_map import WallMapFeed
from app.models.wall_stats import WallStats
from app.settings import VideoConfig, WallConfig
from views.camera_preview import CameraPreview
from views.case_text import format_time
from views.wall_assessment import AssessmentPage
from views.wall_drill import CaseDrill
from views.wall_figures import as_of_text, tr
from views.wall_map_link import MapLink, alarm_kind
from views.wall_queries import drill_title
from views.wall_situation import SituationPage
from widgets.county_map import CountyMap
from widgets.wall_theme import WALL_THEME, apply_wall_theme, px, wall_scale

WALL_PARTS = ["townships", "grids", "departments", "channels", "cameras", "open_cases", "open_alarms"]
WIDE_RATIO = 2.9
"""Width/height from which the pages stand side by side: 7680×2160 (3.6) yes, 3840×1080 (3.6) yes, 16:9 no."""
WIDE_STRETCH = {"situation": 56, "assessment": 44}
OUTLINE_PATH = Path(__file__).resolve().parent.parent / "resources" / "geo" / "nanchang_county_360121.geojson"


class WallWindow(QMainWindow):
    def __init__(self, context: WindowContext, config: WallConfig | None = None, *, copy: int = 0,
                 outline_path: Path | None = None, video: VideoConfig | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context, self.config = context, config or WallConfig()
        self.video_config = video or VideoConfig()
        self.preview: CameraPreview | None = None
        """The live video of a camera or alarm clicked on the map (one window, reused)."""
        self.setWindowTitle(self.tr("昌南治理指挥中心 — 领导大屏"))
        self.outline_path = Path(self.config.outline_file) if self.config.outline_file else (
            outline_path or OUTLINE_PATH)
        outline = load_county_outline(self.outline_path)  # a broken file stops the wall here, with its name
        self.stats = WallStats(context.session, min_interval=self.config.stats_min_interval_seconds, parent=self)
        self.feed = WallMapFeed(context.session, outline, context.clock.now, parent=self)
        self.map = CountyMap(tile_url=self.config.tile_url or None)
        self.map_link = MapLink(self.map, self.feed, context, self.outline_path, parent=self)
        self.pages: dict[str, QWidget] = {}
        self.situation = SituationPage(self.map)
        self.assessment = AssessmentPage(context.reference)
        self.stack = QStackedWidget()
        self.side_by_side = QWidget()
        QHBoxLayout(self.side_by_side).setContentsMargins(0, 0, 0, 0)
        self.body = QStackedWidget()
        self.body.addWidget(self.stack)
        self.body.addWidget(self.side_by_side)
        self.wide = False
        """On a very wide wall (a 7680×2160 splicing wall) the pages stand side by side instead of taking turns."""
        self.playlist = list(dict.fromkeys(self.config.playlist))
        for name in self.playlist:
            page = {"situation": self.situation, "assessment": self.assessment}[name]
            self.pages[name] = page
            self.stack.addWidget(page)
        self.drills: list[CaseDrill] = []
        self.scale = 0.0
        self._build_header()
        self._build_body()
        self._rotation = QTimer(self)
        self._rotation.timeout.connect(self.next_page)
        if self.config.rotate_seconds and len(self.playlist) > 1:
            self._rotation.start(self.config.rotate_seconds * 1000)
        self._clock = QTimer(self)
        self._clock.timeout.connect(self._tick_clock)
        self._clock.start(1000)
        self.show_page(copy % len(self.playlist))
        self._connect()
        self._rescale()

    # -- building -----------------------------------------------------------------------------------
    def _build_header(self) -> None:
        self.title = QLabel(self.tr("昌南治理指挥中心 · 社会治理态势"))
        self.page_labels = {name: QLabel(_page_title(name)) for name in self.playlist}
        self.as_of = QLabel()
        self.clock = QLabel()
        self.header = QWidget()
        row = QHBoxLayout(self.header)
        row.addWidget(self.title)
        row.addStretch(1)
        for label in self.page_labels.values():
            row.addWidget(label)
        row.addStretch(1)
        row.addWidget(self.as_of)
        row.addWidget(self.clock)
        self.stale_banner = QLabel()
        self.stale_banner.setVisible(False)
        self.stale_banner.setWordWrap(True)

    def _build_body(self) -> None:
        central = QWidget()
        column = QVBoxLayout(central)
        column.addWidget(self.header)
        column.addWidget(self.stale_banner)
        column.addWidget(self.body, 1)
        self.setCentralWidget(central)

    def _connect(self) -> None:
        session = self.context.session
        session.snapshot_loaded.connect(self._on_snapshot)
        session.state_changed.connect(self._on_state)  # a bound method: disconnected when the window goes
        self.stats.changed.connect(self._on_stats)
        self.stats.stale_changed.connect(lambda _stale: self._show_staleness())
        self.situation.figure_clicked.connect(self.open_drill)
        self.assessment.figure_clicked.connect(self.open_drill)
        self.map.marker_clicked.connect(self._on_marker)
        self.map.township_clicked.connect(lambda tid: self.open_drill("township", tid))

    # -- data ---------------------------------------------------------------------------------------
    def _on_snapshot(self, _snapshot: dict[str, Any]) -> None:
        names = {code: row.get("name", code) for code, row in self.context.reference.channels.items()}
        self.situation.set_channel_names(names)

    def _on_stats(self, stats: dict[str, Any]) -> None:
        self.context.clock.observe_iso(stats.get("as_of"))  # the server's clock may not be this machine's (demos)
        self.feed.check_day()
        self.situation.show_stats(stats)
        self.assessment.show_stats(stats)
        self.map.set_township_counts({t["township_id"]: t.get("reported_today", 0)
                                      for t in stats.get("townships", [])})
        self._show_staleness()

    def _on_state(self, _state: str, _detail: str) -> None:
        self._show_staleness()

    def _show_staleness(self) -> None:
        """The last figures stay up; while the link is down they say so, with the time they are of."""
        hhmmss = as_of_text(self.stats.latest)
        stale = self.context.session.state != "connected" or self.stats.stale
        for page in (self.situation, self.assessment):
            page.set_as_of(hhmmss, stale)
        self.as_of.setText(self.tr("数据截至 {0}").format(hhmmss) if hhmmss else self.tr("正在读取数据…"))
        if stale and self.context.session.state != "connected":
            shown = hhmmss or "—"
            self.stale_banner.setText(self.tr("与指挥中心服务器的连接已中断：画面停留在 {0} 的数据，正在自动重连…")
                                      .format(shown))
        self.stale_banner.setVisible(stale and self.context.session.state != "connected")

    def _tick_clock(self) -> None:
        self.clock.setText(datetime.fromtimestamp(self.context.clock.now(), CST).strftime("%H:%M:%S"))

    # -- pages --------------------------------------------------------------------------------------
    def show_page(self, index: int) -> None:
        if not self.wide:
            self.stack.setCurrentIndex(index % self.stack.count())
        current = self.playlist[self.stack.currentIndex()] if not self.wide else None
        for name, label in self.page_labels.items():
            shown = self.wide or name == current
            label.setProperty("current", shown)
            label.setStyleSheet(_tab_style(shown, self.scale or 1.0))

    def next_page(self) -> None:
        if not self.wide:
            self.show_page(self.stack.currentIndex() + 1)

    def _arrange(self) -> None:
        """Side by side when the window is at least WIDE_RATIO times as wide as it is high, else in turns. The same
        page widgets move (nothing is rebuilt), so the map and the figures keep their live state."""
        wide = len(self.playlist) > 1 and self.width() >= WIDE_RATIO * max(1, self.height())
        if wide == self.wide:
            return
        index = max(0, self.stack.currentIndex())
        self.wide = wide
        row = self.side_by_side.layout()
        for name in self.playlist:
            page = self.pages[name]
            if wide:
                row.addWidget(page, WIDE_STRETCH.get(name, 1))
                page.show()  # the stack had hidden all but its current page
            else:
                self.stack.addWidget(page)
        self.body.setCurrentWidget(self.side_by_side if wide else self.stack)
        if wide:
            self._rotation.stop()
        elif self.config.rotate_seconds:
            self._rotation.start(self.config.rotate_seconds * 1000)
        self.show_page(index)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Right:
            self.next_page()
        elif event.key() == Qt.Key.Key_Left:
            self.show_page(self.stack.currentIndex() - 1)
        elif event.key() == Qt.Key.Key_Space and self.config.rotate_seconds:
            if self._rotation.isActive():
                self._rotation.stop()
            else:
                self._rotation.start(self.config.rotate_seconds * 1000)
        else:
            super().keyPressEvent(event)

    # -- drill-down ---------------------------------------------------------------------------------
    def open_drill(self, figure: str, key: object = None) -> CaseDrill | None:
        query = drill_query(figure, key, self.feed.day)
        if query is None:
            return None
        drill = CaseDrill(self.context, drill_title(figure, key, self.context.reference), query, parent=self)
        self._show_drill(drill)
        return drill

    def _on_marker(self, layer: str, marker_id: int) -> None:
        if layer == "cases":
            drill = CaseDrill(self.context, self.tr("案件详情"), case_id=marker_id, parent=self)
            self._show_drill(drill)
        elif layer == "cameras":
            self.open_camera(marker_id)
        elif layer == "alarms":
            alarm = self.feed.alarms.get(marker_id)
            if alarm is not None and alarm.get("camera_id") is not None:
                when = format_time(alarm.get("raised_at"))
                self.open_camera(int(alarm["camera_id"]), f"{alarm_kind(alarm)} · {when}")

    def open_camera(self, camera_id: int, alarm: str | None = None) -> CameraPreview:
        """The camera's live main stream in the preview window, over the wall."""
        if self.preview is None:
            self.preview = CameraPreview(self.context, self.video_config, self.scale or 1.0, parent=self)
        self.preview.show_camera(camera_id, alarm)
        self.preview.show()
        self.preview.raise_()
        return self.preview

    def _show_drill(self, drill: CaseDrill) -> None:
        self.drills = [d for d in self.drills if d.isVisible()] + [drill]
        drill.setStyleSheet(f"font-size: {px(18, self.scale or 1.0)}px;")
        drill.show()

    # -- scale --------------------------------------------------------------------------------------
    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._rescale()

    def _rescale(self) -> None:
        self._arrange()
        scale = wall_scale(self.width(), self.height())
        if abs(scale - self.scale) < 0.01:
            return
        self.scale = scale
        apply_wall_theme(self, WALL_THEME, scale)
        self.title.setStyleSheet(f"font-size: {px(34, scale)}px; font-weight: bold; color: {WALL_THEME.accent};")
        for label in (self.as_of, self.clock):
            label.setStyleSheet(f"font-size: {px(22, scale)}px; color: {WALL_THEME.text_dim}; padding-left: "
                                f"{px(16, scale)}px;")
        self.stale_banner.setStyleSheet(f"font-size: {px(24, scale)}px; background: {WALL_THEME.stale}; "
                                        f"color: #111; padding: {px(8, scale)}px;")
        self.show_page(self.stack.currentIndex())
        for page in (self.situation, self.assessment):
            page.set_scale(scale)

    def close_drills(self) -> None:
        for drill in self.drills:
            drill.close()
        self.drills.clear()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.close_drills()
        if self.preview is not None:
            self.preview.stop()
        super().closeEvent(event)


def _page_title(name: str) -> str:
    return {"situation": tr("态势"), "assessment": tr("考核")}.get(name, name)


def _tab_style(current: bool, scale: float) -> str:
    color = WALL_THEME.accent if current else WALL_THEME.muted
    border = f"border-bottom: {px(4, scale)}px solid {WALL_THEME.accent};" if current else ""
    return f"font-size: {px(26, scale)}px; color: {color}; padding: 0 {px(18, scale)}px; {border}"
