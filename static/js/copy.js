// <button data-copy-target="input-id" data-copied-text="Copied">: copies the input's value. No inline scripts (CSP).
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy-target]");
    if (!button) return;
    var input = document.getElementById(button.dataset.copyTarget);
    if (!input) return;
    input.select();
    var done = function () {
      button.dataset.originalHtml = button.dataset.originalHtml || button.innerHTML;
      button.textContent = button.dataset.copiedText || "Copied";
      window.setTimeout(function () { button.innerHTML = button.dataset.originalHtml; }, 2000);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(input.value).then(done, function () { document.execCommand("copy"); done(); });
    } else {
      document.execCommand("copy");
      done();
    }
  });
})();
