"""The video wall window against a real server process: the demo cameras' clips generated locally and decoded by
the real capture threads, tiles painting them, the main stream for a large tile and the sub stream for small ones,
the decoder cap refusing clearly, a dropped camera shown, and a URL that cannot be played marked lost."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QEvent

from app.context import WindowContext
from app.models.video_streams import DecoderPool
from app.session import Session
from app.settings import VideoConfig
from tests.qt.conftest import LiveServer
from views.video_window import VIDEO_PARTS, VideoWindow


class Wall:
    def __init__(self, server: LiveServer, clips: Path, **settings: Any) -> None:
        session = Session(server.url, server.tokens["demo_duty_officer"], console="video-test", parts=VIDEO_PARTS)
        self.context = WindowContext(session, case_list=False)
        config = VideoConfig(clips_dir=str(clips), **settings)
        self.window = VideoWindow(self.context, pool=DecoderPool(config))
        self.window.resize(1600, 900)
        self.window.show()
        session.start()

    def close(self) -> None:
        self.window.close()
        self.context.close()
        self.window.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@pytest.fixture
def video(live_server: LiveServer, tmp_path: Path) -> Iterator[Wall]:
    wall = Wall(live_server, tmp_path / "clips")
    yield wall
    wall.close()


def painted(tile: Any) -> bool:
    return tile.painted_frames > 0


def test_the_first_cameras_fill_the_tiles_and_their_clips_are_decoded_and_painted(qtbot: Any, video: Wall) -> None:
    window = video.window
    qtbot.waitUntil(lambda: window.filled, timeout=20_000)
    tiles = window.grid.tiles()
    assert len(window.streams.wanted) == len(tiles) == 9
    qtbot.waitUntil(lambda: all(painted(t) for t in tiles), timeout=60_000)
    qtbot.waitUntil(lambda: all(window.streams.health(i).state == "live" for i in range(9)), timeout=30_000)
    assert {b.stream for b in window.streams.bindings.values()} == {"sub"}  # 3×3: every tile is small
    before = [t.painted_frames for t in tiles]
    qtbot.wait(1000)
    assert all(t.painted_frames > b for t, b in zip(tiles, before, strict=True)), "tiles stopped painting"


def test_a_large_tile_takes_the_main_stream_and_back(qtbot: Any, video: Wall) -> None:
    window = video.window
    qtbot.waitUntil(lambda: window.filled, timeout=20_000)
    window.set_layout("1+5")
    assert window.streams.bindings[0].stream == "main" and window.streams.bindings[1].stream == "sub"
    assert set(window.streams.wanted) == set(range(6))  # tiles 6..8 left the layout, their decoders too
    window.grid.toggle_maximized(3)
    assert window.streams.bindings[3].stream == "main"
    window.grid.toggle_maximized(3)
    assert window.streams.bindings[3].stream == "sub"
    qtbot.waitUntil(lambda: painted(window.grid.tiles()[0]), timeout=60_000)
    assert window.status.text().startswith("解码")


def test_more_cameras_than_the_decoder_cap_are_refused_with_a_message(qtbot: Any, live_server: LiveServer,
                                                                     tmp_path: Path) -> None:
    wall = Wall(live_server, tmp_path / "clips", max_decoders=4)
    try:
        window = wall.window
        qtbot.waitUntil(lambda: window.filled, timeout=20_000)
        assert len(window.pool) == 4 and len(window.streams.bindings) == 4
        assert "上限 4 路" in window.status.text()
        refused = [i for i in range(9) if i not in window.streams.bindings]
        window.show_health()
        assert all(window.grid.tiles()[i].badge_text() for i in refused)
        window.set_layout("4")  # the refused tiles leave the layout: nothing refused any more, the message goes
        assert len(window.pool) == 4 and "上限" not in window.status.text()
    finally:
        wall.close()


def test_a_dropped_camera_is_shown_and_a_bad_url_goes_lost(qtbot: Any, video: Wall) -> None:
    window = video.window
    qtbot.waitUntil(lambda: window.filled, timeout=20_000)
    cameras = window.context.reference.cameras
    last = max(cameras)
    window.grid.tile_camera_dropped.emit(2, last)
    assert window.streams.bindings[2].camera_id == last
    assert window.grid.tiles()[2].shown_name()
    broken = last - 1  # not on any tile yet: a stream of its own
    cameras[broken] = {**cameras[broken], "sub_url": "rtsp://127.0.0.1:1/none", "main_url": "rtsp://127.0.0.1:1/none"}
    window.show_camera(4, broken)
    qtbot.waitUntil(lambda: window.streams.health(4).state == "lost", timeout=30_000)
    window.show_health()
    assert window.grid.tiles()[4].overlay_text()  # 信号中断 with the time since


def test_an_alarm_brings_its_camera_up_red_and_is_dismissed_or_turned_into_a_case(qtbot: Any, video: Wall,
                                                                                 live_server: LiveServer) -> None:
    from tests.qt.case_actors import Actor

    window = video.window
    qtbot.waitUntil(lambda: window.filled, timeout=20_000)
    window.sound = False
    analytics, desk = Actor(live_server, "sim_analytics"), Actor(live_server, "demo_duty_officer")
    try:
        camera_id = max(window.context.reference.cameras) - 5
        raised = analytics.call("alarm.raise", {"camera_id": camera_id, "kind": "fire_smoke", "confidence": 0.87})
        alarm_id = raised["alarm"]["id"]
        qtbot.waitUntil(lambda: alarm_id in window.inbox.alarms, timeout=20_000)
        featured = window.grid.tiles()[0]
        assert window.streams.wanted[0] == camera_id and featured.alarm()
        item = window.inbox.alarms[alarm_id]
        qtbot.waitUntil(lambda: item.snapshot is not None, timeout=30_000)
        assert item.snapshot.stat().st_size > 1000  # a real JPEG of the camera's picture
        panel = window.inbox_panel
        panel.list.setCurrentRow(0)
        panel.dismiss()  # no reason: refused here, nothing sent
        assert "理由" in panel.status.text() and alarm_id in window.inbox.alarms
        panel.reason.setText("误报：炊烟")
        panel.dismiss()
        qtbot.waitUntil(lambda: alarm_id not in window.inbox.alarms, timeout=20_000)
        assert not featured.alarm() and panel.list.count() == 0
        assert desk.call("snapshot", {"what": ["open_alarms"]})["open_alarms"] == []

        second = analytics.call("alarm.raise", {"camera_id": camera_id, "kind": "traffic_accident"})["alarm"]
        qtbot.waitUntil(lambda: second["id"] in window.inbox.alarms, timeout=20_000)
        qtbot.waitUntil(lambda: window.inbox.alarms[second["id"]].snapshot is not None, timeout=30_000)
        panel.list.setCurrentRow(0)
        panel.to_case()
        qtbot.waitUntil(lambda: "已转为事件" in panel.status.text(), timeout=20_000)
        case = desk.call("cases.query", {"channel": "video_alarm", "limit": 1})["cases"][0]
        camera = window.context.reference.cameras[camera_id]
        assert case["category"] == "道路交通" and camera["name"] in case["title"]
        assert camera["name"] in case["description"] and "截图" in case["description"]
        assert (case["township_id"], case["grid_id"]) == (camera["township_id"], camera["grid_id"])
    finally:
        analytics.close()
        desk.close()


def test_a_tour_cycles_its_cameras_through_the_tiles(qtbot: Any, video: Wall) -> None:
    window = video.window
    qtbot.waitUntil(lambda: window.filled, timeout=20_000)
    bar = window.tour_bar
    assert bar.tours and all(t.name.endswith("轮巡") for t in bar.tours)
    metrics = bar.choice.fontMetrics()
    longest = max(metrics.horizontalAdvance(bar.choice.itemText(i)) for i in range(bar.choice.count()))
    assert bar.choice.width() > longest  # the chosen tour's Chinese name is not cut
    index = max(range(len(bar.tours)), key=lambda i: len(bar.tours[i].cameras))  # a township with > 9 cameras
    tour = bar.tours[index]
    assert len(tour.cameras) > 9
    bar.start(index)
    assert [window.streams.wanted[i] for i in range(9)] == list(tour.cameras[:9])
    bar.step()
    expected = [tour.cameras[(9 + i) % len(tour.cameras)] for i in range(9)]
    assert [window.streams.wanted[i] for i in range(9)] == expected  # the next page, wrapping around
    assert len(window.pool) <= 9  # the previous page's decoders were released
    bar.stop()
    assert not bar.running()
