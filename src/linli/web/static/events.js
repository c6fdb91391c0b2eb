/* Events pages: the counts chart (ECharts) and the clustered map of open events (Leaflet with
   Leaflet.markercluster over the area's outlines, drawn by map.js's LinliMaps; points from the API).
   Both repeat what the page says in HTML (the table, the list), for those who can see them.
   Names and titles are user input: every text is drawn as text (DOM nodes with textContent), never as
   an HTML string (Leaflet's tooltips and popups and ECharts' HTML tooltips would parse one). */
(function () {
  "use strict";

  function text(tag, value) {
    var node = document.createElement(tag);
    node.textContent = value == null ? "" : String(value);
    return node;
  }

  // The axis tooltip as DOM: the place's name, then each state's colour, name and count. (ECharts'
  // own tooltip is an HTML string with inline styles, which the page's CSP does not allow.)
  function countsTooltip(params) {
    var box = document.createElement("div");
    box.className = "chart-tip";
    if (params.length) { box.appendChild(text("strong", params[0].name)); }
    params.forEach(function (p) {
      var row = document.createElement("div");
      var swatch = text("span", "");
      swatch.className = "chart-swatch";
      swatch.style.backgroundColor = p.color;  // CSSOM, which the CSP allows
      row.appendChild(swatch);
      row.appendChild(text("span", p.seriesName + ": " + p.value));
      box.appendChild(row);
    });
    return box;
  }

  function countsChart(el) {
    if (!window.echarts) { return; }
    var data = JSON.parse(el.dataset.chart);
    var chart = echarts.init(el);
    chart.setOption({
      grid: { left: 8, right: 8, top: 36, bottom: 8, containLabel: true },
      legend: { top: 0 },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, formatter: countsTooltip },
      xAxis: { type: "category", data: data.names, axisLabel: { rotate: data.names.length > 6 ? 45 : 0 } },
      yAxis: { type: "value", minInterval: 1 },
      series: data.series.map(function (s) {
        return { name: s.name, type: "bar", stack: "events", data: s.data, itemStyle: { color: s.color } };
      })
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  // A point's popup, as DOM: the event's number and title (fetched when opened: the points carry no
  // titles), its state, whether overdue, its grid's name; the link opens the event.
  function popup(pt, labels) {
    var box = document.createElement("div");
    var link = text("a", "#" + pt.id);
    link.href = "/events/" + pt.id;
    link.title = labels.open_event;
    box.appendChild(link);
    box.appendChild(text("div", pt.state + " · " + (pt.overdue ? labels.overdue : labels.on_time)));
    box.appendChild(text("div", pt.grid));
    fetch("/api/v1/events/" + pt.id, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (e) { if (e && e.title) { link.textContent = "#" + pt.id + " " + e.title; } })
      .catch(function () {});
    return box;
  }

  // The points answer (GET /api/v1/events/map-points, mode "points"): columns of differences, undone here.
  function points(data) {
    var out = [], id = 0, x = 0, y = 0, g = 0;
    for (var n = 0; n < data.i.length; n++) {
      id += data.i[n]; x += data.x[n]; y += data.y[n]; g += data.g[n];
      out.push({ id: id, lon: x / 1e5, lat: y / 1e5, state: data.states[data.k[n] >> 1] || "",
                 overdue: (data.k[n] & 1) === 1, grid: data.grids[g] || "" });
    }
    return out;
  }

  // Mode "groups" (too many events for points): one group per grid, at the mean position of its events.
  function groups(data) {
    var out = [], x = 0, y = 0;
    for (var n = 0; n < data.n.length; n++) {
      x += data.x[n]; y += data.y[n];
      out.push({ code: data.codes[n], name: data.grids[n], lon: x / 1e5, lat: y / 1e5, count: data.n[n], late: data.o[n] });
    }
    return out;
  }

  // An icon for a number of events (a cluster, or a grid's group): the number is what a screen reader
  // reads; red when some of them are overdue.
  function countIcon(count, late) {
    return L.divIcon({ html: "<div><span>" + count + "</span></div>",
                       className: "marker-cluster linli-cluster" + (late ? " late" : ""), iconSize: L.point(40, 40) });
  }

  // A cluster counts its events: a grid's group stands for `count` of them.
  function clusterIcon(cluster) {
    var count = 0, late = false;
    cluster.getAllChildMarkers().forEach(function (m) { count += m.options.count || 1; late = late || m.options.late; });
    return countIcon(count, late);
  }

  function pointMarker(pt, labels) {
    var m = L.circleMarker([pt.lat, pt.lon], { radius: pt.overdue ? 8 : 6, weight: 2, color: "#ffffff", late: pt.overdue,
                                                eventId: pt.id, fillColor: pt.overdue ? "#a1000f" : "#0a4f99", fillOpacity: 0.9 });
    m.bindTooltip(function () { return text("span", "#" + pt.id + " · " + (pt.overdue ? labels.overdue : labels.on_time)); });
    m.bindPopup(function () { return popup(pt, labels); });
    return m;
  }

  // A grid's group: opening it fetches the grid's own events and puts them in its place.
  function groupMarker(grp, el, group, labels) {
    var m = L.marker([grp.lat, grp.lon], { icon: countIcon(grp.count, grp.late > 0), count: grp.count, late: grp.late > 0,
                                           title: grp.name });
    m.on("click", function () {
      window.LinliMaps.fetchJson(el.dataset.grid.replace("CODE", encodeURIComponent(grp.code))).then(function (data) {
        var pts = points(data).map(function (pt) { return pointMarker(pt, labels); });
        group.removeLayer(m);
        group.addLayers(pts);
        group._map.fitBounds(L.featureGroup(pts).getBounds(), { padding: [24, 24], maxZoom: 17, animate: false });
      });
    });
    return m;
  }

  function eventsMap(el) {
    var labels = JSON.parse(el.dataset.labels);
    var status = document.getElementById("map-status");
    var maps = window.LinliMaps;
    var map = maps.baseMap(el);
    if (el.dataset.outlines) {
      maps.fetchJson(el.dataset.outlines).then(function (fc) {
        maps.drawOutlines(map, fc, { interactive: true, links: false }).bringToBack();
      }).catch(function () {});
    }
    maps.fetchJson(el.dataset.source)
      .then(function (data) {
        if (!data.total) {
          status.textContent = el.dataset.empty;
          el.dataset.ready = "1";
          return;
        }
        // Added in chunks (the page stays responsive); marked drawn once the last chunk's clusters are shown.
        var group = L.markerClusterGroup({ chunkedLoading: true, showCoverageOnHover: false, maxClusterRadius: 60,
                                           disableClusteringAtZoom: 18, iconCreateFunction: clusterIcon,
                                           chunkProgress: function (done, total) { if (done === total) { setTimeout(drawn, 0); } } });
        function drawn() {
          if (!el.dataset.bbox) { map.fitBounds(group.getBounds(), { padding: [12, 12], maxZoom: 16, animate: false }); }
          el.dataset.count = String(data.total);
          el.dataset.mode = data.mode;
          el.dataset.ready = "1";
        }
        var markers = data.mode === "groups"
          ? groups(data).map(function (grp) { return groupMarker(grp, el, group, labels); })
          : points(data).map(function (pt) { return pointMarker(pt, labels); });
        el.linliCluster = group;  // for tests: find an event's marker, open its cluster
        map.addLayer(group);
        group.addLayers(markers);
      })
      .catch(function () {
        status.textContent = "⚠ " + el.dataset.failed;
        el.dataset.ready = "1";
      });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var c = document.getElementById("counts-chart");
    if (c) { countsChart(c); }
    var m = document.getElementById("events-map");
    if (m) { eventsMap(m); }
  });
})();
