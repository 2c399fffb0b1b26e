/* Four-colour risk map: county boundary plus enterprise points coloured by their worst
   level (GB 18218 major-hazard level or risk-point grade). Works offline (no tiles). */
(function () {
  "use strict";
  var el = document.getElementById("risk-map");
  if (!el) { return; }
  var map = L.map(el, { zoomSnap: 0.25 });
  map.setView([42.05, 86.45], 9);
  if (el.dataset.tileUrl) {
    L.tileLayer(el.dataset.tileUrl, { attribution: el.dataset.tileAttribution || "", maxZoom: 18 }).addTo(map);
  }
  var boundaryEl = document.getElementById("county-boundary");
  var boundary = boundaryEl ? JSON.parse(boundaryEl.textContent) : null;
  if (boundary) {
    var b = L.geoJSON(boundary, { style: { color: "#b71c1c", weight: 2, fillOpacity: 0.03, className: "risk-boundary" } }).addTo(map);
    map.fitBounds(b.getBounds());
  }
  function esc(s) { return String(s == null ? "" : s).replace(/[&<>"']/g, function (c) {
    return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]; }); }
  fetch(el.dataset.pointsUrl, { credentials: "same-origin" })
    .then(function (r) { return r.json(); })
    .then(function (fc) {
      L.geoJSON(fc, {
        pointToLayer: function (f, latlng) {
          var p = f.properties;
          return L.circleMarker(latlng, { radius: 8, color: "#333", weight: 1, fillColor: p.css, fillOpacity: 0.9,
                                          className: "risk-point colour-" + (p.colour || "none") });
        },
        onEachFeature: function (f, layer) {
          var p = f.properties;
          layer.bindPopup("<strong>" + esc(p.name) + "</strong> " + (p.is_demo ? '<span class="demo">示例</span>' : "") +
            "<br>" + esc(p.township) + "<br>" + esc(p.colour || "未评") +
            (p.level ? " · 重大危险源 " + esc(p.level) + " 级" : "") +
            "<br>未销号隐患 " + esc(p.open_hazards) + '<br><a href="' + esc(p.url) + '">→</a>');
        }
      }).addTo(map);
      el.dataset.loaded = "true";
    });
})();
