/*
 * Court page: open a session, start/stop the recording, elapsed and remaining
 * time every second, camera status every 2 s (/info), recording state live
 * from the event stream (recorder.recording.* for this session). A recording
 * that has ended closes its session (the server does): the page then shows its
 * outcome (a failure with its reason) and Start opens a new session first.
 * Badges use the shared state classes (`badge state state-<name>`).
 */
(function () {
  "use strict";
  var root = document.getElementById("court");
  if (!root) return;
  var sessionId = root.dataset.session;
  var api = window.MediaSuiteRequest;
  var recordingSession = root.dataset.recordingSession || sessionId;
  var ACTIVE = ["recording", "stopping", "finalizing"];
  var recording = null;
  var fetchedAt = 0;

  function clock(seconds) {
    seconds = Math.max(0, Math.floor(seconds));
    var h = Math.floor(seconds / 3600), m = Math.floor(seconds / 60) % 60, s = seconds % 60;
    return (h ? h + ":" + String(m).padStart(2, "0") : m) + ":" + String(s).padStart(2, "0");
  }

  function showError(message) {
    var box = document.getElementById("rec-error");
    if (!box) return;
    box.textContent = message || "";
    box.hidden = !message;
  }

  function badge(element, text, state) {
    element.textContent = text;
    element.className = "badge state state-" + state + (element.id === "camera-state" ? " ms-auto" : "");
  }

  function render() {
    var state = document.getElementById("rec-state");
    if (!state) return;
    var active = !!recording && ACTIVE.indexOf(recording.state) >= 0;
    var shown = recording ? recording.shown_state : "stopped";
    badge(state, recording ? shown : "not recording", shown);
    document.getElementById("rec-label").textContent = recording && !active ? "Last recording" : "State";
    var failure = document.getElementById("rec-failure");
    failure.textContent = recording && recording.failure ? recording.failure : "";
    failure.hidden = !failure.textContent;
    document.getElementById("start-form").hidden = active;
    document.getElementById("stop").hidden = !(recording && recording.state === "recording");
    document.getElementById("highlight").hidden = !(recording && recording.state === "recording");
    document.getElementById("highlights").textContent = recording ? recording.highlights.length : 0;
    document.getElementById("close-session").hidden = active || !sessionId;
    document.getElementById("open-session").hidden = !!sessionId;
    tick();
  }

  function sessionClosed() {
    sessionId = "";
    var preview = document.getElementById("preview");
    if (preview) preview.remove();
    document.getElementById("no-preview").hidden = false;
    document.getElementById("camera-problem").hidden = true;
    badge(document.getElementById("camera-state"), "camera: no session", "idle");
    render();
  }

  function tick() {
    if (!recording) return;
    var extra = recording.state === "recording" ? (Date.now() - fetchedAt) / 1000 : 0;
    var elapsed = recording.elapsed_seconds + extra;
    document.getElementById("elapsed").textContent = clock(elapsed);
    document.getElementById("remaining").textContent = recording.state === "recording"
      ? clock(recording.planned_seconds - elapsed) : "-";
  }

  function refresh() {
    if (!recordingSession) return;
    api("GET", "/api/video/record/status/" + recordingSession).then(function (data) {
      recording = data.recording;
      fetchedAt = Date.now();
      render();
    }).catch(function (error) { showError(error.message); });
  }

  // The camera's problem is the proxy's sentence (`message`); its technical detail goes behind "Show log".
  function cameraStatus() {
    var preview = document.getElementById("preview");
    var element = document.getElementById("camera-state");
    if (!preview) return;
    api("GET", preview.dataset.info).then(function (info) {
        var proxy = info.proxy;
        var problem = proxy && !proxy.connected && proxy.message ? proxy.message : "";
        document.getElementById("camera-message").textContent = problem;
        document.getElementById("camera-log").textContent = problem ? proxy.last_error : "";
        document.getElementById("camera-problem").hidden = !problem;
        if (!proxy) badge(element, "camera: proxy starting", "starting");
        else if (proxy.connected) {
          badge(element, "camera: " + proxy.fps.toFixed(1) + " fps, " + proxy.reconnects + " reconnects",
                "connected");
        } else if (problem) badge(element, "camera: unreachable", "disconnected");
        else if (!proxy.consumers) badge(element, "camera: idle", "idle");
        else badge(element, "camera: connecting", "starting");
      }).catch(function () {});
  }

  // The proxy may still be starting when the page loads: retry with fresh signed URLs.
  var preview = document.getElementById("preview");
  if (preview) preview.addEventListener("error", function () {
    setTimeout(function () {
      api("GET", "/api/video/session/" + sessionId).then(function (data) {
        if (data.session.is_open) preview.src = data.session.preview.stream;
      }).catch(function () {});
    }, 1000);
  });

  function openSession() {
    return api("POST", "/api/video/session/create", {terrain_id: parseInt(root.dataset.court, 10)})
      .then(function (data) { return data.session.session_id; });
  }

  var open = document.getElementById("open-session");
  if (open) open.addEventListener("click", function () {
    openSession().then(function () { location.reload(); })
      .catch(function (error) { showError(error.message); });
  });
  if (document.getElementById("start")) {
    // Start records in the open session, or opens a new one first (the last recording closed its own).
    document.getElementById("start").addEventListener("click", function () {
      showError("");
      var minutes = parseInt(document.getElementById("duration").value, 10);
      var opened = !sessionId;
      (sessionId ? Promise.resolve(sessionId) : openSession()).then(function (id) {
        sessionId = recordingSession = id;
        return api("POST", "/api/video/record/start", {session_id: id, duration_minutes: minutes});
      }).then(function () {
        if (opened) location.reload(); else refresh();
      }).catch(function (error) { showError(error.message); });
    });
    // The answer comes once the MP4 is finalized (or the recording failed, with its reason).
    document.getElementById("stop").addEventListener("click", function () {
      var stop = document.getElementById("stop");
      stop.disabled = true;
      // The server answers once the MP4 is downloadable (up to MEDIASUITE_RECORDER_STOP_WAIT, 25 s by default).
      api("POST", "/api/video/record/stop", {session_id: recordingSession}, {timeout: 60000})
        .then(refresh).catch(function (error) { showError(error.message); })
        .then(function () { stop.disabled = false; });
    });
    document.getElementById("highlight").addEventListener("click", function () {
      api("POST", "/api/video/record/highlight", {session_id: recordingSession})
        .then(refresh).catch(function (error) { showError(error.message); });
    });
    document.getElementById("close-session").addEventListener("click", function () {
      api("POST", "/api/video/session/close", {session_id: sessionId})
        .then(function () { location.reload(); }).catch(function (error) { showError(error.message); });
    });
    if (window.MediaSuiteLive) {
      window.MediaSuiteLive.on("recorder.", function (event) {
        var id = event.payload && event.payload.session_id;
        if (!id || (id !== sessionId && id !== recordingSession)) return;
        if (event.kind === "recorder.session.closed" && id === sessionId) sessionClosed();
        else refresh();
      });
    }
    refresh();
    cameraStatus();
    setInterval(tick, 1000);
    setInterval(cameraStatus, 2000);
  }
})();
