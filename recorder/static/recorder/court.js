/*
 * Court page: open a session, start/stop the recording, elapsed and remaining
 * time every second, camera status every 2 s (/info), recording state live
 * from the event stream (recorder.recording.* for this session).
 */
(function () {
  "use strict";
  var root = document.getElementById("court");
  if (!root) return;
  var sessionId = root.dataset.session;
  var api = window.MediaSuiteRequest;
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

  function render() {
    var state = document.getElementById("rec-state");
    if (!state) return;
    var active = recording && ["recording", "stopping", "finalizing"].indexOf(recording.state) >= 0;
    state.textContent = recording ? recording.state : "not recording";
    state.className = "badge " + (recording && recording.state === "recording" ? "text-bg-danger"
      : active ? "text-bg-warning" : recording ? "text-bg-success" : "text-bg-secondary");
    document.getElementById("start-form").hidden = !!recording;
    document.getElementById("stop").hidden = !(recording && recording.state === "recording");
    document.getElementById("highlight").hidden = !(recording && recording.state === "recording");
    document.getElementById("highlights").textContent = recording ? recording.highlights.length : 0;
    document.getElementById("close-session").hidden = !!active;
    tick();
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
    if (!sessionId) return;
    api("GET", "/api/video/record/status/" + sessionId).then(function (data) {
      recording = data.recording;
      fetchedAt = Date.now();
      render();
    }).catch(function (error) { showError(error.message); });
  }

  function cameraStatus() {
    var preview = document.getElementById("preview");
    var badge = document.getElementById("camera-state");
    if (!preview) return;
    api("GET", preview.dataset.info).then(function (info) {
      var proxy = info.proxy;
      if (!proxy) { badge.textContent = "camera: proxy starting"; return; }
      if (!proxy.connected && !proxy.consumers) { badge.textContent = "camera: idle"; return; }
      badge.textContent = proxy.connected
        ? "camera: " + proxy.fps.toFixed(1) + " fps, " + proxy.reconnects + " reconnects"
        : "camera: disconnected (" + (proxy.last_error || "connecting") + ")";
      badge.className = "badge ms-auto " + (proxy.connected ? "text-bg-success" : "text-bg-warning");
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

  var open = document.getElementById("open-session");
  if (open) open.addEventListener("click", function () {
    api("POST", "/api/video/session/create", {terrain_id: parseInt(root.dataset.court, 10)})
      .then(function () { location.reload(); })
      .catch(function (error) { alert(error.message); });
  });
  if (sessionId) {
    document.getElementById("start").addEventListener("click", function () {
      showError("");
      var minutes = parseInt(document.getElementById("duration").value, 10);
      api("POST", "/api/video/record/start", {session_id: sessionId, duration_minutes: minutes})
        .then(refresh).catch(function (error) { showError(error.message); });
    });
    document.getElementById("stop").addEventListener("click", function () {
      api("POST", "/api/video/record/stop", {session_id: sessionId})
        .then(refresh).catch(function (error) { showError(error.message); });
    });
    document.getElementById("highlight").addEventListener("click", function () {
      api("POST", "/api/video/record/highlight", {session_id: sessionId})
        .then(refresh).catch(function (error) { showError(error.message); });
    });
    document.getElementById("close-session").addEventListener("click", function () {
      api("POST", "/api/video/session/close", {session_id: sessionId})
        .then(function () { location.reload(); }).catch(function (error) { showError(error.message); });
    });
    if (window.MediaSuiteLive) {
      window.MediaSuiteLive.on("recorder.", function (event) {
        if (event.payload && event.payload.session_id === sessionId) refresh();
      });
    }
    refresh();
    cameraStatus();
    setInterval(tick, 1000);
    setInterval(cameraStatus, 2000);
  }
})();
