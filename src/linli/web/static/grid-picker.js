/* Grid picker: typing in the name filter narrows the server-rendered list of grids at once, without a
   reload (the filter's own "Find" button reloads the list from the server, which also works without scripts). */
(function () {
  "use strict";
  document.querySelectorAll("input[data-filters]").forEach(function (input) {
    var select = document.getElementById(input.dataset.filters);
    var status = document.getElementById(input.dataset.status);
    if (!select) { return; }
    input.addEventListener("input", function () {
      var text = input.value.trim().toLowerCase(), shown = 0;
      Array.prototype.forEach.call(select.options, function (option) {
        var hide = option.value !== "" && text !== "" && option.textContent.toLowerCase().indexOf(text) < 0;
        option.hidden = hide;
        if (!hide && option.value !== "") { shown += 1; }
      });
      if (status) { status.textContent = status.dataset.shown.replace("{n}", String(shown)); }
    });
  });
})();
