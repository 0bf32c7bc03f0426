"""The county map's page, built once with folium from the county outline, the townships and the grids.

Qt-free. folium writes the base document: Leaflet and the map, the outline, the township and grid boundaries as
vector GeoJSON layers fitted to the county, and no tile layer unless a site gives its own tile server. Every script
and style sheet is a local file (resources/web, referenced by file:// URL): folium's own defaults (Leaflet, jQuery,
Bootstrap, Font Awesome from CDNs) are replaced on the map instance, so the page asks the network for nothing. The
live layers (cases, heat, cameras, alarms, labels) belong to resources/web/county_map.js, which the page starts with
`ccc.init(...)` at the end of folium's script; live data then arrives in batches (`ccc.apply`), never by a reload.

Bad input is a `MapDataError` naming the file and what is wrong with it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import folium
from branca.element import MacroElement
from folium.template import Template
from shapely.geometry import MultiPolygon, Polygon, shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import polylabel, unary_union

WEB_DIR = Path(__file__).resolve().parent.parent / "resources" / "web"
VENDOR_DIR = WEB_DIR / "vendor"
QWEBCHANNEL_JS = "qrc:///qtwebchannel/qwebchannel.js"
MAX_ZOOM = 18
BACKGROUND = "#0b1a2a"

OUTLINE_STYLE = {"color": "#4fc3f7", "weight": 3, "opacity": 0.95, "fillColor": "#12324d", "fillOpacity": 0.35}
TOWNSHIP_STYLE = {"color": "#6fb3dd", "weight": 1.6, "opacity": 0.85, "fillColor": "#4fc3f7", "fillOpacity": 0.04}
GRID_STYLE = {"color": "#2f5e7e", "weight": 0.6, "opacity": 0.55, "fill": False}
"""Dark big-screen palette: the county bright, townships clear, grids thin and dim (they are many)."""


class MapDataError(ValueError):
    """The map's geometry cannot be used; the message names the file (or list) and what is wrong."""


def local_js() -> list[tuple[str, str]]:
    """The page's scripts in load order (folium's `default_js` form): all local."""
    return [
        ("leaflet", (VENDOR_DIR / "leaflet" / "leaflet.js").as_uri()),
        ("jquery", (VENDOR_DIR / "jquery" / "jquery.min.js").as_uri()),
        ("markercluster", (VENDOR_DIR / "leaflet.markercluster" / "leaflet.markercluster.js").as_uri()),
        ("heat", (VENDOR_DIR / "leaflet.heat" / "leaflet-heat.js").as_uri()),
        ("qwebchannel", QWEBCHANNEL_JS),
        ("county_map_clusters", (WEB_DIR / "county_map_clusters.js").as_uri()),
        ("county_map", (WEB_DIR / "county_map.js").as_uri()),
    ]


def local_css() -> list[tuple[str, str]]:
    return [
        ("leaflet_css", (VENDOR_DIR / "leaflet" / "leaflet.css").as_uri()),
        ("markercluster_css", (VENDOR_DIR / "leaflet.markercluster" / "MarkerCluster.css").as_uri()),
        ("county_map_css", (WEB_DIR / "county_map.css").as_uri()),
    ]


# -- input --------------------------------------------------------------------------------------------
def load_outline(path: Path) -> tuple[dict[str, Any], BaseGeometry]:
    """The outline file as GeoJSON (for the page) and as one shapely (Multi)Polygon (for bounds)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise MapDataError(f"county outline {path}: file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise MapDataError(f"county outline {path}: cannot be read ({exc})") from None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise MapDataError(f"county outline {path}: not valid JSON ({exc})") from None
    geometries = _geometries_of(doc)
    if geometries is None:
        raise MapDataError(f"county outline {path}: not GeoJSON (expected a FeatureCollection, Feature or geometry)")
    polygons: list[BaseGeometry] = []
    for n, geometry in enumerate(geometries):
        geom = _shape_or_none(geometry)
        if geom is None:
            raise MapDataError(f"county outline {path}: geometry {n} is not valid GeoJSON geometry")
        if isinstance(geom, Polygon | MultiPolygon) and not geom.is_empty:
            polygons.append(geom)
    if not polygons:
        raise MapDataError(f"county outline {path}: contains no polygon")
    return doc, unary_union(polygons)


def _geometries_of(doc: Any) -> list[Any] | None:
    if not isinstance(doc, dict):
        return None
    kind = doc.get("type")
    if kind == "FeatureCollection" and isinstance(doc.get("features"), list):
        return [f.get("geometry") if isinstance(f, dict) else None for f in doc["features"]]
    if kind == "Feature":
        return [doc.get("geometry")]
    if (isinstance(kind, str) and "coordinates" in doc) or kind == "GeometryCollection":
        return [doc]
    return None


def _shape_or_none(geometry: Any) -> BaseGeometry | None:
    if not isinstance(geometry, dict):
        return None
    try:
        return shape(geometry)
    except Exception:  # shapely raises several kinds on malformed coordinates
        return None


def feature_collection(rows: list[dict[str, Any]], what: str, extra: tuple[str, ...] = ()) -> dict[str, Any]:
    """Rows {"id", "name", "geometry", ...} with a geometry as a FeatureCollection (rows without one are skipped)."""
    features = []
    for row in rows:
        geometry = row.get("geometry")
        if geometry is None:
            continue
        if _shape_or_none(geometry) is None:
            raise MapDataError(f"{what} {row.get('id')!r} ({row.get('name', '')}): geometry is not valid GeoJSON")
        properties = {"id": row["id"], **{key: row[key] for key in ("name", *extra) if key in row}}
        features.append({"type": "Feature", "properties": properties, "geometry": geometry})
    return {"type": "FeatureCollection", "features": features}


def label_point(geometry: dict[str, Any]) -> tuple[float, float] | None:
    """(lat, lon) inside a township, far from its edges (pole of inaccessibility of its largest part)."""
    geom = _shape_or_none(geometry)
    if geom is None or geom.is_empty:
        return None
    parts = [g for g in getattr(geom, "geoms", [geom]) if isinstance(g, Polygon)]
    if not parts:
        point = geom.representative_point()
    else:
        biggest = max(parts, key=lambda p: p.area)
        point = polylabel(biggest, tolerance=max(1e-5, (biggest.area ** 0.5) / 200))
    return round(point.y, 6), round(point.x, 6)


def tile_host(tile_url: str) -> str:
    """The one host the page may ask for tiles ("{s}" subdomains are refused: the interceptor allows one host)."""
    parts = urlsplit(tile_url)
    if parts.scheme not in ("http", "https") or not parts.hostname or "{" in parts.netloc:
        raise ValueError(f"tile URL {tile_url!r}: needs http(s)://one-fixed-host/...{{z}}/{{x}}/{{y}}")
    return parts.hostname


# -- the page -----------------------------------------------------------------------------------------
class _StartLiveLayers(MacroElement):
    """`ccc.init(map, layers, config)` at the end of folium's script, after the GeoJSON layers exist."""

    _template = Template("""
        {% macro script(this, kwargs) %}
            ccc.init({{ this._parent.get_name() }}, {
                outline: {{ this.outline.get_name() }},
                townships: {{ this.townships.get_name() }},
                grids: {{ this.grids.get_name() }}
            }, {{ this.config|tojson }});
        {% endmacro %}
    """)

    def __init__(self, outline: folium.GeoJson, townships: folium.GeoJson, grids: folium.GeoJson,
                 config: dict[str, Any]) -> None:
        super().__init__()
        self._name = "StartLiveLayers"
        self.outline, self.townships, self.grids, self.config = outline, townships, grids, config


def build_html(outline_path: Path, townships: list[dict[str, Any]], grids: list[dict[str, Any]],
               tile_url: str | None = None) -> str:
    """The whole page as HTML (no network URL in it unless `tile_url` is given)."""
    outline_doc, outline = load_outline(outline_path)
    west, south, east, north = outline.bounds
    # maxZoom/minZoom go to the map's own options (folium's max_zoom only reaches a tile layer; markercluster
    # refuses a map without maxZoom)
    fmap = folium.Map(location=[(south + north) / 2, (west + east) / 2], tiles=None, zoom_start=10,
                      maxZoom=MAX_ZOOM, minZoom=7, zoom_snap=0.25, zoom_delta=0.5, control_scale=False,
                      attribution_control=bool(tile_url), prefer_canvas=False)
    fmap.default_js, fmap.default_css = local_js(), local_css()
    if tile_url:
        tile_host(tile_url)
        folium.TileLayer(tiles=tile_url, attr="本地瓦片服务", max_zoom=MAX_ZOOM, name="tiles",
                         control=False).add_to(fmap)
    outline_layer = folium.GeoJson(outline_doc, name="outline", control=False, style=OUTLINE_STYLE,
                                   interactive=False).add_to(fmap)
    grid_layer = folium.GeoJson(feature_collection(grids, "grid", ("township_id",)), name="grids", control=False,
                                style=GRID_STYLE, interactive=False).add_to(fmap)
    township_layer = folium.GeoJson(feature_collection(townships, "township"), name="townships", control=False,
                                    style=TOWNSHIP_STYLE, bubbling_mouse_events=False).add_to(fmap)
    fmap.fit_bounds([[south, west], [north, east]])
    config = {"bounds": [[south, west], [north, east]], "townships": _township_labels(townships),
              "styles": {"outline": OUTLINE_STYLE, "townships": TOWNSHIP_STYLE, "grids": GRID_STYLE}}
    _StartLiveLayers(outline_layer, township_layer, grid_layer, config).add_to(fmap)
    root = fmap.get_root()
    root.header.add_child(folium.Element(f'<meta name="ccc-page" content="county-map"><style>html, body '
                                         f'{{ background: {BACKGROUND}; }}</style>'), name="ccc_meta")
    return root.render()


def _township_labels(townships: list[dict[str, Any]]) -> list[dict[str, Any]]:
    labels = []
    for row in townships:
        point = label_point(row["geometry"]) if row.get("geometry") else None
        if point is not None:
            labels.append({"id": row["id"], "name": row.get("name", str(row["id"])), "at": list(point)})
    return labels


def write_page(directory: Path, outline_path: Path, townships: list[dict[str, Any]], grids: list[dict[str, Any]],
               tile_url: str | None = None) -> Path:
    """Builds the page and writes it as `directory/county_map.html`; returns that path."""
    html = build_html(outline_path, townships, grids, tile_url)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "county_map.html"
    path.write_text(html, encoding="utf-8")
    return path
