"""Screenshots of the wall's figure widgets in a wall-like grid, with realistic Nanchang County data, to look at.

    .venv/bin/python tools/wall_widgets_preview.py /tmp/wall      # wall_1920x1080.png, wall_3840x2160.png,
                                                                  # wall_empty_1920x1080.png (every figure empty)

Offscreen (no display needed); the layout is the same at every size, the scale comes from `wall_scale`. The real
wall window (views/) composes the same widgets with the map in the middle; here a plain panel stands in for the map.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QGridLayout, QVBoxLayout, QWidget

from app.bootstrap import BASE_POINT_SIZE, pick_cjk_font
from widgets.ranking_list import RankingList, RankRow
from widgets.stat_tile import StatStrip
from widgets.wall_charts import CategoryChart, HourlyChart, RateGauge, TrendChart
from widgets.wall_panel import WallPanel
from widgets.wall_text import ElidedText
from widgets.wall_theme import WALL_THEME, apply_wall_theme, wall_scale

CHANNELS = [("hotline", "12345热线", 1286), ("city_mgmt", "数字城管", 842), ("volunteer", "平安志愿者", 317),
            ("city_platform", "市级平台", 205), ("grid_app", "网格员APP", 1934), ("public_app", "群众APP", 628),
            ("visit", "来访", 46), ("video", "视频告警", 2417)]
KPIS = [("received", "今日受理"), ("closed", "今日办结"), ("open", "在办总量"), ("overdue", "超期在办"),
        ("on_time", "按期办结率"), ("satisfied", "群众满意率")]
TOWNSHIPS = [("小蓝经济技术开发区", 0.981), ("莲塘镇", 0.972), ("向塘镇", 0.966), ("银三角管理委员会", 0.958),
             ("三江镇", 0.951), ("武阳镇", 0.944), ("塔城乡", 0.937), ("冈上镇", 0.929), ("广福镇", 0.918),
             ("昌东镇", 0.904), ("麻丘镇", 0.897), ("黄马乡", 0.883), ("泾口乡", 0.861), ("南新乡", 0.842),
             ("幽兰镇", 0.795)]
DEPARTMENTS = [("县城管局", 0.976), ("县住建局", 0.962), ("县水利局", 0.955), ("县生态环境局", 0.941),
               ("县市场监管局", 0.928), ("县交通运输局", 0.903), ("县公安局", 0.887), ("县应急管理局", 0.846)]
CATEGORIES = [("市容环境", 486), ("道路交通", 352), ("环境污染", 291), ("噪音扰民", 238), ("违章建筑", 187),
              ("供水供电", 164), ("矛盾纠纷", 131), ("安全隐患", 118), ("物业管理", 77), ("劳动保障", 52),
              ("教育医疗", 31)]
HOURLY_SHAPE = [6, 4, 3, 2, 2, 4, 11, 28, 54, 71, 78, 69, 52, 47, 63, 72, 70, 66, 58, 49, 41, 30, 19, 11]
NOW_HOUR = 14
LAST_DAY = dt.date(2025, 6, 18)


def rate_tone(rate: float) -> str:
    return "good" if rate >= 0.95 else "warn" if rate >= 0.85 else "bad"


def rank_rows(items: list[tuple[str, float]], first_id: int) -> list[RankRow]:
    return [RankRow(first_id + i, name, rate, f"{rate * 100:.1f}%", rate_tone(rate)) for i, (name, rate) in
            enumerate(items)]


class PreviewWall(QWidget):
    """The sample composition: a channel strip on top; charts left, KPIs and map centre, rankings right."""

    def __init__(self) -> None:
        super().__init__()
        self.title = ElidedText("昌南治理指挥中心 · 全县社会治理态势", 34, bold=True, color=WALL_THEME.text)
        self.channels = StatStrip([(key, title) for key, title, _ in CHANNELS], columns=8)
        self.kpis = StatStrip(KPIS, columns=3)
        self.hourly, self.trend, self.categories = HourlyChart(), TrendChart(), CategoryChart()
        self.townships, self.departments, self.gauge = RankingList(), RankingList(), RateGauge()
        self.map_stand_in = ElidedText("（此处为地图组件）", 24, color=WALL_THEME.text_dim)
        self.panels = {
            "channels": WallPanel("今日各渠道受理", self.channels),
            "hourly": WallPanel("今日分时上报", self.hourly),
            "trend": WallPanel("近30日上报与办结", self.trend),
            "categories": WallPanel("问题类别", self.categories),
            "kpis": WallPanel("今日运行指标", self.kpis),
            "map": WallPanel("全县事件分布", self.map_stand_in),
            "townships": WallPanel("镇街办结率排名", self.townships),
            "departments": WallPanel("部门按期办结率", self.departments),
            "gauge": WallPanel("吹哨报到率", self.gauge),
        }
        self._lay_out()

    def _lay_out(self) -> None:
        grid = QGridLayout()
        p = self.panels
        placement = {"channels": (0, 0, 1, 3), "hourly": (1, 0, 1, 1), "trend": (2, 0, 1, 1),
                     "categories": (3, 0, 1, 1), "kpis": (1, 1, 1, 1), "map": (2, 1, 1, 1), "gauge": (3, 1, 1, 1),
                     "townships": (1, 2, 2, 1), "departments": (3, 2, 1, 1)}
        for name, (row, column, rows, columns) in placement.items():
            grid.addWidget(p[name], row, column, rows, columns)
        for column, stretch in enumerate((3, 3, 3)):
            grid.setColumnStretch(column, stretch)
        for row, stretch in enumerate((5, 7, 7, 7)):
            grid.setRowStretch(row, stretch)
        outer = QVBoxLayout(self)
        outer.addWidget(self.title)
        outer.addLayout(grid, 1)
        self._grid, self._outer = grid, outer

    def set_scale(self, scale: float) -> None:
        apply_wall_theme(self, WALL_THEME, scale)
        self.title.set_scale(scale)
        self.map_stand_in.set_scale(scale)
        for panel in self.panels.values():
            panel.set_scale(scale)
        spacing = round(14 * scale)
        self._grid.setSpacing(spacing)
        self._outer.setSpacing(spacing)
        self._outer.setContentsMargins(spacing, spacing, spacing, spacing)

    def fill(self) -> None:
        for key, _, count in CHANNELS:
            detail = f"较昨日 {'+' if count % 3 else '-'}{count % 17 + 2}%"
            self.channels.tile(key).set_value(count, detail=detail)
        self.channels.tile("video").set_tone("warn")
        values = {"received": (8675, False, "warn"), "closed": (7412, False, "good"), "open": (12345, False, "normal"),
                  "overdue": (37, False, "bad"), "on_time": (0.935, True, "good"), "satisfied": (0.968, True, "good")}
        for key, (value, percent, tone) in values.items():
            self.kpis.tile(key).set_value(value, percent=percent)
            self.kpis.tile(key).set_tone(tone)
        today = [v * 11 if h <= NOW_HOUR else 0 for h, v in enumerate(HOURLY_SHAPE)]
        today[NOW_HOUR] = today[NOW_HOUR] // 2
        self.hourly.set_data(today, [round(v * 10.4) for v in HOURLY_SHAPE], NOW_HOUR)
        days = [(LAST_DAY - dt.timedelta(days=29 - i)).isoformat() for i in range(30)]
        reported = [820 + (i * 37) % 160 - (110 if i % 7 in (5, 6) else 0) for i in range(30)]
        self.trend.set_data(days, reported, [r - 40 + (i * 13) % 50 for i, r in enumerate(reported)])
        self.categories.set_data(CATEGORIES)
        self.townships.set_rows(rank_rows(TOWNSHIPS, 1))
        self.departments.set_rows(rank_rows(DEPARTMENTS, 101))
        self.gauge.set_rate(45 / 48, "应到 48 · 已到 45")
        for name, panel in self.panels.items():
            panel.set_as_of("10:32:05", stale=name == "trend")

    def fill_empty(self) -> None:
        for key, _, _ in CHANNELS:
            self.channels.tile(key).set_value(None)
        for key, _ in KPIS:
            self.kpis.tile(key).set_value(0)
        self.hourly.set_data([], [], 0)
        self.trend.set_data([], [], [])
        self.categories.set_data([])
        self.townships.set_rows([])
        self.departments.set_rows([])
        self.gauge.set_rate(None)


def make_app() -> QApplication:
    """A QApplication with the CJK font the desktop uses (app/bootstrap.py)."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    family = pick_cjk_font(QFontDatabase.families())
    font = QFont(family) if family else app.font()
    font.setPointSize(BASE_POINT_SIZE)
    app.setFont(font)
    return app


def render(width: int, height: int, path: Path, empty: bool = False) -> Path:
    wall = PreviewWall()
    wall.set_scale(wall_scale(width, height))
    if empty:
        wall.fill_empty()
    else:
        wall.fill()
    wall.resize(width, height)
    wall.show()
    QApplication.processEvents()
    QApplication.processEvents()
    wall.grab().save(str(path))
    wall.close()
    wall.deleteLater()
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="directory for the PNGs")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    make_app()
    for width, height, empty in ((1920, 1080, False), (3840, 2160, False), (1920, 1080, True)):
        name = f"wall_{'empty_' if empty else ''}{width}x{height}.png"
        print(render(width, height, args.out / name, empty))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
