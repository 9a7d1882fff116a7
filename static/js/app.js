// vcio glue: toasts, confirmation modals, auto-submitting filters. No inline scripts (CSP).
(function () {
  "use strict";

  function showToasts(root) {
    root.querySelectorAll(".toast[data-autoshow]").forEach(function (el) {
      el.removeAttribute("data-autoshow");
      window.bootstrap.Toast.getOrCreateInstance(el, { delay: 5000 }).show();
    });
  }

  // <form data-confirm="What will be lost" data-confirm-title="Delete contact?" data-confirm-button="Delete">
  var pendingForm = null;
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("form[data-confirm]") || form.dataset.confirmed === "1") return;
    event.preventDefault();
    pendingForm = form;
    var modalEl = document.getElementById("confirm-modal");
    document.getElementById("confirm-modal-title").textContent = form.dataset.confirmTitle || "Are you sure?";
    document.getElementById("confirm-modal-body").textContent = form.dataset.confirm;
    document.getElementById("confirm-modal-ok").textContent = form.dataset.confirmButton || "Confirm";
    window.bootstrap.Modal.getOrCreateInstance(modalEl).show();
  }, true);

  document.addEventListener("click", function (event) {
    if (event.target.id !== "confirm-modal-ok" || !pendingForm) return;
    pendingForm.dataset.confirmed = "1";
    window.bootstrap.Modal.getOrCreateInstance(document.getElementById("confirm-modal")).hide();
    if (pendingForm.requestSubmit) pendingForm.requestSubmit(); else pendingForm.submit();
    pendingForm = null;
  });

  // <select data-autosubmit> submits its form on change.
  document.addEventListener("change", function (event) {
    if (event.target.matches("[data-autosubmit]")) event.target.form.requestSubmit();
  });

  // <a data-go-back href="fallback">: back in history when there is somewhere to go back to.
  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-go-back]");
    if (link && window.history.length > 1 && document.referrer) { event.preventDefault(); window.history.back(); }
  });

  // A form being submitted cannot be submitted twice: its submit buttons are disabled meanwhile.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || form.hasAttribute("data-no-disable") || form.matches("[hx-post],[hx-get]")) return;
    window.setTimeout(function () {
      form.querySelectorAll("button[type=submit], input[type=submit]").forEach(function (b) {
        b.disabled = true; b.setAttribute("aria-busy", "true");
      });
    }, 0);
  });
  window.addEventListener("pageshow", function () {  // coming back with the back button
    document.querySelectorAll("[aria-busy=true]").forEach(function (b) { b.disabled = false; b.removeAttribute("aria-busy"); });
  });

  document.addEventListener("DOMContentLoaded", function () { showToasts(document); });
  document.addEventListener("htmx:afterSwap", function (e) { showToasts(e.target); });
})();
