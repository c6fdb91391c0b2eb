/* Upload progress of a plain multipart form (form[data-upload-progress], e.g. a notice's attachment):
   sent with XMLHttpRequest so that a bar, and a text for screen readers, can follow the upload; the
   answer then takes the page's place as the form's own submission would have (a redirect is
   followed; an error page, such as a refused file, is shown). Without these APIs the form submits as usual. */
(function () {
  "use strict";
  function wire(form) {
    var box = form.querySelector(".upload-progress");
    var bar = box.querySelector("progress"), text = box.querySelector("[role=status]");
    var button = form.querySelector("button[type=submit]");
    function say(message) { if (text.textContent !== message) { text.textContent = message; } }
    form.addEventListener("submit", function (evt) {
      if (!window.FormData || !window.XMLHttpRequest) { return; }
      evt.preventDefault();
      var xhr = new XMLHttpRequest(), last = -1;
      xhr.open("POST", form.action);
      xhr.upload.addEventListener("progress", function (e) {
        if (!e.lengthComputable || !e.total) { bar.removeAttribute("value"); return; }
        var pct = Math.round(100 * e.loaded / e.total);
        bar.value = pct;
        if (pct === 100) { say(box.dataset.checking); }
        else if (pct - last >= 10) { last = pct; say(box.dataset.progress.replace("{pct}", pct + "%")); }
      });
      xhr.addEventListener("load", function () {
        bar.value = 100;
        say(box.dataset.done);
        if (xhr.status < 400 && xhr.responseURL) {
          window.location.assign(xhr.responseURL + (form.dataset.anchor ? "#" + form.dataset.anchor : ""));
          return;
        }
        document.open();
        document.write(xhr.responseText);
        document.close();
      });
      xhr.addEventListener("error", function () {
        button.disabled = false;
        bar.value = 0;
        say(box.dataset.failed);
      });
      box.hidden = false;
      bar.value = 0;
      button.disabled = true;
      say(box.dataset.progress.replace("{pct}", "0%"));
      xhr.send(new FormData(form));
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("form[data-upload-progress]"), wire);
  });
})();
