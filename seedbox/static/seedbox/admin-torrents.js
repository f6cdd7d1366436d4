/* Admin torrent list: the state, transfer and reason columns follow the "seedbox.torrent.*" events. */
(function () {
  "use strict";
  function apply(event) {
    var p = event.payload || {};
    var id = event.subject_id;
    var state = document.querySelector('[data-torrent-state="' + id + '"]');
    if (state && p.state && event.kind !== "seedbox.torrent.progress") window.MediaSuite.setState(state, p.state);
    var transfer = document.querySelector('[data-torrent-transfer="' + id + '"]');
    if (transfer && p.transferred_bytes !== undefined && p.size_bytes) {
      transfer.textContent = (100 * p.transferred_bytes / p.size_bytes).toFixed(1) + "%";
    }
    var reason = document.querySelector('[data-torrent-reason="' + id + '"]');
    if (reason && p.reason !== undefined) {
      reason.textContent = p.reason;
      reason.title = p.reason;
    }
  }
  function start() { window.MediaSuiteLive.on("seedbox.torrent.", apply); }
  if (window.MediaSuiteLive) start(); else document.addEventListener("DOMContentLoaded", start);
})();
