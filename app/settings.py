"""The desktop settings as the windows see them (views reach config only through app)."""

from __future__ import annotations

from config.desktop import DesktopConfig, VideoConfig, WallConfig, WindowConfig, load_desktop
from config.schema import ConfigError

__all__ = ["ConfigError", "DesktopConfig", "VideoConfig", "WallConfig", "WindowConfig", "load_desktop"]
