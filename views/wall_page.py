"""What the wall's pages share: their panels show one "as of" time and follow one scale (each panel scales its
own body: widgets/wall_panel.py)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from widgets.wall_panel import WallPanel


class WallPage(QWidget):
    panels: dict[str, WallPanel]

    def set_as_of(self, hhmmss: str | None, stale: bool) -> None:
        for panel in self.panels.values():
            panel.set_as_of(hhmmss, stale)

    def set_scale(self, scale: float) -> None:
        for panel in self.panels.values():
            panel.set_scale(scale)
