"""services/demo/importer.py: a county from files, all or nothing, with errors naming file, line and field."""

from __future__ import annotations

import copy
import csv
import io
import json
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from services.demo.county import generate_county, to_json
from services.demo.importer import (
    ReferenceImportError,
    export_reference,
    import_reference,
)

Data = dict[str, list[dict[str, Any]]]
SMALL = {1, 2, 5}  # 莲塘街道, 东新街道, 向塘镇: the bad-input tests import these only (fast)


@cache
def county() -> Data:
    return generate_county()


@cache
def small_county() -> Data:
    """Three townships of the demo county with everything in them: a valid county of its own."""
    data = copy.deepcopy(county())
    grids = {g["id"] for g in data["grids"] if g["township_id"] in SMALL}
    return {
        "townships": [t for t in data["townships"] if t["id"] in SMALL],
        "service_points": [p for p in data["service_points"] if p["township_id"] in SMALL],
        "grids": [g for g in data["grids"] if g["id"] in grids],
        "departments": [{**d, "township_ids": [t for t in d["township_ids"] if t in SMALL]}
                        for d in data["departments"]],
        "channels": data["channels"],
        "cameras": [c for c in data["cameras"] if c["grid_id"] in grids],
        "mediators": [m for m in data["mediators"] if m["township_id"] in (None, *SMALL)],
    }


@pytest.fixture
def files(tmp_path: Path) -> Path:
    return export_reference(small_county(), tmp_path / "county")


def problems_of(directory: Path) -> list[tuple[str, int | None, str | None, str]]:
    with pytest.raises(ReferenceImportError) as info:
        import_reference(directory)
    for p in info.value.problems[:50]:  # the problems are in the message, in the documented form
        line = f", line {p.line}" if p.line is not None else ""
        assert f"{p.file}{line}, field {p.field or '-'}: {p.message}" in str(info.value)
    return [(p.file, p.line, p.field, p.message) for p in info.value.problems]


def assert_problem(problems: list[tuple[str, int | None, str | None, str]], file: str, line: int | None,
                   field: str | None, text: str) -> None:
    hits = [p for p in problems if p[:3] == (file, line, field) and text in p[3]]
    assert hits, f"no problem {file}:{line} [{field}] ~ {text!r} in {problems}"


def edit_csv(path: Path, change: Callable[[list[dict[str, str]]], None], encoding: str = "utf-8") -> None:
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    change(rows)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_bytes(out.getvalue().encode(encoding))


def edit_features(path: Path, change: Callable[[list[dict[str, Any]]], None]) -> None:
    """Rewrites a GeoJSON file one feature per line (feature k on line k + 2)."""
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    change(features)
    lines = ",\n".join(json.dumps(f, ensure_ascii=False) for f in features)
    path.write_text('{"type":"FeatureCollection","features":[\n' + lines + "\n]}\n", encoding="utf-8")


# -- the good path --------------------------------------------------------------------------------------------
def test_round_trip_of_the_whole_demo_county(tmp_path: Path) -> None:
    data = county()
    back = import_reference(export_reference(data, tmp_path / "county"))
    assert back == data
    assert to_json(back) == to_json(data)


def test_optional_files_default(files: Path) -> None:
    for name in ("channels.csv", "cameras.csv", "mediators.csv", "service_points.csv", "county.geojson"):
        (files / name).unlink()
    edit_csv(files / "grids.csv", lambda rows: [r.update(service_point_id="") for r in rows])
    data = import_reference(files)
    assert len(data["channels"]) == 8 and data["cameras"] == [] and data["service_points"] == []
    assert len(data["grids"]) == len(small_county()["grids"])


def test_gbk_file_is_detected_and_read(files: Path) -> None:
    expected = import_reference(files)
    for name in ("departments.csv", "grids.csv"):
        edit_csv(files / name, lambda rows: None, encoding="gbk")
    assert (files / "grids.csv").read_bytes() != (files / "grids.csv").read_text(encoding="gbk").encode()
    assert import_reference(files) == expected


# -- bad input: each names file, line and field ---------------------------------------------------------------
def test_missing_file(files: Path) -> None:
    (files / "departments.csv").unlink()
    assert_problem(problems_of(files), "departments.csv", None, None, "file missing")


def test_missing_column(files: Path) -> None:
    edit_csv(files / "grids.csv", lambda rows: [r.pop("township_code") for r in rows])
    assert_problem(problems_of(files), "grids.csv", 1, "township_code", "missing column")


def test_empty_required_field_and_bad_number(files: Path) -> None:
    edit_csv(files / "departments.csv", lambda rows: rows[2].update(name=""))
    edit_csv(files / "cameras.csv", lambda rows: rows[0].update(lon="115,9"))
    problems = problems_of(files)
    assert_problem(problems, "departments.csv", 4, "name", "empty")
    assert_problem(problems, "cameras.csv", 2, "lon", "not a number")


def test_polygon_not_closed(files: Path) -> None:
    def open_ring(features: list[dict[str, Any]]) -> None:
        features[1]["geometry"]["coordinates"][0].pop()

    edit_features(files / "townships.geojson", open_ring)
    assert_problem(problems_of(files), "townships.geojson", 3, "geometry", "not closed")


def test_ring_too_short_and_self_intersecting(files: Path) -> None:
    def damage(features: list[dict[str, Any]]) -> None:
        features[0]["geometry"]["coordinates"] = [[[115.9, 28.5], [115.91, 28.5], [115.9, 28.5]]]
        features[4]["geometry"]["coordinates"] = [[[115.9, 28.5], [115.91, 28.51], [115.91, 28.5], [115.9, 28.51],
                                                   [115.9, 28.5]]]

    edit_features(files / "grids.geojson", damage)
    problems = problems_of(files)
    assert_problem(problems, "grids.geojson", 2, "geometry", "3 points")
    assert_problem(problems, "grids.geojson", 6, "geometry", "Self-intersection")


def test_polygon_outside_the_county(files: Path) -> None:
    def shift(index: int, dx: float, dy: float) -> Callable[[list[dict[str, Any]]], None]:
        def change(features: list[dict[str, Any]]) -> None:
            ring = features[index]["geometry"]["coordinates"][0]
            features[index]["geometry"]["coordinates"][0] = [[x + dx, y + dy] for x, y in ring]
        return change

    edit_features(files / "grids.geojson", shift(9, 0.5, 0.0))
    edit_features(files / "townships.geojson", shift(2, 0.0, -0.4))
    problems = problems_of(files)
    assert_problem(problems, "grids.geojson", 11, "geometry", "outside the county outline")
    assert_problem(problems, "townships.geojson", 4, "geometry", "outside the county outline")


def test_grid_naming_an_unknown_township(files: Path) -> None:
    edit_csv(files / "grids.csv", lambda rows: rows[6].update(township_code="360121999"))
    assert_problem(problems_of(files), "grids.csv", 8, "township_code", "unknown township '360121999'")


def test_grid_outside_its_township(files: Path) -> None:
    # the 3rd grid (in 莲塘街道) claims to be in 东新街道
    edit_csv(files / "grids.csv", lambda rows: rows[2].update(township_code="360121002"))
    assert_problem(problems_of(files), "grids.csv", 4, "township_code",
                   "outside its township 360121002 (it lies in township 360121001)")


def test_grid_in_no_township(files: Path) -> None:
    grids = small_county()["grids"]
    first_in_5 = next(i for i, g in enumerate(grids) if g["township_id"] == 5)

    def shrink(features: list[dict[str, Any]]) -> None:  # 向塘镇 shrinks to its first grid
        features[2]["geometry"] = {k: v for k, v in grids[first_in_5]["geometry"].items() if k != "demo"}

    edit_features(files / "townships.geojson", shrink)
    problems = problems_of(files)
    assert_problem(problems, "grids.csv", first_in_5 + 3, "township_code", "it lies in no township")


def test_overlapping_townships(files: Path) -> None:
    edit_features(files / "townships.geojson", lambda fs: fs[1].update(geometry=fs[0]["geometry"]))
    assert_problem(problems_of(files), "townships.geojson", 3, "geometry", "overlaps township 360121001 (line 2)")


def test_duplicate_ids_and_codes(files: Path) -> None:
    edit_csv(files / "departments.csv", lambda rows: rows[4].update(id=rows[2]["id"]))
    edit_csv(files / "grids.csv", lambda rows: rows[8].update(id=rows[1]["id"]))
    edit_features(files / "townships.geojson", lambda fs: fs[2]["properties"].update(code=fs[0]["properties"]["code"]))
    problems = problems_of(files)
    assert_problem(problems, "departments.csv", 6, "id", "duplicate id '3' (first on line 4)")
    assert_problem(problems, "grids.csv", 10, "id", "duplicate id")
    assert_problem(problems, "townships.geojson", 4, "code", "duplicate code '360121001' (first on line 2)")


def test_unknown_references(files: Path) -> None:
    edit_csv(files / "departments.csv", lambda rows: rows[0].update(township_codes="360121001;X9"))
    edit_csv(files / "cameras.csv", lambda rows: rows[1].update(grid_code="NOPE"))
    edit_csv(files / "grids.csv", lambda rows: rows[3].update(service_point_id="99999"))
    problems = problems_of(files)
    assert_problem(problems, "departments.csv", 2, "township_codes", "unknown township(s) X9")
    assert_problem(problems, "cameras.csv", 3, "grid_code", "unknown grid 'NOPE'")
    assert_problem(problems, "grids.csv", 5, "service_point_id", "unknown service point 99999")


def test_camera_outside_its_grid(files: Path) -> None:
    edit_csv(files / "cameras.csv", lambda rows: rows[0].update(grid_code=rows[-1]["grid_code"]))
    assert_problem(problems_of(files), "cameras.csv", 2, "lon", "outside its grid")


def test_damaged_utf8_is_refused_at_its_line_and_field(files: Path) -> None:
    lines = (files / "grids.csv").read_bytes().split(b"\n")
    row = lines[6].split(b",")
    row[2] = row[2][:3] + b"\xff" + row[2][3:]  # a stray byte inside the UTF-8 name of the 6th grid
    lines[6] = b",".join(row)
    (files / "grids.csv").write_bytes(b"\n".join(lines))
    assert_problem(problems_of(files), "grids.csv", 7, "name", "not valid UTF-8")


def test_neither_utf8_nor_gbk_is_refused(files: Path) -> None:
    edit_csv(files / "departments.csv", lambda rows: None, encoding="gbk")
    lines = (files / "departments.csv").read_bytes().split(b"\n")
    row = lines[3].split(b",")
    row[3] = b"\xff\xfe" + row[3]  # 0xFF is no lead byte in GBK/GB18030
    lines[3] = b",".join(row)
    (files / "departments.csv").write_bytes(b"\n".join(lines))
    assert_problem(problems_of(files), "departments.csv", 4, "leader", "neither UTF-8 nor GBK")


def test_invalid_json_names_its_line(files: Path) -> None:
    text = (files / "grids.geojson").read_text(encoding="utf-8").split("\n")
    text[3] = text[3].replace('"properties":', '"properties"=', 1)
    (files / "grids.geojson").write_text("\n".join(text), encoding="utf-8")
    assert_problem(problems_of(files), "grids.geojson", 4, None, "invalid JSON")


def test_nothing_is_half_imported(files: Path) -> None:
    """Problems in several files come back together, in one exception; no data is returned."""
    edit_csv(files / "grids.csv", lambda rows: rows[0].update(township_code="?"))
    edit_csv(files / "departments.csv", lambda rows: rows[0].update(id="x"))
    edit_csv(files / "cameras.csv", lambda rows: rows.pop())
    with pytest.raises(ReferenceImportError) as info:
        import_reference(files)
    assert {p.file for p in info.value.problems} == {"grids.csv", "departments.csv"}
    assert str(info.value).startswith("2 problem(s) in reference data")
