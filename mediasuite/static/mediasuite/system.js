/*
 * The System page: Update button, live progress, and the reconnection after the restart.
 *
 * - Update asks for confirmation, POSTs {"confirm": true} to /api/system/update
 *   and follows the job: its log lines arrive live (`update.*` events through
 *   live.js) and from GET /api/system/update/<id> (polled every second, which
 *   also notices when the server goes away).
 * - When the job reaches `restarting`, or the server stops answering while the
 *   job runs, an overlay covers the page and reconnect attempts start: attempt
 *   n/10 with a growing delay (2 s, 3 s, 4 s ... 10 s max), 5 s timeout each;
 *   after 10 a "Reload" button appears and attempts go on every 10 s.
 * - The page reloads exactly once, when /api/health answers with the new
 *   version (or the job has finished otherwise, e.g. rolled back).
 */
(function () {
  "use strict";

  var root = document.getElementById("system");
  if (!root) return;
  var CONFIRM = "Are you sure you want to update the application? This will restart the service.";
  var FINISHED = ["done", "rolled_back", "failed"];
  var MAX_ATTEMPTS = 10;
  var jobId = null;
  var job = null;
  var seen = {};
  var reconnecting = false;
  var reloaded = false;
  var pollTimer = null;

  function el(id) { return document.getElementById(id); }

  function jobUrl(id) { return root.getAttribute("data-update-api") + "/" + id; }

  function status(text) { el("update-status").textContent = text; }

  function addLine(message, level) {
    var item = document.createElement("li");
    if (level === "error") item.className = "text-danger";
    item.textContent = message;
    el("update-log").appendChild(item);
  }

  function render(data) {
    job = data;
    el("update-progress").hidden = false;
    el("update-job").textContent = "#" + data.job_id;
    window.MediaSuite.setState(el("update-state"), data.state);
    var log = el("update-log");
    log.textContent = "";
    (data.results || []).forEach(function (line) { addLine(line.message, line.level); });
    if (data.state === "restarting" || data.state === "verifying") status("Restarting the service\u2026");
    else if (FINISHED.indexOf(data.state) >= 0) status(data.message);
    else status("Update in progress\u2026");
  }

  function fetchJson(url, timeoutMs) {
    return window.MediaSuiteRequest("GET", url, undefined, {timeout: timeoutMs});
  }

  function reloadOnce() {
    if (reloaded) return;
    reloaded = true;
    el("reconnect-status").textContent = "Reconnected! Reloading the page\u2026";
    window.location.reload();
  }

  function startReconnect() {
    if (reconnecting) return;
    reconnecting = true;
    if (pollTimer) clearTimeout(pollTimer);
    el("restart-overlay").hidden = false;
    var attempt = 0;
    var target = job && job.to_version;

    function tryOnce() {
      attempt += 1;
      var shown = attempt <= MAX_ATTEMPTS ? attempt + "/" + MAX_ATTEMPTS : "every 10 s";
      el("reconnect-status").textContent = "Reconnecting: attempt " + shown + "\u2026";
      fetchJson(root.getAttribute("data-health"), 5000).then(function (health) {
        if (target && health.version === target) return reloadOnce();
        // Not the new version (yet): the job tells whether it is still coming.
        return fetchJson(jobUrl(jobId), 5000).then(function (data) {
          job = data;
          target = data.to_version || target;
          if (FINISHED.indexOf(data.state) >= 0 && data.state !== "done") return reloadOnce();
          if (data.state === "done" && !data.service_restart) return reloadOnce();
          schedule();
        });
      }).catch(schedule);
    }

    function schedule() {
      if (reloaded) return;
      if (attempt >= MAX_ATTEMPTS) el("reload-button").hidden = false;
      var delay = attempt >= MAX_ATTEMPTS ? 10000 : Math.min(2000 + attempt * 1000, 10000);  // 2 s, 3 s ... 10 s
      setTimeout(tryOnce, delay);
    }

    schedule();
  }

  function poll() {
    if (reconnecting || jobId === null) return;
    fetchJson(jobUrl(jobId), 5000).then(function (data) {
      render(data);
      // A page drawn by the new version (after the reload) only waits for the job to end.
      var fresh = data.to_version && data.to_version === root.getAttribute("data-running-version");
      if (data.service_restart && !fresh && (data.state === "restarting" || data.state === "verifying")) {
        return startReconnect();
      }
      if (FINISHED.indexOf(data.state) >= 0) {
        // Restarted into a version this page was not drawn by, between two polls: show it.
        if (data.state === "done" && data.service_restart && !fresh) return reloadOnce();
        el("update-button").disabled = false;
        return;
      }
      pollTimer = setTimeout(poll, 1000);
    }).catch(function () {
      // The server went away while the job runs: it is restarting.
      if (job && FINISHED.indexOf(job.state) < 0) startReconnect();
      else pollTimer = setTimeout(poll, 1000);
    });
  }

  function follow(id) {
    jobId = id;
    el("update-button").disabled = true;
    poll();
  }

  el("update-button").addEventListener("click", function () {
    if (!window.confirm(CONFIRM)) return;
    el("update-button").disabled = true;
    el("update-progress").hidden = false;
    el("update-log").textContent = "";
    status("Update in progress\u2026");
    window.MediaSuiteRequest("POST", root.getAttribute("data-update-api"), {confirm: true}).then(function (body) {
      render(body);
      status(body.message);
      follow(body.job_id);
    }).catch(function (err) {
      status("The update could not start: " + err.message);
      el("update-button").disabled = false;
    });
  });

  el("reload-button").addEventListener("click", function () { window.location.reload(); });

  if (window.MediaSuiteLive) {
    window.MediaSuiteLive.on("update.", function (event) {
      if (jobId === null || String(event.subject_id) !== String(jobId) || seen[event.id]) return;
      seen[event.id] = true;
      if (event.kind === "update.log") addLine(event.message, event.payload && event.payload.level);
      if (event.payload && event.payload.state) window.MediaSuite.setState(el("update-state"), event.payload.state);
    });
  }

  var active = root.getAttribute("data-active-job");
  if (active) follow(parseInt(active, 10));

  fetchJson(root.getAttribute("data-version-api"), 30000).then(function (data) {
    if (data.remote) {
      el("remote-version").textContent = data.remote.version;
      el("remote-date").textContent = data.remote.date;
      el("remote-subject").textContent = data.remote.subject;
    }
    el("version-error").hidden = !data.error;
    el("version-error").textContent = data.error || "";
  }).catch(function () {});
}());
