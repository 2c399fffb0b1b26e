// Resources map: loads GeoJSON from data-url with the filter form's values (WGS84, no tiles needed).
(function () {
  "use strict";
  var el = document.getElementById("map");
  if (!el || !window.L) { return; }
  var map = L.map(el).setView([42.06, 86.57], 10);
  var colours = { depot: "#1565c0", team: "#c62828", shelter: "#2e7d32", equipment: "#6a1b9a" };
  var layer = L.layerGroup().addTo(map);
  var form = document.getElementById("res-map-filters");
  function esc(s) { return String(s == null ? "" : s).replace(/[&<>"]/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c]; }); }
  function load() {
    var fd = new FormData(form);
    var params = new URLSearchParams();
    params.set("layers", fd.getAll("layer").join(","));
    ["item", "readiness", "skill", "status"].forEach(function (k) { if (fd.get(k)) { params.set(k, fd.get(k)); } });
    fetch(el.dataset.url + "?" + params.toString(), { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        layer.clearLayers();
        var bounds = [];
        data.features.forEach(function (f) {
          var p = f.properties, c = f.geometry.coordinates;
          var m = L.circleMarker([c[1], c[0]], { radius: 7, color: colours[p.layer], className: "res-" + p.layer });
          var html = "<strong>" + esc(p.name) + "</strong>" + (p.is_demo ? " [" + esc(el.dataset.demo) + "]" : "");
          Object.keys(p).forEach(function (k) {
            if (["layer", "id", "name", "is_demo", "url"].indexOf(k) < 0 && p[k] !== null && p[k] !== "") { html += "<br>" + esc(k) + ": " + esc(p[k]); }
          });
          if (p.url) { html += '<br><a href="' + esc(p.url) + '">»</a>'; }
          m.bindPopup(html).addTo(layer);
          bounds.push([c[1], c[0]]);
        });
        if (bounds.length) { map.fitBounds(bounds, { padding: [20, 20], maxZoom: 13 }); }
        el.dataset.loaded = "true";
        el.dataset.count = String(data.features.length);
      });
  }
  form.addEventListener("submit", function (e) { e.preventDefault(); load(); });
  load();
})();
