"""Screenshots of the video wall's widgets with synthetic frames, to look at.

    .venv/bin/python tools/video_widgets_preview.py /tmp/video    # video_1+5_1920x1080.png, video_16_1920x1080.png,
                                                                  # video_lost_maximised_3840x2160.png,
                                                                  # camera_picker.png, camera_picker_filtered.png

Offscreen (no display needed). Each camera shows coloured noise with its name burnt in (a stand-in for real video);
one tile is lost (信号中断 with the time since its last frame), one is under alarm (red frame), one is frozen, one
connecting, one 4:3 (letterboxed), and in the 16 layout the last tiles are empty (拖入摄像头).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QFont, QFontDatabase, QImage, QPainter
from PySide6.QtWidgets import QApplication

from app.bootstrap import BASE_POINT_SIZE, pick_cjk_font
from widgets.camera_tree import CameraPicker
from widgets.video_grid import VideoGrid
from widgets.video_tile import TileHealth
from widgets.wall_theme import WALL_THEME, apply_wall_theme, wall_scale

CAMERAS = ["莲塘镇政府门口", "向塘火车站广场", "小蓝经济技术开发区金沙大道与富山大道交叉口东北角", "三江镇农贸市场",
           "武阳镇中学南门", "塔城乡卫生院", "冈上镇滨江大道", "广福镇人民广场", "昌东镇菜市场", "麻丘镇高铁站",
           "黄马乡政府", "泾口乡码头", "南新乡渡口", "幽兰镇老街"]
TOWNSHIPS = {1: "莲塘镇", 2: "向塘镇", 3: "小蓝经济技术开发区", 4: "三江镇"}
GRIDS = {11: "莲塘第一网格", 12: "莲塘第二网格", 21: "向塘第一网格", 31: "小蓝第三网格", 41: "三江第一网格"}


def synthetic_frame(name: str, width: int, height: int, seed: int) -> np.ndarray:
    """Coloured noise over a hue gradient, with the camera's name and size burnt in (BGR)."""
    rng = np.random.default_rng(seed)
    base = np.array([(seed * 53) % 200 + 30, (seed * 97) % 200 + 30, (seed * 31) % 200 + 30], np.int16)
    ramp = np.linspace(-40, 40, width, dtype=np.int16)[None, :, None]
    noise = rng.integers(-25, 25, (height, width, 3), dtype=np.int16)
    frame = np.clip(base + ramp + noise, 0, 255).astype(np.uint8)
    image = QImage(frame.data, width, height, frame.strides[0], QImage.Format.Format_BGR888)
    painter = QPainter(image)
    font = QFont(QApplication.font())
    font.setPixelSize(max(12, height // 12))
    painter.setFont(font)
    painter.setPen(QColor("#ffffff"))
    painter.drawText(QRect(0, 0, width, height), Qt.AlignmentFlag.AlignCenter, f"{name}\n{width}×{height}")
    painter.end()
    return frame


def make_app() -> QApplication:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    family = pick_cjk_font(QFontDatabase.families())
    font = QFont(family) if family else app.font()
    font.setPointSize(BASE_POINT_SIZE)
    app.setFont(font)
    return app


def fill(grid: VideoGrid, cameras: int) -> None:
    """Cameras on the first `cameras` tiles, one frame each, and a mix of health states."""
    for index, tile in enumerate(grid.tiles()[:cameras]):
        name = CAMERAS[index % len(CAMERAS)]
        large = grid.tile_is_large(index)
        size = (1280, 720) if large else (704, 576) if index == 2 else (640, 360)
        frame = synthetic_frame(name, *size, seed=index + 1)
        tile.set_camera(index + 1, name)
        tile.set_frame_getter(lambda f=frame, i=index: (i, f))
        tile.set_health(TileHealth("live", fps=25.0 if large else 12.5))
    states = {1: TileHealth("lost", frame_age_s=37), 3: TileHealth("frozen", frame_age_s=6),
              4: TileHealth("connecting")}
    for index, health in states.items():
        if index < cameras:
            grid.tiles()[index].set_health(health)
    grid.tiles()[0].set_alarm(True)
    grid.refresh_all()


def render_grid(layout: str, cameras: int, path: Path, width: int = 1920, height: int = 1080,
                maximize: int = -1) -> Path:
    grid = VideoGrid(layout)
    apply_wall_theme(grid, WALL_THEME, wall_scale(width, height))
    grid.set_scale(wall_scale(width, height))
    grid.resize(width, height)
    grid.show()
    QApplication.processEvents()
    fill(grid, cameras)
    if maximize >= 0:
        grid.toggle_maximized(maximize)
    QApplication.processEvents()
    grid.grab().save(str(path))
    grid.close()
    return path


def render_picker(path: Path) -> Path:
    picker = CameraPicker()
    rows = [{"id": i + 1, "name": name, "township_id": 1 + i % 4, "grid_id": [11, 21, 31, 41][i % 4]}
            for i, name in enumerate(CAMERAS)]
    rows[4]["grid_id"] = 12
    picker.set_cameras(rows, TOWNSHIPS, GRIDS)
    picker.resize(360, 600)
    picker.show()
    picker.tree.expandAll()
    QApplication.processEvents()
    picker.grab().save(str(path))
    picker.filter_box.setText("镇")
    QApplication.processEvents()
    picker.grab().save(str(path.with_name(path.stem + "_filtered.png")))
    picker.close()
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="directory for the PNGs")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    make_app()
    for path in (render_grid("1+5", 6, args.out / "video_1+5_1920x1080.png"),
                 render_grid("16", 13, args.out / "video_16_1920x1080.png"),
                 render_grid("4", 4, args.out / "video_lost_maximised_3840x2160.png", 3840, 2160, maximize=1),
                 render_picker(args.out / "camera_picker.png")):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
