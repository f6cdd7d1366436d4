// Live state column of the Recording admin: follows the recorder.recording.* events.
(function () {
  "use strict";
  document.addEventListener("mediasuite:event", function (e) {
    var event = e.detail || {};
    if (event.subject_type !== "recording" || !event.payload || !event.payload.session_id) return;
    document.querySelectorAll('[data-live-recording="' + event.payload.session_id + '"]').forEach(function (cell) {
      cell.textContent = event.payload.state;
    });
  });
})();
