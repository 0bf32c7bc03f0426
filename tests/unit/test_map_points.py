"""Where a case goes on the wall's map: its layer by state and day, its position checked against the real county
outline, estimated at its grid's (else township's) centre when missing or outside; broken outline files refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from shapely.geometry import Point, shape

from app.models.map_points import (
    CountyPlacer,
    GeometryFileError,
    case_layer,
    day_bounds,
    load_county_outline,
    place_case,
)
from services.demo.county import OUTLINE_PATH, generate_county

NOON = 1_764_820_800.0  # 2025-12-04 12:00 CST
DAY = day_bounds(NOON)


@pytest.fixture(scope="module")
def county() -> tuple[CountyPlacer, list[dict], list[dict]]:
    data = generate_county()
    townships, grids = list(data["townships"]), list(data["grids"])
    return CountyPlacer(load_county_outline(OUTLINE_PATH), townships, grids), townships, grids


def _case(**fields: object) -> dict:
    base = {"id": 1, "state": "reported", "title": "t", "category": "c", "lat": None, "lon": None,
            "township_id": None, "grid_id": None, "overdue": False, "reported_at": "2025-12-04T09:00:00+08:00",
            "closed_at": None}
    return {**base, **fields}


def test_day_bounds_is_the_local_calendar_day() -> None:
    assert DAY == (NOON - 12 * 3600, NOON + 12 * 3600)


@pytest.mark.parametrize(("fields", "layer"), [
    ({"state": "reported"}, "new"), ({"state": "registered"}, "new"),
    ({"state": "dispatched"}, "dispatched"), ({"state": "handling"}, "dispatched"),
    ({"state": "verified"}, "dispatched"), ({"state": "handling", "overdue": True}, "overdue"),
    ({"state": "dispatched", "urgency": "escalated"}, "overdue"),
    ({"state": "closed", "closed_at": "2025-12-04T10:00:00+08:00"}, "closed_today"),
    ({"state": "evaluated", "closed_at": "2025-12-04T23:59:00+08:00"}, "closed_today"),
    ({"state": "closed", "closed_at": "2025-12-03T23:59:00+08:00"}, None),
    ({"state": "rejected", "closed_at": "2025-12-04T10:00:00+08:00"}, None),
])
def test_layers_by_state_and_day(fields: dict, layer: str | None) -> None:
    assert case_layer(_case(**fields), *DAY) == layer


def test_a_position_inside_the_county_is_kept(county: tuple) -> None:
    placer, _, grids = county
    inside = shape(grids[0]["geometry"]).representative_point()
    placed = place_case(_case(lat=inside.y, lon=inside.x, grid_id=grids[5]["id"]), placer, DAY)
    assert placed is not None and (placed.lat, placed.lon, placed.estimated) == (inside.y, inside.x, False)
    assert placed.today


def test_a_missing_or_outside_position_goes_to_the_grid_centre_flagged(county: tuple) -> None:
    placer, _, grids = county
    grid = grids[7]
    for position in ({"lat": None, "lon": None}, {"lat": 39.9, "lon": 116.4}):  # none; Beijing
        placed = place_case(_case(grid_id=grid["id"], township_id=grid["township_id"], **position), placer, DAY)
        assert placed is not None and placed.estimated
        assert shape(grid["geometry"]).contains(Point(placed.lon, placed.lat))


def test_without_a_grid_the_township_centre_and_without_a_place_nothing(county: tuple) -> None:
    placer, townships, _ = county
    placed = place_case(_case(township_id=townships[2]["id"]), placer, DAY)
    assert placed is not None and placed.estimated
    assert shape(townships[2]["geometry"]).contains(Point(placed.lon, placed.lat))
    assert place_case(_case(), placer, DAY) is None


def test_the_real_outline_loads_and_broken_files_are_refused_clearly(tmp_path: Path) -> None:
    assert load_county_outline(OUTLINE_PATH).area > 0
    cases = {"missing.geojson": None, "not-json.geojson": "{oops", "no-polygon.geojson":
             '{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point",'
             '"coordinates":[115.9,28.5]}}]}', "not-geojson.geojson": '{"hello": 1}'}
    for name, text in cases.items():
        path = tmp_path / name
        if text is not None:
            path.write_text(text, encoding="utf-8")
        with pytest.raises(GeometryFileError) as err:
            load_county_outline(path)
        assert str(path) in str(err.value)
