"""The video wall's split screen: video tiles in a named layout, double-click to maximise, one refresh timer.

Layouts are n×n grids ("1", "4", "9", "16", "25") and featured ones where tile 0 is big: "1+5" (a 2×2 tile and 5
small ones on a 3×3 grid) and "1+7" (3×3 and 7 on 4×4). The grid places its tiles by hand (no QLayout), so a
maximised tile simply takes the whole area while the others hide. Tiles are kept across layout changes: tile i keeps
its camera as long as the new layout still has a tile i; the rest are deleted.

One QTimer at the screen's refresh rate drives `refresh_all`, which pulls the newest frame into every visible tile;
a tile repaints only when its frame changed.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRect, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen, QResizeEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from widgets.video_tile import VideoTile
from widgets.wall_theme import WALL_THEME, px

GAP = 3
MIN_HZ = 25.0
MAX_HZ = 60.0
LARGE_SHARE = 0.25
"""A tile covering at least this share of the grid is large: it gets the main stream."""


@dataclass(frozen=True)
class GridLayoutSpec:
    """`size`×`size` cells; one (row, column, row span, column span) per tile, tile 0 first."""

    size: int
    cells: tuple[tuple[int, int, int, int], ...]

    def share(self, index: int) -> float:
        _, _, rows, cols = self.cells[index]
        return rows * cols / (self.size * self.size)


def _square(n: int) -> GridLayoutSpec:
    return GridLayoutSpec(n, tuple((r, c, 1, 1) for r in range(n) for c in range(n)))


def _featured(n: int, big: int) -> GridLayoutSpec:
    """A big × big tile in the top-left corner of an n × n grid, then the remaining cells row by row."""
    small = tuple((r, c, 1, 1) for r in range(n) for c in range(n) if r >= big or c >= big)
    return GridLayoutSpec(n, ((0, 0, big, big), *small))


LAYOUTS: dict[str, GridLayoutSpec] = {
    "1": _square(1), "4": _square(2), "9": _square(3), "16": _square(4), "25": _square(5),
    "1+5": _featured(3, 2), "1+7": _featured(4, 3),
}


class VideoGrid(QWidget):
    tile_camera_dropped = Signal(int, int)
    """(tile index, camera id)."""
    layout_changed = Signal(str)
    maximized_changed = Signal(int)
    """The tile index maximised, -1 when back to the layout."""

    def __init__(self, layout: str = "4", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tiles: list[VideoTile] = []
        self._layout_name = ""
        self._spec = LAYOUTS["1"]
        self._maximized = -1
        self._scale = 1.0
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self.refresh_all)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.set_layout(layout)

    # -- layout -----------------------------------------------------------------------------------------------
    def set_layout(self, name: str) -> None:
        """Switches to a named layout (leaving any maximised tile). Unknown name → ValueError."""
        if name not in LAYOUTS:
            raise ValueError(f"unknown video layout {name!r}; known: {', '.join(LAYOUTS)}")
        self._spec = LAYOUTS[name]
        count = len(self._spec.cells)
        for tile in self._tiles[count:]:
            tile.hide()
            tile.deleteLater()
        del self._tiles[count:]
        while len(self._tiles) < count:
            self._tiles.append(self._make_tile())
        was_maximized, self._maximized = self._maximized, -1
        self._place()
        if was_maximized >= 0:
            self.maximized_changed.emit(-1)
        if name != self._layout_name:
            self._layout_name = name
            self.layout_changed.emit(name)

    def layout_name(self) -> str:
        return self._layout_name

    def tiles(self) -> list[VideoTile]:
        """In layout order (index 0 is the big tile of 1+5 / 1+7)."""
        return list(self._tiles)

    def cell_of(self, index: int) -> tuple[int, int, int, int]:
        """(row, column, row span, column span) of a tile in the current layout."""
        return self._spec.cells[index]

    def tile_is_large(self, index: int) -> bool:
        """Whether the tile is big enough for the main stream: maximised, or at least a quarter of the grid."""
        if self._maximized >= 0:
            return index == self._maximized
        return self._spec.share(index) >= LARGE_SHARE

    def maximized(self) -> int:
        return self._maximized

    def toggle_maximized(self, index: int) -> None:
        """Maximises the tile (the others hidden), or goes back to the layout if it is the maximised one."""
        self._maximized = -1 if self._maximized == index else index
        self._place()
        self.maximized_changed.emit(self._maximized)

    def set_scale(self, scale: float) -> None:
        if scale != self._scale:
            self._scale = scale
            for tile in self._tiles:
                tile.set_scale(scale)
            self._place()

    def _make_tile(self) -> VideoTile:
        tile = VideoTile(self)
        tile.set_scale(self._scale)
        tile.camera_dropped.connect(lambda camera_id, t=tile: self._on_dropped(t, camera_id))
        tile.double_clicked.connect(lambda t=tile: self._on_double_clicked(t))
        return tile

    def _on_dropped(self, tile: VideoTile, camera_id: int) -> None:
        if tile in self._tiles:
            self.tile_camera_dropped.emit(self._tiles.index(tile), camera_id)

    def _on_double_clicked(self, tile: VideoTile) -> None:
        if tile in self._tiles:
            self.toggle_maximized(self._tiles.index(tile))

    def tile_rect(self, index: int) -> QRect:
        """Where a tile goes in the current layout (ignoring maximisation); gaps between cells."""
        gap = px(GAP, self._scale)
        n = self._spec.size
        row, col, rows, cols = self._spec.cells[index]
        xs = [round(i * (self.width() + gap) / n) for i in range(n + 1)]
        ys = [round(i * (self.height() + gap) / n) for i in range(n + 1)]
        return QRect(xs[col], ys[row], xs[col + cols] - xs[col] - gap, ys[row + rows] - ys[row] - gap)

    def _place(self) -> None:
        for index, tile in enumerate(self._tiles):
            if self._maximized >= 0:
                tile.setVisible(index == self._maximized)
                if index == self._maximized:
                    tile.setGeometry(self.rect())
            else:
                tile.setGeometry(self.tile_rect(index))
                tile.setVisible(True)

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._place()
        super().resizeEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        """The gaps: black, with a thin outline around each shown tile (painted here, in the gaps, only when the grid
        repaints — not by the tiles at every frame)."""
        painter = QPainter(self)
        painter.fillRect(self.rect(), Qt.GlobalColor.black)
        painter.setPen(QPen(QColor(WALL_THEME.panel_border), 1))
        for tile in self.shown_tiles():
            if tile.geometry() != self.rect():
                painter.drawRect(tile.geometry().adjusted(-1, -1, 0, 0))
        painter.end()

    # -- refresh ----------------------------------------------------------------------------------------------
    def shown_tiles(self) -> list[VideoTile]:
        """The tiles on screen: all of them, or only the maximised one."""
        if self._maximized >= 0:
            return [self._tiles[self._maximized]]
        return list(self._tiles)

    def refresh_all(self) -> int:
        """Pulls the newest frame into every shown tile; how many will repaint. Nothing while the grid is hidden."""
        if not self.isVisible():
            return 0
        return sum(1 for tile in self.shown_tiles() if tile.refresh())

    def start_refresh(self, hz: float | None = None) -> None:
        """Drives `refresh_all` at `hz`, by default the screen's refresh rate (kept within 25–60 Hz)."""
        if hz is None:
            screen = self.screen()
            rate = screen.refreshRate() if screen is not None else MAX_HZ
            hz = min(MAX_HZ, max(MIN_HZ, rate or MAX_HZ))
        if hz <= 0:
            raise ValueError(f"refresh rate must be positive, got {hz}")
        self._timer.start(max(1, round(1000 / hz)))

    def stop_refresh(self) -> None:
        self._timer.stop()

    def refresh_interval_ms(self) -> int | None:
        """The timer's interval while refreshing, else None."""
        return self._timer.interval() if self._timer.isActive() else None
