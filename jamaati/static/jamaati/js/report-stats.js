/*
 * Per-commune statistics: two Chart.js charts drawn from the numbers the page embeds with
 * json_script. The tables on the page carry the same numbers (and are what screen readers use).
 */
(function () {
  "use strict";

  function brand() {
    var value = getComputedStyle(document.documentElement).getPropertyValue("--jamaati-brand");
    return (value && value.trim()) || "#0b6e4f";
  }

  function draw(canvasId, series, horizontal) {
    var canvas = document.getElementById(canvasId);
    if (!canvas || !series || series.values.length === 0) {
      return;
    }
    canvas.closest("figure").hidden = false;
    var rightToLeft = document.documentElement.dir === "rtl";
    new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: series.labels,
        datasets: [{ label: series.title, data: series.values, backgroundColor: brand() }],
      },
      options: {
        indexAxis: horizontal ? "y" : "x",
        animation: false,
        locale: document.documentElement.lang,
        plugins: { legend: { display: false }, tooltip: { rtl: rightToLeft } },
        scales: {
          x: { reverse: rightToLeft, ticks: { precision: 0 }, position: "bottom" },
          y: { ticks: { precision: 0 }, position: rightToLeft ? "right" : "left" },
        },
      },
    });
  }

  function init() {
    var source = document.getElementById("stats-data");
    if (!source || !window.Chart) {
      return;
    }
    var data = JSON.parse(source.textContent);
    draw("chart-status", data.status, false);
    draw("chart-category", data.category, true);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
