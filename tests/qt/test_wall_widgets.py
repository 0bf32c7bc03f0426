"""The wall's figure widgets: typical and empty data, number formats, clicks at the items' own positions, no repaint
for equal data, fonts that follow the scale, elided names, and the wall scale of real screen sizes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QObject, QPoint, Qt
from PySide6.QtGui import QFontMetrics, QImage
from PySide6.QtWidgets import QApplication, QLabel, QVBoxLayout, QWidget

from widgets.ranking_list import RankingList, RankRow
from widgets.stat_tile import StatStrip, StatTile
from widgets.wall_charts import OTHER_CATEGORY, CategoryChart, HourlyChart, RateGauge, TrendChart
from widgets.wall_panel import WallPanel
from widgets.wall_plot import nice_ticks, thin_step
from widgets.wall_text import ElidedText, format_count, format_percent
from widgets.wall_theme import WALL_THEME, apply_wall_theme, wall_scale

LONG_NAME = "小蓝经济技术开发区管理委员会社会事务局"
TODAY = [5, 3, 2, 1, 1, 4, 12, 30, 55, 70, 80, 66, 50, 45, 20] + [0] * 9
YESTERDAY = [6, 4, 3, 2, 2, 4, 11, 28, 54, 71, 78, 69, 52, 47, 63, 72, 70, 66, 58, 49, 41, 30, 19, 11]
DAYS = [f"2025-05-{d:02d}" for d in range(20, 32)] + [f"2025-06-{d:02d}" for d in range(1, 19)]
CATEGORIES = [("市容环境", 486), ("道路交通", 352), ("环境污染", 291), ("噪音扰民", 238), ("违章建筑", 187),
              ("供水供电", 164), ("矛盾纠纷", 131), ("安全隐患", 118)]


class PaintCounter(QObject):
    """Counts the paint events a widget receives."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        self.count = 0
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


def settle() -> None:
    for _ in range(3):
        QApplication.processEvents()


def shown(qtbot: Any, widget: QWidget, width: int, height: int) -> QWidget:
    qtbot.addWidget(widget)
    widget.resize(width, height)
    widget.show()
    qtbot.waitExposed(widget)
    settle()
    return widget


def assert_repaints_only_on_change(target: QWidget, same: Any, different: Any) -> None:
    """`same()` sets the data shown again: no paint; `different()` changes it: a paint (the counter works)."""
    counter = PaintCounter(target)
    settle()
    counter.count = 0
    same()
    settle()
    assert counter.count == 0
    different()
    settle()
    assert counter.count > 0


# -- theme and scale ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("width", "height", "scale"), [(1920, 1080, 1.0), (3840, 2160, 2.0), (7680, 2160, 2.0),
                                                        (1280, 720, 2 / 3), (640, 360, 0.5), (15360, 8640, 4.0)])
def test_wall_scale_of_real_screens(width: int, height: int, scale: float) -> None:
    assert wall_scale(width, height) == pytest.approx(scale)


def test_apply_wall_theme_dresses_the_window_and_scales_its_base_font(qtbot: Any) -> None:
    window = QWidget()
    label = QLabel("全县", window)
    qtbot.addWidget(window)
    apply_wall_theme(window, WALL_THEME, 2.0)
    assert window.palette().color(window.backgroundRole()).name() == WALL_THEME.background
    assert label.font().pixelSize() == 36


def test_number_formats() -> None:
    assert [format_count(v) for v in (None, 0, 12345, 1234567, 3.25, 7.0, float("nan"))] == \
        ["—", "0", "12,345", "1,234,567", "3.2", "7", "—"]
    assert [format_percent(v) for v in (None, 0.935, 1.0, 0.0)] == ["—", "93.5%", "100.0%", "0.0%"]


def test_ticks_are_nice_integers_and_labels_thin_to_fit() -> None:
    assert nice_ticks(37) == [0, 10, 20, 30, 40]
    assert nice_ticks(0) == [0, 1]
    assert nice_ticks(3) == [0, 1, 2, 3]
    assert thin_step(30, 1000, 50) == 2
    assert thin_step(30, 3000, 50) == 1


# -- StatTile / StatStrip ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(("value", "percent", "text"), [(None, False, "—"), (0, False, "0"), (12345, False, "12,345"),
                                                        (0.935, True, "93.5%"), (None, True, "—")])
def test_stat_tile_formats_its_value(qtbot: Any, value: float | None, percent: bool, text: str) -> None:
    tile = StatTile("k", "今日受理")
    qtbot.addWidget(tile)
    tile.set_value(value, percent=percent, detail="较昨日 +12%")
    assert tile.value_text() == text
    assert tile.detail() == "较昨日 +12%"


def test_a_click_on_a_tile_of_the_strip_emits_its_key(qtbot: Any) -> None:
    tiles = [("hotline", "12345热线"), ("city", "数字城管"), ("volunteer", "平安志愿者"), ("video", "视频告警")]
    strip = shown(qtbot, StatStrip(tiles, columns=2), 800, 300)
    for key, _ in tiles:
        strip.tile(key).set_value(100)
    where = strip.tile("volunteer").geometry().center()  # second row, first column
    target = strip.childAt(where)
    assert isinstance(target, StatTile)
    with qtbot.waitSignal(strip.tile_clicked) as blocker:
        qtbot.mouseClick(target, Qt.MouseButton.LeftButton, pos=target.mapFrom(strip, where))
    assert blocker.args == ["volunteer"]
    assert strip.tile("hotline").cursor().shape() == Qt.CursorShape.PointingHandCursor


def test_a_tile_repaints_only_when_what_it_shows_changes(qtbot: Any) -> None:
    tile = shown(qtbot, StatTile("k", "今日受理"), 300, 160)
    tile.set_value(12345, detail="较昨日 +3%")
    tile.set_tone("warn")
    assert_repaints_only_on_change(tile, lambda: (tile.set_value(12345, detail="较昨日 +3%"), tile.set_tone("warn")),
                                   lambda: tile.set_value(12346, detail="较昨日 +3%"))


def test_tile_fonts_grow_with_the_scale_and_the_value_is_never_cut(qtbot: Any) -> None:
    tile = shown(qtbot, StatTile("k", "在办总量"), 300, 160)
    assert tile.value_font_px() == 48
    tile.set_scale(2.0)
    assert tile.value_font_px() == 96
    tile.set_scale(1.0)
    tile.resize(200, 160)
    tile.set_value(123456789)
    _, value_rect, _, font = tile.text_rects()
    assert font.pixelSize() < 48  # shrunk to fit the width
    assert QFontMetrics(font).horizontalAdvance("123,456,789") <= value_rect.width()


def test_a_short_tile_drops_its_detail_before_cutting_text(qtbot: Any) -> None:
    tile = shown(qtbot, StatTile("k", "今日受理"), 300, 200)
    tile.set_value(8675, detail="较昨日 +12%")
    assert tile.text_rects()[2] is not None
    tile.resize(300, 100)
    settle()
    title, value, detail, _ = tile.text_rects()
    assert detail is None
    assert title.top() >= 0 and value.bottom() < tile.height()


def test_a_long_tile_title_is_elided(qtbot: Any) -> None:
    tile = shown(qtbot, StatTile("k", LONG_NAME), 160, 140)
    assert tile.shown_title().endswith("…")
    assert tile.shown_title() != LONG_NAME


# -- WallPanel ---------------------------------------------------------------------------------------------------
def test_panel_shows_its_as_of_time_and_when_it_is_stale(qtbot: Any) -> None:
    panel = shown(qtbot, WallPanel("今日分时上报", QLabel("…")), 600, 300)
    assert panel.as_of_text() == ""
    panel.set_as_of("10:32:05")
    assert panel.as_of_text() == "数据截至 10:32:05"
    assert panel.as_of_label.color() == WALL_THEME.text_dim
    panel.set_as_of("10:32:05", stale=True)
    assert panel.as_of_text() == "数据截至 10:32:05（已过时）"
    assert panel.as_of_label.color() == WALL_THEME.stale
    assert panel.as_of_label.width() >= panel.as_of_label.natural_width()  # the time is never elided
    panel.set_as_of(None)
    assert panel.as_of_text() == ""


def test_panel_scales_its_header_and_its_body(qtbot: Any) -> None:
    gauge = RateGauge()
    panel = shown(qtbot, WallPanel("吹哨报到率", gauge), 400, 300)
    before = panel.title_label.text_font().pixelSize()
    panel.set_scale(2.0)
    assert panel.title_label.text_font().pixelSize() == 2 * before
    assert gauge.value_font_px() == 104


def test_a_narrow_panel_elides_its_title(qtbot: Any) -> None:
    panel = shown(qtbot, WallPanel(LONG_NAME, QLabel("")), 260, 200)
    panel.set_as_of("10:32:05")
    settle()
    assert panel.title_label.shown_text().endswith("…")


# -- HourlyChart -------------------------------------------------------------------------------------------------
def click_plot(qtbot: Any, chart: Any, x: float, y: float) -> None:
    viewport = chart.wall_plot.plot.viewport()
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=chart.wall_plot.widget_pos(x, y))


def test_hourly_chart_shows_today_up_to_now_and_a_click_on_a_bar_gives_its_hour(qtbot: Any) -> None:
    chart = shown(qtbot, HourlyChart(), 800, 360)
    chart.set_data(TODAY, YESTERDAY, 14)
    settle()
    assert not chart.wall_plot.is_empty_shown()
    assert chart.wall_plot.legend.labels() == ["今日", "昨日"]
    assert chart.wall_plot.plot.viewport().cursor().shape() == Qt.CursorShape.PointingHandCursor
    with qtbot.waitSignal(chart.hour_clicked) as blocker:
        click_plot(qtbot, chart, 9, TODAY[9] / 2)
    assert blocker.args == [9]
    with qtbot.waitSignal(chart.hour_clicked) as blocker:
        click_plot(qtbot, chart, 20, YESTERDAY[20] / 2)
    assert blocker.args == [20]


def test_hourly_chart_with_no_data_says_so(qtbot: Any) -> None:
    chart = shown(qtbot, HourlyChart(), 800, 360)
    chart.set_data([], [], 0)
    settle()
    assert chart.wall_plot.is_empty_shown()
    assert chart.wall_plot.empty_note.text() == "暂无数据"
    chart.set_data(TODAY, [0] * 24, 14)
    assert not chart.wall_plot.is_empty_shown()


def test_hourly_chart_repaints_only_for_new_data(qtbot: Any) -> None:
    chart = shown(qtbot, HourlyChart(), 800, 360)
    chart.set_data(TODAY, YESTERDAY, 14)
    assert_repaints_only_on_change(chart.wall_plot.plot.viewport(),
                                   lambda: chart.set_data(list(TODAY), list(YESTERDAY), 14),
                                   lambda: chart.set_data(TODAY, YESTERDAY, 15))


def test_chart_fonts_grow_with_the_scale(qtbot: Any) -> None:
    chart = shown(qtbot, HourlyChart(), 800, 360)
    before = chart.wall_plot.tick_font().pixelSize()
    chart.set_scale(2.0)
    axis = chart.wall_plot.item.getAxis("bottom")
    assert chart.wall_plot.tick_font().pixelSize() == 2 * before
    assert axis.style["tickFont"].pixelSize() == 2 * before


# -- TrendChart --------------------------------------------------------------------------------------------------
def test_trend_chart_thins_its_day_labels_and_a_click_gives_the_day(qtbot: Any) -> None:
    chart = shown(qtbot, TrendChart(), 600, 320)
    reported = [800 + i * 5 for i in range(30)]
    chart.set_data(DAYS, reported, [r - 30 for r in reported])
    settle()
    ticks = chart.wall_plot.ticks("bottom")
    assert 2 < len(ticks) < 30
    assert ticks[-1] == (29.0, "06-18")  # the newest day keeps its label
    assert all(len(label) == 5 and label[2] == "-" for _, label in ticks)
    with qtbot.waitSignal(chart.day_clicked) as blocker:
        click_plot(qtbot, chart, 12, reported[12])
    assert blocker.args == [DAYS[12]]
    assert_repaints_only_on_change(chart.wall_plot.plot.viewport(),
                                   lambda: chart.set_data(list(DAYS), list(reported), [r - 30 for r in reported]),
                                   lambda: chart.set_data(DAYS, reported, reported))


def test_trend_chart_with_no_days_says_so(qtbot: Any) -> None:
    chart = shown(qtbot, TrendChart(), 600, 320)
    chart.set_data([], [], [])
    assert chart.wall_plot.is_empty_shown()
    chart.set_data(DAYS, [0] * 30, [0] * 30)
    assert chart.wall_plot.is_empty_shown()


# -- CategoryChart -----------------------------------------------------------------------------------------------
def test_category_chart_folds_what_does_not_fit_into_other(qtbot: Any) -> None:
    chart = shown(qtbot, CategoryChart(), 600, 200)
    chart.set_data(list(reversed(CATEGORIES)))
    settle()
    fit = chart.rows_that_fit()
    assert 1 < fit < len(CATEGORIES)
    rows = chart.rows()
    assert len(rows) == fit
    assert rows[0] == ("市容环境", 486)
    assert rows[-1] == ("其他", sum(count for _, count in CATEGORIES[fit - 1:]))
    assert chart.other_names() == [name for name, _ in CATEGORIES[fit - 1:]]
    chart.resize(600, 900)
    settle()
    assert chart.rows() == CATEGORIES  # all fit now


def test_a_click_on_a_category_bar_gives_its_name_and_on_other_the_other_key(qtbot: Any) -> None:
    chart = shown(qtbot, CategoryChart(), 600, 200)
    chart.set_data(CATEGORIES)
    settle()
    rows = chart.rows()
    with qtbot.waitSignal(chart.category_clicked) as blocker:
        click_plot(qtbot, chart, rows[1][1] / 2, 1)
    assert blocker.args == [rows[1][0]]
    with qtbot.waitSignal(chart.category_clicked) as blocker:
        click_plot(qtbot, chart, rows[-1][1] / 2, len(rows) - 1)
    assert blocker.args == [OTHER_CATEGORY]


def test_category_names_too_long_are_elided(qtbot: Any) -> None:
    chart = shown(qtbot, CategoryChart(), 400, 300)
    chart.set_data([(LONG_NAME, 10), ("市容环境", 5)])
    settle()
    names = [label for _, label in chart.wall_plot.ticks("left")]
    assert names[0].endswith("…") and names[0] != LONG_NAME
    assert names[1] == "市容环境"


def test_category_chart_empty_and_unchanged(qtbot: Any) -> None:
    chart = shown(qtbot, CategoryChart(), 600, 300)
    chart.set_data([])
    assert chart.wall_plot.is_empty_shown()
    chart.set_data([("市容环境", 0)])
    assert chart.wall_plot.is_empty_shown()
    chart.set_data(CATEGORIES)
    assert not chart.wall_plot.is_empty_shown()
    assert_repaints_only_on_change(chart.wall_plot.plot.viewport(), lambda: chart.set_data(list(CATEGORIES)),
                                   lambda: chart.set_data(CATEGORIES[:3]))


# -- RankingList -------------------------------------------------------------------------------------------------
def rank_rows(n: int) -> list[RankRow]:
    names = ["莲塘镇", "向塘镇", "三江镇", "塔城乡", "黄马乡", "武阳镇", "冈上镇", "广福镇", "昌东镇", "麻丘镇"]
    return [RankRow(100 + i, names[i % len(names)], 1 - i * 0.05, f"{(1 - i * 0.05) * 100:.1f}%",
                    "good" if i < 3 else "warn") for i in range(n)]


def test_a_click_on_a_ranking_row_gives_its_id(qtbot: Any) -> None:
    ranking = shown(qtbot, RankingList(), 500, 400)
    ranking.set_rows(rank_rows(6))
    where = ranking.row_rect(3).center()
    assert ranking.row_at(where) == 3
    with qtbot.waitSignal(ranking.row_clicked) as blocker:
        qtbot.mouseClick(ranking, Qt.MouseButton.LeftButton, pos=where)
    assert blocker.args == [103]
    assert ranking.cursor().shape() == Qt.CursorShape.PointingHandCursor


def test_a_ranking_shows_as_many_rows_as_fit_and_elides_long_names(qtbot: Any) -> None:
    ranking = shown(qtbot, RankingList(), 360, 200)
    rows = rank_rows(10)
    rows[0] = RankRow(1, LONG_NAME, 0.98, "98.0%", "good")
    ranking.set_rows(rows)
    assert ranking.visible_count() == 200 // ranking.row_height() < 10
    assert ranking.shown_name(0).endswith("…")
    assert ranking.shown_name(1) == rows[1].name
    below = QPoint(10, ranking.visible_count() * ranking.row_height() + 2)
    assert ranking.row_at(below) == -1


def test_ranking_repaints_only_for_new_rows_and_scales(qtbot: Any) -> None:
    ranking = shown(qtbot, RankingList(), 500, 400)
    ranking.set_rows(rank_rows(5))
    assert_repaints_only_on_change(ranking, lambda: ranking.set_rows(rank_rows(5)),
                                   lambda: ranking.set_rows(rank_rows(4)))
    before = ranking.name_font_px()
    ranking.set_scale(2.0)
    assert ranking.name_font_px() == 2 * before


def test_an_empty_ranking_paints(qtbot: Any) -> None:
    ranking = shown(qtbot, RankingList(), 500, 400)
    ranking.set_rows([])
    assert ranking.visible_count() == 0
    image = ranking.grab().toImage()
    assert image_has_color(image, WALL_THEME.text_dim)  # the "暂无数据" note


def image_has_color(image: QImage, color: str) -> bool:
    target = color.lower()
    return any(image.pixelColor(x, y).name() == target
               for y in range(0, image.height(), 2) for x in range(0, image.width(), 2))


# -- RateGauge ---------------------------------------------------------------------------------------------------
def test_gauge_shows_the_rate_in_its_tone_and_emits_on_click(qtbot: Any) -> None:
    gauge = shown(qtbot, RateGauge(), 300, 260)
    gauge.set_rate(45 / 48, "应到 48 · 已到 45")
    assert gauge.rate_text() == "93.8%"
    assert gauge.tone() == "good"
    gauge.set_rate(0.8)
    assert gauge.tone() == "warn"
    gauge.set_rate(0.5)
    assert gauge.tone() == "bad"
    with qtbot.waitSignal(gauge.clicked):
        qtbot.mouseClick(gauge, Qt.MouseButton.LeftButton, pos=gauge.ring_geometry()[0].center().toPoint())
    assert gauge.cursor().shape() == Qt.CursorShape.PointingHandCursor


def test_gauge_without_a_rate(qtbot: Any) -> None:
    gauge = shown(qtbot, RateGauge(), 300, 260)
    gauge.set_rate(None)
    assert gauge.rate_text() == "—"
    assert gauge.detail_text() == "暂无数据"
    gauge.set_rate(float("nan"), "应到 0")
    assert gauge.rate_text() == "—"
    assert gauge.detail_text() == "应到 0"


def test_gauge_fits_its_widget_repaints_only_on_change_and_scales(qtbot: Any) -> None:
    gauge = shown(qtbot, RateGauge(), 300, 200)
    gauge.set_rate(0.9, "应到 10 · 已到 9")
    circle, ring, detail = gauge.ring_geometry()
    assert circle.top() - ring / 2 >= -0.5
    assert detail.bottom() < gauge.height()
    assert_repaints_only_on_change(gauge, lambda: gauge.set_rate(0.9, "应到 10 · 已到 9"),
                                   lambda: gauge.set_rate(0.95, "应到 20 · 已到 19"))
    gauge.set_scale(2.0)
    assert gauge.value_font_px() == 104


# -- ElidedText and the preview ----------------------------------------------------------------------------------
def test_elided_text_keeps_its_full_text_as_tooltip(qtbot: Any) -> None:
    host = QWidget()
    label = ElidedText(LONG_NAME, 20)
    layout = QVBoxLayout(host)
    layout.addWidget(label)
    shown(qtbot, host, 120, 60)
    assert label.shown_text().endswith("…")
    assert label.toolTip() == LONG_NAME


def test_the_preview_script_renders_a_sample_wall(qtbot: Any, tmp_path: Path) -> None:
    from tools.wall_widgets_preview import render

    path = render(1280, 720, tmp_path / "wall.png")
    image = QImage(str(path))
    assert (image.width(), image.height()) == (1280, 720)
    assert image_has_color(image, WALL_THEME.accent)
