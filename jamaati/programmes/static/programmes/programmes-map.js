/*
 * The map of projects, drawn by Leaflet without a tile server (no background map): the
 * boundaries of the territories around them, a dot per project (or its outline). Data come
 * from the page itself (json_script "projects-map-data"). The figure is hidden in the HTML
 * and shown here, so without JavaScript the list beside it remains the way to browse.
 */
(function () {
  "use strict";

  var MOROCCO = [
    [27.6, -13.2],
    [35.95, -1.0],
  ];

  function getJSON(url) {
    return fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" }).then(
      function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.json();
      }
    );
  }

  function popup(properties, labels) {
    var box = document.createElement("div");
    var link = document.createElement("a");
    link.href = properties.url;
    link.textContent = properties.title;
    box.appendChild(link);
    box.appendChild(document.createElement("br"));
    box.appendChild(
      document.createTextNode(
        properties.status_label + " · " + labels.progress + " " + properties.physical_progress + " %"
      )
    );
    return box;
  }

  function init() {
    var element = document.getElementById("projects-map");
    var source = document.getElementById("projects-map-data");
    if (!element || !source || !window.L || !window.fetch) {
      return;
    }
    var data = JSON.parse(source.textContent);
    var rightToLeft = document.documentElement.dir === "rtl";
    element.closest("figure").hidden = false; // Leaflet measures the container
    element.setAttribute("role", "region");
    element.setAttribute("aria-label", element.getAttribute("data-label") || "");
    var map = window.L.map(element, {
      scrollWheelZoom: false,
      zoomControl: false,
      attributionControl: false,
    });
    window.L.control.zoom({ position: rightToLeft ? "topright" : "topleft" }).addTo(map);
    window.L.control
      .attribution({ position: rightToLeft ? "bottomleft" : "bottomright", prefix: false })
      .addAttribution(element.getAttribute("data-attribution") || "")
      .addTo(map);

    var projects = window.L.geoJSON(data.projects, {
      style: { color: "#0b6e4f", weight: 2, fillOpacity: 0.25 },
      pointToLayer: function (feature, latlng) {
        return window.L.circleMarker(latlng, {
          radius: 8,
          color: "#0b6e4f",
          weight: 2,
          fillColor: "#0b6e4f",
          fillOpacity: 0.8,
        });
      },
      onEachFeature: function (feature, layer) {
        layer.bindPopup(popup(feature.properties, data.labels));
      },
    });

    var bounds = projects.getBounds();
    var pending = (data.boundaries || []).map(function (url) {
      return getJSON(url)
        .then(function (geojson) {
          var layer = window.L.geoJSON(geojson, {
            style: function (feature) {
              var self = feature.properties && feature.properties.role === "self";
              return { color: "#3d4a45", weight: self ? 1.5 : 0.6, fillOpacity: 0.03 };
            },
            interactive: false,
          }).addTo(map);
          return layer.getBounds();
        })
        .catch(function () {
          return null;
        });
    });
    Promise.all(pending).then(function (all) {
      projects.addTo(map);
      var view = bounds.isValid() ? window.L.latLngBounds(bounds) : null;
      all.forEach(function (b) {
        if (b && b.isValid()) {
          view = view ? view.extend(b) : window.L.latLngBounds(b.getSouthWest(), b.getNorthEast());
        }
      });
      if (view && view.isValid()) {
        map.fitBounds(view, { padding: [12, 12], maxZoom: 14 });
      } else {
        map.fitBounds(MOROCCO);
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
