// Initiative library, "Add from library": select every template shown, and say how many are chosen.
(function () {
  "use strict";

  function boxes(form) {
    return Array.prototype.slice.call(form.querySelectorAll("input[name='templates']"));
  }

  function update(form) {
    var all = boxes(form);
    var chosen = all.filter(function (b) { return b.checked; }).length;
    var count = document.getElementById("chosen-count");
    if (count) count.textContent = chosen === 0 ? "No template chosen yet." : (chosen === 1 ? "1 template chosen." : chosen + " templates chosen.");
    var button = document.getElementById("add-templates");
    if (button) button.textContent = chosen > 1 ? "Add " + chosen + " to roadmap" : "Add to roadmap";
    var toggle = form.querySelector("[data-select-all]");
    if (toggle) {
      toggle.checked = all.length > 0 && chosen === all.length;
      toggle.indeterminate = chosen > 0 && chosen < all.length;
    }
  }

  document.addEventListener("change", function (event) {
    var form = event.target.form;
    if (!form || form.id !== "add-from-library") return;
    if (event.target.matches("[data-select-all]")) {
      boxes(form).forEach(function (b) { b.checked = event.target.checked; });
    }
    update(form);
  });

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("add-from-library");
    if (form) update(form);
  });
})();
