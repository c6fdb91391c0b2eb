/* Upload progress of the import form (htmx sends it with XMLHttpRequest): a bar and its text for screen readers. */
(function () {
  "use strict";
  var form = document.getElementById("import-form"), box = document.getElementById("upload-progress");
  var bar = document.getElementById("upload-bar"), text = document.getElementById("upload-text");
  var last = -1;
  function say(message) { if (text.textContent !== message) { text.textContent = message; } }
  form.addEventListener("htmx:xhr:loadstart", function () {
    box.hidden = false; bar.value = 0; last = -1; say(box.dataset.progress.replace("{pct}", "0%"));
  });
  form.addEventListener("htmx:xhr:progress", function (evt) {
    if (!evt.detail.lengthComputable || !evt.detail.total) { bar.removeAttribute("value"); return; }
    var pct = Math.round(100 * evt.detail.loaded / evt.detail.total);
    bar.value = pct;
    if (pct === 100) { say(box.dataset.checking); }
    else if (pct - last >= 10) { last = pct; say(box.dataset.progress.replace("{pct}", pct + "%")); }
  });
  form.addEventListener("htmx:afterRequest", function () { bar.value = 100; say(box.dataset.done); });
})();
