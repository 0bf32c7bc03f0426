/*
 * county_map.js — the live layers of the county map page (widgets/county_map.py, widgets/map_page.py).
 *
 * folium builds the page once (outline, townships, grids); its script ends with ccc.init(map, layers, config).
 * From then on the page changes only through ccc.apply(batch): one call per batch of updates (format in
 * widgets/map_queue.py), sent by Python over QWebChannel or runJavaScript. The page is never reloaded for data.
 *
 * Layers: four case layers by state, each a MarkerClusterGroup (bulk addLayers/removeLayers, chunkedLoading;
 * county_map_clusters.js);
 * today's heat (leaflet.heat over the cases flagged today); cameras; alarms (pulsing); township labels
 * ("莲塘街道 123"); grid boundaries. A Leaflet layer control toggles them; so does Python (batch.visible).
 * Clicks go back to Python through the QWebChannel object "bridge".
 */
(function () {
  "use strict";

  var CASE_LAYERS = ["new", "dispatched", "overdue", "closed_today"];
  var TITLES = {
    "new": "新上报", "dispatched": "已派遣/处置中", "overdue": "超期", "closed_today": "今日办结",
    "heat": "今日热力", "cameras": "摄像头", "alarms": "告警", "labels": "镇街名称", "grids": "网格边界"
  };
  var ESTIMATED_NOTE = "位置为估算";
  var HEAT_BASE = { radius: 18, blur: 18 };
  var HEAT_POINTS_PER_MAX = 300;
  var HEAT_REFRESH_MS = 1000;
  var CLUSTER_RADIUS = 72;  // px at scale 1; bigger icons on a bigger screen need a bigger radius

  var map = null;
  var bridge = null;
  var base = {};          // folium's GeoJSON layers: outline, townships, grids
  var styles = {};        // their base styles (weights scale with ccc.setScale)
  var bounds = null;
  var layers = {};        // layer key -> Leaflet layer (what the control and setVisible toggle)
  var clusters = {};      // case layer -> ClusterLayer
  var cases = new Map();  // case id -> marker
  var points = { cameras: new Map(), alarms: new Map() };
  var labels = new Map(); // township id -> {marker, name, count}
  var heatDirty = true;
  var heatIds = [];
  var heatTimer = null;
  var heatLast = -Infinity;
  var scale = 1;
  var focused = false;
  var stats = { batches: 0, lastMs: 0, deferred: 0 };  // deferred: changes that waited for a chunked load

  // -- markers ---------------------------------------------------------------------------------------
  var iconCache = {};
  function icon(className, html) {
    var key = className + "|" + (html || "");
    if (!iconCache[key]) { iconCache[key] = L.divIcon({ className: className, html: html || "", iconSize: null }); }
    return iconCache[key];
  }

  function caseIcon(layer, estimated) {
    return icon("ccc-case ccc-" + layer + (estimated ? " ccc-est" : ""));
  }

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function tooltipText(info) {
    return info.est ? info.text + "\n" + ESTIMATED_NOTE : info.text;
  }

  function tooltipNode(info) {
    var box = document.createElement("div");
    tooltipText(info).split("\n").forEach(function (line, i) {
      var row = document.createElement("div");
      row.textContent = line;
      if (i > 0 && line === ESTIMATED_NOTE && info.est) { row.className = "ccc-tip-est"; }
      box.appendChild(row);
    });
    return box;
  }

  function onMarkerOver(e) {
    var m = e.target;
    if (!m.getTooltip()) {
      m.bindTooltip(tooltipNode(m.ccc), { direction: "top", className: "ccc-tip", offset: [0, -8 * scale] });
    }
    m.openTooltip();
  }

  function onMarkerClick(e) {
    send("markerClicked", e.target.ccc.kind, e.target.ccc.id);
  }

  function makeMarker(kind, a, markerIcon, extra) {
    var m = L.marker([a[1], a[2]], { icon: markerIcon, keyboard: false, riseOnHover: true,
                                     zIndexOffset: kind === "alarms" ? 1000 : 0 });
    m.ccc = { kind: kind, id: a[0], text: a[3] };
    if (extra) { Object.assign(m.ccc, extra); }
    m.on("click", onMarkerClick);
    m.on("mouseover", onMarkerOver);
    return m;
  }

  function makeCase(a) {  // [id, lat, lon, layer, tooltip, today, estimated]
    var m = makeMarker("cases", [a[0], a[1], a[2], a[4]], caseIcon(a[3], a[6]),
                       { layer: a[3], today: !!a[5], est: !!a[6] });
    return m;
  }

  function sameSpot(m, a) {
    var p = m.getLatLng();
    return p.lat === a[1] && p.lng === a[2] && m.ccc.layer === a[3] && m.ccc.est === !!a[6];
  }

  function retext(m, text) {
    m.ccc.text = text;
    if (m.getTooltip()) { m.setTooltipContent(tooltipNode(m.ccc)); }
  }

  // -- applying a batch ------------------------------------------------------------------------------
  function emptyByLayer() {
    var out = {};
    CASE_LAYERS.forEach(function (k) { out[k] = []; });
    return out;
  }

  function applyCases(part) {
    var adds = emptyByLayer(), removes = emptyByLayer();
    if (part.reset) {
      cases.clear();
      heatDirty = true;
    }
    (part.upsert || []).forEach(function (a) {
      var old = cases.get(a[0]);
      if (old && sameSpot(old, a)) {
        if (old.ccc.today !== !!a[5]) { old.ccc.today = !!a[5]; heatDirty = true; }
        if (old.ccc.text !== a[4]) { retext(old, a[4]); }
        return;
      }
      if (old) { removes[old.ccc.layer].push(old); }
      var m = makeCase(a);
      cases.set(a[0], m);
      adds[a[3]].push(m);
      heatDirty = heatDirty || m.ccc.today || (old && old.ccc.today);
    });
    (part.remove || []).forEach(function (id) {
      var old = cases.get(id);
      if (!old) { return; }
      removes[old.ccc.layer].push(old);
      cases.delete(id);
      heatDirty = heatDirty || old.ccc.today;
    });
    CASE_LAYERS.forEach(function (k) {
      if (part.reset) { clusters[k].reset(adds[k]); } else { clusters[k].change(adds[k], removes[k]); }
    });
  }

  function applyPoints(kind, part, markerIcon) {
    var registry = points[kind], group = layers[kind];
    if (part.reset) {
      group.clearLayers();
      registry.clear();
    }
    (part.upsert || []).forEach(function (a) {
      var old = registry.get(a[0]);
      if (old) {
        old.setLatLng([a[1], a[2]]);
        retext(old, a[3]);
        return;
      }
      var m = makeMarker(kind, a, markerIcon);
      registry.set(a[0], m);
      group.addLayer(m);
    });
    (part.remove || []).forEach(function (id) {
      var old = registry.get(id);
      if (old) { group.removeLayer(old); registry.delete(id); }
    });
  }

  function refreshHeat() {
    if (!heatDirty) { return; }
    var pts = [];
    heatIds = [];
    cases.forEach(function (m, id) {
      if (m.ccc.today) {
        var p = m.getLatLng();
        pts.push([p.lat, p.lng, 1]);
        heatIds.push(id);
      }
    });
    heatDirty = false;
    // intensity relative to the day's volume, so that a busy day does not paint the whole county red
    layers.heat.setOptions({ max: Math.max(1, pts.length / HEAT_POINTS_PER_MAX) });
    layers.heat.setLatLngs(pts);
  }

  // The heat of the day is redrawn at most once per HEAT_REFRESH_MS: each redraw repaints the whole canvas, and
  // at 10 batches a second that repainting cost the Qt thread more than everything else on the page.
  function scheduleHeat() {
    if (!heatDirty || heatTimer !== null || !map.hasLayer(layers.heat)) { return; }
    var wait = Math.max(0, heatLast + HEAT_REFRESH_MS - performance.now());
    heatTimer = setTimeout(function () {
      heatTimer = null;
      heatLast = performance.now();
      refreshHeat();
    }, wait);
  }

  function applyCounts(counts) {
    labels.forEach(function (label, id) {
      var n = counts[String(id)];
      label.count = n === undefined ? null : n;
      label.marker.setIcon(labelIcon(label));
    });
    declutterLabels();
  }

  // Township labels that would overlap are hidden, the busier township winning (all show again when zoomed in).
  function declutterLabels() {
    if (!map.hasLayer(layers.labels)) { return; }
    var shown = [];
    var ordered = Array.from(labels.values()).sort(function (a, b) { return (b.count || 0) - (a.count || 0); });
    ordered.forEach(function (label) {
      var el = label.marker.getElement();
      if (!el) { return; }
      el.style.visibility = "";
      var r = el.firstChild.getBoundingClientRect();
      var clash = shown.some(function (o) {
        return r.left < o.right && o.left < r.right && r.top < o.bottom && o.top < r.bottom;
      });
      if (clash) { el.style.visibility = "hidden"; } else { shown.push(r); }
    });
  }

  function labelIcon(label) {
    var count = label.count === null ? "" : " <b>" + escapeHtml(label.count) + "</b>";
    return L.divIcon({ className: "ccc-label", iconSize: null,
                       html: "<div class=\"ccc-label-box\">" + escapeHtml(label.name) + count + "</div>" });
  }

  function setVisible(key, visible) {
    var layer = layers[key];
    if (!layer) { return; }
    if (clusters[key] && clusters[key].busy) {
      clusters[key].backVisible = visible;
      return;
    }
    if (visible && !map.hasLayer(layer)) { map.addLayer(layer); }
    if (!visible && map.hasLayer(layer)) { map.removeLayer(layer); }
  }

  function setScale(factor) {
    scale = factor;
    document.documentElement.style.setProperty("--ccc-scale", String(factor));
    ["outline", "townships", "grids"].forEach(function (k) {
      if (base[k] && styles[k]) { base[k].setStyle({ weight: styles[k].weight * factor }); }
    });
    layers.heat.setOptions({ radius: HEAT_BASE.radius * factor, blur: HEAT_BASE.blur * factor });
    CASE_LAYERS.forEach(function (k) { clusters[k].setRadius(Math.round(CLUSTER_RADIUS * factor)); });
    declutterLabels();
  }

  function focus(lat, lon, zoom) {
    focused = true;
    map.setView([lat, lon], zoom === null || zoom === undefined ? Math.max(map.getZoom(), 14) : zoom);
  }

  function apply(batch) {
    var t0 = performance.now();
    if (batch.cases) { applyCases(batch.cases); }
    if (batch.cameras) { applyPoints("cameras", batch.cameras, icon("ccc-camera")); }
    if (batch.alarms) { applyPoints("alarms", batch.alarms, icon("ccc-alarm", "<span class=\"ccc-pulse\"></span>")); }
    if (batch.counts) { applyCounts(batch.counts); }
    if (batch.scale) { setScale(batch.scale); }
    if (batch.visible) { Object.keys(batch.visible).forEach(function (k) { setVisible(k, batch.visible[k]); }); }
    if (batch.focus) { focus(batch.focus[0], batch.focus[1], batch.focus[2]); }
    scheduleHeat();
    var ms = performance.now() - t0;
    stats.batches += 1;
    stats.lastMs = ms;
    return ms;
  }

  // -- queries (tests, diagnostics) ------------------------------------------------------------------
  function ids(key) {
    var out = [];
    if (clusters[key]) {
      clusters[key].markers().forEach(function (m) { out.push(m.ccc.id); });
    } else if (key === "heat") {
      refreshHeat();
      out = heatIds.slice();
    } else if (points[key]) {
      layers[key].eachLayer(function (m) { out.push(m.ccc.id); });
    } else if (key === "labels") {
      labels.forEach(function (label, id) { out.push(id); });
    }
    return out.sort(function (a, b) { return a - b; });
  }

  function marker(kind, id) {
    return kind === "cases" ? cases.get(id) : points[kind] ? points[kind].get(id) : undefined;
  }

  function idle() {
    return CASE_LAYERS.every(function (k) { return !clusters[k].busy; });
  }

  // -- start -----------------------------------------------------------------------------------------
  function send(method) {
    var args = Array.prototype.slice.call(arguments, 1);
    if (bridge && bridge[method]) { bridge[method].apply(bridge, args); }
  }

  // leaflet.heat throws (getImageData on a 0-wide canvas) while the view is hidden or not yet sized: skip those
  // redraws; the resize that follows redraws it.
  function guardHeatRedraw() {
    var redraw = L.HeatLayer.prototype._redraw;
    L.HeatLayer.prototype._redraw = function () {
      var size = this._map && this._map.getSize();
      if (!size || size.x < 1 || size.y < 1) {
        this._frame = null;
        return;
      }
      redraw.call(this);
    };
  }

  function buildLayers(config) {
    CASE_LAYERS.forEach(function (k) {
      clusters[k] = new window.CccClusterLayer(k, {
        radius: CLUSTER_RADIUS, setVisible: setVisible, deferred: function () { stats.deferred += 1; }
      });
      layers[k] = clusters[k].group;
    });
    layers.heat = L.heatLayer([], { radius: HEAT_BASE.radius, blur: HEAT_BASE.blur, maxZoom: 13, minOpacity: 0.25,
                                    gradient: { 0.3: "#2b83ba", 0.55: "#abdda4", 0.75: "#fdae61", 1: "#d7191c" } });
    layers.cameras = L.layerGroup();
    layers.alarms = L.layerGroup();
    map.createPane("cccLabels").style.zIndex = 650;  // above the markers (600): names stay readable
    layers.labels = L.layerGroup();
    config.townships.forEach(function (t) {
      var label = { name: t.name, count: null, marker: null };
      label.marker = L.marker(t.at, { icon: labelIcon(label), interactive: false, keyboard: false,
                                      pane: "cccLabels" });
      labels.set(t.id, label);
      layers.labels.addLayer(label.marker);
    });
    layers.grids = base.grids;
    ["grids", "heat"].concat(CASE_LAYERS, ["cameras", "alarms", "labels"]).forEach(function (k) {
      layers[k].addTo(map);
    });
  }

  function buildControl() {
    var overlays = {};
    CASE_LAYERS.concat(["heat", "cameras", "alarms", "labels", "grids"]).forEach(function (k) {
      overlays["<span class=\"ccc-swatch ccc-swatch-" + k + "\"></span>" + TITLES[k]] = layers[k];
    });
    L.control.layers(null, overlays, { collapsed: false, position: "topright" }).addTo(map);
    map.on("overlayadd overlayremove", function (e) {
      var key = Object.keys(layers).find(function (k) { return layers[k] === e.layer; });
      if (key) { send("layerToggled", key, e.type === "overlayadd"); }
    });
    map.on("overlayadd", function (e) {
      if (e.layer === layers.heat) { refreshHeat(); }
    });
  }

  function connectBridge() {
    if (typeof QWebChannel === "undefined" || typeof qt === "undefined" || !qt.webChannelTransport) { return; }
    new QWebChannel(qt.webChannelTransport, function (channel) {
      bridge = channel.objects.bridge;
      if (bridge.batch) {
        bridge.batch.connect(function (seq, json) {
          var ms = -1;
          try {
            ms = apply(JSON.parse(json));
          } catch (e) {
            console.error("ccc.apply failed: " + e);
          }
          bridge.batchApplied(seq, ms);  // always: Python sends the next batch only after this one is acknowledged
        });
      }
      bridge.pageReady();
    });
  }

  function init(leafletMap, geoLayers, config) {
    map = leafletMap;
    base = geoLayers;
    styles = config.styles || {};
    bounds = L.latLngBounds(config.bounds);
    guardHeatRedraw();
    buildLayers(config);
    buildControl();
    base.townships.on("click", function (e) {
      send("townshipClicked", e.layer.feature.properties.id);
    });
    map.on("resize", function () { if (!focused) { map.fitBounds(bounds, { animate: false }); } });
    map.on("zoomend resize", declutterLabels);
    layers.labels.on("add", declutterLabels);
    map.on("dragstart", function () { focused = true; });
    setScale(1);
    connectBridge();
  }

  window.ccc = {
    init: init, apply: apply, ids: ids, marker: marker, idle: idle, stats: stats, titles: TITLES,
    tooltipText: function (kind, id) { var m = marker(kind, id); return m ? tooltipText(m.ccc) : null; },
    labelText: function (id) {
      var label = labels.get(id);
      return label ? label.name + (label.count === null ? "" : " " + label.count) : null;
    },
    labelAt: function (id) {
      var label = labels.get(id);
      return label ? [label.marker.getLatLng().lat, label.marker.getLatLng().lng] : null;
    },
    visible: function (key) { return !!layers[key] && map.hasLayer(layers[key]); },
    map: function () { return map; },
    fit: function () { focused = false; map.fitBounds(bounds); },
    setChunkInterval: function (ms) {  // tests: force markercluster's chunked loading on small batches
      CASE_LAYERS.forEach(function (k) { clusters[k].group.options.chunkInterval = ms; });
    }
  };
}());
