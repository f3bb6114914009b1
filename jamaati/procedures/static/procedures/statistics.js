/* The statistics chart (Chart.js, vendored): the table on the page has the same figures. */
(function () {
  "use strict";
  function start() {
    var canvas = document.getElementById("statistics-chart");
    var source = document.getElementById("statistics-data");
    if (!canvas || !source || !window.Chart) {
      return;
    }
    var data = JSON.parse(source.textContent);
    document.getElementById("statistics-figure").hidden = false;
    var rtl = document.documentElement.dir === "rtl";
    new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: [
          { label: canvas.getAttribute("data-median-label"), data: data.median, backgroundColor: "#1f6f8b" },
          { label: canvas.getAttribute("data-legal-label"), data: data.legal, backgroundColor: "#c9a227" }
        ]
      },
      options: {
        indexAxis: "y",
        animation: false,
        plugins: { legend: { rtl: rtl, position: "bottom" }, tooltip: { rtl: rtl } },
        scales: { x: { beginAtZero: true, reverse: rtl }, y: { position: rtl ? "right" : "left" } }
      }
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
