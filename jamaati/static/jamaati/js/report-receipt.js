/* The receipt: a button copies the tracking link (without JavaScript the field can be selected). */
(function () {
  "use strict";

  function init() {
    document.querySelectorAll("[data-copy]").forEach(function (button) {
      var input = document.querySelector(button.getAttribute("data-copy"));
      if (!input || !navigator.clipboard) {
        return;
      }
      button.hidden = false;
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(input.value).then(function () {
          var status = document.getElementById("copy-status");
          if (status) {
            status.textContent = button.getAttribute("data-copied") || "";
          }
        });
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
