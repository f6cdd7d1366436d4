/* Admin trailer list: the status column follows the "trailer.*" events (colour of the status, as the buttons). */
(function () {
  "use strict";
  var COLOURS = {LOCKED: "#198754", UNLOCKED: "#0d6efd", NONE: "#dc3545"};
  function apply(event) {
    var p = event.payload || {};
    var cell = document.querySelector('[data-trailer-status="' + event.subject_id + '"]');
    if (!cell || !COLOURS[p.status]) return;
    cell.textContent = p.status;
    cell.style.color = COLOURS[p.status];
  }
  function start() { window.MediaSuiteLive.on("trailer.", apply); }
  if (window.MediaSuiteLive) start(); else document.addEventListener("DOMContentLoaded", start);
})();
