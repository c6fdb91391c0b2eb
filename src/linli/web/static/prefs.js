// The language and text-size forms return to the page as it is when they are sent: a list filtered or a
// search run by HTMX since the page loaded (its URL pushed) keeps its query string across the switch.
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (!form.matches || !form.matches("form[action^='/prefs/']")) return;
  var next = form.querySelector("input[name=next]");
  if (next) next.value = window.location.pathname + window.location.search;
});
