// QBR pages: inline forms (htmx) show their field errors. A form marked data-swap-errors gets its
// 400 answer (the same card with the errors) swapped in like a success. No inline scripts (CSP).
(function () {
  "use strict";
  document.addEventListener("htmx:beforeSwap", function (evt) {
    var source = evt.detail.requestConfig && evt.detail.requestConfig.elt;
    if (evt.detail.xhr.status === 400 && source && source.closest("[data-swap-errors]")) {
      evt.detail.shouldSwap = true;
      evt.detail.isError = false;
    }
  });
  // After an inline add, put the cursor back in the first field of the refreshed form.
  document.addEventListener("htmx:afterSwap", function (evt) {
    var target = evt.detail.target;
    if (!target || !target.querySelector) return;
    var field = target.querySelector("form[data-swap-errors] .is-invalid, form[data-swap-errors] input[type=text]");
    if (field && evt.detail.requestConfig && evt.detail.requestConfig.verb === "post") field.focus();
  });
})();
