"""Which window goes on which screen, and how (config/desktop.toml), decided once at start-up.

The decision is a plain function of the config and the screens present, so it is tested without a display; `place`
applies it to a real window."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QWidget

from config.desktop import DesktopConfig


@dataclass(frozen=True)
class Placement:
    name: str
    screen: int
    mode: str
    slot: int = 0
    """Position among the windows sharing this screen (0 when alone)."""
    shared_by: int = 1


def plan_placements(config: DesktopConfig, names: list[str], screen_count: int) -> list[Placement]:
    """Each wanted window's screen (missing screens fall back to 0) and mode; windows that share a screen open as
    normal windows side by side, so none hides another (a kiosk window would cover the console)."""
    wanted = [(name, config.window(name)) for name in names if config.window(name).enabled]
    screens = {name: (w.screen if w.screen < max(1, screen_count) else 0) for name, w in wanted}
    sharing = Counter(screens.values())
    seen: Counter[int] = Counter()
    out = []
    for name, window in wanted:
        screen = screens[name]
        shared = sharing[screen]
        mode = window.mode if shared == 1 else "normal"
        out.append(Placement(name, screen, mode, seen[screen], shared))
        seen[screen] += 1
    return out


def slot_rect(area: QRect, slot: int, shared_by: int) -> QRect:
    """Side-by-side columns of the screen's available area."""
    width = area.width() // max(1, shared_by)
    return QRect(area.x() + slot * width, area.y(), width, area.height())


def place(window: QWidget, placement: Placement) -> None:
    """Moves the window to its screen and shows it in its mode."""
    screens: list[QScreen] = QGuiApplication.screens()
    screen = screens[placement.screen] if placement.screen < len(screens) else QGuiApplication.primaryScreen()
    area = screen.availableGeometry()
    if placement.shared_by > 1:
        window.setGeometry(slot_rect(area, placement.slot, placement.shared_by))
    else:
        window.setGeometry(area)
    if window.windowHandle() is not None:
        window.windowHandle().setScreen(screen)
    if placement.mode == "kiosk":
        window.setWindowFlags(window.windowFlags() | Qt.WindowType.FramelessWindowHint
                              | Qt.WindowType.WindowStaysOnTopHint)
        window.showFullScreen()
    elif placement.mode == "fullscreen":
        window.showFullScreen()
    elif placement.mode == "maximized":
        window.showMaximized()
    else:
        window.show()
