// The form builder's small script; every action also works without it (plain POST forms).
// - Alt+↑ / Alt+↓ on a section or field (or any of its buttons) press its Up / Down button.
// - Sections and fields can be dragged and dropped: the drop posts the new place to the same
//   move URL as the buttons (position, and section for a field), and htmx swaps the editor.
// After a swap, htmx puts the focus back on the moved element's button (autofocus).
(function () {
  "use strict";

  var ITEMS = ".jm-builder-field, .jm-builder-section";
  var dragged = null;
  var marked = null;

  function kindOf(element) {
    return element.classList.contains("jm-builder-section") ? "section" : "field";
  }

  function groupOf(element) {
    var key = element.dataset.key || "";
    return key.indexOf(".") >= 0 ? key.split(".")[0] : "";
  }

  function accepts(target) {
    if (!dragged || target === dragged || dragged.contains(target)) {
      return false;
    }
    if (kindOf(dragged) === "section") {
      return kindOf(target) === "section";
    }
    if (kindOf(target) === "section") {
      return groupOf(dragged) === "";
    }
    return groupOf(target) === groupOf(dragged);
  }

  function dropTarget(event) {
    var element = event.target.closest ? event.target.closest(ITEMS) : null;
    while (element && !accepts(element)) {
      element = element.parentElement ? element.parentElement.closest(ITEMS) : null;
    }
    return element;
  }

  function siblings(element) {
    return Array.prototype.filter.call(element.parentElement.children, function (child) {
      return child.matches(ITEMS);
    });
  }

  function after(event, element) {
    var box = element.getBoundingClientRect();
    return event.clientY > box.top + box.height / 2;
  }

  function unmark() {
    if (marked) {
      marked.classList.remove("jm-builder-drop-before", "jm-builder-drop-after");
      marked = null;
    }
  }

  function place(event, target) {
    var values = {};
    if (kindOf(dragged) === "field" && kindOf(target) === "section") {
      var fields = target.querySelectorAll(":scope > ol > .jm-builder-field");
      values.section = target.dataset.key;
      values.position = fields.length - (dragged.parentElement.parentElement === target ? 1 : 0);
      return values;
    }
    var position = siblings(target).indexOf(target) + (after(event, target) ? 1 : 0);
    if (
      target.parentElement === dragged.parentElement &&
      siblings(dragged).indexOf(dragged) < position
    ) {
      position -= 1;
    }
    values.position = position;
    if (kindOf(dragged) === "field" && groupOf(dragged) === "") {
      values.section = target.closest(".jm-builder-section").dataset.key;
    }
    return values;
  }

  function prepare(root) {
    root.querySelectorAll(ITEMS).forEach(function (item) {
      if (item.dataset.moveUrl) {
        item.setAttribute("draggable", "true");
      }
    });
  }

  document.addEventListener("dragstart", function (event) {
    var item = event.target.closest ? event.target.closest(ITEMS) : null;
    if (!item || !item.dataset.moveUrl) {
      return;
    }
    dragged = item;
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", item.dataset.key);
    item.classList.add("jm-builder-dragged");
  });

  document.addEventListener("dragover", function (event) {
    var target = dragged && dropTarget(event);
    unmark();
    if (!target) {
      return;
    }
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    marked = target;
    target.classList.add(after(event, target) ? "jm-builder-drop-after" : "jm-builder-drop-before");
  });

  document.addEventListener("drop", function (event) {
    var target = dragged && dropTarget(event);
    unmark();
    if (!target || typeof htmx === "undefined") {
      return;
    }
    event.preventDefault();
    htmx.ajax("POST", dragged.dataset.moveUrl, {
      source: dragged,
      target: "#builder-editor",
      swap: "outerHTML",
      values: place(event, target),
    });
  });

  document.addEventListener("dragend", function () {
    unmark();
    if (dragged) {
      dragged.classList.remove("jm-builder-dragged");
    }
    dragged = null;
  });

  document.addEventListener("keydown", function (event) {
    if (!event.altKey || (event.key !== "ArrowUp" && event.key !== "ArrowDown")) {
      return;
    }
    var item = event.target.closest ? event.target.closest(ITEMS) : null;
    if (!item) {
      return;
    }
    var direction = event.key === "ArrowUp" ? "up" : "down";
    var button = item.querySelector(
      ":scope > div > .jm-builder-actions button[id$='-" + direction + "']"
    );
    if (button && !button.disabled) {
      event.preventDefault();
      button.click();
    }
  });

  function start() {
    prepare(document);
    document.body.addEventListener("htmx:load", function (event) {
      prepare(event.target);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
