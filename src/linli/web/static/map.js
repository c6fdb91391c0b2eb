/* Maps of the console: Leaflet on a plain background (a tile URL is optional), GeoJSON from the API.
   Names are what people typed: they are drawn as text (DOM nodes with textContent), never as HTML —
   Leaflet writes a string given to bindTooltip/bindPopup as HTML. */
(function () {
  "use strict";

  function textNode(value) {
    var span = document.createElement("span");
    span.textContent = value == null ? "" : String(value);
    return span;
  }

  function baseMap(el) {
    var map = L.map(el, { zoomSnap: 0.25, attributionControl: !!el.dataset.tiles });
    el.linliMap = map;  // for scripts and tests that need the map (coordinates to pixels)
    if (el.dataset.tiles) {
      L.tileLayer(el.dataset.tiles, { maxZoom: 19 }).addTo(map);
    }
    map.setView([43.8, 125.3], 7);
    return map;
  }

  function hrefFor(props) {
    var code = props.code || "";
    return (code.length === 15 ? "/grids/" : "/areas/") + code;
  }

  function fetchJson(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/geo+json" } })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); });
  }

  function drawAreas(el) {
    var map = baseMap(el);
    var status = document.getElementById("map-status");
    var highlight = el.dataset.highlight;
    fetchJson(el.dataset.source).catch(function (err) {
      // A grid worker may see their grid but not its village's other grids: draw the grid alone.
      if (!highlight) { throw err; }
      return fetchJson("/api/v1/grids/" + highlight).then(function (g) {
        return { type: "FeatureCollection", features: g.polygon ? [{ type: "Feature", geometry: g.polygon,
                 properties: { code: g.code, name: g.name, generated: g.generated } }] : [] };
      });
    }).then(function (fc) {
      if (!fc.features.length) {
        if (status) { status.textContent = el.dataset.empty || ""; }
        el.dataset.ready = "1";
        return;
      }
      var layer = L.geoJSON(fc, {
        style: function (f) {
          var own = highlight && f.properties.code === highlight;
          return { color: own ? "#a1000f" : "#0a4f99", weight: own ? 3 : 1.5, fillOpacity: own ? 0.35 : 0.12,
                   dashArray: f.properties.generated ? "4 3" : null };
        },
        onEachFeature: function (f, l) {
          l.bindTooltip(function () { return textNode(f.properties.name || f.properties.code); }, { sticky: true });
          l.on("click", function () { window.location.href = hrefFor(f.properties); });
        }
      }).addTo(map);
      map.fitBounds(layer.getBounds(), { padding: [8, 8], animate: false });
      el.dataset.ready = "1";
    }).catch(function () {
      if (status) { status.textContent = "⚠ " + el.dataset.empty; }
      el.dataset.ready = "1";
    });
  }

  function drawEditor(el) {
    var map = baseMap(el);
    var text = document.getElementById("polygon");
    var own = el.dataset.own;
    var drawn = null;
    var bounds = L.latLngBounds([]);

    function setDrawn(layer) {
      if (drawn && drawn !== layer) { map.removeLayer(drawn); }
      drawn = layer;
      text.value = JSON.stringify(layer.toGeoJSON().geometry);
      layer.on("pm:edit", function () { text.value = JSON.stringify(layer.toGeoJSON().geometry); });
    }

    var loads = [];
    if (el.dataset.siblings) {
      loads.push(fetchJson(el.dataset.siblings).then(function (fc) {
        fc.features = fc.features.filter(function (f) { return f.properties.code !== own; });
        var l = L.geoJSON(fc, { pmIgnore: true, interactive: false,
                                style: { color: "#4a4a4a", weight: 1, fillOpacity: 0.08, dashArray: "3 3" } }).addTo(map);
        if (fc.features.length) { bounds.extend(l.getBounds()); }
      }).catch(function () {}));
    }
    if (el.dataset.context) {
      loads.push(fetchJson(el.dataset.context).then(function (fc) {
        var l = L.geoJSON(fc, { pmIgnore: true, interactive: false, style: { color: "#0a4f99", weight: 2, fill: false } }).addTo(map);
        if (fc.features.length) { bounds.extend(l.getBounds()); }
      }).catch(function () {}));
    }
    if (text && text.value.trim()) {
      try {
        var g = L.geoJSON(JSON.parse(text.value), { style: { color: "#a1000f", weight: 3 } });
        g.eachLayer(function (layer) { layer.addTo(map); setDrawn(layer); });
        bounds.extend(g.getBounds());
      } catch (e) { /* the server reports bad GeoJSON in words */ }
    }
    Promise.all(loads).then(function () {
      if (bounds.isValid()) { map.fitBounds(bounds, { padding: [8, 8], animate: false }); }
      el.dataset.ready = "1";  // drawn: the browser tests wait for this
    });

    if (map.pm) {
      if ((document.documentElement.lang || "").toLowerCase().indexOf("zh") === 0) { map.pm.setLang("zh"); }
      map.pm.addControls({ position: "topleft", drawMarker: false, drawCircleMarker: false, drawPolyline: false,
                           drawCircle: false, drawText: false, cutPolygon: false, rotateMode: false });
      nameToolbarButtons(el);
      map.on("pm:create", function (e) { setDrawn(e.layer); });
      map.on("pm:remove", function (e) { if (e.layer === drawn) { drawn = null; text.value = ""; } });
    }
  }

  // CAP polygons are "lat,lon" pairs separated by spaces, the first repeated at the end (WGS 84).
  function capRing(text) {
    var pts = (text || "").trim().split(/\s+/).map(function (pair) {
      var ll = pair.split(",");
      return ll.length === 2 ? [parseFloat(ll[0]), parseFloat(ll[1])] : [NaN, NaN];
    });
    if (pts.length < 4 || pts.some(function (p) { return !isFinite(p[0]) || !isFinite(p[1]); })) { return null; }
    return pts.slice(0, -1);  // Leaflet closes rings itself
  }

  function capText(layer) {
    var rings = layer.getLatLngs();
    var ring = Array.isArray(rings[0]) ? rings[0] : rings;
    var pairs = ring.map(function (ll) { return ll.lat.toFixed(5) + "," + ll.lng.toFixed(5); });
    pairs.push(pairs[0]);
    return pairs.join(" ");
  }

  // Context outlines (GeoJSON URLs, drawn thin and out of the way); resolves when all have loaded or failed.
  function outlines(map, urls, bounds) {
    return Promise.all(urls.map(function (url) {
      return fetchJson(url).then(function (fc) {
        var l = L.geoJSON(fc, { pmIgnore: true, interactive: false, style: { color: "#0a4f99", weight: 2, fill: false } }).addTo(map);
        if (fc.features && fc.features.length) { bounds.extend(l.getBounds()); }
      }).catch(function () {});
    }));
  }

  var WARNING_STYLE = { color: "#a1000f", weight: 3, fillOpacity: 0.15 };

  // The warning form: draw the affected area as a polygon; the textarea holds it in CAP's form, and
  // what is typed or pasted there is drawn.
  function drawCapEditor(el) {
    var map = baseMap(el);
    var text = document.getElementById("polygon");
    var drawn = null;
    var bounds = L.latLngBounds([]);

    function setDrawn(layer, fromText) {
      if (drawn && drawn !== layer) { map.removeLayer(drawn); }
      drawn = layer;
      if (!fromText) { text.value = capText(layer); }
      layer.on("pm:edit", function () { text.value = capText(layer); });
    }

    function fromText() {
      var ring = capRing(text.value);
      if (!ring) { return null; }
      var layer = L.polygon(ring, WARNING_STYLE).addTo(map);
      setDrawn(layer, true);
      return layer;
    }

    var first = fromText();
    if (first) { bounds.extend(first.getBounds()); }
    text.addEventListener("change", function () {
      var layer = fromText();
      if (layer) { map.fitBounds(layer.getBounds(), { padding: [8, 8], animate: false }); }
      else if (!text.value.trim() && drawn) { map.removeLayer(drawn); drawn = null; }
    });
    outlines(map, el.dataset.context ? [el.dataset.context] : [], bounds).then(function () {
      if (bounds.isValid()) { map.fitBounds(bounds, { padding: [8, 8], animate: false }); }
      el.dataset.ready = "1";
    });

    if (map.pm) {
      if ((document.documentElement.lang || "").toLowerCase().indexOf("zh") === 0) { map.pm.setLang("zh"); }
      map.pm.setPathOptions(WARNING_STYLE);
      map.pm.addControls({ position: "topleft", drawMarker: false, drawCircleMarker: false, drawPolyline: false,
                           drawCircle: false, drawText: false, cutPolygon: false, rotateMode: false });
      nameToolbarButtons(el);
      map.on("pm:create", function (e) { setDrawn(e.layer, false); });
      map.on("pm:remove", function (e) { if (e.layer === drawn) { drawn = null; text.value = ""; } });
    }
  }

  // A warning's page: its polygons and circles (CAP text), over the outlines of the areas it covers.
  function drawWarning(el) {
    var map = baseMap(el);
    var bounds = L.latLngBounds([]);
    JSON.parse(el.dataset.polygons || "[]").forEach(function (cap) {
      var ring = capRing(cap);
      if (ring) { bounds.extend(L.polygon(ring, WARNING_STYLE).addTo(map).getBounds()); }
    });
    JSON.parse(el.dataset.circles || "[]").forEach(function (cap) {
      var parts = cap.trim().split(/\s+/), ll = (parts[0] || "").split(","), km = parseFloat(parts[1]);
      var centre = [parseFloat(ll[0]), parseFloat(ll[1])];
      if (isFinite(centre[0]) && isFinite(centre[1]) && isFinite(km)) {
        var c = L.circle(centre, Object.assign({ radius: km * 1000 }, WARNING_STYLE)).addTo(map);
        bounds.extend(c.getBounds());
      }
    });
    outlines(map, JSON.parse(el.dataset.outlines || "[]"), bounds).then(function () {
      if (bounds.isValid()) { map.fitBounds(bounds, { padding: [8, 8], animate: false }); }
      el.dataset.ready = "1";
    });
  }

  // Leaflet-Geoman's buttons are links with only an icon; their container has the title. Give each
  // button that title as its accessible name, so screen readers and voice control can use them.
  function nameToolbarButtons(el) {
    var buttons = el.querySelectorAll(".leaflet-pm-toolbar .leaflet-buttons-control-button");
    Array.prototype.forEach.call(buttons, function (b) {
      var title = b.parentNode && b.parentNode.getAttribute("title");
      if (title) { b.setAttribute("aria-label", title); }
    });
  }

  function drawChart(el) {
    if (!window.echarts) { return; }
    var data = JSON.parse(el.dataset.chart);
    var chart = echarts.init(el);
    chart.setOption({
      grid: { left: 8, right: 8, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: data.map(function (d) { return d.name; }), axisLabel: { rotate: 45 } },
      yAxis: { type: "value" },
      series: [{ type: "bar", data: data.map(function (d) { return d.value; }), itemStyle: { color: "#0a4f99" } }],
      aria: { enabled: true }
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function drawPoint(el) {
    var map = baseMap(el);
    var ll = [parseFloat(el.dataset.lat), parseFloat(el.dataset.lon)];
    L.circleMarker(ll, { radius: 8, color: "#0a4f99" }).addTo(map);
    map.setView(ll, 16);
    el.dataset.ready = "1";
  }

  function pickPoint(el) {
    var map = baseMap(el);
    var lon = document.getElementById("lon"), lat = document.getElementById("lat");
    var marker = null;
    function place(ll) {
      if (marker) { marker.setLatLng(ll); } else { marker = L.marker(ll).addTo(map); }
    }
    if (lon.value && lat.value) {
      var ll = [parseFloat(lat.value), parseFloat(lon.value)];
      place(ll);
      map.setView(ll, 15);
    }
    map.on("click", function (e) {
      place(e.latlng);
      lon.value = e.latlng.lng.toFixed(6);
      lat.value = e.latlng.lat.toFixed(6);
    });
    el.dataset.ready = "1";
  }

  document.addEventListener("DOMContentLoaded", function () {
    var pm = document.getElementById("point-map");
    if (pm) { drawPoint(pm); }
    var pk = document.getElementById("pick-map");
    if (pk) { pickPoint(pk); }
    var m = document.getElementById("map");
    if (m && m.dataset.source) { drawAreas(m); }
    var d = document.getElementById("draw-map");
    if (d) { drawEditor(d); }
    var cd = document.getElementById("cap-draw-map");
    if (cd) { drawCapEditor(cd); }
    var wm = document.getElementById("warning-map");
    if (wm) { drawWarning(wm); }
    var c = document.getElementById("chart");
    if (c) { drawChart(c); }
  });
})();
