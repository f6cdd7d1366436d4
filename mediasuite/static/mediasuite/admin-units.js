// Live state column of the Unit admin: follows the "unit.state" events that
// live.js dispatches as `mediasuite:event` on the document.
(function () {
  "use strict";

  document.addEventListener("mediasuite:event", function (e) {
    var event = e.detail || {};
    if (event.kind !== "unit.state" || event.subject_type !== "unit") {
      return;
    }
    var payload = event.payload || {};
    var id = String(event.subject_id);
    document.querySelectorAll('[data-unit-state][data-unit-id="' + id + '"]').forEach(function (cell) {
      window.MediaSuite.setState(cell, payload.state);
    });
    document.querySelectorAll('[data-unit-reason="' + id + '"]').forEach(function (cell) {
      cell.textContent = payload.reason_text || "";
      cell.title = payload.reason || "";
    });
  });
})();
