/*
 * Budget charts of the programmes pages (Chart.js), drawn from numbers the page embeds with
 * json_script. Amounts arrive as decimal strings (exact); a chart only draws them. The table
 * beside each chart has the same numbers and is what screen readers use.
 */
(function () {
  "use strict";

  var COLOURS = ["#0b6e4f", "#7a4b00", "#3d4a45", "#1f5fa8"];

  function format(value) {
    return new Intl.NumberFormat(document.documentElement.lang === "ar" ? "ar-MA-u-nu-latn" : document.documentElement.lang, {
      maximumFractionDigits: 0,
    }).format(value);
  }

  function draw(canvasId, labels, series, horizontal) {
    var canvas = document.getElementById(canvasId);
    if (!canvas || !labels || labels.length === 0) {
      return;
    }
    canvas.closest("figure").hidden = false;
    // A horizontal chart grows with its rows, so that long names (ministries) stay readable.
    // Set through the CSSOM: the Content-Security-Policy forbids style attributes in HTML.
    var rows = horizontal ? labels.length * series.length : 0;
    canvas.parentNode.style.height = Math.max(224, 64 + rows * 22) + "px";
    var rightToLeft = document.documentElement.dir === "rtl";
    new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: labels,
        datasets: series.map(function (item, index) {
          return {
            label: item.title,
            data: item.values.map(Number),
            backgroundColor: item.colours || COLOURS[index % COLOURS.length],
          };
        }),
      },
      options: {
        indexAxis: horizontal ? "y" : "x",
        animation: false,
        maintainAspectRatio: false,
        locale: document.documentElement.lang === "ar" ? "ar-MA-u-nu-latn" : document.documentElement.lang,
        plugins: {
          legend: { display: series.length > 1, rtl: rightToLeft },
          tooltip: { rtl: rightToLeft },
        },
        scales: {
          x: {
            reverse: rightToLeft,
            ticks: horizontal ? { callback: format, precision: 0 } : {},
          },
          y: {
            position: rightToLeft ? "right" : "left",
            ticks: horizontal ? {} : { callback: format, precision: 0 },
          },
        },
      },
    });
  }

  function read(id) {
    var source = document.getElementById(id);
    return source ? JSON.parse(source.textContent) : null;
  }

  function init() {
    if (!window.Chart) {
      return;
    }
    var budget = read("budget-chart-data");
    if (budget) {
      draw("chart-money", budget.money.labels, [
        { title: budget.money.title, values: budget.money.values, colours: COLOURS.concat(["#6c757d"]) },
      ]);
      draw("chart-partners", budget.partners.labels, budget.partners.series, true);
    }
    var convention = read("convention-chart-data");
    if (convention) {
      draw("chart-parties", convention.labels, convention.series, true);
    }
    var dashboard = read("dashboard-chart-data");
    if (dashboard) {
      dashboard.charts.forEach(function (chart) {
        draw(chart.id, chart.labels, chart.series, chart.horizontal);
      });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
