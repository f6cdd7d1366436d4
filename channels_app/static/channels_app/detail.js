/*
 * One channel's page (/channels/<name>/): the restart history and the status
 * follow the "channel.*" and "unit.*" events of this channel live (no polling).
 */
(function () {
  "use strict";

  var C = window.MediaSuiteChannels;
  var root = document.getElementById("channel-detail");
  if (!root || !C || !window.MediaSuiteLive) return;

  var channelId = root.getAttribute("data-channel-id");
  var unitId = root.getAttribute("data-unit-id");
  var kinds = root.getAttribute("data-kinds").split(",");
  var rows = document.getElementById("history-rows");
  var MAX_ROWS = 100;

  function part(role) { return root.querySelector('[data-role="' + role + '"]'); }

  function cell(text) {
    var td = document.createElement("td");
    td.textContent = text == null ? "" : String(text);
    return td;
  }

  function addRow(event) {
    if (rows.querySelector('[data-event-id="' + event.id + '"]')) return;
    var p = event.payload || {};
    var tr = document.createElement("tr");
    tr.setAttribute("data-event-id", event.id);
    tr.setAttribute("data-kind", event.kind);
    var when = document.createElement("td");
    var time = document.createElement("time");
    time.setAttribute("datetime", event.created_at);
    time.textContent = C.when(event.created_at);
    when.appendChild(time);
    tr.appendChild(when);
    tr.appendChild(cell(event.kind.replace("channel.", "")));
    var trigger = cell("");
    if (p.trigger) {
      var badge = document.createElement("span");
      badge.className = "badge";
      window.MediaSuite.setState(badge, p.trigger);
      trigger.appendChild(badge);
    }
    tr.appendChild(trigger);
    tr.appendChild(cell((p.previous ? p.previous + " \u2192 " : "") + (p.file || "")));
    tr.appendChild(cell(p.first_segment_ms != null ? p.first_segment_ms + " ms" : ""));
    tr.appendChild(cell(event.actor_name || ""));
    tr.appendChild(cell(p.reason || event.message));
    tr.classList.add("table-info");
    rows.insertBefore(tr, rows.firstChild);
    part("empty").hidden = true;
    var all = rows.querySelectorAll("tr[data-event-id]");
    for (var i = MAX_ROWS; i < all.length; i++) all[i].remove();
  }

  function showReason(sentence, log) {
    window.MediaSuite.setReason(part("error"), sentence, log);
    var none = part("no-error");
    if (none) none.hidden = Boolean(sentence);
  }

  function markCurrent(file) {
    document.querySelectorAll("#files tr[data-file]").forEach(function (tr) {
      tr.classList.toggle("table-primary", tr.getAttribute("data-file") === file);
    });
  }

  window.MediaSuiteLive.on("channel.", function (event) {
    if (event.subject_type !== "channel" || String(event.subject_id) !== channelId) return;
    var p = event.payload || {};
    if (kinds.indexOf(event.kind) >= 0) addRow(event);
    if (event.kind === "channel.restarted" || event.kind === "channel.file") {
      part("file").textContent = p.file;
      part("offset").textContent = (p.offset || 0).toFixed(1) + " s" +
        (p.duration ? " of " + Number(p.duration).toFixed(1) + " s" : "");
      markCurrent(p.file);
      showReason("", "");
    }
    if (event.kind === "channel.restarted") {
      var last = part("last-restart");
      last.setAttribute("datetime", event.created_at);
      last.textContent = C.when(event.created_at);
    }
    if (event.kind === "channel.error") showReason(p.reason, "");
    if (event.kind === "channel.file_failed") {
      var row = document.querySelector('#files tr[data-file="' + CSS.escape(p.file) + '"]');
      if (row) {
        var badge = row.querySelector('[data-role="delivery"]');
        window.MediaSuite.setState(badge, "skip");
        row.querySelector('[data-role="reason"]').textContent = p.reason;
      }
    }
    if (event.kind === "channel.viewers") {
      if (p.viewers != null) part("viewers").textContent = p.viewers;
      if (p.watchers != null) part("watchers").textContent = p.watchers;
    }
  });

  window.MediaSuiteLive.on("unit.", function (event) {
    if (event.subject_type !== "unit" || !unitId || String(event.subject_id) !== unitId) return;
    var p = event.payload || {};
    if (event.kind === "unit.state" && p.state) C.setState(part("state"), p.state);
    if (p.desired) part("desired").textContent = p.desired;
    if (event.kind === "unit.state" && (p.state === "failed" || p.state === "backoff")) {
      window.MediaSuiteRequest("GET", root.getAttribute("data-status-url")).then(function (status) {
        showReason(status.message, status.log);
      }, function (error) { showReason(error.message, ""); });
    }
  });
})();
