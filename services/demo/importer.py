"""A real county's reference data from files: the same shape as `generate_county`, so a deployment replaces the demo
county without code. `import_reference(directory)` returns the full dict or raises one `ReferenceImportError` listing
every problem (file, line, field, message): nothing is half-imported. `export_reference(data, directory)` writes the
files (a template for a real county, and the round-trip test).

Files in the directory (required unless marked optional):

    county.geojson       optional; the county outline (default: resources/geo/nanchang_county_360121.geojson)
    townships.geojson    FeatureCollection, one Feature per township: properties id (int), code, name, kind
                         [, demo]; geometry Polygon or MultiPolygon
    grids.geojson        FeatureCollection, one Feature per grid: properties code (as in grids.csv) [, demo];
                         geometry Polygon or MultiPolygon
    grids.csv            id, code, name, township_code [, service_point_id, worker, party_branch]
    departments.csv      id, code, name [, leader, liaison, township_codes]
    service_points.csv   optional: id, name, township_code [, grid_codes]
    cameras.csv          optional: id, name, lon, lat, main_url [, sub_url, grid_code]
    channels.csv         optional: code, name (default: the 8 channels of services/backend/seed.py)
    mediators.csv        optional: id, name, kind [, kind_name, organization, specialties, township_code]

Columns in [brackets] may be left out; other columns must be there (order free, extra columns ignored). Lists in a
cell (township_codes, grid_codes, specialties) are separated by ';'. Lon/lat are decimal degrees in the outline's
coordinate system. The first line of a CSV is its header; line numbers count physical lines from 1. In a GeoJSON
file a feature's line is the line its object starts on (write one feature per line for precise messages).
`service_points.grid_codes` lists the grids a point covers, its own first; left empty it is the grids whose
service_point_id names the point. A camera without grid_code is put in the grid holding its point.

Checks: missing files and columns, empty required fields, numbers that are not numbers, duplicate ids and codes,
unknown township / grid / service point references, GeoJSON rings not closed or with fewer than 4 points, invalid
(self-intersecting) polygons, geometry outside the county outline, overlapping townships or grids, a grid outside
its township (or in no township), a camera outside its grid.

Encoding: UTF-8 (with or without BOM). A file whose first non-ASCII bytes are not UTF-8 is read as GB18030 (a
superset of GBK: what Excel saves as "CSV" on a Chinese Windows), so a GBK file imports as it is. A file that starts
as valid UTF-8 and breaks later is damaged, not GBK: refused, naming the line and field of the first bad byte; so is
a file that is neither UTF-8 nor GB18030.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import logging
import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import MultiPolygon, Point, Polygon, shape
from shapely.geometry.base import BaseGeometry

from services.backend.seed import CHANNELS
from services.demo.county import OUTLINE_PATH, Reference, Row, load_outline, to_km

log = logging.getLogger(__name__)

TOLERANCE_DEG = 1e-5
"""How far (degrees, ~1 m) a polygon or point may stick out of its container: coordinates are rounded."""
OVERLAP_KM2 = 1e-5
"""Overlap area (km², 10 m², beyond the tolerance) above which two townships or two grids are said to overlap."""
LIST_SEPARATOR = ";"
MAX_LISTED = 200

TOWNSHIPS_FILE, GRIDS_GEO_FILE, GRIDS_FILE = "townships.geojson", "grids.geojson", "grids.csv"
DEPARTMENTS_FILE, POINTS_FILE, CAMERAS_FILE = "departments.csv", "service_points.csv", "cameras.csv"
CHANNELS_FILE, MEDIATORS_FILE, COUNTY_FILE = "channels.csv", "mediators.csv", "county.geojson"

# file -> (required columns, optional columns), in the order export_reference writes them
CSV_COLUMNS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    GRIDS_FILE: (("id", "code", "name", "township_code"), ("service_point_id", "worker", "party_branch")),
    DEPARTMENTS_FILE: (("id", "code", "name"), ("leader", "liaison", "township_codes")),
    POINTS_FILE: (("id", "name", "township_code"), ("grid_codes",)),
    CAMERAS_FILE: (("id", "name", "lon", "lat", "main_url"), ("sub_url", "grid_code")),
    CHANNELS_FILE: (("code", "name"), ()),
    MEDIATORS_FILE: (("id", "name", "kind"), ("kind_name", "organization", "specialties", "township_code")),
}


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = self.file + (f", line {self.line}" if self.line is not None else "")
        return f"{where}, field {self.field or '-'}: {self.message}"


class ReferenceImportError(ValueError):
    """Every problem found in the files; nothing was imported."""

    def __init__(self, directory: Path, problems: list[Problem]) -> None:
        self.directory = directory
        self.problems = problems
        listed = "\n".join(f"  {p}" for p in problems[:MAX_LISTED])
        more = f"\n  … and {len(problems) - MAX_LISTED} more" if len(problems) > MAX_LISTED else ""
        super().__init__(f"{len(problems)} problem(s) in reference data {directory}:\n{listed}{more}")


@dataclass
class _Report:
    problems: list[Problem] = field(default_factory=list)

    def add(self, file: str, line: int | None, field_name: str | None, message: str) -> None:
        self.problems.append(Problem(file, line, field_name, message))


# -- reading text -----------------------------------------------------------------------------------------------
def read_text(path: Path, report: _Report) -> str | None:
    """The file's text: UTF-8, else GB18030 (GBK) unless the file is mostly valid UTF-8 (then it is a damaged
    UTF-8 file, refused); None (with a problem naming line and field of the first bad byte) if refused."""
    data = path.read_bytes()
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    if _mostly_utf8(data):
        _bad_byte(path, data, first_bad, "is not valid UTF-8 (damaged file?): save it as UTF-8", report)
        return None
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError as exc:
        _bad_byte(path, data, exc.start, "is neither UTF-8 nor GBK/GB18030: save the file as UTF-8", report)
        return None
    log.info("%s: not UTF-8, read as GBK/GB18030", path.name)
    return text


def _mostly_utf8(data: bytes) -> bool:
    """Whether >= 90 % of the non-ASCII characters decode as UTF-8. GBK text decodes as UTF-8 only by accident
    (a minority of its byte pairs happen to form UTF-8 sequences); a damaged UTF-8 file has a few bad bytes."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    good = sum(1 for ch in text if ord(ch) > 127) - bad
    return good >= 9 * bad


def _bad_byte(path: Path, data: bytes, offset: int, what: str, report: _Report) -> None:
    line = data.count(b"\n", 0, offset) + 1
    line_start = data.rfind(b"\n", 0, offset) + 1
    prefix = data[line_start:offset].decode("utf-8", "replace")
    header = data[: data.find(b"\n")].decode("utf-8", "replace") if b"\n" in data else ""
    report.add(path.name, line, _field_at(path, header, prefix, line),
               f"byte 0x{data[offset]:02X} at column {offset - line_start + 1} {what}")


def _field_at(path: Path, header: str, prefix: str, line: int) -> str | None:
    """The column (CSV) or the nearest JSON key (GeoJSON) where a bad byte sits."""
    if path.suffix == ".csv":
        if line == 1:
            return "(header)"
        names = next(csv.reader([header]), [])
        index = len(next(csv.reader([prefix]), [""])) - 1 if prefix else 0
        return names[index].strip() if index < len(names) else None
    keys = re.findall(r'"([^"\\]+)"\s*:', prefix)
    return keys[-1] if keys else None


# -- GeoJSON ----------------------------------------------------------------------------------------------------
def _read_features(path: Path, report: _Report) -> list[tuple[int, dict[str, Any]]] | None:
    """(line, feature) for each feature of a FeatureCollection; None (with problems) if the file is unusable."""
    text = read_text(path, report)
    if text is None:
        return None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        report.add(path.name, exc.lineno, None, f"invalid JSON: {exc.msg} (column {exc.colno})")
        return None
    features = doc.get("features") if isinstance(doc, dict) else None
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection" or not isinstance(features, list):
        report.add(path.name, 1, "type", "not a GeoJSON FeatureCollection with a features list")
        return None
    lines = _feature_lines(text)
    if len(lines) != len(features):
        lines = [1] * len(features)
    out: list[tuple[int, dict[str, Any]]] = []
    for line, feature in zip(lines, features, strict=True):
        if not isinstance(feature, dict) or not isinstance(feature.get("properties"), dict):
            report.add(path.name, line, "properties", "not a Feature with a properties object")
            continue
        out.append((line, feature))
    return out


_SKIP = re.compile(r"[\s,]*")
_COLON = re.compile(r"\s*:\s*")


def _feature_lines(text: str) -> list[int]:
    """The line each element of the top-level "features" array starts on (json gives no positions: we step
    through the top-level object with raw_decode)."""
    decoder = json.JSONDecoder()
    pos = _SKIP.match(text, 0).end()  # type: ignore[union-attr]
    if not text.startswith("{", pos):
        return []
    pos += 1
    try:
        while True:
            pos = _SKIP.match(text, pos).end()  # type: ignore[union-attr]
            if pos >= len(text) or text[pos] == "}":
                return []
            key, pos = decoder.raw_decode(text, pos)
            pos = _COLON.match(text, pos).end()  # type: ignore[union-attr]
            if key == "features" and text.startswith("[", pos):
                return _array_lines(text, pos + 1, decoder)
            _, pos = decoder.raw_decode(text, pos)
    except (json.JSONDecodeError, AttributeError):
        return []


def _array_lines(text: str, pos: int, decoder: json.JSONDecoder) -> list[int]:
    lines: list[int] = []
    line, counted = 1, 0
    while True:
        pos = _SKIP.match(text, pos).end()  # type: ignore[union-attr]
        if pos >= len(text) or text[pos] == "]":
            return lines
        line += text.count("\n", counted, pos)
        counted = pos
        lines.append(line)
        _, pos = decoder.raw_decode(text, pos)


def check_geometry(obj: Any, file: str, line: int, report: _Report) -> Polygon | MultiPolygon | None:
    """A GeoJSON Polygon/MultiPolygon checked ring by ring (closed, >= 4 points, numbers) and for validity."""
    if not isinstance(obj, dict) or obj.get("type") not in ("Polygon", "MultiPolygon"):
        kind = obj.get("type") if isinstance(obj, dict) else type(obj).__name__
        report.add(file, line, "geometry", f"must be a Polygon or MultiPolygon, not {kind}")
        return None
    coords = obj.get("coordinates")
    polygons = [coords] if obj["type"] == "Polygon" else coords
    if not isinstance(polygons, list) or not polygons:
        report.add(file, line, "geometry", "coordinates missing or empty")
        return None
    errors = [e for i, poly in enumerate(polygons) for e in _ring_errors(poly, i)]
    if errors:
        for error in errors:
            report.add(file, line, "geometry", error)
        return None
    geom = shape(obj)
    if not geom.is_valid:
        report.add(file, line, "geometry", f"invalid polygon: {shapely.is_valid_reason(geom)}")
        return None
    return geom  # type: ignore[return-value]


def _ring_errors(polygon: Any, index: int) -> Iterator[str]:
    if not isinstance(polygon, list) or not polygon:
        yield f"polygon {index}: no rings"
        return
    for r, ring in enumerate(polygon):
        where = f"polygon {index} ring {r}"
        if not isinstance(ring, list) or not all(_is_position(p) for p in ring):
            yield f"{where}: positions must be [lon, lat] numbers"
        elif len(ring) < 4:
            yield f"{where}: {len(ring)} points, a closed ring needs at least 4"
        elif ring[0][:2] != ring[-1][:2]:
            yield f"{where}: ring not closed (first point {ring[0][:2]} != last point {ring[-1][:2]})"


def _is_position(p: Any) -> bool:
    return (isinstance(p, list) and len(p) >= 2
            and all(isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v) for v in p[:2]))


def _geometry_dict(obj: dict[str, Any], demo: bool) -> dict[str, Any]:
    """The stored form: type and 2-D float coordinates (+ "demo": true when the feature says so)."""
    def norm(c: Any) -> Any:
        return [float(c[0]), float(c[1])] if _is_position(c) else [norm(x) for x in c]

    out: dict[str, Any] = {"type": obj["type"], "coordinates": norm(obj["coordinates"])}
    if demo:
        out["demo"] = True
    return out


# -- CSV --------------------------------------------------------------------------------------------------------
@dataclass
class _CsvRow:
    file: str
    line: int
    values: dict[str, str]
    report: _Report

    def text(self, name: str, required: bool = True) -> str:
        value = (self.values.get(name) or "").strip()
        if required and not value:
            self.report.add(self.file, self.line, name, "empty (required)")
        return value

    def integer(self, name: str, required: bool = True) -> int | None:
        value = self.text(name, required)
        if not value:
            return None
        try:
            return int(value)
        except ValueError:
            self.report.add(self.file, self.line, name, f"not an integer: {value!r}")
            return None

    def number(self, name: str) -> float | None:
        value = self.text(name)
        if not value:
            return None
        try:
            number = float(value)
        except ValueError:
            number = math.nan
        if not math.isfinite(number):
            self.report.add(self.file, self.line, name, f"not a number: {value!r}")
            return None
        return number

    def items(self, name: str) -> list[str]:
        return [v.strip() for v in self.text(name, required=False).split(LIST_SEPARATOR) if v.strip()]


def _read_csv(path: Path, report: _Report) -> list[_CsvRow] | None:
    """The rows of a CSV file whose header has every required column; None (with problems) otherwise."""
    required, _optional = CSV_COLUMNS[path.name]
    text = read_text(path, report)
    if text is None:
        return None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [name.strip() for name in reader.fieldnames or []]
    reader.fieldnames = header
    missing = [name for name in required if name not in header]
    for name in missing:
        report.add(path.name, 1, name, "missing column")
    duplicated = sorted({name for name in header if header.count(name) > 1})
    for name in duplicated:
        report.add(path.name, 1, name, "column appears twice")
    if missing or duplicated:
        return None
    rows: list[_CsvRow] = []
    for values in reader:
        if None in values:
            report.add(path.name, reader.line_num, None, f"{len(header) + len(values[None])} fields, header has "
                                                          f"{len(header)}")  # type: ignore[index]
            continue
        rows.append(_CsvRow(path.name, reader.line_num, values, report))
    return rows


def _unique(entries: list[tuple[str, int, Any]], name: str, report: _Report) -> None:
    """Reports every repeated value of `name` among (file, line, value) entries, on the repeating line."""
    seen: dict[str, int] = {}
    for file, line, value in entries:
        key = str(value).strip() if value is not None else ""
        if not key:
            continue
        if key in seen:
            report.add(file, line, name, f"duplicate {name} {key!r} (first on line {seen[key]})")
        else:
            seen[key] = line


def _unique_columns(rows: list[_CsvRow], names: tuple[str, ...], report: _Report) -> None:
    for name in names:
        _unique([(r.file, r.line, r.values.get(name)) for r in rows], name, report)


# -- the import -------------------------------------------------------------------------------------------------
@dataclass
class _Township:
    id: int
    code: str
    line: int
    geom: BaseGeometry
    buffered: BaseGeometry


@dataclass
class _Grid:
    id: int
    code: str
    township_id: int
    geom: BaseGeometry


@dataclass
class _Context:
    directory: Path
    report: _Report
    outline: BaseGeometry | None = None
    townships: dict[str, _Township] = field(default_factory=dict)
    grids: dict[str, _Grid] = field(default_factory=dict)
    point_ids: set[int] = field(default_factory=set)
    failed: set[str] = field(default_factory=set)
    """Files that could not be read at all (reported once)."""
    excused: set[tuple[str, str]] = field(default_factory=set)
    """(kind, key) of rows rejected with a problem: references to them are not reported again."""

    def path(self, name: str) -> Path:
        return self.directory / name

    def excuse(self, kind: str, key: Any) -> None:
        self.excused.add((kind, str(key)))

    def is_excused(self, kind: str, key: Any) -> bool:
        """Whether a dangling reference is a consequence of a problem already reported."""
        files = {"township": (TOWNSHIPS_FILE,), "grid": (GRIDS_FILE, GRIDS_GEO_FILE), "point": (POINTS_FILE,)}[kind]
        return (kind, str(key)) in self.excused or any(f in self.failed for f in files)

    def csv(self, name: str) -> list[_CsvRow] | None:
        rows = _read_csv(self.path(name), self.report)
        if rows is None:
            self.failed.add(name)
        return rows

    def features(self, name: str) -> list[tuple[int, dict[str, Any]]] | None:
        features = _read_features(self.path(name), self.report)
        if features is None:
            self.failed.add(name)
        return features


def import_reference(directory: Path | str) -> Reference:
    """The reference data of a county from `directory` (see the module docstring), or ReferenceImportError."""
    ctx = _Context(Path(directory), _Report())
    for name in (TOWNSHIPS_FILE, GRIDS_GEO_FILE, GRIDS_FILE, DEPARTMENTS_FILE):
        if not ctx.path(name).is_file():
            ctx.report.add(name, None, None, "file missing")
    if not ctx.report.problems:
        ctx.outline = _outline(ctx)
    if ctx.outline is None:
        raise ReferenceImportError(ctx.directory, ctx.report.problems)
    townships = _townships(ctx)
    point_rows = ctx.csv(POINTS_FILE) if ctx.path(POINTS_FILE).is_file() else []
    points = _service_points(ctx, point_rows or [])
    ctx.point_ids = {row["id"] for row, _ in points}
    grids = _grids(ctx)
    data: Reference = {
        "townships": townships,
        "service_points": _point_grids(ctx, points, grids),
        "grids": grids,
        "departments": _departments(ctx),
        "channels": _optional(ctx, CHANNELS_FILE, _channels) or [{"code": c, "name": n} for c, n in CHANNELS],
        "cameras": _optional(ctx, CAMERAS_FILE, _cameras) or [],
        "mediators": _optional(ctx, MEDIATORS_FILE, _mediators) or [],
    }
    if ctx.report.problems:
        raise ReferenceImportError(ctx.directory, ctx.report.problems)
    return data


def _optional(ctx: _Context, name: str, reader: Callable[[_Context, list[_CsvRow]], list[Row]]) -> list[Row] | None:
    if not ctx.path(name).is_file():
        return None
    rows = ctx.csv(name)
    return reader(ctx, rows) if rows is not None else None


def _outline(ctx: _Context) -> BaseGeometry | None:
    path = ctx.path(COUNTY_FILE) if ctx.path(COUNTY_FILE).is_file() else OUTLINE_PATH
    try:
        outline = load_outline(path)
    except (ValueError, KeyError, TypeError, shapely.errors.GEOSException) as exc:
        ctx.report.add(path.name, None, "geometry", f"unusable county outline: {exc}")
        return None
    return outline.buffer(TOLERANCE_DEG)


def _townships(ctx: _Context) -> list[Row]:
    features = ctx.features(TOWNSHIPS_FILE)
    if features is None:
        return []
    rows: list[Row] = []
    for line, feature in features:
        props = feature["properties"]
        values = _properties(TOWNSHIPS_FILE, line, props, ("id", "code", "name", "kind"), ctx.report)
        geom = check_geometry(feature.get("geometry"), TOWNSHIPS_FILE, line, ctx.report)
        if values is None:
            ctx.excuse("township", props.get("code"))
            continue
        tid = _int_property(TOWNSHIPS_FILE, line, "id", values["id"], ctx.report)
        if (tid is None or geom is None
                or not _inside(geom, ctx.outline, TOWNSHIPS_FILE, line, "the county outline", ctx.report)):
            ctx.excuse("township", values["code"])
            continue
        ctx.townships.setdefault(str(values["code"]), _Township(tid, str(values["code"]), line, geom,
                                                                 geom.buffer(TOLERANCE_DEG)))
        rows.append({"id": tid, "code": str(values["code"]), "name": str(values["name"]),
                     "kind": str(values["kind"]), "geometry": _geometry_dict(feature["geometry"], _demo(props))})
    for name in ("id", "code"):
        _unique([(TOWNSHIPS_FILE, line, f["properties"].get(name)) for line, f in features], name, ctx.report)
    _overlaps([(t.line, t.code, t.geom) for t in ctx.townships.values()], TOWNSHIPS_FILE, "township", ctx.report)
    return rows


def _properties(file: str, line: int, props: dict[str, Any], names: tuple[str, ...],
                report: _Report) -> dict[str, Any] | None:
    ok = True
    for name in names:
        if props.get(name) in (None, ""):
            report.add(file, line, name, "missing property" if name not in props else "empty (required)")
            ok = False
    return props if ok else None


def _int_property(file: str, line: int, name: str, value: Any, report: _Report) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value)
    report.add(file, line, name, f"not an integer: {value!r}")
    return None


def _demo(props: dict[str, Any]) -> bool:
    return props.get("demo") is True


def _inside(geom: BaseGeometry, container: BaseGeometry | None, file: str, line: int, what: str,
            report: _Report, field_name: str = "geometry") -> bool:
    """Whether `geom` lies in `container` (already buffered by the tolerance); reports how much sticks out."""
    if container is None or container.covers(geom):
        return True
    outside = geom.difference(container)
    size = f"{to_km(outside).area:.4f} km² outside" if outside.area > 0 else "outside"
    report.add(file, line, field_name, f"lies outside {what} ({size})")
    return False


def _overlaps(items: list[tuple[int, str, BaseGeometry]], file: str, what: str, report: _Report) -> None:
    """Reports each pair of polygons overlapping by more than OVERLAP_KM2 once one of them is shrunk by the
    tolerance: shared edges rounded independently leave slivers a few cm wide, which are not overlaps."""
    if len(items) < 2:
        return
    geoms = [g for _, _, g in items]
    shrunk: dict[int, BaseGeometry] = {}
    left, right = shapely.STRtree(geoms).query(geoms, predicate="intersects")
    for a, b in zip(left.tolist(), right.tolist(), strict=True):
        if a >= b:
            continue
        core = shrunk.setdefault(b, geoms[b].buffer(-TOLERANCE_DEG))
        if to_km(shapely.intersection(geoms[a], core)).area > OVERLAP_KM2:
            area = to_km(shapely.intersection(geoms[a], geoms[b])).area
            (la, ca, _), (lb, cb, _) = sorted((items[a], items[b]), key=lambda item: item[0])
            report.add(file, lb, "geometry", f"{what} {cb} overlaps {what} {ca} (line {la}) by {area:.4f} km²")


def _grid_geometries(ctx: _Context) -> dict[str, tuple[int, dict[str, Any], BaseGeometry]]:
    """grids.geojson: code -> (line, feature, geometry), each inside the outline."""
    features = ctx.features(GRIDS_GEO_FILE)
    out: dict[str, tuple[int, dict[str, Any], BaseGeometry]] = {}
    for line, feature in features or []:
        values = _properties(GRIDS_GEO_FILE, line, feature["properties"], ("code",), ctx.report)
        geom = check_geometry(feature.get("geometry"), GRIDS_GEO_FILE, line, ctx.report)
        if values is None:
            continue
        code = str(values["code"])
        if geom is not None and _inside(geom, ctx.outline, GRIDS_GEO_FILE, line, "the county outline", ctx.report):
            out.setdefault(code, (line, feature, geom))
        else:
            ctx.excuse("grid", code)
    _unique([(GRIDS_GEO_FILE, line, f["properties"].get("code")) for line, f in features or []], "code", ctx.report)
    return out


def _grids(ctx: _Context) -> list[Row]:
    shapes = _grid_geometries(ctx)
    rows_in = ctx.csv(GRIDS_FILE)
    if rows_in is None:
        return []
    _unique_columns(rows_in, ("id", "code"), ctx.report)
    rows: list[Row] = []
    for r in rows_in:
        row = _grid_row(ctx, r, shapes)
        if row is not None:
            rows.append(row)
        else:
            ctx.excuse("grid", r.text("code", False))
    listed = {r.text("code", False) for r in rows_in}
    for code, (line, _, _) in shapes.items():
        if code not in listed:
            ctx.report.add(GRIDS_GEO_FILE, line, "code", f"grid {code!r} has no row in {GRIDS_FILE}")
    _overlaps([(shapes[g.code][0], g.code, g.geom) for g in ctx.grids.values()], GRIDS_GEO_FILE, "grid",
              ctx.report)
    return rows


def _grid_row(ctx: _Context, r: _CsvRow, shapes: dict[str, tuple[int, dict[str, Any], BaseGeometry]]) -> Row | None:
    gid, code, name = r.integer("id"), r.text("code"), r.text("name")
    point_id = r.integer("service_point_id", required=False)
    township = _township_of(ctx, r, "township_code")
    if point_id is not None and point_id not in ctx.point_ids and not ctx.is_excused("point", point_id):
        ctx.report.add(r.file, r.line, "service_point_id", f"unknown service point {point_id} (not in {POINTS_FILE})")
    if code and code not in shapes:
        if not ctx.is_excused("grid", code):
            ctx.report.add(r.file, r.line, "code", f"grid {code!r} has no feature in {GRIDS_GEO_FILE}")
        return None
    if gid is None or not code or not name or township is None:
        return None
    _, feature, geom = shapes[code]
    if not township.buffered.covers(geom):
        home = [t.code for t in ctx.townships.values() if t.buffered.covers(geom)]
        where = f"it lies in township {home[0]}" if home else "it lies in no township"
        ctx.report.add(r.file, r.line, "township_code", f"grid {code} lies outside its township {township.code} "
                                                        f"({where})")
        return None
    ctx.grids.setdefault(code, _Grid(gid, code, township.id, geom))
    return {"id": gid, "township_id": township.id, "service_point_id": point_id, "code": code, "name": name,
            "worker": r.text("worker", False), "geometry": _geometry_dict(feature["geometry"],
                                                                         _demo(feature["properties"])),
            "party_branch": r.text("party_branch", False)}


def _township_of(ctx: _Context, r: _CsvRow, column: str, required: bool = True) -> _Township | None:
    code = r.text(column, required)
    if not code:
        return None
    township = ctx.townships.get(code)
    if township is None and not ctx.is_excused("township", code):
        ctx.report.add(r.file, r.line, column, f"unknown township {code!r} (not in {TOWNSHIPS_FILE})")
    return township


def _service_points(ctx: _Context, rows_in: list[_CsvRow]) -> list[tuple[Row, _CsvRow]]:
    """Service points with their CSV row: grid_codes are resolved once the grids are read (_point_grids)."""
    _unique_columns(rows_in, ("id",), ctx.report)
    out: list[tuple[Row, _CsvRow]] = []
    for r in rows_in:
        pid, name = r.integer("id"), r.text("name")
        township = _township_of(ctx, r, "township_code")
        if pid is not None and name and township is not None:
            out.append(({"id": pid, "township_id": township.id, "name": name, "grid_ids": []}, r))
        else:
            ctx.excuse("point", r.text("id", False))
    return out


def _point_grids(ctx: _Context, points: list[tuple[Row, _CsvRow]], grids: list[Row]) -> list[Row]:
    """grid_codes -> grid_ids; an empty cell means the grids whose service_point_id names the point."""
    by_code = {g["code"]: g["id"] for g in grids}
    own: dict[int, list[int]] = {}
    for g in grids:
        if g["service_point_id"] is not None:
            own.setdefault(g["service_point_id"], []).append(g["id"])
    for row, r in points:
        codes = r.items("grid_codes")
        unknown = [c for c in codes if c not in by_code and not ctx.is_excused("grid", c)]
        if unknown:
            r.report.add(r.file, r.line, "grid_codes", f"unknown grid(s) {', '.join(unknown)}")
        row["grid_ids"] = [by_code[c] for c in codes if c in by_code] if codes else own.get(row["id"], [])
    return [row for row, _ in points]


def _departments(ctx: _Context) -> list[Row]:
    rows_in = ctx.csv(DEPARTMENTS_FILE)
    if rows_in is None:
        return []
    _unique_columns(rows_in, ("id", "code"), ctx.report)
    rows: list[Row] = []
    for r in rows_in:
        did, code, name = r.integer("id"), r.text("code"), r.text("name")
        codes = r.items("township_codes")
        missing = [c for c in codes if c not in ctx.townships]
        unknown = [c for c in missing if not ctx.is_excused("township", c)]
        if unknown:
            r.report.add(r.file, r.line, "township_codes", f"unknown township(s) {', '.join(unknown)}")
        if did is not None and code and name and not missing:
            rows.append({"id": did, "code": code, "name": name, "leader": r.text("leader", False),
                         "liaison": r.text("liaison", False),
                         "township_ids": [ctx.townships[c].id for c in codes]})
    return rows


def _channels(ctx: _Context, rows_in: list[_CsvRow]) -> list[Row]:
    _unique_columns(rows_in, ("code",), ctx.report)
    return [{"code": r.text("code"), "name": r.text("name")} for r in rows_in]


def _cameras(ctx: _Context, rows_in: list[_CsvRow]) -> list[Row]:
    _unique_columns(rows_in, ("id",), ctx.report)
    tree_items = list(ctx.grids.values())
    tree = shapely.STRtree([g.geom for g in tree_items]) if tree_items else None
    rows: list[Row] = []
    for r in rows_in:
        cid, name, main_url = r.integer("id"), r.text("name"), r.text("main_url")
        lon, lat = r.number("lon"), r.number("lat")
        if cid is None or not name or not main_url or lon is None or lat is None:
            continue
        placed, grid = _camera_grid(ctx, r, Point(lon, lat), tree, tree_items)
        if not placed:
            continue
        township_id = grid.township_id if grid else _township_at(ctx, Point(lon, lat))
        rows.append({"id": cid, "name": name, "township_id": township_id, "grid_id": grid.id if grid else None,
                     "lat": lat, "lon": lon, "main_url": main_url, "sub_url": r.text("sub_url", False)})
    return rows


def _camera_grid(ctx: _Context, r: _CsvRow, point: Point, tree: shapely.STRtree | None,
                 items: list[_Grid]) -> tuple[bool, _Grid | None]:
    """(placed, grid): the named grid, else the grid holding the point (None if none); placed False on a problem."""
    if ctx.outline is not None and not ctx.outline.covers(point):
        r.report.add(r.file, r.line, "lon", f"point ({point.x}, {point.y}) lies outside the county outline")
        return False, None
    code = r.text("grid_code", False)
    if not code:
        hits = tree.query(point.buffer(TOLERANCE_DEG), predicate="intersects").tolist() if tree else []
        return True, (items[min(hits)] if hits else None)
    grid = ctx.grids.get(code)
    if grid is None:
        if not ctx.is_excused("grid", code):
            r.report.add(r.file, r.line, "grid_code", f"unknown grid {code!r} (not in {GRIDS_FILE})")
        return False, None
    if grid.geom.distance(point) > TOLERANCE_DEG:
        r.report.add(r.file, r.line, "lon", f"point ({point.x}, {point.y}) lies outside its grid {code}")
        return False, None
    return True, grid


def _township_at(ctx: _Context, point: Point) -> int | None:
    return next((t.id for t in ctx.townships.values() if t.buffered.covers(point)), None)


def _mediators(ctx: _Context, rows_in: list[_CsvRow]) -> list[Row]:
    _unique_columns(rows_in, ("id",), ctx.report)
    rows: list[Row] = []
    for r in rows_in:
        mid, name, kind = r.integer("id"), r.text("name"), r.text("kind")
        township = _township_of(ctx, r, "township_code", required=False)
        if mid is None or not name or not kind or (r.text("township_code", False) and township is None):
            continue
        rows.append({"id": mid, "name": name, "kind": kind, "kind_name": r.text("kind_name", False),
                     "organization": r.text("organization", False), "specialties": r.items("specialties"),
                     "township_id": township.id if township else None})
    return rows


# -- export -----------------------------------------------------------------------------------------------------
def export_reference(data: Reference, directory: Path | str, outline_path: Path = OUTLINE_PATH) -> Path:
    """Writes `data` as the files import_reference reads (UTF-8, one GeoJSON feature per line)."""
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    townships = {t["id"]: t["code"] for t in data["townships"]}
    grids = {g["id"]: g["code"] for g in data["grids"]}
    (out / COUNTY_FILE).write_bytes(outline_path.read_bytes())
    _write_features(out / TOWNSHIPS_FILE, [({"id": t["id"], "code": t["code"], "name": t["name"], "kind": t["kind"]},
                                            t["geometry"]) for t in data["townships"]])
    _write_features(out / GRIDS_GEO_FILE, [({"code": g["code"]}, g["geometry"]) for g in data["grids"]])
    _write_csv(out / GRIDS_FILE, [
        [g["id"], g["code"], g["name"], townships[g["township_id"]], g.get("service_point_id"), g.get("worker", ""),
         g.get("party_branch", "")] for g in data["grids"]])
    _write_csv(out / DEPARTMENTS_FILE, [
        [d["id"], d["code"], d["name"], d.get("leader", ""), d.get("liaison", ""),
         LIST_SEPARATOR.join(townships[t] for t in d.get("township_ids", []))] for d in data["departments"]])
    _write_csv(out / POINTS_FILE, [
        [p["id"], p["name"], townships[p["township_id"]], LIST_SEPARATOR.join(grids[g] for g in p.get("grid_ids", []))]
        for p in data.get("service_points", [])])
    _write_csv(out / CAMERAS_FILE, [
        [c["id"], c["name"], c["lon"], c["lat"], c["main_url"], c.get("sub_url", ""),
         grids.get(c.get("grid_id"), "")] for c in data.get("cameras", [])])
    _write_csv(out / CHANNELS_FILE, [[c["code"], c["name"]] for c in data["channels"]])
    _write_csv(out / MEDIATORS_FILE, [
        [m["id"], m["name"], m["kind"], m.get("kind_name", ""), m.get("organization", ""),
         LIST_SEPARATOR.join(m.get("specialties", [])), townships.get(m.get("township_id"), "")]
        for m in data.get("mediators", [])])
    return out


def _write_features(path: Path, items: list[tuple[dict[str, Any], dict[str, Any]]]) -> None:
    lines = []
    for props, geometry in items:
        props = {**props, "demo": True} if geometry.get("demo") else props
        geom = {"type": geometry["type"], "coordinates": geometry["coordinates"]}
        lines.append(json.dumps({"type": "Feature", "properties": props, "geometry": geom}, ensure_ascii=False,
                                separators=(",", ":")))
    path.write_text('{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n", encoding="utf-8")


def _write_csv(path: Path, rows: list[list[Any]]) -> None:
    required, optional = CSV_COLUMNS[path.name]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([*required, *optional])
    writer.writerows([["" if v is None else v for v in row] for row in rows])
    path.write_text(buffer.getvalue(), encoding="utf-8")
