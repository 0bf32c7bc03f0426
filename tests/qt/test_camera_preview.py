"""The camera preview the leaders' wall opens (views/camera_preview.py), on its own: a real clip decoded and painted
in its tile, a camera whose file is not video shown lost, an unknown camera refused in words, and Esc closing it and
its stream. (Opening it from a click on the real map page is tested in test_wall_window.py.)"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from app.context import WindowContext
from app.session import Session
from app.settings import VideoConfig
from services.video.clips import write_clip
from views.camera_preview import CameraPreview


@pytest.fixture
def context() -> Iterator[WindowContext]:
    session = Session("ws://127.0.0.1:9/ws", "unused", console="preview-test", parts=["cameras"])  # never started
    context = WindowContext(session, case_list=False)
    yield context
    context.close()


def cameras(tmp_path: Path) -> list[dict[str, Any]]:
    clip = tmp_path / "clip.mp4"
    write_clip(clip, 5, (320, 180), "预览测试", 2.0)
    not_video = tmp_path / "not-video.mp4"
    not_video.write_text("这不是视频")
    return [{"id": 1, "name": "莲塘镇政府门口", "township_id": None, "grid_id": None, "main_url": str(clip),
             "sub_url": str(clip)},
            {"id": 2, "name": "坏文件", "township_id": None, "grid_id": None, "main_url": str(not_video),
             "sub_url": ""}]


def test_the_preview_plays_a_camera_and_shows_a_bad_one_lost(qtbot: Any, context: WindowContext,
                                                             tmp_path: Path) -> None:
    context.reference.load({"cameras": cameras(tmp_path)})
    settings = VideoConfig(clips_dir=str(tmp_path / "clips"), lost_after_s=1.0, reconnect_initial_s=0.2)
    preview = CameraPreview(context, settings, 1.0)
    qtbot.addWidget(preview)
    preview.show_camera(1)
    preview.show()
    qtbot.waitUntil(lambda: preview.tile.painted_frames > 3, timeout=20_000)
    assert preview.windowTitle().endswith("莲塘镇政府门口") and preview.problem == ""
    preview.show_camera(2, "烟火 · 10:02")
    qtbot.waitUntil(lambda: preview.tile.health().state == "lost", timeout=20_000)
    assert preview.tile.badge_text() == "信号中断" and preview.tile.alarm()
    assert "告警: 烟火 · 10:02" in preview.caption.text()
    assert len(preview.pool) == 1  # the first camera's stream was let go


def test_an_unknown_camera_is_refused_in_words_and_esc_closes_the_stream(qtbot: Any, context: WindowContext,
                                                                        tmp_path: Path) -> None:
    context.reference.load({"cameras": cameras(tmp_path)})
    preview = CameraPreview(context, VideoConfig(clips_dir=str(tmp_path / "clips")), 1.0)
    qtbot.addWidget(preview)
    preview.show_camera(99)
    assert "摄像头 99 不存在" in preview.problem and preview.problem in preview.caption.text()
    assert preview.tile.health().state == "lost"
    preview.show_camera(1)
    preview.show()
    capture = preview.streams.bindings[0].capture
    qtbot.waitUntil(lambda: capture.latest() is not None, timeout=20_000)
    qtbot.keyClick(preview, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not capture.running, timeout=10_000)
    assert not preview.isVisible() and len(preview.pool) == 0
