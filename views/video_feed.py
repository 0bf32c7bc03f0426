"""What a tile shows of its stream's health — shared by the video wall and the camera preview."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from app.models.video_streams import StreamHealth
from widgets.video_tile import TileHealth

CONTEXT = "VideoFeed"


def tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


def tile_health(health: StreamHealth | None, wanted: bool) -> TileHealth:
    """A tile's badge from its stream's health; a camera wanted on a tile whose stream could not be opened (decoder
    cap, bad URL) shows as lost."""
    if health is None:
        return TileHealth("lost", detail=tr("无法打开")) if wanted else TileHealth()
    return TileHealth(health.state, health.fps, health.frame_age_s or 0.0, health.drops, health.last_error)
