"""services/demo/county.py: the generated demo county has the seed's counts, nested geometry and is deterministic."""

from __future__ import annotations

import re
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import shapely
from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry

from config.schema import load_rules
from services.backend.seed import CHANNELS, DEPARTMENTS, TOWNSHIPS
from services.backend.store import Store
from services.demo.county import (
    COUNTY_SEAT,
    DEFAULT_SEED,
    apportion,
    generate_county,
    load_outline,
    store_rows,
    to_json,
    to_km,
)
from services.domain.workcalendar import WorkCalendar

TOL = 1e-5  # degrees (~1 m): coordinates are rounded to 1e-6
Data = dict[str, list[dict[str, Any]]]


@cache
def county() -> Data:
    return generate_county(DEFAULT_SEED)


@cache
def outline() -> BaseGeometry:
    return load_outline()


@cache
def shapes(table: str) -> dict[int, BaseGeometry]:
    return {row["id"]: shape(row["geometry"]) for row in county()[table]}


def km2(geom: BaseGeometry) -> float:
    return float(to_km(geom).area)


def test_seed_counts() -> None:
    data = county()
    assert [(t["name"], t["kind"]) for t in data["townships"]] == TOWNSHIPS
    assert len(data["grids"]) == 1066
    assert len(data["service_points"]) == 960
    assert len({g["party_branch"] for g in data["grids"]}) == 373
    assert [d["name"] for d in data["departments"]] == DEPARTMENTS
    assert [(c["code"], c["name"]) for c in data["channels"]] == CHANNELS
    assert len(data["cameras"]) == 200
    assert 25 <= len(data["mediators"]) <= 35
    assert {m["kind"] for m in data["mediators"]} == {
        "public_interest_lawyer", "psychological_counsellor", "retired_officer", "local_expert"}


def test_ids_codes_and_references() -> None:
    data = county()
    for table in ("townships", "grids", "service_points", "departments", "cameras", "mediators"):
        ids = [row["id"] for row in data[table]]
        assert ids == list(range(1, len(ids) + 1)), table
    for table in ("townships", "grids", "departments"):
        codes = [row["code"] for row in data[table]]
        assert len(set(codes)) == len(codes), table
    townships, grids = set(shapes("townships")), set(shapes("grids"))
    points = {p["id"] for p in data["service_points"]}
    assert all(g["township_id"] in townships and g["service_point_id"] in points for g in data["grids"])
    assert all(set(p["grid_ids"]) <= grids and p["township_id"] in townships for p in data["service_points"])
    assert all(c["grid_id"] in grids and c["township_id"] in townships for c in data["cameras"])
    assert all(m["township_id"] is None or m["township_id"] in townships for m in data["mediators"])


def test_geometry_is_demo_labelled_closed_and_simple() -> None:
    for table in ("townships", "grids"):
        for row in county()[table]:
            geometry = row["geometry"]
            assert geometry["demo"] is True and geometry["type"] == "Polygon"
            ring = geometry["coordinates"][0]
            assert ring[0] == ring[-1] and len(ring) >= 4
            assert shape(geometry).is_valid, row["code"]
    vertices = [len(g["geometry"]["coordinates"][0]) for g in county()["grids"]]
    assert sum(vertices) / len(vertices) < 12


def test_county_seat_is_in_liantang() -> None:
    seat = Point(*COUNTY_SEAT)
    assert outline().contains(seat)
    liantang = next(t for t in county()["townships"] if t["name"] == "莲塘街道")
    assert shapes("townships")[liantang["id"]].contains(seat)


def test_townships_partition_the_outline() -> None:
    parts = list(shapes("townships").values())
    total = sum(km2(p) for p in parts)
    union = km2(shapely.union_all(parts))
    assert total == pytest.approx(km2(outline()), rel=1e-4)
    assert total - union < 0.01  # km²: no overlaps beyond rounding slivers
    assert all(p.geom_type == "Polygon" for p in parts)


def test_township_sizes_are_plausible() -> None:
    data = county()
    area = {t["id"]: km2(shapes("townships")[t["id"]]) for t in data["townships"]}
    streets = [t["id"] for t in data["townships"] if t["kind"] == "街道"]
    towns = [t["id"] for t in data["townships"] if t["kind"] == "镇"]
    assert max(area[s] for s in streets) < min(area[t] for t in towns)
    seat = to_km(Point(*COUNTY_SEAT))
    assert all(to_km(shapes("townships")[s].centroid).distance(seat) < 12 for s in streets)
    for geom in shapes("townships").values():  # no slivers: compactness 4πA/P² well above a thin strip's
        km = to_km(geom)
        assert 4 * 3.14159 * km.area / km.length ** 2 > 0.15


def test_every_grid_lies_in_its_township_and_the_outline() -> None:
    townships = {i: g.buffer(TOL) for i, g in shapes("townships").items()}
    county_outline = outline().buffer(TOL)
    for grid in county()["grids"]:
        geom = shapes("grids")[grid["id"]]
        assert townships[grid["township_id"]].covers(geom), grid["code"]
        assert county_outline.covers(geom), grid["code"]


def test_grids_cover_their_township() -> None:
    by_township: dict[int, float] = Counter()
    for grid in county()["grids"]:
        by_township[grid["township_id"]] += km2(shapes("grids")[grid["id"]])
    for tid, geom in shapes("townships").items():
        assert by_township[tid] == pytest.approx(km2(geom), rel=1e-3)


def test_service_points_cover_neighbouring_grids() -> None:
    data = county()
    grids = {g["id"]: g for g in data["grids"]}
    own = Counter(g["service_point_id"] for g in data["grids"])
    assert sorted(Counter(own.values()).items()) == [(1, 854), (2, 106)]
    under = Counter(gid for p in data["service_points"] for gid in p["grid_ids"])
    assert set(under) == set(grids) and max(under.values()) <= 2
    for point in data["service_points"]:
        assert 1 <= len(point["grid_ids"]) <= 3 and len(set(point["grid_ids"])) == len(point["grid_ids"])
        mine = [gid for gid in point["grid_ids"] if grids[gid]["service_point_id"] == point["id"]]
        assert mine == point["grid_ids"][: own[point["id"]]]  # its own grids first
        assert {grids[gid]["township_id"] for gid in point["grid_ids"]} == {point["township_id"]}
        union = shapely.union_all([shapes("grids")[gid].buffer(TOL) for gid in point["grid_ids"]])
        assert union.geom_type == "Polygon", point["name"]  # neighbouring grids: one connected area


def test_people_branches_and_departments() -> None:
    data = county()
    name = re.compile(r"^[\u4e00-\u9fff]{2,3}$")
    assert all(name.match(g["worker"]) for g in data["grids"])
    branches = {g["party_branch"] for g in data["grids"]}
    assert all(b.endswith("网格党支部") for b in branches)
    attached: Counter[int] = Counter()
    for dept in data["departments"]:
        assert dept["leader"] and dept["liaison"] and 2 <= len(dept["township_ids"]) <= 3
        attached.update(dept["township_ids"])
    assert set(attached) == {t["id"] for t in data["townships"]} and min(attached.values()) >= 3


def test_cameras_sit_in_their_grids_with_placeholder_streams() -> None:
    data = county()
    names = [c["name"] for c in data["cameras"]]
    assert len(set(names)) == len(names)
    townships = {t["id"]: t["name"] for t in data["townships"]}
    grids = {g["id"]: g for g in data["grids"]}
    kinds: Counter[str] = Counter()
    for cam in data["cameras"]:
        assert shapes("grids")[cam["grid_id"]].buffer(TOL).covers(Point(cam["lon"], cam["lat"])), cam["name"]
        assert grids[cam["grid_id"]]["township_id"] == cam["township_id"]
        assert cam["name"].startswith(townships[cam["township_id"]] + "·")
        assert cam["main_url"] == f"demo://camera/{cam['id']}/main"
        assert cam["sub_url"] == f"demo://camera/{cam['id']}/sub"
        kinds[camera_kind(cam["name"])] += 1
    assert set(kinds) == {"road", "market", "school", "gate"}, kinds
    assert kinds["road"] > kinds["market"]


def camera_kind(name: str) -> str:
    if re.search(r"(小学|中学|幼儿园)门口$", name):
        return "school"
    if name.endswith("农贸市场"):
        return "market"
    if name.endswith(("村委会门口", "东门", "南门", "西门", "北门")):
        return "gate"
    if re.search(r"与.+(路口|交叉口)$", name):
        return "road"
    raise AssertionError(f"camera name of no known kind: {name}")


def test_same_seed_same_bytes_other_seed_other_county() -> None:
    assert to_json(generate_county(DEFAULT_SEED)) == to_json(county())
    other = generate_county(7)
    assert to_json(other) != to_json(county())
    assert other["townships"][0]["geometry"] != county()["townships"][0]["geometry"]
    assert len(other["grids"]) == 1066 and len(other["service_points"]) == 960
    assert len({g["party_branch"] for g in other["grids"]}) == 373


def test_apportion_is_exact_and_bounded() -> None:
    assert apportion(10, [1, 1, 1], [0, 0, 0], [10, 10, 10]) == [4, 3, 3]
    assert apportion(10, [100, 1, 1], [2, 2, 2], [5, 10, 10]) == [5, 3, 2]
    with pytest.raises(ValueError):
        apportion(10, [1, 1], [6, 6], [9, 9])


def test_store_rows_load_into_the_store(tmp_path: Path) -> None:
    rules = load_rules()
    store = Store.open(f"sqlite:///{tmp_path / 'county.sqlite'}", rules, WorkCalendar(rules.working_hours))
    try:
        store.load_reference(store_rows(county()))
        snapshot = store.snapshot(["townships"])
        assert len(snapshot["townships"]) == 21
    finally:
        store.close()
