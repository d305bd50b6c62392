// Eventplane console: the depth chart of a queue page. The live stream (htmx's SSE extension)
// swaps the counts into #depth-live; each swap adds a point to the chart from its data attributes.
(function () {
  "use strict";
  var MAX_POINTS = 300;
  var chart = null;
  var data = [[], [], [], []];

  function sample(root) {
    var dl = root && root.querySelector("dl.depth");
    if (!dl) return;
    data[0].push(Number(dl.dataset.time));
    data[1].push(Number(dl.dataset.visible));
    data[2].push(Number(dl.dataset.inflight));
    data[3].push(Number(dl.dataset.delayed));
    if (data[0].length > MAX_POINTS) data.forEach(function (series) { series.shift(); });
    if (chart) chart.setData(data);
  }

  function start() {
    var target = document.getElementById("depth-chart");
    var live = document.getElementById("depth-live");
    if (!target || !live || typeof uPlot === "undefined") return;
    sample(live);
    chart = new uPlot({
      width: Math.min(720, Math.max(320, target.clientWidth || 720)),
      height: 220,
      scales: { y: { range: function (u, min, max) { return [0, Math.max(1, max)]; } } },
      series: [
        {},
        { label: "Visible", stroke: "#1f6feb", width: 2 },
        { label: "In flight", stroke: "#d97706", width: 2 },
        { label: "Delayed", stroke: "#6b7280", width: 2 }
      ]
    }, data, target);
    document.body.addEventListener("htmx:sseMessage", function (event) {
      if (event.target && event.target.id === "depth-live") sample(event.target);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
