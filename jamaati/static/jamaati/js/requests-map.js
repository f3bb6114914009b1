/*
 * Maps of reported problems, drawn by Leaflet without a tile server (no background map):
 * - #requests-map: the public map; markers come from the JSON endpoint for the visible box;
 * - #request-map: one report's pin inside its commune's boundaries.
 * Each figure is hidden in the HTML and shown here, so without JavaScript the list remains.
 */
(function () {
  "use strict";

  var MOROCCO = [
    [27.6, -13.2],
    [35.95, -1.0],
  ];

  function newMap(element) {
    var rightToLeft = document.documentElement.dir === "rtl";
    element.closest("figure").hidden = false; // Leaflet measures the container
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
    return map;
  }

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

  function boundary(map, url) {
    if (!url) {
      return Promise.resolve(null);
    }
    return getJSON(url).then(function (data) {
      var layer = window.L.geoJSON(data, {
        style: { color: "#3d4a45", weight: 1, fillOpacity: 0.04 },
        interactive: false,
      }).addTo(map);
      return layer.getBounds().isValid() ? layer.getBounds() : null;
    });
  }

  function publicMap(element) {
    var map = newMap(element);
    var markers = window.L.layerGroup().addTo(map);
    var pending = null;

    function load() {
      var bounds = map.getBounds();
      var query = new URLSearchParams(element.getAttribute("data-query") || "");
      query.set(
        "bbox",
        [bounds.getWest(), bounds.getSouth(), bounds.getEast(), bounds.getNorth()]
          .map(function (value) {
            return value.toFixed(5);
          })
          .join(",")
      );
      var url = element.getAttribute("data-points-url") + "?" + query.toString();
      pending = url;
      getJSON(url)
        .then(function (data) {
          if (pending !== url) {
            return;
          }
          markers.clearLayers();
          data.features.forEach(function (feature) {
            var coordinates = feature.geometry.coordinates;
            var properties = feature.properties;
            var marker = window.L.circleMarker([coordinates[1], coordinates[0]], {
              radius: 7,
              color: "#0b6e4f",
              weight: 2,
              fillColor: "#0b6e4f",
              fillOpacity: properties.is_open ? 0.85 : 0.15,
            });
            var link = document.createElement("a");
            link.href = properties.url;
            link.textContent = properties.reference;
            var box = document.createElement("div");
            box.appendChild(link);
            box.appendChild(document.createElement("br"));
            box.appendChild(document.createTextNode(properties.category + " · " + properties.status_label));
            marker.bindPopup(box);
            markers.addLayer(marker);
          });
        })
        .catch(function () {
          /* the list below stays the way to browse */
        });
    }

    boundary(map, element.getAttribute("data-geojson-url"))
      .catch(function () {
        return null;
      })
      .then(function (bounds) {
        map.fitBounds(bounds || MOROCCO, { padding: [8, 8] });
        map.on("moveend", load);
        load();
      });
  }

  function requestMap(element) {
    var map = newMap(element);
    var point = [
      parseFloat(element.getAttribute("data-latitude")),
      parseFloat(element.getAttribute("data-longitude")),
    ];
    window.L.circleMarker(point, {
      radius: 9,
      color: "#7a1f00",
      weight: 3,
      fillColor: "#ffb000",
      fillOpacity: 0.9,
    }).addTo(map);
    map.setView(point, 15);
    // With no background map, the commune's outline around the pin is what shows where it is.
    boundary(map, element.getAttribute("data-geojson-url"))
      .then(function (bounds) {
        if (bounds) {
          map.fitBounds(bounds.extend(point), { padding: [8, 8] });
        }
      })
      .catch(function () {
        /* the pin alone still shows the place */
      });
  }

  function init() {
    if (!window.L || !window.fetch) {
      return;
    }
    var many = document.getElementById("requests-map");
    if (many) {
      publicMap(many);
    }
    var one = document.getElementById("request-map");
    if (one) {
      requestMap(one);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
