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

  // [min_lon, min_lat, max_lon, max_lat] (GeoJSON's bbox) as Leaflet bounds, or null.
  function bboxBounds(bbox) {
    if (!bbox || bbox.length !== 4 || !bbox.every(isFinite)) { return null; }
    return L.latLngBounds([bbox[1], bbox[0]], [bbox[3], bbox[2]]);
  }

  // Around a place, a fifth of its size on each side: enough to see the neighbours it borders.
  var PLACE_MARGIN = 0.2;

  // A map showing the reader's place from the start (data-bbox: its extent), not the province.
  function baseMap(el) {
    var map = L.map(el, { zoomSnap: 0.25, maxZoom: 19, attributionControl: !!el.dataset.tiles });
    el.linliMap = map;  // for scripts and tests that need the map (coordinates to pixels)
    if (el.dataset.tiles) {
      L.tileLayer(el.dataset.tiles, { maxZoom: 19 }).addTo(map);
    }
    var place = bboxBounds(el.dataset.bbox ? JSON.parse(el.dataset.bbox) : null);
    if (place) { map.fitBounds(place.pad(PLACE_MARGIN), { maxZoom: 17, animate: false }); }
    else { map.setView([43.8, 125.3], 7); }
    return map;
  }

  // The outlines around a place (GET /api/v1/areas/{code}/outlines): its own, thick; its children,
  // thin (links when `links`); its neighbours, grey and dashed, for orientation only. Names as
  // tooltips, drawn as text. `roles` limits what is drawn; `own` styles the place itself.
  var OUTLINE_STYLES = {
    own: { color: "#0a4f99", weight: 3, fillOpacity: 0.06 },
    child: { color: "#0a4f99", weight: 1.5, fillOpacity: 0.04 },
    neighbour: { color: "#5c6066", weight: 1, dashArray: "4 4", fillOpacity: 0 },
    context: { color: "#0a4f99", weight: 2, dashArray: "6 4", fillOpacity: 0 }
  };

  function drawOutlines(map, fc, opts) {
    opts = opts || {};
    var roles = opts.roles || ["own", "child", "neighbour", "context"];
    var features = (fc.features || []).filter(function (f) { return roles.indexOf(f.properties.role) >= 0; });
    return L.geoJSON({ type: "FeatureCollection", features: features }, {
      pmIgnore: true,
      interactive: !!opts.interactive,
      style: function (f) {
        var style = Object.assign({}, OUTLINE_STYLES[f.properties.role] || OUTLINE_STYLES.neighbour);
        if (f.properties.role === "own" && opts.own) { Object.assign(style, opts.own); }
        if (f.properties.generated && f.properties.role === "child") { style.dashArray = "4 3"; }
        return style;
      },
      onEachFeature: function (f, l) {
        if (!opts.interactive) { return; }
        l.bindTooltip(function () { return textNode(f.properties.name); }, { sticky: true });
        if (opts.links && f.properties.code && f.properties.role !== "own") {
          l.on("click", function () { window.location.href = hrefFor(f.properties); });
        }
      }
    }).addTo(map);
  }

  // The feature of the place itself in an outlines answer (or, for a place without an outline, of its
  // nearest outlined ancestor), or null.
  function ownFeature(fc) {
    function role(r) { return (fc.features || []).filter(function (f) { return f.properties.role === r; })[0]; }
    return role("own") || role("context") || null;
  }

  function hrefFor(props) {
    var code = props.code || "";
    return (code.length === 15 ? "/grids/" : "/areas/") + code;
  }

  function fetchJson(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/geo+json" } })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); });
  }

  // An area's map: its children (data-source, links to their pages) over its own outline and its
  // neighbours' (data-outlines); a grid's map (data-highlight): its grid, thick, among the others.
  function drawAreas(el) {
    var map = baseMap(el);
    var status = document.getElementById("map-status");
    var highlight = el.dataset.highlight;
    var context = el.dataset.outlines ? fetchJson(el.dataset.outlines).then(function (fc) {
      drawOutlines(map, fc, { roles: ["own", "neighbour", "context"] });
      return fc;
    }).catch(function () { return null; }) : Promise.resolve(null);
    var children = fetchJson(el.dataset.source).then(function (fc) {
      if (!fc.features.length) { return fc; }
      var layer = L.geoJSON(fc, {
        style: function (f) {
          var own = highlight && f.properties.code === highlight;
          if (f.properties.role === "neighbour" && !f.properties.code) { return OUTLINE_STYLES.neighbour; }
          return { color: own ? "#a1000f" : "#0a4f99", weight: own ? 3 : 1.5, fillOpacity: own ? 0.35 : 0.12,
                   dashArray: f.properties.generated ? "4 3" : null };
        },
        onEachFeature: function (f, l) {
          l.bindTooltip(function () { return textNode(f.properties.name || f.properties.code); }, { sticky: true });
          if (f.properties.code) { l.on("click", function () { window.location.href = hrefFor(f.properties); }); }
        }
      }).addTo(map);
      fc.bounds = layer.getBounds();
      return fc;
    });
    Promise.all([context, children]).then(function (both) {
      var own = both[0] && ownFeature(both[0]);
      var fc = both[1];
      if (!fc.features.length && !own) {
        if (status) { status.textContent = el.dataset.empty || ""; }
      } else if (!el.dataset.bbox) {
        var bounds = own ? L.geoJSON(own).getBounds() : fc.bounds;
        map.fitBounds(bounds, { padding: [8, 8], animate: false });
      }
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
  var PLACE_STYLE = { color: "#1b1b1b", weight: 3, dashArray: "6 4", fillOpacity: 0 };

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
    // The reader's own place (thick, dark): where they are among the warning's shapes.
    var place = el.dataset.place ? fetchJson(el.dataset.place).then(function (fc) {
      var l = drawOutlines(map, fc, { roles: ["own"], own: PLACE_STYLE });
      if (l.getLayers().length) { bounds.extend(l.getBounds()); }
    }).catch(function () {}) : Promise.resolve();
    Promise.all([outlines(map, JSON.parse(el.dataset.outlines || "[]"), bounds), place]).then(function () {
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

  // An event's place: the point, in its grid's outline among the neighbouring ones.
  function drawPoint(el) {
    var map = baseMap(el);
    var ll = [parseFloat(el.dataset.lat), parseFloat(el.dataset.lon)];
    map.setView(ll, 16);
    var outlined = el.dataset.outlines ? fetchJson(el.dataset.outlines).then(function (fc) {
      drawOutlines(map, fc, { roles: ["own", "neighbour", "context"] });
    }).catch(function () {}) : Promise.resolve();
    outlined.then(function () {
      L.circleMarker(ll, { radius: 8, color: "#a1000f", fillOpacity: 0.5 }).addTo(map);  // red: stands out over the blue grid
      el.dataset.ready = "1";
    });
  }

  // The report form's map: the reporter's place and its neighbours, a tap (or the typed numbers, or the
  // device's position) sets the point, and the server says at once whether it lies in an area the
  // reporter may report in, and in which grid (the same check as on submitting).
  function pickPoint(el) {
    var map = baseMap(el);
    var lon = document.getElementById("lon"), lat = document.getElementById("lat");
    var said = document.getElementById("place-status");
    var marker = null, asked = 0;

    function say(text, state) {
      said.textContent = text;
      said.className = "place-status" + (state ? " " + state : "");
      el.dataset.place = state || "";
    }

    function check(ll) {
      var mine = ++asked;  // only the answer to the latest point is shown
      say(el.dataset.checking, "checking");
      var url = "/api/v1/events/report-place?lon=" + ll.lng.toFixed(6) + "&lat=" + ll.lat.toFixed(6);
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.json().then(function (body) { return { ok: r.ok, body: body }; }); })
        .then(function (a) {
          if (mine !== asked) { return; }
          if (!a.ok) { say((a.body && a.body.message) || el.dataset.failed, "outside"); return; }
          say(a.body.message, a.body.inside ? "inside" : "outside");
        })
        .catch(function () { if (mine === asked) { say(el.dataset.failed, "outside"); } });
    }

    function place(ll, pan) {
      if (marker) { marker.setLatLng(ll); } else { marker = L.marker(ll, { keyboard: false }).addTo(map); }
      if (pan) { map.setView(ll, Math.max(map.getZoom(), 15), { animate: false }); }
      check(ll);
    }

    function typed() {
      var x = parseFloat(lon.value), y = parseFloat(lat.value);
      if (!lon.value.trim() || !lat.value.trim()) { return; }
      if (!isFinite(x) || !isFinite(y) || Math.abs(x) > 180 || Math.abs(y) > 90) {
        say(el.dataset.badNumbers, "outside");
        return;
      }
      place(L.latLng(y, x), true);
    }

    function setFields(ll) {
      lon.value = ll.lng.toFixed(6);
      lat.value = ll.lat.toFixed(6);
    }

    if (el.dataset.outlines) {
      fetchJson(el.dataset.outlines).then(function (fc) {
        var drawn = drawOutlines(map, fc, { own: { color: "#0a4f99", weight: 3, fillOpacity: 0.1 } });
        // The place itself; a place without an outline by its subdivisions or neighbours.
        var own = ownFeature(fc), target = own ? L.geoJSON(own) : drawn;
        if (target.getLayers().length && !(lon.value && lat.value)) {
          map.fitBounds(target.getBounds().pad(PLACE_MARGIN), { animate: false });
        }
      }).catch(function () {}).then(function () { el.dataset.ready = "1"; });
    } else {
      el.dataset.ready = "1";
    }
    if (lon.value && lat.value) { typed(); }
    map.on("click", function (e) { setFields(e.latlng); place(e.latlng, false); });
    lon.addEventListener("change", typed);
    lat.addEventListener("change", typed);

    var locate = document.getElementById("use-location");
    if (locate) {
      locate.hidden = false;
      locate.addEventListener("click", function () {
        if (!navigator.geolocation) { say(el.dataset.noLocation, "outside"); return; }
        say(el.dataset.locating, "checking");
        navigator.geolocation.getCurrentPosition(function (pos) {
          var ll = L.latLng(pos.coords.latitude, pos.coords.longitude);
          setFields(ll);
          place(ll, true);
          // The fields were set by script (no change event): tell the nearby reports (htmx) to look again.
          el.dispatchEvent(new CustomEvent("linli:point", { bubbles: true }));
        }, function (err) {
          say(err && err.code === 1 ? el.dataset.locationRefused : el.dataset.noLocation, "outside");
        }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
      });
    }
  }

  // For events.js (the clustered events map): the same base map, outlines and text nodes.
  window.LinliMaps = { baseMap: baseMap, fetchJson: fetchJson, drawOutlines: drawOutlines, ownFeature: ownFeature, textNode: textNode };

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
