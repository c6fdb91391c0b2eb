/* The dispatch form's unit picker: filter the units as one types in the search box (the page already
   filters on the server when the search is submitted; this only saves the round trip). Names are read with
   textContent and shown or hidden, never written as HTML. */
(function () {
  "use strict";

  function filterUnits(input) {
    var query = input.value.trim().toLocaleLowerCase();
    var shown = 0;
    document.querySelectorAll("#unit-choices .unit-group").forEach(function (group) {
      var inGroup = 0;
      group.querySelectorAll("label").forEach(function (label) {
        var match = !query || label.textContent.toLocaleLowerCase().indexOf(query) >= 0;
        label.style.display = match ? "" : "none";  // CSSOM, which the CSP allows
        if (match) { inGroup += 1; }
      });
      group.style.display = inGroup ? "" : "none";
      shown += inGroup;
    });
    var none = document.getElementById("unit-none");
    if (none) { none.hidden = shown > 0; }
    var count = document.getElementById("unit-count");
    if (count) { count.textContent = query ? count.dataset.template.replace("{n}", String(shown)) : ""; }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var input = document.getElementById("unit-q");
    if (!input) { return; }
    input.addEventListener("input", function () { filterUnits(input); });
    // Enter filters here instead of reloading the page (the search button still submits, for the server's list).
    input.addEventListener("keydown", function (e) {
      if (e.key === "Enter") { e.preventDefault(); filterUnits(input); }
    });
  });
})();
