"""The department board: every county department as a drop target for a dragged case.

Data in, signals out (widgets import Qt only). A case is dragged as MIME type `CASE_MIME` whose payload is the case
id in ASCII; `case_mime_data` makes that payload for any drag source (the intake queue's view), `case_id_of` reads
it back. Dropping on a tile emits `DepartmentBoard.case_dropped(department_id, case_id)`; what a drop means is the
caller's business.

While a case is dragged each tile shows its department's live load (open · overdue · awaiting arrival); outside a
drag it shows a compact count. Tiles keep one size in both modes, so nothing moves under the cursor when a drag
starts. The grid reflows with the board's width: two columns in a side panel, ten or more in a wide strip.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QMimeData, QPoint, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QDrag,
    QDragEnterEvent,
    QDragLeaveEvent,
    QDragMoveEvent,
    QDropEvent,
    QFont,
    QFontMetrics,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from widgets.department_mime import department_mime_data

CASE_MIME = "application/x-ccc-case"
"""MIME type of a dragged case; the payload is the case id as ASCII digits."""

TILE_MIN_WIDTH = 176
TILE_HEIGHT = 44
TILE_SPACING = 4
"""Sized so that the 38 departments fit in two columns at a quarter of a 1920×1080 screen, full height, and in four
rows of ten in a 1920-wide strip."""
NAME_PX = 15
LOAD_PX = 13
AUTO_DRAG_OFF_MS = 300
"""After the cursor leaves the last tile, a drag the board noticed by itself ends this much later (no flicker
while the cursor crosses the gap between two tiles)."""
NOTICE_MS = 8_000


def case_mime_data(case_id: int) -> QMimeData:
    """The drag payload for one case (for the drag source: `QDrag.setMimeData(case_mime_data(cid))`)."""
    mime = QMimeData()
    mime.setData(CASE_MIME, str(int(case_id)).encode("ascii"))
    return mime


def case_id_of(mime: QMimeData | None) -> int | None:
    """The case id a drag carries, or None if it carries no (well-formed) case."""
    if mime is None or not mime.hasFormat(CASE_MIME):
        return None
    raw = bytes(mime.data(CASE_MIME).data()).strip()
    if not raw or len(raw) > 18 or not raw.isdigit():  # ASCII digits only, no sign, fits an int64
        return None
    value = int(raw)
    return value if value > 0 else None


@dataclass
class TileLoad:
    open: int = 0
    overdue: int = 0
    awaiting: int = 0
    """Whistle calls awaiting this department's arrival on site."""
    awaiting_sign: int = 0


class DepartmentTile(QWidget):
    """One department: its name and load; a drop target. Painted by hand (38 of them repaint on every load change)."""

    dropped = Signal(int, int)
    """(department_id, case_id)"""
    hover_changed = Signal(int, bool)
    """(department_id, a case drag is over this tile)"""

    def __init__(self, department_id: int, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.department_id = department_id
        self.name = name
        self.load = TileLoad()
        self.drag_active = False
        self.hovered = False
        self.setAcceptDrops(True)
        self.setMinimumSize(TILE_MIN_WIDTH, TILE_HEIGHT)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName(name)
        self._name_font = QFont(self.font())
        self._name_font.setPixelSize(NAME_PX)
        self._name_font.setBold(True)
        self._load_font = QFont(self.font())
        self._load_font.setPixelSize(LOAD_PX)
        self._update_tooltip()

    def sizeHint(self) -> QSize:
        return QSize(TILE_MIN_WIDTH, TILE_HEIGHT)

    # -- dragging the department itself (onto a whistle, to call it) ---------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._press_at = event.position().toPoint()
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        start = getattr(self, "_press_at", None)
        if start is None or not event.buttons() & Qt.MouseButton.LeftButton:
            return
        if (event.position().toPoint() - start).manhattanLength() < QApplication.startDragDistance():
            return
        self._press_at = None
        drag = QDrag(self)
        drag.setMimeData(self.drag_payload())
        drag.exec(Qt.DropAction.CopyAction)

    def drag_payload(self) -> QMimeData:
        """What dragging this tile carries: the department, for a whistle to call it."""
        return department_mime_data(self.department_id)

    # -- state --------------------------------------------------------------------------------------
    def set_load(self, load: TileLoad) -> None:
        if load != self.load:
            self.load = load
            self._update_tooltip()
            self.update()

    def set_drag_active(self, active: bool) -> None:
        if active != self.drag_active:
            self.drag_active = active
            self.update()

    def set_hovered(self, hovered: bool) -> None:
        if hovered != self.hovered:
            self.hovered = hovered
            self.update()
            self.hover_changed.emit(self.department_id, hovered)

    def load_text(self) -> str:
        """What the second line shows now: the full load during a drag, a compact count otherwise."""
        load = self.load
        if self.drag_active:
            return self.tr("在办 %1 · 超期 %2 · 待报到 %3").replace("%1", str(load.open)) \
                .replace("%2", str(load.overdue)).replace("%3", str(load.awaiting))
        text = self.tr("在办 %1").replace("%1", str(load.open))
        if load.overdue:
            text += self.tr(" · 超期 %1").replace("%1", str(load.overdue))
        return text

    def _update_tooltip(self) -> None:
        load = self.load
        self.setToolTip(self.tr("%1\n在办 %2 件（待签收 %3）\n超期 %4 件\n吹哨待报到 %5 处")
                        .replace("%1", self.name).replace("%2", str(load.open)).replace("%3", str(load.awaiting_sign))
                        .replace("%4", str(load.overdue)).replace("%5", str(load.awaiting)))

    # -- drag and drop ------------------------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if case_id_of(event.mimeData()) is None:
            event.ignore()
            return
        event.acceptProposedAction()
        self.set_hovered(True)

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if case_id_of(event.mimeData()) is None:
            event.ignore()
            return
        event.acceptProposedAction()

    def dragLeaveEvent(self, event: QDragLeaveEvent) -> None:
        self.set_hovered(False)
        event.accept()

    def dropEvent(self, event: QDropEvent) -> None:
        case_id = case_id_of(event.mimeData())
        self.set_hovered(False)
        if case_id is None:
            event.ignore()
            return
        event.acceptProposedAction()
        self.dropped.emit(self.department_id, case_id)

    # -- painting -----------------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRect(self.rect()).adjusted(1, 1, -1, -1)
        if self.hovered:
            fill, border, width = QColor("#fff3c4"), QColor("#e08a00"), 3
        elif self.drag_active:
            fill, border, width = QColor("#eef4fb"), QColor("#5b8fd6"), 1
        else:
            fill, border, width = QColor("#f7f8fa"), QColor("#c9cfd8"), 1
        painter.setPen(QPen(border, width, Qt.PenStyle.DashLine if self.drag_active and not self.hovered
                            else Qt.PenStyle.SolidLine))
        painter.setBrush(fill)
        painter.drawRoundedRect(rect, 6, 6)
        inner = rect.adjusted(10, 3, -10, -3)
        painter.setFont(self._name_font)
        painter.setPen(QColor("#1d2733"))
        name_height = QFontMetrics(self._name_font).height()
        name_rect = QRect(inner.left(), inner.top(), inner.width(), name_height)
        elided = QFontMetrics(self._name_font).elidedText(self.name, Qt.TextElideMode.ElideRight, inner.width())
        painter.drawText(name_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, elided)
        painter.setFont(self._load_font)
        alarm = self.load.overdue > 0
        painter.setPen(QColor("#b71c1c") if alarm else QColor("#1f4e8c" if self.drag_active else "#59636e"))
        load_rect = QRect(inner.left(), name_rect.bottom() + 1, inner.width(), inner.bottom() - name_rect.bottom())
        text = QFontMetrics(self._load_font).elidedText(self.load_text(), Qt.TextElideMode.ElideRight, inner.width())
        painter.drawText(load_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, text)
        painter.end()


class _TileGrid(QWidget):
    """Hosts the tiles: equal-width tiles in as many columns as the width allows (at least one), rows of equal
    height, placed by hand on every resize. Its minimum height follows the rows, so a scroll area scrolls it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tiles: list[DepartmentTile] = []
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def set_tiles(self, tiles: list[DepartmentTile]) -> None:
        self.tiles = tiles
        self._place()

    @staticmethod
    def columns_for(width: int) -> int:
        return max(1, (width + TILE_SPACING) // (TILE_MIN_WIDTH + TILE_SPACING))

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        rows = -(-len(self.tiles) // self.columns_for(width)) if self.tiles else 0
        return rows * TILE_HEIGHT + max(0, rows - 1) * TILE_SPACING

    def sizeHint(self) -> QSize:
        return QSize(TILE_MIN_WIDTH, self.heightForWidth(TILE_MIN_WIDTH))

    def minimumSizeHint(self) -> QSize:
        return QSize(TILE_MIN_WIDTH, 0)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place()

    def _place(self) -> None:
        columns = self.columns_for(self.width())
        width = max(TILE_MIN_WIDTH, (self.width() - (columns - 1) * TILE_SPACING) // columns)
        for i, tile in enumerate(self.tiles):
            row, column = divmod(i, columns)
            tile.setGeometry(QRect(QPoint(column * (width + TILE_SPACING), row * (TILE_HEIGHT + TILE_SPACING)),
                                   QSize(width, TILE_HEIGHT)))
        height = self.heightForWidth(self.width())
        if self.minimumHeight() != height:
            self.setMinimumHeight(height)


class DepartmentBoard(QWidget):
    """The departments as drop targets, in a grid that reflows with the width."""

    case_dropped = Signal(int, int)
    """(department_id, case_id): a case was dropped on a department's tile."""
    drag_active_changed = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tiles: dict[int, DepartmentTile] = {}
        self._external_drag = False
        self._drag_active = False
        self._hovered: set[int] = set()
        self._auto_off = QTimer(self)
        self._auto_off.setSingleShot(True)
        self._auto_off.setInterval(AUTO_DRAG_OFF_MS)
        self._auto_off.timeout.connect(self._maybe_end_auto_drag)

        self._title = QLabel(self)
        title_font = QFont(self.font())
        title_font.setPixelSize(17)
        title_font.setBold(True)
        self._title.setFont(title_font)
        self._hint = QLabel(self.tr("把事件拖到部门上即可派遣；拖动时显示各部门实时负荷"), self)
        self._hint.setWordWrap(True)
        self._hint.setStyleSheet("color: #59636e; font-size: 13px;")
        self._notice = QLabel(self)
        self._notice.setWordWrap(True)
        self._notice.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._notice.hide()
        self._notice_timer = QTimer(self)
        self._notice_timer.setSingleShot(True)
        self._notice_timer.timeout.connect(self._notice.hide)

        self._grid_host = _TileGrid()
        self._scroll = QScrollArea(self)
        self._scroll.setWidgetResizable(True)
        self._scroll.setFrameShape(QFrame.Shape.NoFrame)
        self._scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._scroll.setWidget(self._grid_host)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(6)
        layout.addWidget(self._title)
        layout.addWidget(self._hint)
        layout.addWidget(self._notice)
        layout.addWidget(self._scroll, 1)
        self._update_title()

    # -- data in ------------------------------------------------------------------------------------
    def set_departments(self, departments: list[tuple[int, str]]) -> None:
        """(id, name) in display order. Loads already set for departments that stay are kept."""
        old = self._tiles
        self._tiles = {}
        for department_id, name in departments:
            tile = DepartmentTile(department_id, name, self._grid_host)
            if department_id in old:
                tile.set_load(old[department_id].load)
            tile.set_drag_active(self._drag_active)
            tile.dropped.connect(self.case_dropped)
            tile.hover_changed.connect(self._on_hover)
            tile.show()
            self._tiles[department_id] = tile
        for tile in old.values():
            tile.hide()
            tile.deleteLater()
        self._hovered &= set(self._tiles)
        self._grid_host.set_tiles(list(self._tiles.values()))
        self._update_title()

    def set_load(self, department_id: int, open: int, overdue: int, awaiting: int,
                 awaiting_sign: int = 0) -> None:
        """Open cases led by the department, of them overdue, whistle calls awaiting its arrival (and awaiting
        its signature, shown in the tooltip). Unknown departments are ignored."""
        tile = self._tiles.get(department_id)
        if tile is not None:
            tile.set_load(TileLoad(open, overdue, awaiting, awaiting_sign))
            self._update_title()

    def set_drag_active(self, active: bool) -> None:
        """The drag source says a case drag started (True) or ended (False): tiles show the full load meanwhile."""
        self._external_drag = active
        self._apply_drag_active(active or bool(self._hovered))

    def show_notice(self, text: str, level: str = "info") -> None:
        """A message above the tiles (e.g. why a drop was refused); hides itself after a while."""
        colors = {"info": ("#e8f1fb", "#1f4e8c"), "warning": ("#fff4e0", "#8a4b00"), "error": ("#fdecea", "#9b1c1c")}
        background, foreground = colors.get(level, colors["info"])
        self._notice.setStyleSheet(f"background: {background}; color: {foreground}; font-size: 14px;"
                                   "padding: 6px 8px; border-radius: 4px;")
        self._notice.setText(text)
        self._notice.show()
        self._notice_timer.start(NOTICE_MS)

    # -- reading ------------------------------------------------------------------------------------
    def tile(self, department_id: int) -> DepartmentTile | None:
        return self._tiles.get(department_id)

    def tiles(self) -> list[DepartmentTile]:
        return list(self._tiles.values())

    def notice_text(self) -> str:
        """The notice shown now ("" when none)."""
        return "" if self._notice.isHidden() else self._notice.text()

    @property
    def drag_active(self) -> bool:
        return self._drag_active

    def columns(self) -> int:
        return self._grid_host.columns_for(self._grid_host.width())

    # -- inside -------------------------------------------------------------------------------------
    def _apply_drag_active(self, active: bool) -> None:
        if active == self._drag_active:
            return
        self._drag_active = active
        for tile in self._tiles.values():
            tile.set_drag_active(active)
        self.drag_active_changed.emit(active)

    def _on_hover(self, department_id: int, hovered: bool) -> None:
        if hovered:
            self._hovered.add(department_id)
            self._auto_off.stop()
            self._apply_drag_active(True)
        else:
            self._hovered.discard(department_id)
            if not self._hovered and not self._external_drag:
                self._auto_off.start()

    def _maybe_end_auto_drag(self) -> None:
        if not self._hovered and not self._external_drag:
            self._apply_drag_active(False)

    def _update_title(self) -> None:
        total = sum(t.load.open for t in self._tiles.values())
        overdue = sum(t.load.overdue for t in self._tiles.values())
        text = self.tr("职能部门（%1）· 在办 %2").replace("%1", str(len(self._tiles))).replace("%2", str(total))
        if overdue:
            text += self.tr(" · 超期 %1").replace("%1", str(overdue))
        self._title.setText(text)
