// Charts of the oversight pages: every <canvas data-chart="{...}"> is drawn with the vendored Chart.js
// (static/xuncha/vendor/chartjs, no CDN). The chart fills its box at any width (responsive, no fixed size);
// its figures are also in the table beside it, which screen readers read and paper prints.
(function () {
  function draw(canvas) {
    var spec = JSON.parse(canvas.getAttribute("data-chart"));
    var valueAxis = spec.horizontal ? "x" : "y";
    var labelAxis = spec.horizontal ? "y" : "x";
    var scales = {};
    scales[valueAxis] = { beginAtZero: true, stacked: spec.stacked, ticks: { precision: 0 } };
    if (spec.max !== null) scales[valueAxis].max = spec.max;
    scales[labelAxis] = { stacked: spec.stacked, ticks: { autoSkip: true } };
    canvas.xunchaChart = new window.Chart(canvas, {
      type: spec.type,
      data: { labels: spec.labels, datasets: spec.datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        indexAxis: spec.horizontal ? "y" : "x",
        plugins: { legend: { display: spec.datasets.length > 1, position: "bottom" } },
        scales: scales
      }
    });
    canvas.setAttribute("data-drawn", "true");
  }
  function drawAll() {
    if (!window.Chart) return;
    document.querySelectorAll("canvas[data-chart]").forEach(draw);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", drawAll);
  else drawAll();
  // Paper: each chart is printed as drawn at the paper's width, with its table opened beside it.
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details.chart-data").forEach(function (el) {
      el.setAttribute("data-was-open", el.open ? "true" : "false");
      el.open = true;
    });
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      if (canvas.xunchaChart) canvas.xunchaChart.resize();
    });
  });
  window.addEventListener("afterprint", function () {
    document.querySelectorAll("details.chart-data").forEach(function (el) {
      el.open = el.getAttribute("data-was-open") === "true";
    });
  });
})();
