/* Events pages: the counts chart (ECharts) and the map of open events (Leaflet, GeoJSON from the API).
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

  function popup(props, labels) {
    // Built from DOM nodes, not HTML strings: titles are user input.
    var box = document.createElement("div");
    var link = text("a", "#" + props.id + " " + props.title);
    link.href = "/events/" + props.id;
    link.title = labels.open_event;
    box.appendChild(link);
    var state = labels[props.state] || props.state;
    box.appendChild(text("div", state + " · " + (props.overdue ? labels.overdue : labels.on_time)));
    return box;
  }

  function eventsMap(el) {
    var labels = JSON.parse(el.dataset.labels);
    var status = document.getElementById("map-status");
    var map = L.map(el, { zoomSnap: 0.25, attributionControl: !!el.dataset.tiles });
    el.linliMap = map;
    if (el.dataset.tiles) { L.tileLayer(el.dataset.tiles, { maxZoom: 19 }).addTo(map); }
    map.setView([43.8, 125.3], 7);
    fetch(el.dataset.source, { credentials: "same-origin", headers: { Accept: "application/geo+json" } })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (fc) {
        if (!fc.features.length) {
          status.textContent = el.dataset.empty;
          el.dataset.ready = "1";
          return;
        }
        // Overdue markers drawn last, so they sit on top where points crowd.
        fc.features.sort(function (a, b) { return (a.properties.overdue ? 1 : 0) - (b.properties.overdue ? 1 : 0); });
        var layer = L.geoJSON(fc, {
          pointToLayer: function (f, ll) {
            var late = f.properties.overdue;
            return L.circleMarker(ll, { radius: late ? 8 : 6, weight: 2, color: "#ffffff",
                                        fillColor: late ? "#a1000f" : "#0a4f99", fillOpacity: 0.9 });
          },
          onEachFeature: function (f, l) {
            l.bindTooltip(function () {
              return text("span", "#" + f.properties.id + " · " + (f.properties.overdue ? labels.overdue : labels.on_time));
            });
            l.bindPopup(function () { return popup(f.properties, labels); });
          }
        }).addTo(map);
        map.fitBounds(layer.getBounds(), { padding: [12, 12], maxZoom: 16, animate: false });
        el.dataset.count = String(fc.features.length);
        el.dataset.ready = "1";
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
