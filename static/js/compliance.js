// Compliance assessment tree: counts the selected items, enables the bulk buttons, selects all
// shown items, expands or collapses every group. No inline scripts (CSP).
(function () {
  "use strict";

  function boxes(form) { return Array.prototype.slice.call(form.querySelectorAll("input[name=ids]")); }

  function refresh(form) {
    var n = boxes(form).filter(function (b) { return b.checked; }).length;
    form.querySelectorAll("[data-selected-count]").forEach(function (el) {
      el.textContent = n === 1 ? "1 selected" : n + " selected";
    });
    form.querySelectorAll("[data-needs-selection]").forEach(function (el) { el.disabled = n === 0; });
  }

  document.addEventListener("change", function (event) {
    var form = event.target.closest("form[data-bulk-form]");
    if (form && event.target.name === "ids") refresh(form);
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-select]");
    if (button) {
      var form = button.closest("form[data-bulk-form]");
      var on = button.dataset.select === "all";
      boxes(form).forEach(function (b) { b.checked = on; });
      refresh(form);
      return;
    }
    var toggle = event.target.closest("[data-tree-toggle]");
    if (toggle) {
      var open = toggle.dataset.treeToggle === "open";
      document.querySelectorAll(".tree details").forEach(function (d) { d.open = open; });
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-bulk-form]").forEach(refresh);
  });
})();
