/* Trend chart of one monitoring point (ECharts, vendored): value (avg), min–max band, alarm limits. */
(function () {
  "use strict";
  var el = document.getElementById("trend");
  if (!el || !window.echarts) { return; }
  var chart = window.echarts.init(el);
  var colours = { hh: "#c62828", h: "#f9a825", l: "#f9a825", ll: "#c62828" };
  var current = 6;
  function load(hours) {
    current = hours;
    fetch(el.dataset.url + "?hours=" + hours, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (d) {
        var lines = Object.keys(d.limits).map(function (k) {
          return { name: k.toUpperCase(), yAxis: d.limits[k], lineStyle: { color: colours[k], type: "dashed" },
                   label: { formatter: k.toUpperCase() + " " + d.limits[k] } };
        });
        var series = [{
          name: d.name, type: "line", showSymbol: false,
          data: d.points.map(function (p) { return [p[0], p[1]]; }),
          markLine: { symbol: "none", data: lines }
        }];
        if (d.resolution !== "raw") {
          series.push({ name: "min", type: "line", showSymbol: false, lineStyle: { opacity: 0.3 },
                        data: d.points.map(function (p) { return [p[0], p[2]]; }) });
          series.push({ name: "max", type: "line", showSymbol: false, lineStyle: { opacity: 0.3 },
                        data: d.points.map(function (p) { return [p[0], p[3]]; }) });
        }
        chart.setOption({
          tooltip: { trigger: "axis" },
          title: { text: d.code + " (" + d.resolution + ")", textStyle: { fontSize: 12 } },
          xAxis: { type: "time" },
          yAxis: { type: "value", name: d.unit, scale: true },
          dataZoom: [{ type: "inside" }],
          series: series
        }, true);
      });
  }
  document.querySelectorAll("[data-hours]").forEach(function (a) {
    a.addEventListener("click", function (e) { e.preventDefault(); load(a.dataset.hours); });
  });
  load(6);
  setInterval(function () { load(current); }, 30000);
})();
