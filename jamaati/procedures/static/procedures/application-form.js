/*
 * The application form, with JavaScript: questions shown only when their condition holds,
 * rows of repeatable groups added and removed, and a map to put a point or draw a parcel.
 * Without this file the same form works: every question is shown (the server ignores the
 * answers of hidden ones), groups offer a fixed number of rows, places are typed as text.
 * The draft autosave is htmx (see the template); nothing here is needed to save.
 */
(function () {
  "use strict";

  var PREFIX = "q_";
  var form;

  function valueOf(key) {
    var inputs = form.querySelectorAll("[name='" + PREFIX + key + "']");
    if (!inputs.length) {
      return undefined;
    }
    var first = inputs[0];
    if (first.type === "checkbox") {
      var values = [];
      inputs.forEach(function (input) {
        if (input.checked) {
          values.push(input.value);
        }
      });
      return values;
    }
    if (first.type === "radio") {
      var chosen;
      inputs.forEach(function (input) {
        if (input.checked) {
          chosen = input.value;
        }
      });
      if (chosen === "true") {
        return true;
      }
      if (chosen === "false") {
        return false;
      }
      return chosen;
    }
    return first.value.trim() === "" ? undefined : first.value.trim();
  }

  function isHidden(key) {
    var holder = form.querySelector(".jm-q[data-key='" + key + "'], .jm-group[data-key='" + key + "']");
    if (!holder) {
      return false;
    }
    return holder.hidden || (holder.closest(".jm-section") && holder.closest(".jm-section").hidden);
  }

  function holds(condition) {
    if (!condition) {
      return true;
    }
    var answer = isHidden(condition.field) ? undefined : valueOf(condition.field);
    var expected = condition.value;
    if (answer === undefined || (Array.isArray(answer) && !answer.length && condition.op !== "contains")) {
      return condition.op === "not_equals";
    }
    if (typeof expected === "number" && typeof answer === "string") {
      answer = Number(answer.replace(",", "."));
    }
    if (condition.op === "equals") {
      return answer === expected;
    }
    if (condition.op === "not_equals") {
      return answer !== expected;
    }
    if (Array.isArray(answer)) {
      return answer.indexOf(expected) !== -1;
    }
    if (typeof answer === "string" && typeof expected === "string") {
      return answer.toLowerCase().indexOf(expected.toLowerCase()) !== -1;
    }
    return answer === expected;
  }

  // One pass in form order: a condition only names an earlier question (ADR 0006).
  function applyConditions() {
    form.querySelectorAll(".jm-section, .jm-q[data-condition], .jm-group[data-condition]").forEach(function (element) {
      var raw = element.getAttribute("data-condition");
      if (!raw) {
        return;
      }
      var wasHidden = element.hidden;
      element.hidden = !holds(JSON.parse(raw));
      if (wasHidden && !element.hidden) {
        // A map drawn while hidden has no size: measure it again now that it shows.
        element.querySelectorAll(".jm-answer-map").forEach(function (drawing) {
          if (drawing.jmRefresh) {
            drawing.jmRefresh();
          }
        });
      }
    });
  }

  // --- Repeatable groups ---

  function renumber(group) {
    var rows = group.querySelectorAll(".jm-group-rows > .jm-group-row");
    var max = Number(group.getAttribute("data-max")) || 50;
    group.querySelector(".jm-group-add").hidden = rows.length >= max;
    rows.forEach(function (row) {
      row.querySelector(".jm-group-remove").hidden = false;
    });
  }

  function nextIndex(group) {
    var highest = -1;
    var key = group.getAttribute("data-key");
    var pattern = new RegExp("^" + PREFIX + key + "__(\\d+)__");
    group.querySelectorAll(".jm-group-rows [name]").forEach(function (input) {
      var match = pattern.exec(input.name);
      if (match) {
        highest = Math.max(highest, Number(match[1]));
      }
    });
    return highest + 1;
  }

  function addRow(group) {
    var template = group.querySelector("template.jm-group-template");
    var index = nextIndex(group);
    var fragment = template.content.cloneNode(true);
    fragment.querySelectorAll("[name], [id], [for], [aria-describedby], [data-input]").forEach(function (element) {
      ["name", "id", "for", "aria-describedby", "data-input"].forEach(function (attribute) {
        var value = element.getAttribute(attribute);
        if (value) {
          element.setAttribute(attribute, value.replace("__999__", "__" + index + "__"));
        }
      });
    });
    var row = fragment.querySelector(".jm-group-row");
    group.querySelector(".jm-group-rows").appendChild(fragment);
    renumber(group);
    var first = row.querySelector("input, select, textarea");
    if (first) {
      first.focus();
    }
  }

  function setUpGroups() {
    form.querySelectorAll(".jm-group").forEach(function (group) {
      group.querySelector(".jm-group-add").hidden = false;
      group.querySelector(".jm-group-add").addEventListener("click", function () {
        addRow(group);
      });
      group.addEventListener("click", function (event) {
        var button = event.target.closest(".jm-group-remove");
        if (!button) {
          return;
        }
        button.closest(".jm-group-row").remove();
        renumber(group);
        form.dispatchEvent(new Event("change", { bubbles: true }));
      });
      renumber(group);
    });
  }

  // --- Maps (no tile server: the commune's boundary only) ---

  function setUpMap(element) {
    if (!window.L) {
      return;
    }
    var input = document.getElementById(element.getAttribute("data-input"));
    if (!input) {
      return;
    }
    var figure = element.closest(".jm-map-figure");
    figure.hidden = false;
    var kind = element.getAttribute("data-map-kind");
    var map = window.L.map(element, { attributionControl: false }).setView([31.8, -7.1], 5);
    element.setAttribute("role", "application");
    element.setAttribute("aria-label", element.getAttribute("data-label") || "");
    var marker = null;
    var corners = [];
    var outline = null;
    var boundary = null;
    element.jmRefresh = function () {
      map.invalidateSize();
      if (boundary && !input.value.trim()) {
        map.fitBounds(boundary);
      }
    };
    var boundaryLayer = null;
    var latest = 0;
    function loadBoundary(url, fit) {
      var request = ++latest;
      fetch(url, { headers: { Accept: "application/geo+json" } })
        .then(function (response) {
          return response.ok ? response.json() : null;
        })
        .then(function (data) {
          if (!data || request !== latest) {
            return; // a later choice of commune won the race
          }
          if (boundaryLayer) {
            map.removeLayer(boundaryLayer);
          }
          boundaryLayer = window.L.geoJSON(data, {
            style: { weight: 2, fill: false },
            interactive: false
          }).addTo(map);
          boundary = boundaryLayer.getBounds();
          if (fit || !input.value.trim()) {
            map.invalidateSize();
            map.fitBounds(boundary);
          }
        })
        .catch(function () {});
    }
    // The commune chosen earlier in the form, else the organisation's own territory.
    var pattern = element.getAttribute("data-geojson-pattern");
    var commune = form.querySelector(".jm-q[data-type=commune] select");
    if (commune && pattern) {
      commune.addEventListener("change", function () {
        if (commune.value) {
          loadBoundary(pattern.replace("CODE", encodeURIComponent(commune.value)), true);
        }
      });
    }
    if (commune && commune.value && pattern) {
      loadBoundary(pattern.replace("CODE", encodeURIComponent(commune.value)), false);
    } else if (element.getAttribute("data-geojson-url")) {
      loadBoundary(element.getAttribute("data-geojson-url"), false);
    }
    function changed() {
      input.dispatchEvent(new Event("change", { bubbles: true }));
    }
    if (kind === "map_point") {
      var parts = input.value.split(",");
      if (parts.length === 2 && !isNaN(parseFloat(parts[0]))) {
        marker = window.L.marker([parseFloat(parts[0]), parseFloat(parts[1])]).addTo(map);
        map.setView(marker.getLatLng(), 16);
      }
      map.on("click", function (event) {
        var point = event.latlng;
        if (marker) {
          marker.setLatLng(point);
        } else {
          marker = window.L.marker(point).addTo(map);
        }
        input.value = point.lat.toFixed(6) + ", " + point.lng.toFixed(6);
        changed();
      });
      return;
    }
    function drawOutline() {
      if (outline) {
        map.removeLayer(outline);
      }
      outline = window.L.polygon(corners).addTo(map);
    }
    try {
      var existing = JSON.parse(input.value);
      existing.coordinates[0].slice(0, -1).forEach(function (pair) {
        corners.push([pair[1], pair[0]]);
      });
      drawOutline();
      map.fitBounds(outline.getBounds());
    } catch (error) {
      corners = [];
    }
    map.on("click", function (event) {
      corners.push([event.latlng.lat, event.latlng.lng]);
      drawOutline();
      if (corners.length >= 3) {
        var ring = corners.map(function (corner) {
          return [Number(corner[1].toFixed(6)), Number(corner[0].toFixed(6))];
        });
        ring.push(ring[0]);
        input.value = JSON.stringify({ type: "Polygon", coordinates: [ring] });
        changed();
      }
    });
    var clear = figure.querySelector(".jm-map-clear");
    if (clear) {
      clear.addEventListener("click", function () {
        corners = [];
        if (outline) {
          map.removeLayer(outline);
          outline = null;
        }
        input.value = "";
        changed();
      });
    }
  }

  function start() {
    form = document.querySelector(".jm-application-form");
    if (!form) {
      return;
    }
    document.querySelectorAll(".jm-nojs").forEach(function (element) {
      element.hidden = true;
    });
    setUpGroups();
    form.querySelectorAll(".jm-answer-map").forEach(setUpMap);
    applyConditions();
    form.addEventListener("change", applyConditions);
    form.addEventListener("input", applyConditions);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
