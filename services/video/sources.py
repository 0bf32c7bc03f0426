"""A camera's URL, parsed into what the capture thread opens.

    rtsp://…, rtsps://…            live, read as FFmpeg reads it
    http://…, https://…            live (MJPEG, HLS …)
    file:///path, /path, rel/path  a file, looped and played at its own rate
    demo://camera/<id>/<main|sub>  a demo camera: a clip generated locally on first open (services/video/clips.py)
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from services.video.clips import SIZES, ensure_clip

LIVE_SCHEMES = ("rtsp", "rtsps", "http", "https")
DEMO_PATH = re.compile(r"^/(\d+)/(main|sub)$")


class SourceError(ValueError):
    """A URL this application cannot play; the message says why."""


@dataclass(frozen=True)
class Source:
    url: str
    kind: str
    """rtsp | http | file | demo"""
    target: str
    """What cv2 opens: the URL, or a file path."""
    camera_id: int | None = None
    stream: str = ""
    name: str = ""
    clips_dir: Path | None = None

    @property
    def is_file(self) -> bool:
        """Files (and demo clips) loop at EOF and are throttled to their own frame rate."""
        return self.kind in ("file", "demo")

    def prepare(self, should_stop: Callable[[], bool] | None = None) -> str:
        """What to open; for a demo camera this generates its clip first (slow: call it in the capture thread, which
        passes its stop flag so a window closed meanwhile does not wait for the clip)."""
        if self.kind == "demo":
            assert self.clips_dir is not None and self.camera_id is not None
            return str(ensure_clip(self.clips_dir, self.camera_id, self.stream, self.name, should_stop=should_stop))
        return self.target


def parse_source(url: str, clips_dir: Path | None = None, name: str = "") -> Source:
    """`url` as a Source; SourceError for anything unknown. `name` is burnt into a demo camera's clip."""
    url = url.strip()
    if not url:
        raise SourceError("empty video URL / 视频地址为空")
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme in LIVE_SCHEMES:
        if not parts.hostname:
            raise SourceError(f"no host in video URL {url!r} / 视频地址缺少主机")
        return Source(url=url, kind="rtsp" if scheme.startswith("rtsp") else "http", target=url)
    if scheme == "file":
        return Source(url=url, kind="file", target=unquote(parts.path))
    if scheme == "demo":
        return parse_demo(url, parts.netloc, parts.path, clips_dir, name)
    if scheme == "" or (len(scheme) == 1 and url[1:3] in (":\\", ":/")):
        return Source(url=url, kind="file", target=str(Path(url)))
    raise SourceError(f"unsupported video URL scheme {scheme!r} in {url!r} (rtsp, http(s), file, demo)"
                      " / 不支持的视频地址")


def parse_demo(url: str, netloc: str, path: str, clips_dir: Path | None, name: str) -> Source:
    match = DEMO_PATH.match(path)
    if netloc != "camera" or not match:
        streams = "|".join(SIZES)
        raise SourceError(f"bad demo URL {url!r}; expected demo://camera/<id>/<{streams}> / 演示摄像头地址有误")
    if clips_dir is None:
        raise SourceError(f"no clips directory for demo camera {url!r}")
    return Source(url=url, kind="demo", target="", camera_id=int(match[1]), stream=match[2], name=name,
                  clips_dir=clips_dir)
