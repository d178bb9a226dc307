// A filter box for a long list of checkboxes grouped in fieldsets (the tender form's working
// group). Without JavaScript the grouped list works as it is; with it, typing hides the
// checkboxes (and groups) that do not match, and a live region says how many are shown.
(function () {
  "use strict";
  function normalise(text) {
    return text.toLocaleLowerCase("da").normalize("NFKD");
  }
  function setUp(root) {
    var box = root.querySelector("[data-choice-filter-box]");
    var input = root.querySelector("[data-choice-filter-input]");
    var status = root.querySelector("[data-choice-filter-status]");
    var items = Array.prototype.slice.call(root.querySelectorAll("[data-choice-filter-item]"));
    var groups = Array.prototype.slice.call(root.querySelectorAll("[data-choice-filter-group]"));
    if (!box || !input || items.length === 0) {
      return;
    }
    box.hidden = false;
    input.addEventListener("input", function () {
      var words = normalise(input.value).split(/\s+/).filter(Boolean);
      var shown = 0;
      items.forEach(function (item) {
        var text = normalise(item.getAttribute("data-choice-filter-text") || "");
        var checked = item.querySelector("input:checked") !== null;
        var match = checked || words.every(function (w) { return text.indexOf(w) !== -1; });
        item.hidden = !match;
        if (match) { shown += 1; }
      });
      groups.forEach(function (group) {
        group.hidden = group.querySelector("[data-choice-filter-item]:not([hidden])") === null;
      });
      status.textContent = words.length === 0 ? "" : status.getAttribute("data-template")
        .replace("__shown__", shown).replace("__total__", items.length);
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-choice-filter]").forEach(setUp);
  });
})();
