/*
 * The territory map: boundaries only, drawn by Leaflet from GeoJSON.
 *
 * There is no tile server: no background map is requested from anywhere. The figure
 * is hidden in the HTML and shown here, so a page without JavaScript (or where the
 * GeoJSON cannot be fetched) simply keeps its list of territories.
 */
(function () {
  "use strict";

  function brandColour() {
    var value = getComputedStyle(document.documentElement).getPropertyValue("--jamaati-brand");
    return (value && value.trim()) || "#0b6e4f";
  }

  // The map box itself is dir="ltr" (Leaflet needs it), so its controls are placed from
  // the page's direction: zoom buttons on the reading side, the credits at the other end.
  function controlCorners() {
    var rightToLeft = document.documentElement.dir === "rtl";
    return {
      zoom: rightToLeft ? "topright" : "topleft",
      attribution: rightToLeft ? "bottomleft" : "bottomright",
    };
  }

  function draw(element, data) {
    var brand = brandColour();
    var corners = controlCorners();
    var map = window.L.map(element, {
      scrollWheelZoom: false,
      zoomSnap: 0.25,
      zoomControl: false,
      attributionControl: false,
    });
    window.L.control.zoom({ position: corners.zoom }).addTo(map);
    window.L.control
      .attribution({ position: corners.attribution, prefix: false })
      .addAttribution(element.getAttribute("data-attribution") || "")
      .addTo(map);

    var layer = window.L.geoJSON(data, {
      style: function (feature) {
        if (feature.properties.role === "self") {
          return { color: brand, weight: 3, fill: true, fillColor: brand, fillOpacity: 0.04 };
        }
        return { color: "#3d4a45", weight: 1, fillColor: brand, fillOpacity: 0.15 };
      },
      onEachFeature: function (feature, path) {
        if (feature.properties.role !== "child") {
          return;
        }
        path.bindTooltip(feature.properties.name, { sticky: true });
        path.on("click", function () {
          window.location.assign(feature.properties.url);
        });
        path.on("mouseover", function () {
          path.setStyle({ fillOpacity: 0.35 });
        });
        path.on("mouseout", function () {
          path.setStyle({ fillOpacity: 0.15 });
        });
      },
    }).addTo(map);

    var bounds = layer.getBounds();
    if (bounds.isValid()) {
      map.fitBounds(bounds, { padding: [8, 8] });
    }
  }

  function init() {
    var element = document.getElementById("territory-map");
    if (!element || !window.L || !window.fetch) {
      return;
    }
    var figure = element.closest("figure");
    fetch(element.getAttribute("data-geojson-url"), {
      headers: { Accept: "application/geo+json" },
      credentials: "same-origin",
    })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.json();
      })
      .then(function (data) {
        if (!data.features || data.features.length === 0) {
          return;
        }
        figure.hidden = false; // Leaflet measures the container: show it before drawing.
        element.setAttribute("aria-label", element.getAttribute("data-label") || "");
        draw(element, data);
      })
      .catch(function () {
        figure.hidden = true; // the list on the page remains the way to browse
      });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
