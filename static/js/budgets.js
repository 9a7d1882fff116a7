// Budgets: the inline line editor (htmx) — Cancel on a new line removes its row, and the first field
// of a row opened for editing gets the focus. No inline scripts (CSP).
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-remove-row]");
    if (!button) return;
    event.preventDefault();
    var row = button.closest("tr");
    if (row) row.remove();
    var add = document.getElementById("add-line");
    if (add) add.focus();
  });

  // A saved line's toast arrives out of band (into the page's toast container).
  document.addEventListener("htmx:oobAfterSwap", function () {
    document.querySelectorAll(".toast[data-autoshow]").forEach(function (el) {
      el.removeAttribute("data-autoshow");
      window.bootstrap.Toast.getOrCreateInstance(el, { delay: 5000 }).show();
    });
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail && event.detail.elt ? document.querySelector(".line-editing") : null;
    if (!target) return;
    var invalid = target.querySelector(".is-invalid");
    var first = invalid || target.querySelector("input:not([type=hidden]), select, textarea");
    if (first) first.focus();
  });
})();
