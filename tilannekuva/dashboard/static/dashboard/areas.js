// The dashboard's goals open and close as <details> without any script; this only keeps the address in step
// (?auki=key1,key2), so that a shared or reloaded address opens the same goals.
(function () {
  "use strict";
  function sync() {
    var keys = [];
    document.querySelectorAll("details.focus-area[data-key]").forEach(function (area) {
      if (area.open) { keys.push(area.dataset.key); }
    });
    var url = new URL(window.location.href);
    if (keys.length) { url.searchParams.set("auki", keys.join(",")); } else { url.searchParams.delete("auki"); }
    window.history.replaceState(null, "", url.toString());
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("details.focus-area[data-key]").forEach(function (area) {
      area.addEventListener("toggle", sync);
    });
  });
})();
