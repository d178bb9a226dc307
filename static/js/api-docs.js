// Swagger UI renders a parameter's choices as a <select> without a label: name it after its
// parameter (WCAG 4.1.2), also for the parts rendered later when an operation is opened.
(function () {
  "use strict";
  function nameControls(root) {
    root.querySelectorAll("tr[data-param-name] select, tr[data-param-name] input, tr[data-param-name] textarea").forEach(function (control) {
      if (!control.hasAttribute("aria-label")) {
        control.setAttribute("aria-label", control.closest("tr").getAttribute("data-param-name"));
      }
    });
  }
  new MutationObserver(function () { nameControls(document); }).observe(document.body, { childList: true, subtree: true });
})();
