"""One tile of the video wall: the newest frame of a camera, its name, a health badge, and the truth about its stream.

Frames are pulled, not pushed: the grid's timer calls `refresh()`, which asks the tile's `FrameGetter` for the newest
(seq, array) and repaints only when the seq changed. The array is wrapped in a QImage without copying; the producer
never mutates an array once published (it publishes a new one), and the tile keeps a reference while it shows it.
A 4-byte B-G-R-255 array (Qt's RGB32) is painted as it is; a BGR one makes Qt convert it at every paint, on the GUI
thread and in its pooled threads — four times the cost (docs/BENCHMARKS.md), so the capture delivers the former.
The name strip is cached as a pixmap (video_tile_paint.py); only the letterbox bars are filled, not the whole tile.

Scaling: smooth (bilinear) only when the picture is drawn at least `SMOOTH_MIN_WIDTH` wide — one or two tiles carry
the main stream there and detail matters; small tiles show a sub stream close to its native size, where the fast
(nearest) transform looks the same and costs a fraction of the time, times 16 or 25 tiles at 25 fps.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy
from PySide6.QtCore import QMimeData, QRect, Qt, Signal
from PySide6.QtGui import (
    QDragEnterEvent,
    QDragLeaveEvent,
    QDropEvent,
    QFont,
    QImage,
    QMouseEvent,
    QPainter,
    QPaintEvent,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from widgets.camera_mime import camera_from_mime
from widgets.video_tile_paint import (
    PAD,
    StripCache,
    StripSpec,
    letterbox,
    paint_frame_border,
    paint_overlay,
    shown_name,
)
from widgets.wall_text import fit_font
from widgets.wall_theme import WALL_THEME, ScaledFonts, px, wall_font

FrameGetter = Callable[[], tuple[int, numpy.ndarray] | None]
"""Returns (seq, uint8 array H×W×4 B-G-R-255 or H×W×3 BGR) — the newest frame — or None when there is none yet."""
FORMATS = {4: QImage.Format.Format_RGB32, 3: QImage.Format.Format_BGR888}

STATES = ("idle", "connecting", "live", "frozen", "lost")
SMOOTH_MIN_WIDTH = 960
NAME_PX = 18
BADGE_PX = 16
OVERLAY_PX = 30
AGE_PX = 20
ALARM_BORDER = 5
FPS_HYSTERESIS = 0.75
ASPECT_SNAP = 0.01


@dataclass(frozen=True)
class TileHealth:
    state: str = "idle"
    """"idle" | "connecting" | "live" | "frozen" | "lost"."""
    fps: float = 0.0
    frame_age_s: float = 0.0
    """Seconds since the last frame arrived."""
    drops: int = 0
    detail: str = ""


def _valid_frame(array: object) -> tuple[numpy.ndarray, QImage.Format] | None:
    """The array and its QImage format if it is a paintable frame — uint8 H×W×4 (B, G, R, 255: Format_RGB32, painted
    without conversion) or H×W×3 (BGR888, which Qt converts at each paint) — copied if it is not C-contiguous (a
    cropped view: PySide wraps only contiguous buffers); else None."""
    if not isinstance(array, numpy.ndarray) or array.dtype != numpy.uint8 or array.ndim != 3:
        return None
    channels = array.shape[2]
    if channels not in FORMATS or array.shape[0] == 0 or array.shape[1] == 0:
        return None
    if not array.flags.c_contiguous:
        array = numpy.ascontiguousarray(array)  # rare (a cropped or transposed view): one copy
    return array, FORMATS[channels]


def steady_fps(measured: float, shown: int | None) -> int:
    """The whole fps to show: a 25 fps stream measures 24.4–25.6 over its 2 s window, and a badge flipping between 24
    and 25 both distracts and redraws the cached name strip twice a second per tile. The shown value moves only when
    the measured one is FPS_HYSTERESIS away from it."""
    if shown is None or abs(measured - shown) >= FPS_HYSTERESIS:
        return round(measured)
    return shown


def fit_rect(frame_w: int, frame_h: int, area: QRect) -> QRect:
    """The largest rect of the frame's aspect ratio centred in `area` (the rest is letterbox). Within ASPECT_SNAP
    of the area's own ratio the whole area is used: a 1-pixel bar is invisible, and filling it cost a paint call
    per frame."""
    if frame_w <= 0 or frame_h <= 0 or area.width() <= 0 or area.height() <= 0:
        return QRect()
    scale = min(area.width() / frame_w, area.height() / frame_h)
    w, h = max(1, round(frame_w * scale)), max(1, round(frame_h * scale))
    if w >= area.width() * (1 - ASPECT_SNAP) and h >= area.height() * (1 - ASPECT_SNAP):
        return QRect(area)
    return QRect(area.left() + (area.width() - w) // 2, area.top() + (area.height() - h) // 2, w, h)


class VideoTile(ScaledFonts, QWidget):
    camera_dropped = Signal(int)
    """A camera id dropped onto this tile (MIME from camera_mime.py)."""
    double_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.camera_id: int | None = None
        self._name = ""
        self._getter: FrameGetter | None = None
        self._seq: int | None = None
        self._array: numpy.ndarray | None = None
        self._image: QImage | None = None
        self._painted_seq: int | None = None
        self.painted_frames = 0
        self._health = TileHealth()
        self._shown_fps = 0
        """The fps the badge shows: it follows the measured rate with hysteresis (see steady_fps)."""
        self._alarm = False
        self._drag_over = False
        self._scale = 1.0
        self._strip = StripCache()
        self.setAcceptDrops(True)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._make_fonts()

    # -- data -------------------------------------------------------------------------------------------------
    def set_camera(self, camera_id: int | None, name: str) -> None:
        """Shows another camera (None: an empty tile); the old frame and health go."""
        if (camera_id, name) == (self.camera_id, self._name):
            return
        self.camera_id, self._name = camera_id, name if camera_id is not None else ""
        self._seq = self._array = self._image = None
        self._health = TileHealth()
        self.setAccessibleName(self._name)
        self.update()

    def name(self) -> str:
        return self._name

    def set_frame_getter(self, getter: FrameGetter | None) -> None:
        """A new getter (say, the sub stream instead of the main one) takes over at its next frame; the last frame
        stays until then, so a stream switch does not flash black. None clears the picture."""
        self._getter, self._seq = getter, None
        if getter is None:
            self._seq = self._array = self._image = None
            self.update()

    def refresh(self) -> bool:
        """Pulls the newest frame; asks for a repaint only if its seq changed. True if it did."""
        if self._getter is None:
            return False
        got = self._getter()
        if got is None or got[0] == self._seq:
            return False
        valid = _valid_frame(got[1])
        if valid is None:
            return False
        array, image_format = valid
        height, width = array.shape[:2]
        self._seq, self._array = got[0], array
        self._image = QImage(array.data, width, height, array.strides[0], image_format)
        self.update()
        return True

    def frame_seq(self) -> int | None:
        return self._seq

    def set_health(self, health: TileHealth) -> None:
        if health.state not in STATES:
            raise ValueError(f"unknown state {health.state!r}; known: {', '.join(STATES)}")
        old = (self._health.state, self.badge_text(), self.overlay_text())
        self._health = health
        self._shown_fps = steady_fps(health.fps, self._shown_fps if old[0] == "live" else None)
        if (health.state, self.badge_text(), self.overlay_text()) != old:
            self.update()

    def health(self) -> TileHealth:
        return self._health

    def set_alarm(self, on: bool) -> None:
        """A red frame around the tile (alarm linkage)."""
        if on != self._alarm:
            self._alarm = on
            self.update()

    def alarm(self) -> bool:
        return self._alarm

    # -- texts ------------------------------------------------------------------------------------------------
    def badge_text(self) -> str:
        """The health badge (top right): "25 fps" / 连接中 / 画面冻结 / 信号中断; "" for an idle or empty tile."""
        if self.camera_id is None:
            return ""
        state = self._health.state
        if state == "live":
            return f"{self._shown_fps} fps"
        texts = {"connecting": self.tr("连接中"), "frozen": self.tr("画面冻结"), "lost": self.tr("信号中断")}
        return texts.get(state, "")

    def overlay_text(self) -> str:
        """The centred overlay: 拖入摄像头 on an empty tile; 信号中断 and the time since the last frame when lost."""
        if self.camera_id is None:
            return self.tr("拖入摄像头")
        if self._health.state != "lost":
            return ""
        age = int(self._health.frame_age_s)
        if age <= 0:
            return self.tr("信号中断")
        ago = self.tr("{n} 秒前").format(n=age) if age < 120 else self.tr("{n} 分钟前").format(n=age // 60)
        return f"{self.tr('信号中断')}\n{ago}"

    def shown_name(self) -> str:
        """The camera name as painted at the current width (ends in "…" when too long)."""
        return shown_name(self._strip_spec())

    def picture_rect(self) -> QRect:
        """Where the current frame is drawn (empty without a frame)."""
        if self._array is None:
            return QRect()
        return fit_rect(self._array.shape[1], self._array.shape[0], self.rect())

    # -- drops and clicks -------------------------------------------------------------------------------------
    def accept_mime(self, mime: QMimeData | None) -> bool:
        """Handles a dropped payload: emits camera_dropped for a camera; False for anything else."""
        camera_id = camera_from_mime(mime)
        if camera_id is None:
            return False
        self.camera_dropped.emit(camera_id)
        return True

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if camera_from_mime(event.mimeData()) is None:
            event.ignore()
            return
        event.acceptProposedAction()
        self._drag_over = True
        self.update()

    def dragLeaveEvent(self, event: QDragLeaveEvent) -> None:
        self._drag_over = False
        self.update()

    def dropEvent(self, event: QDropEvent) -> None:
        self._drag_over = False
        self.update()
        if self.accept_mime(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.double_clicked.emit()
        super().mouseDoubleClickEvent(event)

    # -- painting ---------------------------------------------------------------------------------------------
    def _make_fonts(self) -> None:
        self._name_font = wall_font(self, NAME_PX, self._scale)
        self._badge_font = wall_font(self, BADGE_PX, self._scale, bold=True)
        self._overlay_font = wall_font(self, OVERLAY_PX, self._scale, bold=True)
        self._age_font = wall_font(self, AGE_PX, self._scale)

    def _strip_spec(self) -> StripSpec:
        color = {"live": WALL_THEME.good, "connecting": WALL_THEME.accent, "frozen": WALL_THEME.warn}.get(
            self._health.state, WALL_THEME.bad)
        return StripSpec(self.width(), self._name, self.badge_text(), color, self._name_font, self._badge_font,
                         self._scale)

    def strip_renders(self) -> int:
        """How many times the name strip was drawn afresh (not per frame: it is cached)."""
        return self._strip.renders

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        picture = self.picture_rect()
        for bar in letterbox(self.rect(), picture):
            painter.fillRect(bar, Qt.GlobalColor.black)
        self._paint_picture(painter, picture)
        text = self.overlay_text()
        if text:
            paint_overlay(painter, self.rect(), text, self.overlay_fonts(), self.camera_id is not None, self._scale)
        if self.camera_id is not None:
            painter.drawPixmap(0, 0, self._strip.pixmap(self._strip_spec(), self.devicePixelRatioF()))
        self._paint_border(painter)
        painter.end()

    def _paint_picture(self, painter: QPainter, target: QRect) -> None:
        if self._image is None:
            return
        if target.width() >= SMOOTH_MIN_WIDTH and target.size() != self._image.size():
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.drawImage(target, self._image)
        if self._seq != self._painted_seq:
            self._painted_seq = self._seq
            self.painted_frames += 1

    def overlay_fonts(self) -> tuple[QFont, QFont]:
        """The overlay's two fonts, grown with the tile (a maximised lost tile reads from across the room) and shrunk
        to fit its width."""
        base = px(OVERLAY_PX, self._scale)
        size = max(base, min(int(self.height() / 9), 2 * base))
        big = QFont(self._overlay_font)
        big.setPixelSize(size)
        small = QFont(self._age_font)
        small.setPixelSize(max(px(AGE_PX, self._scale), int(size * 0.65)))
        width = self.width() - 4 * px(PAD, self._scale)
        return fit_font(self.tr("信号中断"), big, width, px(14, self._scale)), small

    def _paint_border(self, painter: QPainter) -> None:
        """The red alarm frame or the drop-target frame; the plain outline is the grid's (drawn in the gaps when the
        grid paints, not at every frame: four fills per tile per frame were a sixth of the GUI thread's time)."""
        if self._alarm:
            paint_frame_border(painter, self.rect(), WALL_THEME.bad, px(ALARM_BORDER, self._scale))
        elif self._drag_over:
            paint_frame_border(painter, self.rect(), WALL_THEME.hover, px(3, self._scale))
