/* Warning maps: county boundary, township seats (affected ones highlighted), message polygons and
   circles, extra layers (e.g. open incidents), and — in draw mode — a polygon drawn by clicking
   (no plugin): each click adds a vertex, "完成绘制" closes the ring and writes CAP polygon text
   ("lat,lon lat,lon ... first") into the hidden #id_polygon field. */
(function () {
  "use strict";
  var el = document.getElementById("warning-map");
  var dataEl = document.getElementById("warning-map-data");
  if (!el || !dataEl || typeof L === "undefined") { return; }
  var data = JSON.parse(dataEl.textContent);
  var t = JSON.parse(el.dataset.i18n || "{}");
  var map = L.map(el, { zoomSnap: 0.25 });
  map.setView([42.05, 86.45], 9);
  var bounds = null;
  function grow(b) { bounds = bounds ? bounds.extend(b) : L.latLngBounds(b.getSouthWest(), b.getNorthEast()); }
  if (data.boundary) {
    var boundary = L.geoJSON(data.boundary, { style: { color: "#b71c1c", weight: 2, fillOpacity: 0.03, className: "layer-boundary" } }).addTo(map);
    grow(boundary.getBounds());
  }
  var affected = {};
  (data.affected || []).forEach(function (c) { affected[c] = true; });
  (data.townships || []).forEach(function (s) {
    var hit = affected[s.code] || affected[s.code.slice(0, 6) + "000000"];
    L.circleMarker([s.lat, s.lon], { radius: 6, color: hit ? "#c62828" : "#0b5cad", fillOpacity: hit ? 0.8 : 0.4,
      className: hit ? "layer-affected" : "layer-township" })
      .bindPopup(s.name + (s.population != null ? "<br>" + (t.population || "") + ": " + s.population + " (" + s.population_year + ")" : ""))
      .addTo(map);
  });
  (data.polygons || []).forEach(function (p) {
    var layer = L.polygon(p, { color: "#ef6c00", weight: 2, className: "layer-cap-polygon" }).addTo(map); grow(layer.getBounds());
  });
  (data.circles || []).forEach(function (c) {
    var layer = L.circle([c[0], c[1]], { radius: c[2] * 1000, color: "#ef6c00", className: "layer-cap-circle" }).addTo(map); grow(layer.getBounds());
  });
  (data.layers || []).forEach(function (layer) {
    L.geoJSON(layer, { pointToLayer: function (f, ll) { return L.circleMarker(ll, { radius: 6, color: "#6a1b9a", className: "layer-extra" }); },
      onEachFeature: function (f, l) { if (f.properties && f.properties.name) { l.bindPopup(String(f.properties.name)); } } }).addTo(map);
  });
  var drawn = null;
  if (data.draw && data.draw.length) {
    drawn = L.polygon(data.draw, { color: "#6a1b9a", className: "layer-drawn" }).addTo(map);
  }
  if (bounds) { map.fitBounds(bounds, { padding: [10, 10] }); }
  if (el.dataset.mode !== "draw") { return; }
  var field = document.getElementById("id_polygon");
  var points = [];
  var sketch = null;
  function redraw() {
    if (sketch) { map.removeLayer(sketch); sketch = null; }
    if (points.length) { sketch = L.polyline(points, { color: "#6a1b9a", dashArray: "4 4", className: "layer-sketch" }).addTo(map); }
  }
  map.on("click", function (e) {
    points.push([Math.round(e.latlng.lat * 1e5) / 1e5, Math.round(e.latlng.lng * 1e5) / 1e5]);
    redraw();
  });
  var Controls = L.Control.extend({
    onAdd: function () {
      var div = L.DomUtil.create("div", "draw-controls leaflet-bar");
      div.innerHTML = '<button type="button" id="draw-finish">' + (t.finish || "OK") + '</button> <button type="button" id="draw-clear">' + (t.clear || "X") + "</button>";
      div.title = t.hint || "";
      L.DomEvent.disableClickPropagation(div);
      return div;
    }
  });
  map.addControl(new Controls({ position: "topright" }));
  document.getElementById("draw-finish").addEventListener("click", function () {
    if (points.length < 3) { return; }
    var ring = points.concat([points[0]]);
    field.value = ring.map(function (p) { return p[0] + "," + p[1]; }).join(" ");
    if (drawn) { map.removeLayer(drawn); }
    drawn = L.polygon(points, { color: "#6a1b9a", className: "layer-drawn" }).addTo(map);
    points = []; redraw();
  });
  document.getElementById("draw-clear").addEventListener("click", function () {
    points = []; redraw(); field.value = "";
    if (drawn) { map.removeLayer(drawn); drawn = null; }
  });
}());
