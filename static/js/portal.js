// Start the design system's components once the page has loaded.
// Fragments swapped in by htmx carry no DKFDS components that need starting; calling
// DKFDS.init() again would re-run the navigation setup and duplicate its "Mere" menu.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    if (window.DKFDS) {
      window.DKFDS.init();
    }
  });
})();
