"""Shared pieces of the county map tests (tests/qt/test_county_map.py, test_map_layers.py): the demo county, a
loaded CountyMap, and reading the page back."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent
from pytestqt.qtbot import QtBot
from shapely.geometry import shape

from services.demo.county import OUTLINE_PATH, generate_county
from widgets.county_map import CountyMap, MapCase
from widgets.map_markers import CASE_LAYERS

LOAD_TIMEOUT_MS = 60_000


County = dict[str, list[dict[str, Any]]]


@cache
def demo_county() -> County:
    """The demo county (generated once per test process)."""
    return generate_county()


@cache
def demo_grid_points() -> list[tuple[float, float]]:
    """(lat, lon) inside each demo grid: plausible case positions."""
    points = []
    for grid in demo_county()["grids"]:
        p = shape(grid["geometry"]).representative_point()
        points.append((round(p.y, 6), round(p.x, 6)))
    return points


@contextmanager
def deleted_after(view: CountyMap) -> Iterator[CountyMap]:
    """Deletes the view (page first, then its profile) when done. A view still alive when the test process exits
    (qtbot.addWidget only calls deleteLater) makes QtWebEngine release its profile with the page still alive."""
    try:
        yield view
    finally:
        view.close()
        view.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        assert not shiboken6.isValid(view)


def loaded_map(qtbot: QtBot, county: County, tmp_path: Path, transport: str = "channel") -> Iterator[CountyMap]:
    """For a fixture: a shown 1280×800 map of the county, ready, deleted afterwards."""
    with deleted_after(CountyMap(page_dir=tmp_path / "page", transport=transport)) as view:
        view.resize(1280, 800)
        view.show()
        with qtbot.waitSignal(view.ready, timeout=LOAD_TIMEOUT_MS):
            view.build(OUTLINE_PATH, county["townships"], county["grids"])
        yield view


def js(qtbot: QtBot, view: CountyMap, script: str) -> Any:
    """The value of `script` in the page (JSON-encoded there: PySide6 loses JS arrays)."""
    out: list[Any] = []
    view.run_js(f"JSON.stringify({script})", out.append)
    qtbot.waitUntil(lambda: bool(out), timeout=10_000)
    return json.loads(out[0]) if out[0] else None


def page_ids(qtbot: QtBot, view: CountyMap, layer: str) -> set[int]:
    out: list[list[int]] = []
    view.page_ids(layer, out.append)
    qtbot.waitUntil(lambda: bool(out), timeout=10_000)
    return set(out[0])


def settle(qtbot: QtBot, view: CountyMap) -> None:
    """Everything queued sent and applied, and no markercluster chunk still loading."""
    qtbot.waitUntil(view.idle, timeout=30_000)
    qtbot.waitUntil(lambda: js(qtbot, view, "ccc.idle()") is True, timeout=30_000)


def case_at(ident: int, point: tuple[float, float], layer: str, today: bool = False,
            estimated: bool = False) -> MapCase:
    return MapCase(ident, point[0], point[1], layer, f"案件{ident}：占道经营", today, estimated)


def expected_by_layer(cases: dict[int, MapCase]) -> dict[str, set[int]]:
    out: dict[str, set[int]] = {layer: set() for layer in CASE_LAYERS}
    for case in cases.values():
        out[case.layer].add(case.id)
    out["heat"] = {c.id for c in cases.values() if c.today}
    return out


def assert_page_matches(qtbot: QtBot, view: CountyMap, cases: dict[int, MapCase]) -> None:
    settle(qtbot, view)
    for layer, ids in expected_by_layer(cases).items():
        assert page_ids(qtbot, view, layer) == ids, layer
