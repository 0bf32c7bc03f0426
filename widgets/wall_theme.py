"""The leaders' big-screen wall: one dark theme, one scale, and the font and number helpers its widgets share.

The wall is read from across a room on a 1920×1080, 3840×2160 or 7680×2160 (splicing) screen. Every wall widget
draws in `WALL_THEME`'s colours and sizes its fonts, lines and paddings as `base px × scale`, where the scale comes
from `wall_scale(width, height)` of the window's (logical) size: 1.0 at 1920×1080.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import cast

from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QWidget

BASE_WIDTH = 1920
BASE_HEIGHT = 1080
MIN_SCALE = 0.5
MAX_SCALE = 4.0
BASE_FONT_PX = 18
"""The window's base font at scale 1.0: nothing on the wall is smaller than 16 px × scale."""


@dataclass(frozen=True)
class WallTheme:
    """Colours as hex strings. `tone(name)` maps the tones widgets take ("normal", "good", "warn", "bad")."""

    background: str = "#07111f"
    panel: str = "#0b1a2e"
    panel_border: str = "#1d3a5f"
    tile: str = "#0f2340"
    """Background of a stat tile, a shade lighter than a panel so a tile reads as a button."""
    grid: str = "#173150"
    text: str = "#eaf2ff"
    text_dim: str = "#9db3cf"
    """Secondary text: still about 7:1 against the panel, readable from afar."""
    muted: str = "#6f86a6"
    """Comparison series (yesterday): visibly dimmer than the main series, still clear of the background."""
    accent: str = "#22d3ee"
    good: str = "#34d399"
    warn: str = "#fbbf24"
    bad: str = "#f87171"
    stale: str = "#fbbf24"
    hover: str = "#38bdf8"
    series: tuple[str, ...] = field(default=(
        "#22d3ee", "#34d399", "#fbbf24", "#a78bfa", "#f472b6", "#60a5fa", "#fb923c", "#4ade80"))

    def tone(self, name: str) -> str:
        """The colour of a tone; "normal" (and anything unknown) is the plain text colour."""
        return {"good": self.good, "warn": self.warn, "bad": self.bad, "accent": self.accent}.get(name, self.text)


WALL_THEME = WallTheme()
"""The theme every wall widget paints with."""

TONES = ("normal", "good", "warn", "bad")


def wall_scale(width: int, height: int) -> float:
    """Scale of a wall of this (logical) size against 1920×1080: the smaller of the two ratios, so a 7680×2160
    splicing wall scales by its height (2.0), clamped to [0.5, 4]."""
    if width <= 0 or height <= 0:
        return 1.0
    ratio = min(width / BASE_WIDTH, height / BASE_HEIGHT)
    return max(MIN_SCALE, min(MAX_SCALE, ratio))


def px(base: float, scale: float) -> int:
    """A length in device-independent pixels at this scale (at least 1)."""
    return max(1, round(base * scale))


def wall_font(widget: QWidget, base_px: float, scale: float, bold: bool = False) -> QFont:
    """The widget's font family at `base_px × scale` pixels (pixel sizes, so the same on every screen's dpi)."""
    font = QFont(widget.font())
    font.setPixelSize(px(base_px, scale))
    font.setBold(bold)
    return font


def apply_wall_theme(widget: QWidget, theme: WallTheme, scale: float) -> None:
    """Dresses a wall window: dark palette, base font `18 px × scale`, and a style sheet for the few stock widgets a
    wall may hold (labels, tooltips). The style sheet sets no font, so fonts set on children stay theirs."""
    palette = widget.palette()
    roles = {
        QPalette.ColorRole.Window: theme.background,
        QPalette.ColorRole.WindowText: theme.text,
        QPalette.ColorRole.Base: theme.panel,
        QPalette.ColorRole.AlternateBase: theme.tile,
        QPalette.ColorRole.Text: theme.text,
        QPalette.ColorRole.Button: theme.tile,
        QPalette.ColorRole.ButtonText: theme.text,
        QPalette.ColorRole.Highlight: theme.accent,
        QPalette.ColorRole.HighlightedText: theme.background,
        QPalette.ColorRole.ToolTipBase: theme.panel,
        QPalette.ColorRole.ToolTipText: theme.text,
        QPalette.ColorRole.PlaceholderText: theme.text_dim,
    }
    for role, color in roles.items():
        palette.setColor(role, QColor(color))
    widget.setPalette(palette)
    widget.setAutoFillBackground(True)
    font = QFont(widget.font())
    font.setPixelSize(px(BASE_FONT_PX, scale))
    widget.setFont(font)
    widget.setStyleSheet(
        f"QLabel {{ color: {theme.text}; background: transparent; }}"
        f"QToolTip {{ color: {theme.text}; background: {theme.panel}; border: {px(2, scale)}px solid "
        f"{theme.panel_border}; padding: {px(6, scale)}px; font-size: {px(BASE_FONT_PX, scale)}px; }}"
    )


class ScaledFonts:
    """Mixin (before QWidget in the bases) for a wall widget whose fonts follow the wall's scale: the widget keeps
    `_scale` and makes its fonts in `_make_fonts()`; `set_scale` remakes them, relays out and repaints — only when the
    scale changed."""

    _scale: float

    def _make_fonts(self) -> None:
        raise NotImplementedError

    def set_scale(self, scale: float) -> None:
        if scale != self._scale:
            self._scale = scale
            self._make_fonts()
            widget = cast(QWidget, self)
            widget.updateGeometry()
            widget.update()
