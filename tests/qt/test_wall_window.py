"""The leaders' wall against a real server process: the map page's markers equal the server's open cases after a
stream of events, a burst of 2,000 reports is coalesced, a case with no or a wrong position is placed at its grid's
centre, every frame the wall receives is masked, the server going away leaves a stale picture that recovers, and a
broken geometry file stops the wall with a clear error."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QEvent

from app.context import WindowContext
from app.models.map_points import GeometryFileError
from app.session import Session
from config.desktop import VideoConfig, WallConfig
from services.client import CommandClient
from tests.qt.case_actors import Actor, dispatched, report
from tests.qt.conftest import LiveServer, free_port, start_live_server
from views.wall_window import WALL_PARTS, WallWindow

PHONE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
CASE_LAYERS = ("new", "dispatched", "overdue", "closed_today")


class Wall:
    """A wall window on its own session, with every raw frame it receives kept."""

    def __init__(self, server_url: str, token: str, config: WallConfig | None = None,
                 video: VideoConfig | None = None) -> None:
        self.frames: list[str] = []
        session = Session(server_url, token, console="wall-test", parts=WALL_PARTS,
                          frame_tap=lambda raw: self.frames.append(raw if isinstance(raw, str) else raw.decode()))
        self.context = WindowContext(session, case_list=False)
        self.window = WallWindow(self.context, config or WallConfig(rotate_seconds=0), video=video)
        self.window.resize(1920, 1080)
        self.window.show()
        session.start()

    def close(self) -> None:
        self.window.close_drills()
        self.context.close()
        self.window.close()
        self.window.deleteLater()
        # delete now (the page before its profile): QtWebEngine warns if the profile goes first at process exit
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def page_ids(qtbot: Any, wall: Wall, layer: str) -> set[int]:
    got: list[list[int]] = []
    wall.window.map.page_ids(layer, got.append)
    qtbot.waitUntil(lambda: bool(got), timeout=10_000)
    return set(got[0])


def page_case_ids(qtbot: Any, wall: Wall, layers: tuple[str, ...] = ("new", "dispatched", "overdue")) -> set[int]:
    return set().union(*(page_ids(qtbot, wall, layer) for layer in layers))


def server_open_ids(actor: Actor) -> set[int]:
    return {c["id"] for c in actor.call("snapshot", {"what": ["open_cases"]})["open_cases"]}


def wait_ready(qtbot: Any, wall: Wall) -> None:
    qtbot.waitUntil(lambda: wall.window.map_link.built and wall.window.stats.latest is not None, timeout=30_000)
    qtbot.waitUntil(lambda: wall.window.map.is_ready(), timeout=30_000)


def wait_page_matches(qtbot: Any, wall: Wall, expected: set[int]) -> None:
    """The page converges on `expected` (its updates go out in coalesced batches)."""
    def matches() -> bool:
        return wall.window.map.idle() and page_case_ids(qtbot, wall) == expected
    qtbot.waitUntil(matches, timeout=30_000)


@pytest.fixture
def desk(live_server: LiveServer) -> Iterator[Actor]:
    actor = Actor(live_server, "demo_duty_officer")
    yield actor
    actor.close()


def test_the_map_shows_the_servers_open_cases_after_a_stream_of_events(qtbot: Any, live_server: LiveServer,
                                                                       desk: Actor) -> None:
    wall = Wall(live_server.url, live_server.tokens["demo_leader"])
    try:
        wait_ready(qtbot, wall)
        wait_page_matches(qtbot, wall, server_open_ids(desk))
        new = [report(desk, f"大屏测试{i}", township_id=3) for i in range(5)]
        sent = dispatched(desk, "大屏派遣测试", 1)
        desk.call("case.reject", {"id": new[0]["id"], "expected_version": new[0]["version"], "reason": "重复上报"})
        wait_page_matches(qtbot, wall, server_open_ids(desk))
        assert new[1]["id"] in page_ids(qtbot, wall, "new") and sent["id"] in page_ids(qtbot, wall, "dispatched")
        assert new[0]["id"] not in page_case_ids(qtbot, wall, CASE_LAYERS)
        closed = close_case(live_server, desk, dispatched(desk, "大屏办结测试", 1))
        qtbot.waitUntil(lambda: closed["id"] in page_ids(qtbot, wall, "closed_today"), timeout=20_000)
        assert closed["id"] not in page_case_ids(qtbot, wall)
        assert wall.window.map.refused_requests == []
    finally:
        wall.close()


def close_case(server: LiveServer, desk: Actor, case: dict[str, Any]) -> dict[str, Any]:
    """Signed and fed back by its department, verified and closed by the desk."""
    department = Actor(server, f"sim_dept_{case['lead_department_id']:02d}")
    try:
        case = department.call("case.sign", {"id": case["id"], "expected_version": case["version"]})["case"]
        case = department.call("case.feedback", {"id": case["id"], "expected_version": case["version"],
                                                 "result": "已清理完毕"})["case"]
    finally:
        department.close()
    case = desk.call("case.verify", {"id": case["id"], "expected_version": case["version"], "passed": True})["case"]
    return desk.call("case.close", {"id": case["id"], "expected_version": case["version"]})["case"]


def test_a_case_without_or_outside_coordinates_is_placed_at_its_grid_flagged(qtbot: Any, live_server: LiveServer,
                                                                            desk: Actor) -> None:
    grid = desk.call("snapshot", {"what": ["grids"]})["grids"][10]
    wall = Wall(live_server.url, live_server.tokens["demo_leader"])
    try:
        wait_ready(qtbot, wall)
        nowhere = report(desk, "无坐标", township_id=grid["township_id"], grid_id=grid["id"])
        beijing = report(desk, "坐标在县外", township_id=grid["township_id"], grid_id=grid["id"], lat=39.9, lon=116.4)
        qtbot.waitUntil(lambda: {nowhere["id"], beijing["id"]} <= set(wall.window.feed.placed), timeout=20_000)
        for case in (nowhere, beijing):
            placed = wall.window.feed.placed[case["id"]]
            assert placed.estimated and (placed.lat, placed.lon) != (39.9, 116.4)
        wait_page_matches(qtbot, wall, server_open_ids(desk))
    finally:
        wall.close()


def test_every_frame_the_wall_receives_is_masked(qtbot: Any, live_server: LiveServer, desk: Actor) -> None:
    wall = Wall(live_server.url, live_server.tokens["demo_leader"])
    try:
        wait_ready(qtbot, wall)
        case = report(desk, "居民电话13812348000反映", reporter_name="张三", reporter_phone="13812348000",
                      reporter_id_number="360121199001011234",
                      description="联系人身份证360121199001011234，手机+86 139-1234-5678，座机0791-85712345")
        assert case["reporter_phone"] == "13812348000"  # the desk sees it: the test can fail
        qtbot.waitUntil(lambda: case["id"] in wall.window.feed.placed, timeout=20_000)
        drill = wall.window.open_drill("reported")
        assert drill is not None
        qtbot.waitUntil(lambda: any(c["id"] == case["id"] for c in drill.cases), timeout=20_000)
        qtbot.waitUntil(lambda: len(wall.frames) > 5, timeout=5_000)
        text = "\n".join(wall.frames)
        assert "138****8000" in text  # the case did reach the wall, masked
        assert not PHONE.findall(text), PHONE.findall(text)[:5]
        assert not ID_NUMBER.findall(text), ID_NUMBER.findall(text)[:5]
    finally:
        wall.close()


def test_a_burst_of_two_thousand_reports_is_coalesced(qtbot: Any, live_server: LiveServer, desk: Actor) -> None:
    wall = Wall(live_server.url, live_server.tokens["demo_leader"])
    try:
        wait_ready(qtbot, wall)
        wait_page_matches(qtbot, wall, server_open_ids(desk))
        batches, stats_reads = wall.window.map.batches_sent, wall.window.stats.requests_sent
        asyncio.run(report_burst(live_server, connections=10, each=200))
        wait_page_matches(qtbot, wall, server_open_ids(desk))
        assert wall.window.map.batches_sent - batches < 200, "2,000 events should go to the page in few batches"
        assert wall.window.stats.requests_sent - stats_reads < 50, "figures re-read per event, not coalesced"
    finally:
        wall.close()


async def report_burst(server: LiveServer, connections: int, each: int) -> None:
    """`connections` × `each` reports sent at once (the per-connection rate limit allows a burst of 200)."""
    async def one(n: int) -> None:
        client = CommandClient(server.url, server.tokens["sim_intake"], console=f"burst-{n}")
        await client.start()
        await client.wait_connected(20)
        try:
            await asyncio.gather(*(client.request("case.report", {
                "channel": "citizen_app", "category": "市容环境", "title": f"突发{n}-{i}", "township_id": 1 + i % 5})
                for i in range(each)))
        finally:
            await client.close()
    await asyncio.gather(*(one(n) for n in range(connections)))


def test_the_server_going_away_leaves_a_stale_picture_that_recovers(qtbot: Any, tmp_path: Path) -> None:
    directory, port = tmp_path / "wall", free_port()
    server = start_live_server(directory, port=port)
    wall = Wall(server.url, server.tokens["demo_leader"])
    try:
        wait_ready(qtbot, wall)
        as_of = wall.window.as_of.text()
        before = page_case_ids(qtbot, wall)
        server.stop()
        qtbot.waitUntil(lambda: wall.window.stale_banner.isVisible(), timeout=20_000)
        assert as_of.split()[-1] in wall.window.stale_banner.text()  # says which time the picture is of
        assert page_case_ids(qtbot, wall) == before  # the picture stays
        assert wall.window.situation.panels["map"].as_of_text()  # every panel still shows its time, marked stale
        server = start_live_server(directory, port=port)
        qtbot.waitUntil(lambda: not wall.window.stale_banner.isVisible(), timeout=30_000)
        qtbot.waitUntil(lambda: not wall.window.stats.stale, timeout=30_000)
    finally:
        wall.close()
        server.stop()


def test_a_missing_or_broken_geometry_file_stops_the_wall_clearly(qtbot: Any, tmp_path: Path) -> None:
    broken = tmp_path / "broken.geojson"
    broken.write_text('{"type": "FeatureCollection", "features": [', encoding="utf-8")
    for path in (tmp_path / "missing.geojson", broken):
        session = Session("ws://127.0.0.1:9", "x", console="wall-test", parts=WALL_PARTS)
        context = WindowContext(session, case_list=False)
        try:
            with pytest.raises(GeometryFileError, match=re.escape(str(path))):
                WallWindow(context, WallConfig(outline_file=str(path)))
        finally:
            context.close()


def test_alarms_pulse_on_the_map_until_handled_and_cameras_are_shown(qtbot: Any, live_server: LiveServer,
                                                                    desk: Actor) -> None:
    analytics = Actor(live_server, "sim_analytics")
    wall = Wall(live_server.url, live_server.tokens["demo_leader"])
    try:
        wait_ready(qtbot, wall)
        cameras = {c["id"] for c in desk.call("snapshot", {"what": ["cameras"]})["cameras"]}
        qtbot.waitUntil(lambda: page_ids(qtbot, wall, "cameras") == cameras, timeout=20_000)
        alarm = analytics.call("alarm.raise", {"camera_id": min(cameras), "kind": "fire_smoke", "confidence": 0.9})
        alarm_id = alarm["alarm"]["id"]
        qtbot.waitUntil(lambda: alarm_id in page_ids(qtbot, wall, "alarms"), timeout=20_000)
        desk.call("alarm.dismiss", {"id": alarm_id, "expected_version": alarm["alarm"]["version"],
                                    "reason": "误报：炊烟"})
        qtbot.waitUntil(lambda: alarm_id not in page_ids(qtbot, wall, "alarms"), timeout=20_000)
    finally:
        wall.close()
        analytics.close()


def click_marker(wall: Wall, kind: str, marker_id: int) -> None:
    """A click on the page's marker, through the page's own click handler and the bridge back to Python."""
    wall.window.map.run_js(f"ccc.marker({kind!r}, {marker_id}).fire('click')")


def test_a_camera_or_an_alarm_clicked_on_the_map_opens_its_live_video(qtbot: Any, live_server: LiveServer,
                                                                      desk: Actor, tmp_path: Path) -> None:
    analytics = Actor(live_server, "sim_analytics")
    wall = Wall(live_server.url, live_server.tokens["demo_leader"],
                video=VideoConfig(clips_dir=str(tmp_path / "clips")))
    try:
        wait_ready(qtbot, wall)
        cameras = {c["id"]: c for c in desk.call("snapshot", {"what": ["cameras"]})["cameras"]}
        first, second = sorted(cameras)[:2]
        qtbot.waitUntil(lambda: set(cameras) <= page_ids(qtbot, wall, "cameras"), timeout=20_000)
        click_marker(wall, "cameras", first)
        qtbot.waitUntil(lambda: wall.window.preview is not None and wall.window.preview.tile.painted_frames > 0,
                        timeout=60_000)
        preview = wall.window.preview
        assert preview is not None and preview.isVisible()
        assert preview.tile.camera_id == first and not preview.tile.alarm()
        assert preview.streams.bindings[0].stream == "main"
        assert cameras[first]["name"] in preview.windowTitle() and preview.tile.name() == cameras[first]["name"]

        alarm = analytics.call("alarm.raise", {"camera_id": second, "kind": "fire_smoke", "confidence": 0.9})
        alarm_id = alarm["alarm"]["id"]
        qtbot.waitUntil(lambda: alarm_id in page_ids(qtbot, wall, "alarms"), timeout=20_000)
        click_marker(wall, "alarms", alarm_id)
        qtbot.waitUntil(lambda: preview.tile.camera_id == second, timeout=20_000)
        assert wall.window.preview is preview  # one window, showing the newest click
        assert preview.tile.alarm() and "烟火" in preview.caption.text()
        capture = preview.streams.bindings[0].capture
        qtbot.waitUntil(lambda: capture.latest() is not None, timeout=60_000)
        wall.window.close()
        qtbot.waitUntil(lambda: not capture.running, timeout=10_000)  # closing the wall stops the preview's stream
    finally:
        wall.close()
        analytics.close()


def test_a_leader_supervises_a_case_from_the_figure_behind_it(qtbot: Any, live_server: LiveServer,
                                                             desk: Actor) -> None:
    case = dispatched(desk, "领导督办测试", 2)
    wall = Wall(live_server.url, live_server.tokens["demo_leader"])
    try:
        wait_ready(qtbot, wall)
        drill = wall.window.open_drill("in_handling")
        assert drill is not None
        qtbot.waitUntil(lambda: any(c["id"] == case["id"] for c in drill.cases), timeout=20_000)
        drill.table.selectRow(next(i for i, c in enumerate(drill.cases) if c["id"] == case["id"]))
        assert drill.supervise_button.isEnabled()
        drill.supervise()
        qtbot.waitUntil(lambda: "已督办" in drill.status.text(), timeout=20_000)
        after = desk.case(case["id"])
        assert after["supervision_count"] == case["supervision_count"] + 1
        assert not drill.supervise_button.isEnabled() or after["state"] in ("dispatched", "handling")
    finally:
        wall.close()


def test_rotating_pages_keeps_the_live_state(qtbot: Any, live_server: LiveServer, desk: Actor) -> None:
    wall = Wall(live_server.url, live_server.tokens["demo_leader"])
    try:
        wait_ready(qtbot, wall)
        wall.window.next_page()
        assert wall.window.stack.currentWidget() is wall.window.assessment
        reads = wall.window.stats.requests_sent
        new = report(desk, "轮播期间上报", township_id=4)
        qtbot.waitUntil(lambda: wall.window.stats.requests_sent > reads and new["id"] in wall.window.feed.placed,
                        timeout=20_000)
        wall.window.next_page()  # back to the map: it was fed while hidden
        assert wall.window.stack.currentWidget() is wall.window.situation
        wait_page_matches(qtbot, wall, server_open_ids(desk))
        shown = page_case_ids(qtbot, wall)
        wall.window.resize(7680, 2160)  # a splicing wall: both pages side by side, the same live widgets
        qtbot.waitUntil(lambda: wall.window.wide, timeout=5_000)
        assert wall.window.situation.isVisible() and wall.window.assessment.isVisible()
        assert wall.window.scale == 2.0
        wall.window.resize(1920, 1080)
        qtbot.waitUntil(lambda: not wall.window.wide, timeout=5_000)
        assert wall.window.stack.count() == 2 and wall.window.situation.isVisible()
        assert page_case_ids(qtbot, wall) == shown  # nothing rebuilt, nothing lost
    finally:
        wall.close()
