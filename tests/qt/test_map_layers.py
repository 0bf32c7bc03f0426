"""The county map's layers, markers and clicks, on the real page (widgets/county_map.py, resources/web/county_map.js):
toggling from Python and from the page's layer control, the look of an estimated position, the Python signals of
clicks on markers and townships, big-screen scale, and a site's own tile server."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from services.demo.county import OUTLINE_PATH
from tests.qt.map_helpers import (
    LOAD_TIMEOUT_MS,
    County,
    case_at,
    deleted_after,
    js,
    loaded_map,
    page_ids,
    settle,
)
from widgets.county_map import CountyMap, MapAlarm, MapCamera
from widgets.map_markers import LAYER_TITLES


@pytest.fixture
def county_map(qtbot: QtBot, county: County, tmp_path: Path) -> Iterator[CountyMap]:
    yield from loaded_map(qtbot, county, tmp_path)


def control_checked(qtbot: QtBot, view: CountyMap) -> dict[str, bool]:
    """The layer control's checkboxes by their (Chinese) label."""
    script = ("Array.from(document.querySelectorAll('.leaflet-control-layers-overlays label')).map("
              "function (l) { return [l.textContent.trim(), l.querySelector('input').checked]; })")
    return dict(js(qtbot, view, script))


def click_page(view: CountyMap, lat_lon: tuple[float, float], qtbot: QtBot) -> None:
    """A real left click (Qt mouse events into the web view) at a map position."""
    x, y = js(qtbot, view, f"(function () {{ var p = ccc.map().latLngToContainerPoint({list(lat_lon)});"
                           " return [Math.round(p.x), Math.round(p.y)]; }())")
    target = view.focusProxy() or view
    QTest.mouseMove(target, QPoint(x, y))
    QTest.mouseClick(target, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(x, y))


def test_toggling_a_layer_from_python_hides_it_and_the_control_follows(
        qtbot: QtBot, county_map: CountyMap, grid_points: list[tuple[float, float]], county: County) -> None:
    county_map.set_cases(case_at(i, grid_points[i * 3], ("overdue", "new")[i % 2]) for i in range(200))
    settle(qtbot, county_map)
    assert js(qtbot, county_map, "document.querySelectorAll('.ccc-overdue, .ccc-cluster-overdue').length") > 0
    assert control_checked(qtbot, county_map) == {title: True for title in LAYER_TITLES.values()}
    paths = "document.querySelectorAll('.leaflet-overlay-pane path').length"
    townships = "document.querySelectorAll('.leaflet-overlay-pane path.leaflet-interactive').length"
    all_paths = js(qtbot, county_map, paths)
    county_map.set_layer_visible("overdue", False)
    county_map.set_layer_visible("grids", False)
    settle(qtbot, county_map)
    assert js(qtbot, county_map, paths) == all_paths - len(county["grids"])
    assert js(qtbot, county_map, townships) == len(county["townships"])
    assert js(qtbot, county_map, "ccc.visible('overdue')") is False
    assert js(qtbot, county_map, "document.querySelectorAll('.ccc-overdue, .ccc-cluster-overdue').length") == 0
    assert js(qtbot, county_map, "document.querySelectorAll('.ccc-new, .ccc-cluster-new').length") > 0
    checked = control_checked(qtbot, county_map)
    assert not checked["超期"] and not checked["网格边界"] and checked["新上报"]
    assert page_ids(qtbot, county_map, "overdue") == set(range(0, 200, 2))  # hidden, not dropped
    county_map.set_layer_visible("overdue", True)
    settle(qtbot, county_map)
    assert js(qtbot, county_map, "document.querySelectorAll('.ccc-overdue, .ccc-cluster-overdue').length") > 0
    with pytest.raises(ValueError, match="unknown layer"):
        county_map.set_layer_visible("roads", True)


def test_the_page_layer_control_reports_a_toggle_to_python(qtbot: QtBot, county_map: CountyMap) -> None:
    script = ("Array.from(document.querySelectorAll('.leaflet-control-layers-overlays label'))"
              ".find(function (l) { return l.textContent.trim() === '摄像头'; }).querySelector('input').click()")
    with qtbot.waitSignal(county_map.layer_toggled, timeout=10_000) as toggled:
        county_map.run_js(script)
    assert toggled.args == ["cameras", False]
    assert county_map.layer_visible("cameras") is False


def test_an_estimated_position_looks_different_and_says_so(
        qtbot: QtBot, county_map: CountyMap, grid_points: list[tuple[float, float]]) -> None:
    county_map.set_cases([case_at(1, grid_points[100], "overdue", estimated=True),
                          case_at(2, grid_points[900], "overdue")])
    county_map.focus(*grid_points[100], 17)
    settle(qtbot, county_map)
    assert "ccc-est" in js(qtbot, county_map, "ccc.marker('cases', 1).getElement().className").split()
    assert js(qtbot, county_map, "ccc.tooltipText('cases', 1)") == "案件1：占道经营\n位置为估算"
    assert js(qtbot, county_map, "ccc.tooltipText('cases', 2)") == "案件2：占道经营"
    js(qtbot, county_map, "ccc.marker('cases', 1).fire('mouseover') && true")
    assert js(qtbot, county_map, "document.querySelector('.ccc-tip').textContent") == "案件1：占道经营位置为估算"
    style = js(qtbot, county_map, "(function () { var s = getComputedStyle(ccc.marker('cases', 1).getElement());"
                                  " return [s.borderTopStyle, s.backgroundColor]; }())")
    assert style[0] == "dashed"


def test_clicking_markers_emits_their_layer_and_id(
        qtbot: QtBot, county_map: CountyMap, grid_points: list[tuple[float, float]],
        county: County) -> None:
    camera = county["cameras"][0]
    county_map.set_cases([case_at(41, grid_points[400], "dispatched"), case_at(42, grid_points[800], "new")])
    county_map.set_cameras([MapCamera(camera["id"], camera["lat"], camera["lon"], camera["name"])])
    county_map.set_alarms([MapAlarm(7, *grid_points[600], "烟火告警")])
    settle(qtbot, county_map)
    for kind, ident in (("cases", 42), ("cameras", camera["id"]), ("alarms", 7)):
        with qtbot.waitSignal(county_map.marker_clicked, timeout=10_000) as clicked:
            county_map.run_js(f"ccc.marker('{kind}', {ident}).fire('click')")
        assert clicked.args == [kind, ident]
    county_map.focus(*grid_points[400], 16)
    settle(qtbot, county_map)
    qtbot.wait(400)  # the zoom animation
    with qtbot.waitSignal(county_map.marker_clicked, timeout=10_000) as clicked:
        click_page(county_map, grid_points[400], qtbot)
    assert clicked.args == ["cases", 41]


def test_clicking_a_township_emits_its_id(qtbot: QtBot, county_map: CountyMap, county: County) -> None:
    township = county["townships"][4]
    at = js(qtbot, county_map, f"ccc.labelAt({township['id']})")
    with qtbot.waitSignal(county_map.township_clicked, timeout=10_000) as clicked:
        click_page(county_map, tuple(at), qtbot)
    assert clicked.args == [township["id"]]


def test_scale_makes_markers_and_labels_bigger(qtbot: QtBot, county_map: CountyMap,
                                               grid_points: list[tuple[float, float]]) -> None:
    county_map.set_cases([case_at(5, grid_points[10], "new")])
    county_map.focus(*grid_points[10], 17)
    settle(qtbot, county_map)
    size = "ccc.marker('cases', 5).getElement().getBoundingClientRect().width"
    label = "document.querySelector('.ccc-label-box').getBoundingClientRect().height"
    small, small_label = js(qtbot, county_map, size), js(qtbot, county_map, label)
    county_map.set_scale(2.0)
    settle(qtbot, county_map)
    assert js(qtbot, county_map, size) == pytest.approx(2 * small)
    assert js(qtbot, county_map, label) > 1.8 * small_label


class _Tiles(BaseHTTPRequestHandler):
    paths: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.paths.append(self.path)
        self.send_response(404)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


def test_a_site_tile_server_is_the_one_host_allowed(qtbot: QtBot, county: County, tmp_path: Path) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Tiles)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        tile_url = f"http://127.0.0.1:{server.server_port}/tiles/{{z}}/{{x}}/{{y}}.png"
        with deleted_after(CountyMap(page_dir=tmp_path, tile_url=tile_url)) as view:
            view.resize(800, 600)
            view.show()
            with qtbot.waitSignal(view.ready, timeout=LOAD_TIMEOUT_MS):
                view.build(OUTLINE_PATH, county["townships"], county["grids"])
            qtbot.waitUntil(lambda: any(p.startswith("/tiles/") for p in _Tiles.paths), timeout=10_000)
            view.run_js("new Image().src = 'http://203.0.113.9/tiles/1/1/1.png'")
            qtbot.waitUntil(lambda: bool(view.refused_requests), timeout=10_000)
            assert view.refused_requests == ["http://203.0.113.9/tiles/1/1/1.png"]
    finally:
        server.shutdown()
    with pytest.raises(ValueError, match="one-fixed-host"):
        CountyMap(tile_url="https://{s}.tiles.example/{z}/{x}/{y}.png")
