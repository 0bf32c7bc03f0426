"""The desktop's settings (config/desktop.toml): which server, which language, and which window goes on which screen.

Same rules as the server's rules file: typed, validated, unknown keys are errors naming the file and the key."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from config.schema import ConfigError, load_toml

DEFAULT_DESKTOP_FILE = Path(__file__).resolve().parent / "desktop.toml"
WINDOW_NAMES = ("console", "wall", "video", "mediation")
MODES = ("normal", "maximized", "fullscreen", "kiosk")
LANGUAGES = ("zh_CN", "en")


@dataclass(frozen=True)
class WindowConfig:
    screen: int = 0
    """Index into the screens present (0 = the first); a screen that is not there falls back to the primary."""
    mode: str = "maximized"
    """normal | maximized | fullscreen | kiosk (full screen, no frame, stays on top)."""
    enabled: bool = True


@dataclass(frozen=True)
class ClientConfig:
    server: str = "ws://127.0.0.1:8765"
    language: str = "zh_CN"
    sound: bool = True


@dataclass(frozen=True)
class DesktopConfig:
    client: ClientConfig = field(default_factory=ClientConfig)
    windows: dict[str, WindowConfig] = field(default_factory=dict)

    def window(self, name: str) -> WindowConfig:
        return self.windows.get(name, WindowConfig())


def validate_desktop(config: DesktopConfig, where: str) -> DesktopConfig:
    unknown = sorted(set(config.windows) - set(WINDOW_NAMES))
    if unknown:
        raise ConfigError(f"{where}: unknown window(s) {', '.join(unknown)}; allowed: {', '.join(WINDOW_NAMES)}")
    for name, window in config.windows.items():
        if window.mode not in MODES:
            raise ConfigError(f"{where}: windows.{name}.mode must be one of {', '.join(MODES)}, got {window.mode!r}")
        if not 0 <= window.screen <= 15:
            raise ConfigError(f"{where}: windows.{name}.screen must be 0..15, got {window.screen}")
    if config.client.language not in LANGUAGES:
        raise ConfigError(f"{where}: client.language must be one of {', '.join(LANGUAGES)}")
    if not config.client.server.startswith(("ws://", "wss://")):
        raise ConfigError(f"{where}: client.server must be a ws:// or wss:// address, got {config.client.server!r}")
    return config


def load_desktop(path: Path | None = None) -> DesktopConfig:
    path = path or DEFAULT_DESKTOP_FILE
    return validate_desktop(load_toml(DesktopConfig, path), str(path))
