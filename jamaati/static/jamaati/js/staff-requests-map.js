/*
 * Staff maps of service requests, drawn by Leaflet without any background map (no tile server).
 *
 * - #staff-requests-map: the filtered queue, fetched as GeoJSON from data-url; overdue
 *   requests in red; each marker links to the request's page.
 * - #staff-request-map: one request's point, from data-latitude / data-longitude.
 *
 * Both figures are hidden in the HTML and shown here, so without JavaScript the page
 * keeps its list and its coordinates.
 */
(function () {
  "use strict";

  var OVERDUE = "#b02a37";

  function brandColour() {
    var value = getComputedStyle(document.documentElement).getPropertyValue("--jamaati-brand");
    return (value && value.trim()) || "#0b6e4f";
  }

  // The map box is dir="ltr" (Leaflet needs it): put the zoom buttons on the reading side.
  function newMap(element) {
    var rightToLeft = document.documentElement.dir === "rtl";
    var map = window.L.map(element, {
      scrollWheelZoom: false,
      zoomControl: false,
      attributionControl: false,
    });
    window.L.control.zoom({ position: rightToLeft ? "topright" : "topleft" }).addTo(map);
    element.setAttribute("aria-label", element.getAttribute("data-label") || "");
    return map;
  }

  function show(id) {
    var element = document.getElementById(id);
    if (element) {
      element.hidden = false;
    }
  }

  // Popup content built as DOM nodes: request data is never parsed as HTML.
  function popup(properties, overdueLabel) {
    var box = document.createElement("div");
    var link = document.createElement("a");
    link.href = properties.url;
    link.textContent = properties.reference;
    link.dir = "ltr";
    box.appendChild(link);
    var line = document.createElement("div");
    line.textContent = properties.category + " · " + properties.status_label;
    box.appendChild(line);
    if (properties.overdue) {
      var flag = document.createElement("strong");
      flag.textContent = overdueLabel;
      box.appendChild(flag);
    }
    return box;
  }

  function drawQueue(element) {
    var figure = element.closest("figure");
    fetch(element.getAttribute("data-url"), {
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
          show("staff-requests-map-empty");
          return;
        }
        if (data.truncated) {
          show("staff-requests-map-truncated");
        }
        figure.hidden = false; // Leaflet measures the container: show it before drawing.
        var map = newMap(element);
        var brand = brandColour();
        var overdueLabel = element.getAttribute("data-overdue") || "";
        var layer = window.L.geoJSON(data, {
          pointToLayer: function (feature, latlng) {
            var colour = feature.properties.overdue ? OVERDUE : brand;
            return window.L.circleMarker(latlng, {
              radius: 7,
              color: colour,
              weight: 2,
              fillColor: colour,
              fillOpacity: 0.6,
            });
          },
          onEachFeature: function (feature, marker) {
            marker.bindPopup(popup(feature.properties, overdueLabel));
          },
        }).addTo(map);
        var bounds = layer.getBounds();
        if (bounds.isValid()) {
          map.fitBounds(bounds, { padding: [16, 16], maxZoom: 17 });
        }
      })
      .catch(function () {
        figure.hidden = true; // the list stays the way to work
      });
  }

  function drawOne(element) {
    var latitude = parseFloat(element.getAttribute("data-latitude"));
    var longitude = parseFloat(element.getAttribute("data-longitude"));
    if (isNaN(latitude) || isNaN(longitude)) {
      return;
    }
    element.closest("figure").hidden = false;
    var map = newMap(element);
    var brand = brandColour();
    window.L.circleMarker([latitude, longitude], {
      radius: 9,
      color: brand,
      weight: 3,
      fillColor: brand,
      fillOpacity: 0.5,
    }).addTo(map);
    map.setView([latitude, longitude], 16);
  }

  function init() {
    if (!window.L) {
      return;
    }
    var queue = document.getElementById("staff-requests-map");
    if (queue && window.fetch) {
      drawQueue(queue);
    }
    var one = document.getElementById("staff-request-map");
    if (one) {
      drawOne(one);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
