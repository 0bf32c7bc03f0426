/*
 * county_map_clusters.js — one case layer of the county map: a MarkerClusterGroup that never loses an update
 * (used by county_map.js; loaded before it).
 *
 * With chunkedLoading, markercluster's addLayers may return before every marker is in its tree (the rest follow in
 * timeouts), and removeLayers skips a marker not yet in the tree, which would then be added anyway; hiding the group
 * during such a load breaks it. So while a chunked load runs, changes (and a visibility change) wait in a backlog
 * that is applied, in order, when the load completes.
 *
 * hooks: {radius: cluster radius in px, deferred(): a change had to wait, setVisible(key, visible)}.
 */
(function () {
  "use strict";

  function ClusterLayer(key, hooks) {
    this.key = key;
    this.hooks = hooks;
    this.busy = false;
    this.loading = [];
    this.backAdd = new Set();
    this.backRemove = new Set();
    this.backReset = false;
    this.backVisible = null;  // hiding a MarkerClusterGroup during a chunked load breaks it: wait
    this.group = L.markerClusterGroup({
      chunkedLoading: true, chunkInterval: 60, chunkDelay: 20,
      chunkProgress: this.progress.bind(this),
      showCoverageOnHover: false, spiderfyOnMaxZoom: true, maxClusterRadius: hooks.radius,
      iconCreateFunction: clusterIcon(key)
    });
  }

  ClusterLayer.prototype.progress = function (done, total) {
    if (done < total) {
      this.busy = true;
      return;
    }
    this.loading = [];
    // markercluster finishes its own bookkeeping after this callback: drain the backlog after it, staying busy
    // until then so that no newer change overtakes the backlog.
    if (this.busy) { setTimeout(this.drain.bind(this), 0); }
  };

  ClusterLayer.prototype.add = function (markers) {
    if (!markers.length) { return; }
    this.loading = markers;
    this.group.addLayers(markers);  // progress() clears `loading` when it completes at once
  };

  ClusterLayer.prototype.change = function (adds, removes) {
    var i;
    if (this.busy) {
      this.hooks.deferred();
      for (i = 0; i < removes.length; i++) {
        if (!this.backAdd.delete(removes[i])) { this.backRemove.add(removes[i]); }
      }
      for (i = 0; i < adds.length; i++) { this.backAdd.add(adds[i]); }
      return;
    }
    if (removes.length) { this.group.removeLayers(removes); }
    this.add(adds);
  };

  ClusterLayer.prototype.reset = function (adds) {
    if (this.busy) {
      this.hooks.deferred();
      this.backReset = true;
      this.backRemove.clear();
      this.backAdd = new Set(adds);
      return;
    }
    this.group.clearLayers();
    this.add(adds);
  };

  ClusterLayer.prototype.drain = function () {
    var adds = Array.from(this.backAdd), removes = Array.from(this.backRemove);
    var reset = this.backReset, visible = this.backVisible;
    this.busy = false;
    this.backAdd = new Set();
    this.backRemove = new Set();
    this.backReset = false;
    this.backVisible = null;
    if (visible !== null) { this.hooks.setVisible(this.key, visible); }
    if (reset) { this.reset(adds); } else { this.change(adds, removes); }
  };

  // markercluster fixes its radius when it builds its grids: a new radius means clustering everything again
  ClusterLayer.prototype.setRadius = function (radius) {
    if (this.group.options.maxClusterRadius === radius) { return; }
    var markers = Array.from(this.markers());
    this.group.options.maxClusterRadius = radius;
    this.reset(markers);
  };

  ClusterLayer.prototype.markers = function () {
    var set = new Set();
    if (!this.backReset) {
      this.group.eachLayer(function (m) { set.add(m); });
      this.loading.forEach(function (m) { set.add(m); });
      this.backRemove.forEach(function (m) { set.delete(m); });
    }
    this.backAdd.forEach(function (m) { set.add(m); });
    return set;
  };

  function clusterIcon(key) {
    return function (cluster) {
      var n = cluster.getChildCount();
      var size = n < 10 ? "s" : n < 100 ? "m" : "l";
      return L.divIcon({
        html: "<div><span>" + n + "</span></div>", iconSize: null,
        className: "ccc-cluster ccc-cluster-" + key + " ccc-cluster-" + size
      });
    };
  }

  window.CccClusterLayer = ClusterLayer;
}());
