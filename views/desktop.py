"""The desktop process: the windows that exist, each on its screen (config/desktop.toml), until the user quits."""

from __future__ import annotations

import signal
from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMainWindow

from app.bootstrap import make_application
from app.context import CONSOLE_PARTS, WindowContext
from app.settings import DesktopConfig
from app.windows import Placement, plan_placements
from views.console_window import ConsoleWindow
from views.launch import Credentials, WindowLauncher

WINDOW_FACTORIES: dict[str, tuple[Callable[[WindowContext, bool], QMainWindow], list[str]]] = {
    "console": (lambda context, sound: ConsoleWindow(context, sound=sound), CONSOLE_PARTS),
}
"""The windows built so far; wall, video and mediation join as their issues land."""


def available_windows() -> list[str]:
    return list(WINDOW_FACTORIES)


def run_windows(names: list[str], credentials: Credentials, config: DesktopConfig, screen: int | None = None,
                on_quit: Callable[[], None] | None = None) -> int:
    """Opens the named windows (those that exist) and runs the Qt loop; Ctrl-C quits cleanly. Returns the exit code."""
    app = make_application(config)
    wanted = [n for n in names if n in WINDOW_FACTORIES]
    placements = plan_placements(config, wanted, len(app.screens()))
    if screen is not None:
        placements = [Placement(p.name, screen, p.mode) for p in placements]
    launchers = []
    for placement in placements:
        factory, parts = WINDOW_FACTORIES[placement.name]
        launcher = WindowLauncher(placement.name, lambda c, f=factory: f(c, config.client.sound), parts, placement,
                                  credentials)
        if not launcher.start():
            return 1
        launchers.append(launcher)
    signal.signal(signal.SIGINT, lambda *_: app.quit())
    wake = QTimer()  # lets Python see Ctrl-C while Qt's loop runs
    wake.timeout.connect(lambda: None)
    wake.start(200)
    app.setQuitOnLastWindowClosed(True)
    code = app.exec()
    for launcher in launchers:
        launcher.close()
    if on_quit is not None:
        on_quit()
    return int(code)
