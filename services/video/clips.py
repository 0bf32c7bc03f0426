"""Demo cameras' clips: short synthetic videos generated locally on first use (no downloads), one per camera and
stream, distinct per camera (seeded colours and moving shapes), with the camera's name and a running clock burnt in.

cv2.putText has no Chinese glyphs: the name is drawn with Pillow and a CJK font when both are available, else the
camera id is written in ASCII. Clips are written to a temporary file and renamed, so a reader never sees half a clip.
"""

from __future__ import annotations

import os
import random
import tempfile
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np
import platformdirs

CLIP_VERSION = 2
"""Part of the file name: a change to the generator makes new files instead of reusing old ones."""
FPS = 25
SECONDS = 10.0
SIZES = {"main": (1280, 720), "sub": (640, 360)}
FOURCC = "mp4v"
"""MPEG-4 part 2 in .mp4: the wheel's FFmpeg both writes and reads it (H.264 has no encoder in the wheel)."""
CJK_FONTS = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
)


def default_clips_dir() -> Path:
    return Path(platformdirs.user_cache_dir("changnan-command-center", appauthor=False)) / "clips"


def clip_path(clips_dir: Path, camera_id: int, stream: str) -> Path:
    return clips_dir / f"camera-{camera_id:04d}-{stream}-v{CLIP_VERSION}.mp4"


class ClipAborted(RuntimeError):
    """Generating a clip was abandoned because its capture was asked to stop; nothing was left behind."""


def ensure_clip(clips_dir: Path, camera_id: int, stream: str, name: str = "", seconds: float = SECONDS,
                should_stop: Callable[[], bool] | None = None) -> Path:
    """The clip's path, generating it first if it is not there yet (slow: call it off the GUI thread). `should_stop`
    is asked between frames; when it says yes the half-written clip is deleted and ClipAborted raised."""
    if stream not in SIZES:
        raise ValueError(f"unknown stream {stream!r}; expected one of {', '.join(SIZES)}")
    path = clip_path(clips_dir, camera_id, stream)
    if path.exists():
        return path
    clips_dir.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".mp4", dir=clips_dir)
    os.close(fd)
    try:
        write_clip(Path(tmp), camera_id, SIZES[stream], name, seconds, should_stop)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path


def write_clip(path: Path, camera_id: int, size: tuple[int, int], name: str, seconds: float,
               should_stop: Callable[[], bool] | None = None) -> None:
    width, height = size
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*FOURCC), FPS, (width, height))
    if not writer.isOpened():
        raise RuntimeError(f"cannot write a {FOURCC} clip to {path}")
    rng = random.Random(camera_id)
    background = draw_background(rng, width, height)
    label = draw_label(name, camera_id, height)
    shapes = [random_shape(rng, width, height) for _ in range(3)]
    try:
        for index in range(round(seconds * FPS)):
            if should_stop is not None and should_stop():
                raise ClipAborted(f"stopped while writing {path}")
            writer.write(draw_frame(background, label, shapes, index, camera_id))
    finally:
        writer.release()


def draw_background(rng: random.Random, width: int, height: int) -> np.ndarray:
    """A seeded colour gradient with a few 'buildings': distinct per camera."""
    top = np.array([rng.randrange(40, 200) for _ in range(3)], np.float32)
    bottom = np.array([rng.randrange(20, 120) for _ in range(3)], np.float32)
    ramp = np.linspace(0.0, 1.0, height, dtype=np.float32)[:, None, None]
    image = (top * (1 - ramp) + bottom * ramp).astype(np.uint8).repeat(width, axis=1)
    for _ in range(rng.randrange(3, 8)):
        x, w = rng.randrange(0, width), rng.randrange(width // 20, width // 6)
        h = rng.randrange(height // 6, height // 2)
        colour = tuple(rng.randrange(30, 160) for _ in range(3))
        cv2.rectangle(image, (x, height - h), (x + w, height), colour, -1)
    return image


def random_shape(rng: random.Random, width: int, height: int) -> dict[str, float | tuple[int, int, int]]:
    return {
        "x": rng.uniform(0, width), "y": rng.uniform(0, height),
        "vx": rng.uniform(-0.25, 0.25) * width, "vy": rng.uniform(-0.15, 0.15) * height,
        "r": rng.uniform(0.03, 0.08) * height, "colour": tuple(rng.randrange(60, 256) for _ in range(3)),
    }


def draw_frame(background: np.ndarray, label: np.ndarray, shapes: list[dict], index: int, camera_id: int) -> np.ndarray:
    height, width = background.shape[:2]
    frame = background.copy()
    t = index / FPS
    for shape in shapes:
        x = int((shape["x"] + shape["vx"] * t) % width)
        y = int((shape["y"] + shape["vy"] * t) % height)
        cv2.circle(frame, (x, y), int(shape["r"]), shape["colour"], -1, cv2.LINE_AA)
    lh, lw = label.shape[:2]
    frame[: min(lh, height), : min(lw, width)] = label[:height, :width]
    scale = height / 360
    cv2.putText(frame, f"CAM {camera_id:04d}  {time_code(index)}", (int(10 * scale), height - int(12 * scale)),
                cv2.FONT_HERSHEY_SIMPLEX, 0.8 * scale, (255, 255, 255), max(1, int(2 * scale)), cv2.LINE_AA)
    return frame


def time_code(index: int) -> str:
    """The clip's time code of frame `index`: 00:00.00 ... 00:09.96 at 25 fps."""
    seconds = index / FPS
    return f"{int(seconds // 60):02d}:{seconds % 60:05.2f}"


def draw_label(name: str, camera_id: int, height: int) -> np.ndarray:
    """The camera's name on a dark band (Pillow + a CJK font if available, else 'camera N' in ASCII)."""
    text = name or f"camera {camera_id}"
    scale = height / 360
    image = draw_label_cjk(text, scale) if name else None
    if image is None:
        text = text if text.isascii() else f"camera {camera_id}"
        (tw, th), _ = cv2.getTextSize(text, cv2.FONT_HERSHEY_SIMPLEX, 0.8 * scale, max(1, int(2 * scale)))
        image = np.zeros((th + int(16 * scale), tw + int(20 * scale), 3), np.uint8)
        cv2.putText(image, text, (int(10 * scale), th + int(8 * scale)), cv2.FONT_HERSHEY_SIMPLEX, 0.8 * scale,
                    (255, 255, 255), max(1, int(2 * scale)), cv2.LINE_AA)
    return image


def draw_label_cjk(text: str, scale: float) -> np.ndarray | None:
    try:
        from PIL import Image, ImageDraw, ImageFont
    except ImportError:
        return None
    font_file = next((f for f in CJK_FONTS if os.path.exists(f)), None)
    if font_file is None:
        return None
    font = ImageFont.truetype(font_file, max(12, int(24 * scale)))
    left, top, right, bottom = font.getbbox(text)
    pad = int(8 * scale)
    image = Image.new("RGB", (right - left + 2 * pad, bottom - top + 2 * pad), (0, 0, 0))
    ImageDraw.Draw(image).text((pad - left, pad - top), text, font=font, fill=(255, 255, 255))
    return np.ascontiguousarray(np.asarray(image)[:, :, ::-1])
