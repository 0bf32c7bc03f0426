"""The desktop's settings (config/desktop.toml): which server, which language, and which window goes on which screen.

Same rules as the server's rules file: typed, validated, unknown keys are errors naming the file and the key."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from config.schema import ConfigError, load_toml

DEFAULT_DESKTOP_FILE = Path(__file__).resolve().parent / "desktop.toml"
WINDOW_NAMES = ("console", "wall", "video", "mediation")
MODES = ("normal", "maximized", "fullscreen", "kiosk")
SPREADS = ("span", "each")
WALL_PAGES = ("situation", "assessment")
"""The wall's pages: 态势 (map, counters, today's charts) and 考核 (rankings, trends, arrival rates)."""
LANGUAGES = ("zh_CN", "en")


@dataclass(frozen=True)
class WindowConfig:
    screen: int = 0
    """Index into the screens present (0 = the first); a screen that is not there falls back to the primary."""
    mode: str = "maximized"
    """normal | maximized | fullscreen | kiosk (full screen, no frame, stays on top)."""
    enabled: bool = True
    screens: list[int] = field(default_factory=list)
    """Several screens for one kind of window (a splicing wall shown as separate monitors); empty: `screen`."""
    spread: str = "span"
    """With `screens`: span = one window covering all of them; each = one window per screen."""


@dataclass(frozen=True)
class WallConfig:
    """The leaders' wall (领导大屏)."""

    playlist: list[str] = field(default_factory=lambda: ["situation", "assessment"])
    """Pages shown in turn; with `spread = "each"` screen i starts at page i."""
    rotate_seconds: int = 60
    """Seconds per page; 0 = no rotation."""
    tile_url: str = ""
    """The site's own map tile server ("http://10.1.2.3/tiles/{z}/{x}/{y}.png"); empty: vector outlines only."""
    outline_file: str = ""
    """The county outline GeoJSON; empty: the shipped resources/geo/nanchang_county_360121.geojson."""
    stats_min_interval_seconds: float = 2.0
    """Counters and charts are re-read at most this often while events arrive (coalescing)."""


@dataclass(frozen=True)
class TourConfig:
    """A configured tour (轮巡): its name, its cameras (ids) and seconds per step."""

    name: str = ""
    cameras: list[int] = field(default_factory=list)
    interval_seconds: int = 20


@dataclass(frozen=True)
class VideoConfig:
    """Video capture (services/video): decoder cap, stream health thresholds, reconnect backoff, demo clips."""

    max_decoders: int = 16
    """Streams decoded at once; a layout asking for more gets a clear refusal (DecoderCapError)."""
    frozen_after_s: float = 3.0
    """An open stream with no new frame for this long is reported frozen."""
    lost_after_s: float = 10.0
    """No frame for this long (or a failed open/read): lost, released and reconnected with backoff."""
    reconnect_initial_s: float = 0.5
    reconnect_max_s: float = 30.0
    clips_dir: str = ""
    """Where the demo cameras' generated clips go; empty: the per-user cache directory."""
    tours: list[TourConfig] = field(default_factory=list)
    """Configured tours; every township also gets a tour of its cameras."""
    tour_interval_seconds: int = 20
    """Seconds per step of the townships' tours."""


@dataclass(frozen=True)
class ClientConfig:
    server: str = "ws://127.0.0.1:8765"
    language: str = "zh_CN"
    sound: bool = True


@dataclass(frozen=True)
class DesktopConfig:
    client: ClientConfig = field(default_factory=ClientConfig)
    windows: dict[str, WindowConfig] = field(default_factory=dict)
    wall: WallConfig = field(default_factory=WallConfig)
    video: VideoConfig = field(default_factory=VideoConfig)

    def window(self, name: str) -> WindowConfig:
        return self.windows.get(name, WindowConfig())


def validate_desktop(config: DesktopConfig, where: str) -> DesktopConfig:
    unknown = sorted(set(config.windows) - set(WINDOW_NAMES))
    if unknown:
        raise ConfigError(f"{where}: unknown window(s) {', '.join(unknown)}; allowed: {', '.join(WINDOW_NAMES)}")
    for name, window in config.windows.items():
        if window.mode not in MODES:
            raise ConfigError(f"{where}: windows.{name}.mode must be one of {', '.join(MODES)}, got {window.mode!r}")
        for screen in (window.screen, *window.screens):
            if not 0 <= screen <= 15:
                raise ConfigError(f"{where}: windows.{name}.screen(s) must be 0..15, got {screen}")
        if window.spread not in SPREADS:
            raise ConfigError(f"{where}: windows.{name}.spread must be one of {', '.join(SPREADS)}")
    validate_wall(config.wall, where)
    validate_video(config.video, where)
    if config.client.language not in LANGUAGES:
        raise ConfigError(f"{where}: client.language must be one of {', '.join(LANGUAGES)}")
    if not config.client.server.startswith(("ws://", "wss://")):
        raise ConfigError(f"{where}: client.server must be a ws:// or wss:// address, got {config.client.server!r}")
    return config


def validate_wall(wall: WallConfig, where: str) -> None:
    if not wall.playlist or any(page not in WALL_PAGES for page in wall.playlist):
        raise ConfigError(f"{where}: wall.playlist must list pages among {', '.join(WALL_PAGES)}, got {wall.playlist}")
    if not (wall.rotate_seconds == 0 or 5 <= wall.rotate_seconds <= 3600):
        raise ConfigError(f"{where}: wall.rotate_seconds must be 0 (no rotation) or 5..3600, got {wall.rotate_seconds}")
    if wall.tile_url and not (wall.tile_url.startswith(("http://", "https://")) and "{z}" in wall.tile_url):
        raise ConfigError(f"{where}: wall.tile_url must be an http(s) URL with {{z}}/{{x}}/{{y}}: {wall.tile_url!r}")
    if not 0.2 <= wall.stats_min_interval_seconds <= 60:
        raise ConfigError(f"{where}: wall.stats_min_interval_seconds must be 0.2..60")


def validate_video(video: VideoConfig, where: str) -> None:
    if not 1 <= video.max_decoders <= 256:
        raise ConfigError(f"{where}: video.max_decoders must be 1..256, got {video.max_decoders}")
    if not 0.1 <= video.frozen_after_s <= 600:
        raise ConfigError(f"{where}: video.frozen_after_s must be 0.1..600, got {video.frozen_after_s}")
    if not video.frozen_after_s < video.lost_after_s <= 3600:
        raise ConfigError(f"{where}: video.lost_after_s must be > frozen_after_s and <= 3600, got {video.lost_after_s}")
    if not 0.01 <= video.reconnect_initial_s <= video.reconnect_max_s <= 3600:
        raise ConfigError(f"{where}: video.reconnect_initial_s and reconnect_max_s must satisfy "
                          f"0.01 <= initial <= max <= 3600, got {video.reconnect_initial_s}, {video.reconnect_max_s}")
    for i, tour in enumerate(video.tours):
        if not tour.name or not tour.cameras:
            raise ConfigError(f"{where}: video.tours[{i}] needs a name and at least one camera id")
        if not 5 <= tour.interval_seconds <= 3600:
            raise ConfigError(f"{where}: video.tours[{i}].interval_seconds must be 5..3600")
    if not 5 <= video.tour_interval_seconds <= 3600:
        raise ConfigError(f"{where}: video.tour_interval_seconds must be 5..3600")


def load_desktop(path: Path | None = None) -> DesktopConfig:
    path = path or DEFAULT_DESKTOP_FILE
    return validate_desktop(load_toml(DesktopConfig, path), str(path))
