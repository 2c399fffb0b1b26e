/* The map (一张图): loads /map/layers.json and draws each layer with a legend and a layer switcher.
   No tile server by default, so it works offline; YINGJI_MAP_TILE_URL adds a base layer. */
(function () {
  "use strict";
  var el = document.getElementById("map");
  if (!el) { return; }
  var t = JSON.parse(el.dataset.i18n || "{}");
  var map = L.map(el, { preferCanvas: false, zoomSnap: 0.25 });
  map.setView([42.05, 86.45], 9);
  var baseLayers = {};
  if (el.dataset.tileUrl) {
    var tiles = L.tileLayer(el.dataset.tileUrl, { attribution: el.dataset.tileAttribution || "", maxZoom: 18 });
    tiles.addTo(map);
    baseLayers["底图"] = tiles;
  } else {
    map.attributionControl.addAttribution(t.noTiles || "offline");
  }
  var STYLE = {
    boundary: { color: "#b71c1c", weight: 2.5, fill: true, fillOpacity: 0.04 },
    township: { color: "#0b5cad", radius: 7 },
    earthquake: { color: "#6a1b9a", radius: 5 },
    fault: { color: "#e65100", weight: 2, dashArray: "6 4" },
    flood: { color: "#0277bd", radius: 6 },
    enterprise: { color: "#c62828", radius: 6 },
    depot: { color: "#2e7d32", radius: 6 },
    team: { color: "#f9a825", radius: 6 },
    shelter: { color: "#00897b", radius: 6 },
    incident: { color: "#d32f2f", radius: 8 },
    monitoring: { color: "#546e7a", radius: 5 }
  };
  function esc(s) { return String(s == null ? "" : s).replace(/[&<>"']/g, function (c) {
    return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]; }); }
  function popup(kind, p) {
    var html = "<strong>" + esc(p.name || p.title || "") + "</strong>";
    if (p.demo) { html += ' <span class="demo">' + esc(t.demo) + "</span>"; }
    if (p.code) { html += "<br>" + esc(p.code); }
    if (p.status) { html += "<br>" + esc(p.status); } /* monitoring point: 无数据, 正常, 高报 … */
    if (p.number) { html += "<br>" + esc(p.number) + " · " + esc(p.type || "") + " · " + esc(p.grade_zh || ""); }
    if (p.population != null) { html += "<br>" + esc(t.population) + ": " + esc(p.population) + " (" + esc(p.population_year) + ")"; }
    if (p.magnitude != null) { html += "<br>" + esc(t.magnitude) + ": " + esc(p.magnitude); }
    if (p.occurred_on) { html += "<br>" + esc(p.occurred_on); }
    if (p.source) { html += '<br><span class="note">' + esc(t.source) + ": " + esc(p.source) + "</span>"; }
    if (p.url) { html += '<br><a href="' + esc(p.url) + '">→</a>'; }
    return html;
  }
  function draw(layer) {
    var style = STYLE[layer.kind] || { color: "#555", radius: 5 };
    return L.geoJSON(layer, {
      style: function () { return Object.assign({ className: "layer-" + layer.kind }, style); },
      pointToLayer: function (f, latlng) {
        var r = style.radius || 5;
        if (layer.kind === "earthquake" && f.properties.magnitude) { r = Math.max(4, (f.properties.magnitude - 4) * 3); }
        /* incidents are coloured by grade, monitoring points by state */
        var colour = f.properties.color || f.properties.colour || style.color;
        return L.circleMarker(latlng, { radius: r, color: colour, fillColor: colour, fillOpacity: 0.6, weight: 1.5,
                                        className: "layer-" + layer.kind });
      },
      onEachFeature: function (f, l) {
        l.bindPopup(popup(layer.kind, f.properties));
        if (layer.kind === "township") { l.bindTooltip(esc(f.properties.name), { permanent: false }); }
      }
    });
  }
  fetch(el.dataset.layersUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (r) { if (!r.ok) { throw new Error("HTTP " + r.status); } return r.json(); })
    .then(function (data) {
      var overlays = {};
      var legend = L.control({ position: "bottomright" });
      var rows = [];
      var fitTo = null;
      data.layers.forEach(function (layer) {
        var g = draw(layer);
        g.addTo(map);
        el.setAttribute("data-layer-" + layer.key, String(layer.features.length));
        var label = esc(layer.title) + " (" + layer.features.length + ")";
        overlays[label] = g;
        var st = STYLE[layer.kind] || {};
        var cls = (layer.kind === "boundary" || layer.kind === "fault") ? "line" : "";
        rows.push('<div><i class="' + cls + '" style="background:' + (st.color || "#555") + '"></i>' + label + "</div>");
        if (layer.kind === "boundary" && layer.features.length) { fitTo = g.getBounds(); }
      });
      legend.onAdd = function () {
        var div = L.DomUtil.create("div", "legend");
        div.innerHTML = "<strong>" + esc(t.legend) + "</strong>" + rows.join("");
        return div;
      };
      legend.addTo(map);
      L.control.layers(baseLayers, overlays, { collapsed: false }).addTo(map);
      if (fitTo) { map.fitBounds(fitTo, { padding: [10, 10] }); }
      el.setAttribute("data-loaded", "true");
    })
    .catch(function (err) {
      el.setAttribute("data-error", String(err));
      el.insertAdjacentHTML("beforebegin", '<p class="error" role="alert">' + esc(err) + "</p>");
    });
})();
