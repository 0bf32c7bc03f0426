"""The wall's county map (widgets/county_map.py) on a real QWebEngine page built from the demo county, offline.

Every test loads the real page from its file under a private profile whose interceptor refuses any non-local request;
tests read the page back through `page_ids` / `run_js` (what Leaflet and markercluster really hold).
"""

from __future__ import annotations

import os
import random
import re
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from services.demo.county import OUTLINE_PATH
from tests.qt.map_helpers import (
    LOAD_TIMEOUT_MS,
    County,
    assert_page_matches,
    case_at,
    deleted_after,
    js,
    loaded_map,
    page_ids,
    settle,
)
from widgets.county_map import CountyMap, MapAlarm, MapCamera, MapCase, MapDataError
from widgets.map_markers import CASE_LAYERS


@pytest.fixture(params=["channel"])
def county_map(request: pytest.FixtureRequest, qtbot: QtBot, county: County, tmp_path: Path) -> Iterator[CountyMap]:
    """The default transport; a test parametrized with `county_map` over ["channel", "runjs"] gets both."""
    yield from loaded_map(qtbot, county, tmp_path, request.param)

# -- loading ---------------------------------------------------------------------------------------------
def test_page_loads_offline_from_its_file_and_becomes_ready(qtbot: QtBot, county_map: CountyMap,
                                                           county: dict[str, list[dict[str, Any]]]) -> None:
    assert county_map.page_path is not None and county_map.page_path.is_file()
    assert county_map.url().isLocalFile()
    html = county_map.page_path.read_text(encoding="utf-8")
    assert not re.search(r"https?://", html), "the page names a network URL"
    assert js(qtbot, county_map, "typeof L.markerClusterGroup + typeof L.heatLayer + typeof jQuery") == \
        "functionfunctionfunction"
    labelled = {t["id"] for t in county["townships"] if t["geometry"]}
    assert page_ids(qtbot, county_map, "labels") == labelled
    assert js(qtbot, county_map, "ccc.labelText(1)") == county["townships"][0]["name"]
    assert county_map.refused_requests == []


def test_the_built_page_makes_no_refused_request(qtbot: QtBot, county_map: CountyMap,
                                                 grid_points: list[tuple[float, float]],
                                                 county: dict[str, list[dict[str, Any]]]) -> None:
    county_map.set_cases(case_at(i, grid_points[i], CASE_LAYERS[i % 4], today=i % 2 == 0, estimated=i % 9 == 0)
                         for i in range(400))
    county_map.set_cameras(MapCamera(c["id"], c["lat"], c["lon"], c["name"]) for c in county["cameras"])
    county_map.set_alarms([MapAlarm(1, *grid_points[5], "烟火告警")])
    county_map.set_township_counts({t["id"]: 7 for t in county["townships"]})
    county_map.set_scale(2.0)
    county_map.focus(*grid_points[3], 16)
    settle(qtbot, county_map)
    js(qtbot, county_map, "ccc.marker('cases', 3).fire('mouseover') && true")
    QTest.qWait(300)
    assert county_map.refused_requests == []


def test_the_interceptor_refuses_an_injected_network_request(qtbot: QtBot, county_map: CountyMap) -> None:
    county_map.run_js("var img = new Image(); img.src = 'http://203.0.113.9/tile.png';"
                      "fetch('https://example.com/x.json').catch(function () {});")
    qtbot.waitUntil(lambda: len(county_map.refused_requests) >= 2, timeout=10_000)
    assert "http://203.0.113.9/tile.png" in county_map.refused_requests
    assert "https://example.com/x.json" in county_map.refused_requests


# -- live data ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("county_map", ["channel", "runjs"], indirect=True)
def test_a_stream_of_upserts_and_removes_ends_with_exactly_the_expected_ids(
        qtbot: QtBot, county_map: CountyMap, grid_points: list[tuple[float, float]]) -> None:
    rng = random.Random(7)
    truth = {i: case_at(i, rng.choice(grid_points), rng.choice(CASE_LAYERS), rng.random() < 0.4) for i in range(600)}
    county_map.set_cases(truth.values())
    assert_page_matches(qtbot, county_map, truth)
    next_id = 600
    for _ in range(40):
        changes: list[MapCase] = []
        for _ in range(rng.randint(1, 25)):
            pick = rng.random()
            if pick < 0.3 and truth:  # a state change: the case moves to another layer
                old = truth[rng.choice(list(truth))]
                changes.append(case_at(old.id, (old.lat, old.lon), rng.choice(CASE_LAYERS), not old.today))
            elif pick < 0.5 and truth:  # a move
                old = truth[rng.choice(list(truth))]
                changes.append(case_at(old.id, rng.choice(grid_points), old.layer, old.today))
            else:
                changes.append(case_at(next_id, rng.choice(grid_points), rng.choice(CASE_LAYERS), rng.random() < 0.5))
                next_id += 1
        county_map.upsert_cases(changes)
        truth.update({c.id: c for c in changes})
        gone = rng.sample(sorted(truth), rng.randint(0, 8))
        county_map.remove_cases(gone)
        for ident in gone:
            truth.pop(ident)
        qtbot.wait(rng.choice((0, 0, 30, 120)))
    assert_page_matches(qtbot, county_map, truth)
    assert county_map.batches_sent > 3


def test_updates_arriving_while_markercluster_loads_in_chunks_are_not_lost(
        qtbot: QtBot, county_map: CountyMap, grid_points: list[tuple[float, float]]) -> None:
    js(qtbot, county_map, "ccc.setChunkInterval(0) || true")  # every chunk of 200 markers yields to the page
    rng = random.Random(11)
    truth = {i: case_at(i, grid_points[i % len(grid_points)], CASE_LAYERS[i % 4]) for i in range(6000)}
    before = county_map.batches_sent
    county_map.set_cases(truth.values())
    qtbot.waitUntil(lambda: county_map.batches_sent == before + 1 and county_map.pending_updates() == 0)
    for _ in range(5):
        gone = rng.sample(sorted(truth), 300)
        county_map.remove_cases(gone)
        for ident in gone:
            truth.pop(ident)
        moved = [case_at(c.id, rng.choice(grid_points), rng.choice(CASE_LAYERS)) for c in
                 rng.sample(list(truth.values()), 300)]
        county_map.upsert_cases(moved)
        truth.update({c.id: c for c in moved})
        qtbot.wait(40)
    assert js(qtbot, county_map, "ccc.stats.deferred") > 0, "no update met a chunked load: the test proves nothing"
    assert_page_matches(qtbot, county_map, truth)


def test_a_burst_of_2000_upserts_goes_out_in_a_few_batches(qtbot: QtBot, county_map: CountyMap,
                                                           grid_points: list[tuple[float, float]]) -> None:
    settle(qtbot, county_map)
    before = county_map.batches_sent
    truth: dict[int, MapCase] = {}
    for i in range(2000):
        case = case_at(i % 1500, grid_points[i % len(grid_points)], CASE_LAYERS[i % 4], i % 3 == 0)
        county_map.upsert_cases([case])
        truth[case.id] = case
    assert county_map.pending_updates() == 1500  # 500 ids were upserted twice: collapsed
    assert_page_matches(qtbot, county_map, truth)
    assert county_map.batches_sent - before <= 2


def test_calls_before_ready_are_queued_not_lost(qtbot: QtBot, county: dict[str, list[dict[str, Any]]],
                                                grid_points: list[tuple[float, float]], tmp_path: Path) -> None:
    with deleted_after(CountyMap(page_dir=tmp_path)) as view:  # never shown: a wall may build before it shows
        view.set_cases([case_at(1, grid_points[0], "overdue"), case_at(2, grid_points[1], "new", today=True)])
        view.remove_cases([1])
        view.set_layer_visible("cameras", False)
        assert view.pending_updates() == 3
        with qtbot.waitSignal(view.ready, timeout=LOAD_TIMEOUT_MS):
            view.build(OUTLINE_PATH, county["townships"], county["grids"])
        settle(qtbot, view)
        assert page_ids(qtbot, view, "new") == {2} and page_ids(qtbot, view, "overdue") == set()
        assert page_ids(qtbot, view, "heat") == {2}
        assert js(qtbot, view, "ccc.visible('cameras')") is False


def test_a_killed_renderer_is_reloaded_and_given_the_whole_state_again(
        qtbot: QtBot, county_map: CountyMap, grid_points: list[tuple[float, float]]) -> None:
    truth = {i: case_at(i, grid_points[i], CASE_LAYERS[i % 4], today=True) for i in range(50)}
    county_map.set_cases(truth.values())
    county_map.set_layer_visible("grids", False)
    settle(qtbot, county_map)
    pid = county_map.page().renderProcessPid()
    assert pid > 0
    with qtbot.waitSignal(county_map.ready, timeout=LOAD_TIMEOUT_MS):
        os.kill(pid, signal.SIGKILL)
    assert_page_matches(qtbot, county_map, truth)
    assert js(qtbot, county_map, "ccc.visible('grids')") is False


# -- bad geometry --------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("content", "what"), [
    (None, "file not found"),
    ('{"type": "FeatureCollection", "features": [', "not valid JSON"),
    ('{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}, '
     '"geometry": {"type": "Point", "coordinates": [116.0, 28.5]}}]}', "contains no polygon"),
    ('{"type": "Topology", "objects": {}}', "not GeoJSON"),
    ('{"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [[1, 2]]}}', "not valid GeoJSON geometry"),
])
def test_a_missing_or_broken_outline_is_a_map_data_error_naming_the_file(
        qtbot: QtBot, tmp_path: Path, county: dict[str, list[dict[str, Any]]], content: str | None, what: str) -> None:
    outline = tmp_path / "county.geojson"
    if content is not None:
        outline.write_text(content, encoding="utf-8")
    with deleted_after(CountyMap(page_dir=tmp_path / "page")) as view:
        with pytest.raises(MapDataError) as raised:
            view.build(outline, county["townships"], county["grids"])
        assert str(outline) in str(raised.value) and what in str(raised.value)
        assert view.page_path is None
