/*
 * Report a problem, with JavaScript: "use my location", a pin on the commune's map, the
 * categories refreshed (htmx) when the place changes, and only the chosen category's
 * questions shown. Without this file the same form works in two steps (place, then details).
 *
 * There is no tile server: the map draws the chosen commune's boundaries only, so a pin can be
 * put inside them; the typed address stays what guides the team.
 */
(function () {
  "use strict";

  var form, map, marker, boundaryLayer;

  function field(name) {
    return form.querySelector("[name='" + name + "']");
  }

  function placeQuery() {
    var params = new URLSearchParams();
    ["latitude", "longitude", "commune", "address"].forEach(function (name) {
      var input = field(name);
      if (input && input.value) {
        params.set(name, input.value);
      }
    });
    return params.toString();
  }

  // Ask the server for the details of this place: the whole block the first time, then only
  // the categories (so that what was already typed below them is kept).
  function placeChanged() {
    if (!window.htmx) {
      return;
    }
    var query = placeQuery();
    if (!query) {
      return;
    }
    var url = form.getAttribute("data-details-url") + "?" + query;
    var categories = document.getElementById("report-categories");
    var chosen = field("category") ? field("category").value : "";
    var request = categories
      ? { target: "#report-categories", select: "#report-categories", swap: "outerHTML" }
      : { target: "#report-details", swap: "innerHTML" };
    window.htmx.ajax("GET", url, request).then(function () {
      var continueButton = document.getElementById("report-continue");
      if (document.getElementById("report-categories") && continueButton) {
        continueButton.hidden = true;
      }
      var nearby = document.getElementById("report-nearby");
      var select = field("category");
      if (select && chosen && select.querySelector("option[value='" + chosen + "']")) {
        select.value = chosen; // the same category is offered at the new place: keep it
        window.htmx.trigger(select, "change");
      } else if (nearby && categories) {
        nearby.textContent = "";
      }
      showQuestions();
    });
  }

  function setPoint(latitude, longitude) {
    field("latitude").value = latitude.toFixed(6);
    field("longitude").value = longitude.toFixed(6);
    if (map) {
      if (marker) {
        marker.setLatLng([latitude, longitude]);
      } else {
        marker = window.L.circleMarker([latitude, longitude], {
          radius: 9,
          color: "#7a1f00",
          weight: 3,
          fillColor: "#ffb000",
          fillOpacity: 0.9,
        }).addTo(map);
      }
    }
    placeChanged();
  }

  function drawCommune(code) {
    var figure = document.getElementById("report-map-figure");
    var element = document.getElementById("report-map");
    if (!figure || !element || !window.L || !code) {
      return;
    }
    var url = form.getAttribute("data-geojson-url").replace("CODE", encodeURIComponent(code));
    fetch(url, { headers: { Accept: "application/geo+json" }, credentials: "same-origin" })
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
        figure.hidden = false;
        element.setAttribute("aria-label", element.getAttribute("data-label") || "");
        var rightToLeft = document.documentElement.dir === "rtl";
        if (!map) {
          map = window.L.map(element, {
            scrollWheelZoom: false,
            zoomControl: false,
            attributionControl: false,
          });
          window.L.control.zoom({ position: rightToLeft ? "topright" : "topleft" }).addTo(map);
          window.L.control
            .attribution({ position: rightToLeft ? "bottomleft" : "bottomright", prefix: false })
            .addAttribution(element.getAttribute("data-attribution") || "")
            .addTo(map);
          map.on("click", function (event) {
            setPoint(event.latlng.lat, event.latlng.lng);
          });
        }
        if (boundaryLayer) {
          map.removeLayer(boundaryLayer);
        }
        boundaryLayer = window.L.geoJSON(data, {
          style: { color: "#0b6e4f", weight: 2, fillOpacity: 0.05 },
          onEachFeature: function (feature, layer) {
            layer.on("click", function (event) {
              setPoint(event.latlng.lat, event.latlng.lng);
            });
          },
        }).addTo(map);
        var bounds = boundaryLayer.getBounds();
        if (bounds.isValid()) {
          map.fitBounds(bounds, { padding: [8, 8] });
        }
      })
      .catch(function () {
        figure.hidden = true; // the commune list and the address remain
      });
  }

  function locate() {
    var status = document.getElementById("report-locate-status");
    navigator.geolocation.getCurrentPosition(
      function (position) {
        status.textContent = status.getAttribute("data-found") || "";
        setPoint(position.coords.latitude, position.coords.longitude);
      },
      function () {
        status.textContent = status.getAttribute("data-failed") || "";
      },
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
    );
  }

  // Show only the questions of the chosen category (without JavaScript, all are shown).
  function showQuestions() {
    var select = field("category");
    var chosen = select ? select.value : "";
    form.querySelectorAll(".jm-questions").forEach(function (group) {
      group.hidden = group.getAttribute("data-category") !== chosen;
    });
  }

  function init() {
    form = document.getElementById("report-form");
    if (!form) {
      return;
    }
    var locateBox = form.querySelector(".jm-js-only");
    if (locateBox && navigator.geolocation) {
      locateBox.hidden = false;
      document.getElementById("report-locate").addEventListener("click", locate);
    }
    var commune = field("commune");
    if (commune && commune.tagName === "SELECT") {
      commune.addEventListener("change", function () {
        field("latitude").value = "";
        field("longitude").value = "";
        if (marker && map) {
          map.removeLayer(marker);
          marker = null;
        }
        drawCommune(commune.value);
        placeChanged();
      });
      if (commune.value) {
        drawCommune(commune.value);
      }
    }
    var address = field("address");
    if (address && address.type !== "hidden") {
      // The address does not change the categories: it only completes a place still missing it.
      address.addEventListener("change", function () {
        var hasPlace = field("latitude").value || (commune && commune.value);
        if (hasPlace && !document.getElementById("report-categories")) {
          placeChanged();
        }
      });
    }
    form.addEventListener("change", function (event) {
      if (event.target.name === "category") {
        showQuestions();
      }
    });
    document.body.addEventListener("htmx:afterSettle", showQuestions);
    showQuestions();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
