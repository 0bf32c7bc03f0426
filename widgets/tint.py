"""Colouring single widgets through their palette, not style sheets.

A widget with its own style sheet stops inheriting the font its parent was given (it falls back to the application
font: 12 px here instead of the panel's 15 px). Palettes keep the inherited font, so panels colour labels with these.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QWidget


def tint(widget: QWidget, color: str, bold: bool | None = None) -> None:
    """Text colour (and optionally weight) of a label-like widget."""
    palette = widget.palette()
    palette.setColor(QPalette.ColorRole.WindowText, QColor(color))
    palette.setColor(QPalette.ColorRole.Text, QColor(color))
    widget.setPalette(palette)
    if bold is not None:
        font = QFont()  # only the weight is set: size and family still come from the parent
        font.setBold(bold)
        widget.setFont(font)


def badge(widget: QWidget, background: str, foreground: str = "#ffffff") -> None:
    """A filled label: background and text colour."""
    palette = widget.palette()
    palette.setColor(QPalette.ColorRole.Window, QColor(background))
    palette.setColor(QPalette.ColorRole.WindowText, QColor(foreground))
    widget.setPalette(palette)
    widget.setAutoFillBackground(True)
