"""The video wall's widgets: tiles paint frames and tell the truth about their stream, the grid's layouts, the tree."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QDropEvent
from PySide6.QtWidgets import QApplication, QWidget

from widgets.camera_mime import CAMERA_MIME, camera_from_mime, camera_mime_data, camera_name_from_mime
from widgets.camera_tree import CameraPicker, CameraTree
from widgets.video_grid import LAYOUTS, VideoGrid
from widgets.video_tile import TileHealth, VideoTile, fit_rect


def shown(qtbot: Any, widget: QWidget, width: int, height: int) -> Any:
    qtbot.addWidget(widget)
    widget.resize(width, height)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def solid(width: int, height: int, bgr: tuple[int, int, int]) -> np.ndarray:
    frame = np.empty((height, width, 3), np.uint8)
    frame[:] = bgr
    return frame


class Source:
    """A frame getter over a list of published frames; `publish` makes a new (seq, array)."""

    def __init__(self) -> None:
        self.latest: tuple[int, np.ndarray] | None = None
        self.calls = 0

    def publish(self, seq: int, frame: np.ndarray) -> None:
        self.latest = (seq, frame)

    def __call__(self) -> tuple[int, np.ndarray] | None:
        self.calls += 1
        return self.latest


def pixel(widget: QWidget, x: int, y: int) -> QColor:
    return widget.grab().toImage().pixelColor(x, y)


def close_to(color: QColor, rgb: tuple[int, int, int], tolerance: int = 8) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip((color.red(), color.green(), color.blue()), rgb, strict=True))


# -- tile ---------------------------------------------------------------------------------------------------------
def test_the_tile_paints_the_frame_and_letterboxes_another_aspect(qtbot: Any) -> None:
    tile = shown(qtbot, VideoTile(), 400, 300)
    source = Source()
    tile.set_camera(7, "莲塘镇政府门口")
    tile.set_frame_getter(source)
    source.publish(1, solid(160, 90, (255, 0, 0)))  # BGR blue, 16:9 in a 4:3 tile: bars above and below
    assert tile.refresh()
    assert close_to(pixel(tile, 200, 150), (0, 0, 255))
    picture = tile.picture_rect()
    assert picture.width() == 400 and picture.height() == 225 and picture.top() == 37
    assert close_to(pixel(tile, 200, picture.bottom() + 10), (0, 0, 0))
    source.publish(2, solid(90, 160, (0, 0, 255)))  # portrait red: bars left and right
    assert tile.refresh()
    assert close_to(pixel(tile, 200, 150), (255, 0, 0))
    assert close_to(pixel(tile, 20, 150), (0, 0, 0))


def test_fit_rect_keeps_the_aspect_ratio() -> None:
    from PySide6.QtCore import QRect
    assert fit_rect(1920, 1080, QRect(0, 0, 100, 100)).height() == 56
    assert fit_rect(100, 100, QRect(0, 0, 300, 100)).left() == 100
    assert fit_rect(640, 360, QRect(3, 5, 477, 268)) == QRect(3, 5, 477, 268)  # 1 px short of 16:9: no bar


def test_refresh_repaints_only_on_a_new_seq(qtbot: Any) -> None:
    tile = shown(qtbot, VideoTile(), 320, 180)
    source = Source()
    tile.set_camera(1, "cam")
    assert not tile.refresh()  # no getter yet
    tile.set_frame_getter(source)
    assert not tile.refresh()  # no frame yet
    frame = solid(64, 36, (0, 255, 0))
    source.publish(5, frame)
    assert tile.refresh()
    tile.grab()
    assert not tile.refresh()  # same seq
    tile.grab()
    source.publish(6, frame)
    assert tile.refresh()
    tile.grab()
    tile.grab()  # painting the same frame again is not a new frame
    assert tile.painted_frames == 2
    assert tile.frame_seq() == 6


def test_a_malformed_frame_is_ignored(qtbot: Any) -> None:
    tile = VideoTile()
    qtbot.addWidget(tile)
    source = Source()
    tile.set_frame_getter(source)
    source.publish(1, np.zeros((10, 10), np.uint8))
    assert not tile.refresh()
    source.publish(2, np.zeros((10, 10, 3), np.float32))
    assert not tile.refresh()
    source.publish(3, np.zeros((20, 40, 3), np.uint8)[:, ::2])  # a strided view: copied once, then painted
    assert tile.refresh()


@pytest.mark.parametrize(("health", "badge"), [
    (TileHealth("live", fps=24.8), "25 fps"), (TileHealth("connecting"), "连接中"),
    (TileHealth("frozen", frame_age_s=4), "画面冻结"), (TileHealth("lost", frame_age_s=12), "信号中断"),
    (TileHealth("idle"), ""),
])
def test_health_states_show_their_badge(qtbot: Any, health: TileHealth, badge: str) -> None:
    tile = VideoTile()
    qtbot.addWidget(tile)
    tile.set_camera(3, "向塘镇火车站广场")
    tile.set_health(health)
    assert tile.badge_text() == badge
    assert (tile.overlay_text() != "") == (health.state == "lost")


def test_lost_shows_the_time_since_the_last_frame(qtbot: Any) -> None:
    tile = shown(qtbot, VideoTile(), 480, 270)
    tile.set_camera(3, "向塘镇火车站广场")
    tile.set_health(TileHealth("lost", frame_age_s=12.7))
    assert tile.overlay_text() == "信号中断\n12 秒前"
    tile.set_health(TileHealth("lost", frame_age_s=300))
    assert tile.overlay_text() == "信号中断\n5 分钟前"
    tile.set_health(TileHealth("live", fps=25))
    assert tile.overlay_text() == ""
    with pytest.raises(ValueError, match="known"):
        tile.set_health(TileHealth("dead"))


def test_an_empty_tile_asks_for_a_camera(qtbot: Any) -> None:
    tile = VideoTile()
    qtbot.addWidget(tile)
    assert tile.overlay_text() == "拖入摄像头"
    assert tile.badge_text() == ""


def test_a_long_name_is_elided(qtbot: Any) -> None:
    tile = shown(qtbot, VideoTile(), 200, 120)
    tile.set_camera(9, "小蓝经济技术开发区金沙大道与富山大道交叉口东北角高空瞭望")
    tile.set_health(TileHealth("live", fps=25))
    assert tile.shown_name().endswith("…")
    tile.resize(1600, 900)
    assert tile.shown_name() == tile.name()


def bgrx(width: int, height: int, bgr: tuple[int, int, int]) -> np.ndarray:
    """A frame as the capture delivers it for painting: B, G, R, 255 (Qt's RGB32)."""
    frame = np.empty((height, width, 4), np.uint8)
    frame[:] = (*bgr, 255)
    return frame


def test_the_tile_paints_four_byte_frames_as_they_are_and_refuses_other_shapes(qtbot: Any) -> None:
    tile = shown(qtbot, VideoTile(), 320, 180)
    source = Source()
    tile.set_camera(7, "莲塘镇政府门口")
    tile.set_frame_getter(source)
    source.publish(1, bgrx(64, 36, (0, 200, 0)))
    assert tile.refresh()
    assert close_to(pixel(tile, 160, 120), (0, 200, 0))
    source.publish(2, bgrx(64, 36, (30, 60, 220))[:, :, :3].copy())  # BGR still paints (Qt converts it)
    assert tile.refresh()
    assert close_to(pixel(tile, 160, 120), (220, 60, 30))
    for seq, bad in enumerate([np.zeros((36, 64, 2), np.uint8), np.zeros((36, 64, 4), np.float32),
                               np.zeros((0, 64, 4), np.uint8), "not a frame"], start=3):
        source.publish(seq, bad)  # type: ignore[arg-type]
        assert not tile.refresh()
    assert tile.frame_seq() == 2 and close_to(pixel(tile, 160, 120), (220, 60, 30))


def test_a_view_into_a_bigger_frame_is_painted_from_a_contiguous_copy(qtbot: Any) -> None:
    tile = shown(qtbot, VideoTile(), 320, 180)
    source = Source()
    tile.set_camera(1, "cam")
    tile.set_frame_getter(source)
    big = bgrx(128, 72, (0, 0, 0))
    big[:, 64:] = (255, 255, 255, 255)
    source.publish(1, big[:, 64:])  # rows longer than the picture: a strided view
    assert tile.refresh()
    assert close_to(pixel(tile, 160, 120), (255, 255, 255))


def test_the_name_strip_is_drawn_once_not_at_every_frame(qtbot: Any) -> None:
    tile = shown(qtbot, VideoTile(), 480, 270)
    source = Source()
    tile.set_camera(3, "向塘镇火车站广场")
    tile.set_health(TileHealth("live", fps=25))
    tile.set_frame_getter(source)
    for seq in range(1, 11):
        source.publish(seq, bgrx(64, 36, (seq * 20, 0, 0)))
        assert tile.refresh()
        tile.grab()
    assert tile.painted_frames == 10
    assert tile.strip_renders() == 1
    tile.set_health(TileHealth("live", fps=24))  # the badge reads "24 fps" now
    tile.grab()
    tile.resize(400, 225)
    tile.grab()
    assert tile.strip_renders() == 3


def test_the_fps_badge_ignores_the_jitter_of_a_steady_stream(qtbot: Any) -> None:
    tile = shown(qtbot, VideoTile(), 480, 270)
    tile.set_camera(3, "向塘镇火车站广场")
    tile.set_health(TileHealth("live", fps=25.2))
    renders = tile.strip_renders()
    tile.grab()
    for fps in (24.4, 25.6, 24.6, 25.5):  # a 25 fps stream measured over 2 s
        tile.set_health(TileHealth("live", fps=fps))
        assert tile.badge_text() == "25 fps"
        tile.grab()
    assert tile.strip_renders() == renders + 1  # drawn once, not once per measurement
    tile.set_health(TileHealth("live", fps=24.2))
    assert tile.badge_text() == "24 fps"  # a real change shows
    tile.set_health(TileHealth("frozen", fps=0.0))
    tile.set_health(TileHealth("live", fps=12.6))
    assert tile.badge_text() == "13 fps"


def test_letterbox_bars_cover_what_the_picture_does_not() -> None:
    from PySide6.QtCore import QRect

    from widgets.video_tile_paint import letterbox

    area = QRect(0, 0, 400, 300)
    assert letterbox(area, QRect(0, 37, 400, 225)) == [QRect(0, 0, 400, 37), QRect(0, 262, 400, 38)]
    assert letterbox(area, QRect(100, 0, 200, 300)) == [QRect(0, 0, 100, 300), QRect(300, 0, 100, 300)]
    assert letterbox(area, QRect(0, 0, 400, 300)) == []
    assert letterbox(area, QRect()) == [area]


def test_the_alarm_draws_a_red_frame(qtbot: Any) -> None:
    tile = shown(qtbot, VideoTile(), 320, 180)
    tile.set_camera(1, "cam")
    before = pixel(tile, 1, 90)
    tile.set_alarm(True)
    assert close_to(pixel(tile, 1, 90), (0xf8, 0x71, 0x71))
    assert not close_to(before, (0xf8, 0x71, 0x71))


def test_dropping_a_camera_emits_its_id(qtbot: Any) -> None:
    tile = shown(qtbot, VideoTile(), 320, 180)
    mime = camera_mime_data(42, "昌东镇菜市场")
    with qtbot.waitSignal(tile.camera_dropped) as blocker:
        event = QDropEvent(QPointF(100, 100), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                           Qt.KeyboardModifier.NoModifier)
        tile.dropEvent(event)
    assert blocker.args == [42]
    assert event.isAccepted()
    with qtbot.assertNotEmitted(tile.camera_dropped):
        other = QMimeData()
        other.setText("42")
        assert not tile.accept_mime(other)


def test_the_camera_mime_refuses_junk() -> None:
    mime = camera_mime_data(7, "a\tb")
    assert camera_from_mime(mime) == 7 and camera_name_from_mime(mime) == "a b"
    for payload in (b"", b"-3", b"0", b"x7", b"1234567890", "７".encode()):
        junk = QMimeData()
        junk.setData(CAMERA_MIME, payload)
        assert camera_from_mime(junk) is None, payload
    assert camera_from_mime(None) is None


# -- grid ---------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("name", "count"), [("1", 1), ("4", 4), ("9", 9), ("16", 16), ("25", 25),
                                             ("1+5", 6), ("1+7", 8)])
def test_each_layout_has_its_tiles_and_they_cover_the_grid(qtbot: Any, name: str, count: int) -> None:
    grid = shown(qtbot, VideoGrid(name), 960, 540)
    assert len(grid.tiles()) == count == len(LAYOUTS[name].cells)
    area = sum(t.width() * t.height() for t in grid.tiles())
    assert 0.9 * 960 * 540 < area <= 960 * 540
    for a in range(count):
        for b in range(a + 1, count):
            assert not grid.tiles()[a].geometry().intersects(grid.tiles()[b].geometry())


def test_the_big_tile_of_1_plus_5_is_2_by_2_cells(qtbot: Any) -> None:
    grid = shown(qtbot, VideoGrid("1+5"), 900, 600)
    assert grid.cell_of(0) == (0, 0, 2, 2)
    big, small = grid.tiles()[0].geometry(), grid.tiles()[1].geometry()
    assert abs(big.width() - 2 * small.width()) <= 4 and abs(big.height() - 2 * small.height()) <= 4
    assert [grid.tile_is_large(i) for i in range(6)] == [True] + [False] * 5
    grid.set_layout("1+7")
    assert grid.cell_of(0) == (0, 0, 3, 3) and grid.tile_is_large(0) and not grid.tile_is_large(7)
    grid.set_layout("4")
    assert all(grid.tile_is_large(i) for i in range(4))
    grid.set_layout("9")
    assert not any(grid.tile_is_large(i) for i in range(9))


def test_an_unknown_layout_is_refused_with_the_known_ones(qtbot: Any) -> None:
    grid = VideoGrid("4")
    qtbot.addWidget(grid)
    with pytest.raises(ValueError, match="1\\+5"):
        grid.set_layout("6")
    assert grid.layout_name() == "4"


def test_a_layout_change_keeps_the_cameras_of_the_remaining_tiles(qtbot: Any) -> None:
    grid = shown(qtbot, VideoGrid("9"), 900, 600)
    for i, tile in enumerate(grid.tiles()):
        tile.set_camera(100 + i, f"cam {i}")
    kept = grid.tiles()[:4]
    with qtbot.waitSignal(grid.layout_changed) as blocker:
        grid.set_layout("4")
    assert blocker.args == ["4"]
    assert grid.tiles() == kept and [t.camera_id for t in grid.tiles()] == [100, 101, 102, 103]
    grid.set_layout("16")
    assert [t.camera_id for t in grid.tiles()][:5] == [100, 101, 102, 103, None]


def test_double_click_maximises_and_back(qtbot: Any) -> None:
    grid = shown(qtbot, VideoGrid("9"), 900, 600)
    tile = grid.tiles()[4]
    with qtbot.waitSignal(grid.maximized_changed) as blocker:
        qtbot.mouseDClick(tile, Qt.MouseButton.LeftButton, pos=QPoint(20, 20))
    assert blocker.args == [4]
    assert tile.geometry() == grid.rect()
    assert [t.isVisible() for t in grid.tiles()].count(True) == 1
    assert grid.tile_is_large(4) and not grid.tile_is_large(0)
    with qtbot.waitSignal(grid.maximized_changed) as blocker:
        qtbot.mouseDClick(tile, Qt.MouseButton.LeftButton, pos=QPoint(20, 20))
    assert blocker.args == [-1]
    assert all(t.isVisible() for t in grid.tiles()) and tile.geometry() == grid.tile_rect(4)


def test_a_drop_on_a_tile_reaches_the_grid_with_its_index(qtbot: Any) -> None:
    grid = shown(qtbot, VideoGrid("1+5"), 900, 600)
    with qtbot.waitSignal(grid.tile_camera_dropped) as blocker:
        grid.tiles()[3].accept_mime(camera_mime_data(17, "武阳镇"))
    assert blocker.args == [3, 17]


def test_refresh_all_pulls_only_shown_tiles_and_counts_repaints(qtbot: Any) -> None:
    grid = shown(qtbot, VideoGrid("4"), 640, 360)
    sources = [Source() for _ in range(4)]
    for i, (tile, source) in enumerate(zip(grid.tiles(), sources, strict=True)):
        tile.set_frame_getter(source)
        source.publish(1, solid(32, 18, (i * 60, 0, 0)))
    assert grid.refresh_all() == 4
    assert grid.refresh_all() == 0
    sources[2].publish(2, solid(32, 18, (0, 0, 0)))
    assert grid.refresh_all() == 1
    grid.toggle_maximized(0)
    calls = sources[2].calls
    sources[2].publish(3, solid(32, 18, (0, 0, 0)))
    assert grid.refresh_all() == 0 and sources[2].calls == calls
    grid.start_refresh(25)
    assert grid.refresh_interval_ms() == 40
    grid.stop_refresh()
    assert grid.refresh_interval_ms() is None
    grid.start_refresh()
    assert 16 <= (grid.refresh_interval_ms() or 0) <= 40
    grid.stop_refresh()


# -- tree ---------------------------------------------------------------------------------------------------------
CAMERAS = [
    {"id": 1, "name": "莲塘镇政府门口", "township_id": 10, "grid_id": 100},
    {"id": 2, "name": "莲塘一中东门", "township_id": 10, "grid_id": 100},
    {"id": 3, "name": "澄湖路口", "township_id": 10, "grid_id": 101},
    {"id": 4, "name": "向塘火车站广场", "township_id": 20, "grid_id": 200},
]
TOWNSHIPS = {10: "莲塘镇", 20: "向塘镇"}
GRIDS = {100: "莲塘第一网格", 101: "莲塘第二网格", 200: "向塘第一网格"}


def test_the_tree_groups_cameras_by_township_and_grid(qtbot: Any) -> None:
    tree = CameraTree()
    qtbot.addWidget(tree)
    tree.set_cameras(CAMERAS, TOWNSHIPS, GRIDS)
    model = tree.model()
    assert [model.index(r, 0).data() for r in range(model.rowCount())] == ["莲塘镇 (3)", "向塘镇 (1)"]
    lt = model.index(0, 0)
    assert [model.index(r, 0, lt).data() for r in range(model.rowCount(lt))] == ["莲塘第一网格 (2)", "莲塘第二网格 (1)"]
    first_grid = model.index(0, 0, lt)
    assert sorted(model.index(r, 0, first_grid).data() for r in range(2)) == ["莲塘一中东门", "莲塘镇政府门口"]
    assert sorted(tree.shown_cameras()) == [1, 2, 3, 4]


def test_the_filter_keeps_matching_cameras_and_their_groups(qtbot: Any) -> None:
    picker = shown(qtbot, CameraPicker(), 300, 500)
    picker.set_cameras(CAMERAS, TOWNSHIPS, GRIDS)
    picker.filter_box.setText("广场")
    assert picker.tree.shown_cameras() == [4]
    picker.filter_box.setText("莲塘")
    assert sorted(picker.tree.shown_cameras()) == [1, 2]
    picker.filter_box.setText("")
    assert len(picker.tree.shown_cameras()) == 4


def test_dragging_a_camera_carries_its_mime_and_enter_activates(qtbot: Any) -> None:
    picker = shown(qtbot, CameraPicker(), 300, 500)
    picker.set_cameras(CAMERAS, TOWNSHIPS, GRIDS)
    tree = picker.tree
    index = tree.index_of_camera(3)
    assert index.isValid()
    mime = tree.model().mimeData([index])
    assert camera_from_mime(mime) == 3 and camera_name_from_mime(mime) == "澄湖路口"
    assert not tree.model().flags(index.parent()) & Qt.ItemFlag.ItemIsDragEnabled
    assert tree.model().flags(index) & Qt.ItemFlag.ItemIsDragEnabled
    tree.setCurrentIndex(index)
    with qtbot.waitSignal(picker.camera_activated) as blocker:
        qtbot.keyClick(tree, Qt.Key.Key_Return)
    assert blocker.args == [3]
    QApplication.processEvents()


def test_the_lost_overlay_grows_with_the_tile_and_covers_the_picture(qtbot: Any) -> None:
    tile = shown(qtbot, VideoTile(), 320, 180)
    tile.set_camera(3, "向塘镇火车站广场")
    source = Source()
    tile.set_frame_getter(source)
    source.publish(1, solid(320, 180, (255, 255, 255)))
    tile.refresh()
    white = pixel(tile, 10, 170)
    tile.set_health(TileHealth("lost", frame_age_s=5))
    dimmed = pixel(tile, 10, 170)
    assert white.lightness() > 240 and dimmed.lightness() < 140
    small = tile.overlay_fonts()[0].pixelSize()
    tile.resize(1600, 900)
    assert tile.overlay_fonts()[0].pixelSize() > small


def test_a_new_getter_takes_over_at_its_first_frame_even_with_the_same_seq(qtbot: Any) -> None:
    tile = shown(qtbot, VideoTile(), 320, 180)
    tile.set_camera(1, "cam")
    main, sub = Source(), Source()
    main.publish(1, solid(64, 36, (255, 0, 0)))
    sub.publish(1, solid(64, 36, (0, 0, 255)))
    tile.set_frame_getter(main)
    assert tile.refresh()
    tile.set_frame_getter(sub)
    assert close_to(pixel(tile, 160, 120), (0, 0, 255))  # the main stream's last frame stays until the sub's
    assert tile.refresh()
    assert close_to(pixel(tile, 160, 120), (255, 0, 0))


def test_a_camera_drag_highlights_the_tile_and_other_drags_are_refused(qtbot: Any) -> None:
    from PySide6.QtGui import QDragEnterEvent
    tile = shown(qtbot, VideoTile(), 320, 180)
    plain = pixel(tile, 1, 90)
    other = QMimeData()
    other.setText("x")
    refused = QDragEnterEvent(QPoint(10, 10), Qt.DropAction.CopyAction, other, Qt.MouseButton.LeftButton,
                              Qt.KeyboardModifier.NoModifier)
    tile.dragEnterEvent(refused)
    assert not refused.isAccepted()
    mime = camera_mime_data(5)  # kept alive: the event does not own it
    entered = QDragEnterEvent(QPoint(10, 10), Qt.DropAction.CopyAction, mime,
                              Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    tile.dragEnterEvent(entered)
    assert entered.isAccepted()
    assert close_to(pixel(tile, 1, 90), (0x38, 0xbd, 0xf8)) and not close_to(plain, (0x38, 0xbd, 0xf8))
