"""Video capture for the video wall and the consoles (Qt-free): one thread per stream keeping only its newest
frame, stream health, sources (RTSP, HTTP, files, demo cameras) and the decoder pool with its cap."""

from services.video.capture import Frame, StreamCapture
from services.video.health import StreamHealth
from services.video.pool import DecoderCapError, DecoderPool
from services.video.sources import Source, SourceError, parse_source

__all__ = ["DecoderCapError", "DecoderPool", "Frame", "Source", "SourceError", "StreamCapture", "StreamHealth",
           "parse_source"]
