"""Which window goes on which screen, and how (config/desktop.toml), decided once at start-up.

The decision is a plain function of the config and the screens present, so it is tested without a display; `place`
applies it to a real window."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QWidget

from config.desktop import DesktopConfig, WindowConfig


@dataclass(frozen=True)
class Placement:
    name: str
    screen: int
    mode: str
    slot: int = 0
    """Position among the windows sharing this screen (0 when alone)."""
    shared_by: int = 1
    span: tuple[int, ...] = ()
    """Screens one window covers together (a splicing wall shown as several monitors); empty: just `screen`."""
    copy: int = 0
    """Which of a kind's windows this is, with spread = "each" (the wall starts copy i at playlist page i)."""


def _wanted_screens(window: WindowConfig, screen_count: int) -> list[int]:
    present = [s for s in (window.screens or [window.screen]) if s < max(1, screen_count)]
    return present or [0]


def _expand(name: str, window: WindowConfig, screen_count: int) -> list[tuple[str, int, tuple[int, ...], int]]:
    """(name, screen, span, copy) for each window of one kind."""
    screens = _wanted_screens(window, screen_count)
    if window.screens and window.spread == "each":
        return [(name, screen, (), i) for i, screen in enumerate(screens)]
    return [(name, screens[0], tuple(screens) if len(screens) > 1 else (), 0)]


def plan_placements(config: DesktopConfig, names: list[str], screen_count: int) -> list[Placement]:
    """Each wanted window's screen (missing screens fall back to 0) and mode; windows that share a screen open as
    normal windows side by side, so none hides another (a kiosk window would cover the console)."""
    wanted = [item for name in names if config.window(name).enabled
              for item in _expand(name, config.window(name), screen_count)]
    sharing = Counter(screen for _, screen, span, _ in wanted for screen in (span or (screen,)))
    seen: Counter[int] = Counter()
    out = []
    for name, screen, span, copy in wanted:
        shared = max(sharing[s] for s in (span or (screen,)))
        mode = config.window(name).mode if shared == 1 else "normal"
        out.append(Placement(name, screen, mode, seen[screen], sharing[screen], span if shared == 1 else (), copy))
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
    if placement.span:
        _span(window, [screens[i] for i in placement.span if i < len(screens)])
        return
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


def span_rect(rects: list[QRect]) -> QRect:
    """The smallest rectangle covering all the screens (they tile the wall)."""
    out = QRect(rects[0])
    for rect in rects[1:]:
        out = out.united(rect)
    return out


def _span(window: QWidget, screens: list[QScreen]) -> None:
    """One frameless window across several screens: full-screen mode would keep it to one of them."""
    window.setWindowFlags(window.windowFlags() | Qt.WindowType.FramelessWindowHint | Qt.WindowType.WindowStaysOnTopHint)
    window.setGeometry(span_rect([s.geometry() for s in screens]))
    window.show()
