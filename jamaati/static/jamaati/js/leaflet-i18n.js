/* Leaflet's zoom buttons in the page's language.
 *
 * The titles come from <meta name="jamaati-map-zoom-in|out"> (translated by the template). Maps
 * created after this script runs take them as defaults; maps already drawn (by scripts that
 * ran before this one) get them when the document is ready. */
(function () {
  "use strict";
  function meta(name) {
    var element = document.querySelector('meta[name="' + name + '"]');
    return element ? element.getAttribute("content") : "";
  }
  var zoomIn = meta("jamaati-map-zoom-in");
  var zoomOut = meta("jamaati-map-zoom-out");
  if (!window.L || !zoomIn || !zoomOut) {
    return;
  }
  window.L.Control.Zoom.prototype.options.zoomInTitle = zoomIn;
  window.L.Control.Zoom.prototype.options.zoomOutTitle = zoomOut;

  function relabel() {
    var pairs = [
      [".leaflet-control-zoom-in", zoomIn],
      [".leaflet-control-zoom-out", zoomOut],
    ];
    pairs.forEach(function (pair) {
      document.querySelectorAll(pair[0]).forEach(function (button) {
        button.setAttribute("title", pair[1]);
        button.setAttribute("aria-label", pair[1]);
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", relabel);
  } else {
    relabel();
  }
})();
