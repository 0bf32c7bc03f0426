"""What a video tile paints over its picture: the name-and-badge strip (cached) and the centred overlay.

The strip is the same picture frame after frame — a camera name and "25 fps" — so it is drawn once into a translucent
pixmap and only blitted at each of the 25 paints a second; it is redrawn when its width, text, colour or scale
changes. The overlay ("拖入摄像头", "信号中断 / 12 秒前") shows on idle or lost tiles only, so it is painted directly.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from PySide6.QtCore import QRect, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPixmap

from widgets.wall_text import draw_text, elide
from widgets.wall_theme import WALL_THEME, px

PAD = 8
STRIP_ALPHA = 150


@dataclass(frozen=True)
class StripSpec:
    width: int
    name: str
    badge: str
    color: str
    name_font: QFont
    badge_font: QFont
    scale: float

    def key(self) -> tuple[object, ...]:
        """The fonts follow from the scale (the tile makes them from it), so they need not be compared."""
        return (self.width, self.name, self.badge, self.color, self.scale)


def strip_height(name_font: QFont, scale: float) -> int:
    return QFontMetrics(name_font).height() + 2 * px(PAD / 2, scale)


def badge_width(badge: str, badge_font: QFont, scale: float) -> int:
    """The room the badge takes at the strip's right end (its dot, text and padding); 0 without a badge."""
    if not badge:
        return 0
    metrics = QFontMetrics(badge_font)
    return metrics.horizontalAdvance(badge) + metrics.height() // 2 + 3 * px(PAD, scale)


def name_rect(spec: StripSpec) -> QRect:
    pad = px(PAD, spec.scale)
    width = spec.width - 2 * pad - badge_width(spec.badge, spec.badge_font, spec.scale)
    return QRect(pad, 0, max(0, width), strip_height(spec.name_font, spec.scale))


def shown_name(spec: StripSpec) -> str:
    return elide(spec.name, spec.name_font, name_rect(spec).width())


class StripCache:
    """The last strip drawn, kept as a pixmap until its spec changes."""

    def __init__(self) -> None:
        self._key: tuple[object, ...] | None = None
        self._pixmap = QPixmap()
        self.renders = 0
        """How many times the strip was drawn afresh (a test checks that playing video does not redraw it)."""

    def pixmap(self, spec: StripSpec, device_pixel_ratio: float) -> QPixmap:
        key = (*spec.key(), device_pixel_ratio)
        if key != self._key:
            self._pixmap = render_strip(spec, device_pixel_ratio)
            self._key = key
            self.renders += 1
        return self._pixmap


def render_strip(spec: StripSpec, device_pixel_ratio: float) -> QPixmap:
    height = strip_height(spec.name_font, spec.scale)
    pixmap = QPixmap(max(1, round(spec.width * device_pixel_ratio)), max(1, round(height * device_pixel_ratio)))
    pixmap.setDevicePixelRatio(device_pixel_ratio)
    pixmap.fill(QColor(0, 0, 0, STRIP_ALPHA))
    painter = QPainter(pixmap)
    draw_text(painter, name_rect(spec), spec.name, spec.name_font, WALL_THEME.text)
    if spec.badge:
        paint_badge(painter, spec, height)
    painter.end()
    return pixmap


def paint_badge(painter: QPainter, spec: StripSpec, height: int) -> None:
    pad = px(PAD, spec.scale)
    dot = QFontMetrics(spec.badge_font).height() // 2
    right = spec.width - pad
    text_w = QFontMetrics(spec.badge_font).horizontalAdvance(spec.badge)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(spec.color))
    painter.drawEllipse(QRectF(right - text_w - pad // 2 - dot, (height - dot) / 2, dot, dot))
    painter.restore()
    draw_text(painter, QRect(right - text_w, 0, text_w, height), spec.badge, spec.badge_font, spec.color)


def paint_overlay(painter: QPainter, area: QRect, text: str, fonts: tuple[QFont, QFont], lost: bool,
                  scale: float) -> None:
    """Centred text over the tile: dimmed "拖入摄像头" on an empty tile; on a lost stream the picture darkened, and
    "信号中断" in red over a black box with the time since the last frame below it."""
    lines = text.split("\n")
    big, small = fonts
    heights = [QFontMetrics(big).height(), QFontMetrics(small).height()][: len(lines)]
    top = area.top() + (area.height() - sum(heights)) // 2
    if lost:
        painter.fillRect(area, QColor(0, 0, 0, 160))
        widths = [QFontMetrics(f).horizontalAdvance(t) for f, t in zip((big, small), lines, strict=False)]
        pad = px(PAD * 2, scale)
        box = QRect(area.left() + (area.width() - max(widths)) // 2 - pad, top - pad // 2, max(widths) + 2 * pad,
                    sum(heights) + pad)
        painter.fillRect(box.intersected(area), QColor(0, 0, 0, 200))
    centre = Qt.AlignmentFlag.AlignHCenter
    color = WALL_THEME.bad if lost else WALL_THEME.text_dim
    draw_text(painter, QRect(area.left(), top, area.width(), heights[0]), lines[0], big, color, centre)
    if len(lines) > 1:
        draw_text(painter, QRect(area.left(), top + heights[0], area.width(), heights[1]), lines[1], small,
                  WALL_THEME.text, centre)


def letterbox(area: QRect, picture: QRect) -> list[QRect]:
    """The parts of `area` the centred picture does not cover: none, two side bars, or a top and a bottom bar."""
    if picture.isEmpty():
        return [area]
    bars = []
    if picture.left() > area.left():
        bars.append(QRect(area.left(), area.top(), picture.left() - area.left(), area.height()))
    if picture.right() < area.right():
        bars.append(QRect(picture.right() + 1, area.top(), area.right() - picture.right(), area.height()))
    if picture.top() > area.top():
        bars.append(QRect(picture.left(), area.top(), picture.width(), picture.top() - area.top()))
    if picture.bottom() < area.bottom():
        bars.append(QRect(picture.left(), picture.bottom() + 1, picture.width(), area.bottom() - picture.bottom()))
    return bars


@functools.lru_cache(maxsize=64)
def qcolor(name: str) -> QColor:
    """A theme colour parsed once (tiles paint 400 times a second; parsing "#334155" each time showed in profiles)."""
    return QColor(name)


def paint_frame_border(painter: QPainter, area: QRect, color: str, width: int) -> None:
    """A border `width` pixels wide inside `area`, as four filled bars (a pen-drawn rect costs several times more,
    and it is drawn at every frame of every tile)."""
    fill = qcolor(color)
    w, h = min(width, area.width()), min(width, area.height())
    painter.fillRect(QRect(area.left(), area.top(), area.width(), h), fill)
    painter.fillRect(QRect(area.left(), area.bottom() - h + 1, area.width(), h), fill)
    painter.fillRect(QRect(area.left(), area.top() + h, w, area.height() - 2 * h), fill)
    painter.fillRect(QRect(area.right() - w + 1, area.top() + h, w, area.height() - 2 * h), fill)
