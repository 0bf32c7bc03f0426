"""The desktop process: the windows that exist, each on its screen (config/desktop.toml), until the user quits."""

from __future__ import annotations

import signal
import sys
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEvent, QTimer
from PySide6.QtWidgets import QMainWindow

from app.bootstrap import make_application
from app.context import CONSOLE_PARTS, WindowContext
from app.models.map_points import GeometryFileError
from app.settings import DesktopConfig
from app.windows import Placement, plan_placements
from views.console_window import ConsoleWindow
from views.launch import Credentials, WindowLauncher
from views.video_window import VIDEO_PARTS, VideoWindow
from views.wall_window import WALL_PARTS, WallWindow

WindowFactory = Callable[[WindowContext, DesktopConfig, Placement], QMainWindow]
WINDOW_FACTORIES: dict[str, tuple[WindowFactory, list[str]]] = {
    "console": (lambda context, config, _p: ConsoleWindow(context, sound=config.client.sound), CONSOLE_PARTS),
    "wall": (lambda context, config, placement: WallWindow(context, config.wall, copy=placement.copy,
                                                                        video=config.video), WALL_PARTS),
    "video": (lambda context, config, _p: VideoWindow(context, config.video), VIDEO_PARTS),
}
"""The windows built so far; the mediation room joins as its issue lands."""
CASE_LIST_WINDOWS = frozenset({"console"})
"""Windows whose panels list cases (the others keep no case table: the walls place cases on a map or show none)."""


def available_windows() -> list[str]:
    return list(WINDOW_FACTORIES)


def run_windows(names: list[str], credentials: Credentials, config: DesktopConfig, screen: int | None = None,
                on_quit: Callable[[], None] | None = None, per_window: dict[str, Credentials] | None = None) -> int:
    """Opens the named windows (those that exist) and runs the Qt loop; Ctrl-C quits cleanly. Returns the exit code.
    `per_window`: other credentials for some windows (the demo's wall logs in as a leader, masked)."""
    app = make_application(config)
    wanted = [n for n in names if n in WINDOW_FACTORIES]
    placements = plan_placements(config, wanted, len(app.screens()))
    if screen is not None:
        placements = [Placement(p.name, screen, p.mode) for p in placements]
    launchers = []
    for placement in placements:
        factory, parts = WINDOW_FACTORIES[placement.name]
        launcher = WindowLauncher(placement.name, lambda c, f=factory, p=placement: f(c, config, p), parts,
                                  placement, (per_window or {}).get(placement.name, credentials),
                                  case_list=placement.name in CASE_LIST_WINDOWS)
        try:
            if not launcher.start():
                return 1
        except GeometryFileError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        launchers.append(launcher)
    signal.signal(signal.SIGINT, lambda *_: app.quit())
    wake = QTimer()  # lets Python see Ctrl-C while Qt's loop runs
    wake.timeout.connect(lambda: None)
    wake.start(200)
    app.setQuitOnLastWindowClosed(True)
    code = app.exec()
    for launcher in launchers:
        launcher.close()
    # delete the windows now, while the application lives: a web page left to the interpreter's exit may outlive
    # its profile, and QtWebEngine then crashes the process (exit code -11 after a clean stop)
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    if on_quit is not None:
        on_quit()
    return int(code)
