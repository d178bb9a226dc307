// Start the design system's components, and again for fragments htmx swaps in.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    if (window.DKFDS) {
      window.DKFDS.init();
    }
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    if (window.DKFDS && event.detail && event.detail.elt && event.detail.elt.isConnected) {
      try {
        window.DKFDS.init({ scope: event.detail.elt });
      } catch (err) {
        // A fragment without DKFDS components is fine.
      }
    }
  });
})();
