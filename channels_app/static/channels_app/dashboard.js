/*
 * The channels dashboard (/channels/): cards, actions, notifications, player.
 *
 * - Live, no polling: "channel.*" and "unit.*" events from live.js redraw the
 *   cards (state badge, current file, progress, viewers, errors) and feed the
 *   notification area, whoever caused them (this page, the API, the watchdog).
 *   A restart by a crash or the watchdog is a warning, never a success; a
 *   channel that fails shows the API's one-sentence `message`, its log lines
 *   behind a collapsed "Show log" toggle.
 * - Progress is computed here from the cursor (started_at or the event's time
 *   minus its offset) and the file's duration, and animated locally.
 * - Actions (SUPER_ADMIN): Restart (confirmation modal), Play file… (files from
 *   GET /api/channels/<name>/files), Start/Stop, Restart all. The API's 202
 *   message is shown at once; the "channel.restarted" event follows with the
 *   new file and the time to its first segment.
 * - Clicking a card plays the channel in the embedded hls.js player from
 *   /hls/<name>/live.m3u8?preview=1 (a dashboard preview counts as a watcher).
 */
(function () {
  "use strict";

  var C = window.MediaSuiteChannels;
  var request = window.MediaSuiteRequest;
  var root = document.getElementById("channels");
  if (!root || !C) return;

  var api = root.getAttribute("data-api").replace(/\/$/, "");
  var canControl = root.getAttribute("data-can-control") === "true";
  var MAX_NOTIFICATIONS = 12;
  var RUNNING = "running";

  // Client clock minus server clock, when they disagree by more than a page load could explain.
  var skew = Date.now() - Date.parse(root.getAttribute("data-server-now"));
  if (isNaN(skew) || Math.abs(skew) < 5000) skew = 0;

  var channels = {};
  var statuses = JSON.parse(document.getElementById("channel-statuses").textContent || "{}");
  Object.keys(statuses).forEach(function (name) { channels[name] = fromStatus(statuses[name]); });

  function fromStatus(status) {
    return {
      name: status.name,
      title: status.display_name || status.name,
      state: status.state,
      desired: status.desired,
      file: status.current_file,
      duration: status.duration,
      offset: status.offset || 0,
      startedAt: status.started_at ? Date.parse(status.started_at) : null,
      viewers: status.viewers,
      watchers: status.watchers,
      message: status.message,
      log: status.log,
    };
  }

  function card(name) { return document.getElementById("channel-" + name); }

  function part(el, role) { return el ? el.querySelector('[data-role="' + role + '"]') : null; }

  function position(ch) {
    if (ch.state === RUNNING && ch.startedAt) return (Date.now() - skew - ch.startedAt) / 1000;
    return ch.offset || 0;
  }

  function drawProgress(name) {
    var ch = channels[name], el = card(name);
    if (!ch || !el) return;
    var bar = part(el, "progress"), label = part(el, "position");
    if (!ch.file || !ch.duration) {
      bar.style.width = "0%";
      label.textContent = "";
      return;
    }
    var at = Math.min(Math.max(position(ch), 0), ch.duration);
    bar.style.width = (100 * at / ch.duration).toFixed(2) + "%";
    bar.classList.toggle("progress-bar-striped", ch.state === RUNNING);
    bar.classList.toggle("progress-bar-animated", ch.state === RUNNING);
    bar.classList.toggle("bg-secondary", ch.state !== RUNNING);  // stands still, greyed, unless it plays
    label.textContent = C.clock(at) + " / " + C.clock(ch.duration);
  }

  function draw(name) {
    var ch = channels[name], el = card(name);
    if (!ch || !el) return;
    C.setState(part(el, "state"), ch.state);
    part(el, "file-name").textContent = ch.file || "nothing yet";
    part(el, "file").title = ch.file || "";
    part(el, "pending").hidden = !ch.pending;
    part(el, "viewers").textContent = ch.viewers;
    part(el, "watchers").textContent = ch.watchers;
    window.MediaSuite.setReason(part(el, "error"), ch.message, ch.log, ch.state);
    var toggle = el.querySelector('[data-action="toggle"]');
    if (toggle && ch.desired) {
      var on = ch.desired === RUNNING;
      toggle.setAttribute("data-desired", ch.desired);
      toggle.textContent = on ? "Stop" : "Start";
      toggle.classList.toggle("btn-outline-danger", on);
      toggle.classList.toggle("btn-success", !on);
    }
    drawProgress(name);
  }

  Object.keys(channels).forEach(draw);
  setInterval(function () {
    Object.keys(channels).forEach(function (name) {
      if (channels[name].state === RUNNING) drawProgress(name);
    });
  }, 500);

  // -- notifications ------------------------------------------------------------------------

  var area = document.getElementById("notifications");

  function notify(level, text, attrs) {
    var box = document.createElement("div");
    box.className = "alert alert-" + level + " alert-dismissible fade show py-2 mb-2 small";
    box.setAttribute("role", level === "danger" ? "alert" : "status");
    box.setAttribute("data-role", "notification");
    Object.keys(attrs || {}).forEach(function (key) { box.setAttribute("data-" + key, attrs[key]); });
    var time = document.createElement("span");
    time.className = "text-secondary me-2";
    time.textContent = new Date().toLocaleTimeString();
    box.appendChild(time);
    box.appendChild(document.createTextNode(text));
    var close = document.createElement("button");
    close.type = "button";
    close.className = "btn-close btn-sm";
    close.setAttribute("data-bs-dismiss", "alert");
    close.setAttribute("aria-label", "Dismiss");
    box.appendChild(close);
    area.insertBefore(box, area.firstChild);
    while (area.children.length > MAX_NOTIFICATIONS) area.removeChild(area.lastChild);
    return box;
  }

  function titleOf(name) { return channels[name] ? channels[name].title : name; }

  // -- live events ----------------------------------------------------------------------------

  function on(prefix, handler) {
    if (window.MediaSuiteLive) window.MediaSuiteLive.on(prefix, handler);
  }

  on("channel.", function (event) {
    var p = event.payload || {};
    var name = p.channel;
    var ch = channels[name];
    var by = event.actor_name ? " by " + event.actor_name : "";
    switch (event.kind) {
      case "channel.restarted":
      case "channel.file":
        if (!ch) return;
        ch.file = p.file;
        ch.duration = p.duration;
        ch.offset = p.offset || 0;
        ch.startedAt = Date.parse(event.created_at) - ch.offset * 1000;
        ch.pending = false;
        ch.message = ch.log = "";
        if (ch.state !== RUNNING) ch.state = RUNNING;  // a segment is out: it plays
        draw(name);
        if (event.kind === "channel.restarted") {
          var what = p.previous === p.file ? " resumed " + p.file + " at " + C.clock(p.offset)
            : " now plays " + p.file + (p.previous ? " (was " + p.previous + ")" : "");
          notify(window.MediaSuite.stateTone(p.trigger) === "good" ? "success" : "warning",
                 "Channel " + titleOf(name) + what + " — first segment after " + p.first_segment_ms +
                 " ms; trigger: " + p.trigger + by + ".",
                 {channel: name, kind: event.kind, file: p.file, trigger: p.trigger});
          if (watching === name) watch(name);
        }
        break;
      case "channel.restart_requested":
        if (!ch) return;
        ch.pending = true;
        draw(name);
        break;
      case "channel.file_failed":
        notify("warning", "Channel " + titleOf(name) + " skipped " + p.file + ": " + p.reason,
               {channel: name, kind: event.kind});
        break;
      case "channel.error":
        if (ch) {
          ch.message = p.reason;
          ch.pending = false;
          draw(name);
        }
        notify("danger", "Channel " + titleOf(name) + " cannot play: " + p.reason, {channel: name, kind: event.kind});
        break;
      case "channel.viewers":
        if (!ch) return;
        if (p.viewers != null) ch.viewers = p.viewers;
        if (p.watchers != null) ch.watchers = p.watchers;
        draw(name);
        break;
      case "channel.created":
      case "channel.deleted":
      case "channel.changed":
        notify("info", event.message + by + ". Reload the page to see the change.", {channel: name, kind: event.kind});
        break;
      default:
        break;
    }
  });

  function byUnit(id) {
    var el = root.querySelector('[data-role="card"][data-unit-id="' + CSS.escape(String(id)) + '"]');
    return el ? el.getAttribute("data-channel") : null;
  }

  on("unit.", function (event) {
    if (event.subject_type !== "unit") return;
    var name = byUnit(event.subject_id);
    var ch = name && channels[name];
    if (!ch) return;
    var p = event.payload || {};
    if (p.desired) ch.desired = p.desired;
    if (event.kind === "unit.state" && p.state) {
      if (ch.state === RUNNING && p.state !== RUNNING) ch.offset = Math.max(position(ch), 0);
      ch.state = p.state;
      if (p.state === "failed" || p.state === "backoff") explain(name, p.state === "failed");
      else if (p.state === RUNNING) ch.message = ch.log = "";
    }
    draw(name);
  });

  // The sentence and the log lines of a channel that stopped unexpectedly come from its status.
  function explain(name, failedNow) {
    request("GET", url(name, "status")).then(function (status) {
      var ch = channels[name];
      ch.message = status.message;
      ch.log = status.log;
      draw(name);
      if (failedNow) notify("danger", status.message, {channel: name, kind: "unit.state"});
    }, failed("Reading the status of " + titleOf(name)));
  }

  // -- actions --------------------------------------------------------------------------------

  function url(name, action) { return api + "/" + encodeURIComponent(name) + (action ? "/" + action : ""); }

  function failed(what) {
    return function (error) { notify("danger", what + " failed: " + error.message, {kind: "error"}); };
  }

  function restart(name) {
    return request("POST", url(name, "restart")).then(function (body) {
      channels[name].pending = true;
      draw(name);
      notify("info", body.message, {channel: name, kind: "accepted"});
    }, failed("Restart of " + titleOf(name)));
  }

  function restartAll() {
    return request("POST", api + "/restart").then(function (body) {
      var text = "Restarting " + body.channels.length + " channel(s)" +
        (body.channels.length ? ": " + body.channels.join(", ") : "") + ".";
      var skipped = Object.keys(body.skipped || {});
      if (skipped.length) {
        text += " Skipped: " + skipped.map(function (n) { return n + " (" + body.skipped[n] + ")"; }).join("; ");
      }
      body.channels.forEach(function (name) {
        if (channels[name]) {
          channels[name].pending = true;
          draw(name);
        }
      });
      notify("info", text, {kind: "accepted"});
    }, failed("Restart all"));
  }

  function toggle(name, button) {
    var action = button.getAttribute("data-desired") === RUNNING ? "stop" : "start";
    button.disabled = true;
    request("POST", url(name, action)).then(function (status) {
      var ch = fromStatus(status);
      ch.pending = channels[name].pending;
      channels[name] = ch;
      draw(name);
      notify("info", "Channel " + titleOf(name) + ": " + (action === "start" ? "start" : "stop") +
             " requested; the supervisor acts within a second.", {channel: name, kind: "accepted"});
    }, failed((action === "start" ? "Start" : "Stop") + " of " + titleOf(name)))
      .then(function () { button.disabled = false; });
  }

  var confirmEl = document.getElementById("confirm-modal");
  var confirmAction = null;

  function confirm(title, text, label, action) {
    document.getElementById("confirm-title").textContent = title;
    document.getElementById("confirm-body").textContent = text;
    document.getElementById("confirm-ok").textContent = label;
    confirmAction = action;
    bootstrap.Modal.getOrCreateInstance(confirmEl).show();
  }

  if (confirmEl) {
    document.getElementById("confirm-ok").addEventListener("click", function () {
      var action = confirmAction;
      confirmAction = null;
      bootstrap.Modal.getOrCreateInstance(confirmEl).hide();
      if (action) action();
    });
  }

  var playEl = document.getElementById("play-modal");
  var playing = null;

  function openPlay(name) {
    playing = name;
    var select = document.getElementById("play-file");
    var help = document.getElementById("play-help");
    var ok = document.getElementById("play-ok");
    document.getElementById("play-title").textContent = "Play a file on " + titleOf(name);
    select.textContent = "";
    ok.disabled = true;
    help.textContent = "Loading the channel's files…";
    bootstrap.Modal.getOrCreateInstance(playEl).show();
    request("GET", url(name, "files")).then(function (files) {
      if (playing !== name) return;
      files.forEach(function (file) {
        var option = document.createElement("option");
        option.value = file.name;
        var label = file.name + (file.duration ? " (" + C.clock(file.duration) + ")" : "");
        if (file.delivery === "skip") label += " — skipped: " + file.reason;
        else if (file.delivery === "transcode") label += " — transcoded";
        else if (file.delivery === "audio") label += " — audio transcoded";
        option.textContent = label;
        option.disabled = file.delivery === "skip" || !file.present;
        if (file.name === channels[name].file) option.textContent += " — playing now";
        select.appendChild(option);
      });
      var first = select.querySelector("option:not([disabled])");
      if (first) select.value = first.value;
      ok.disabled = !first;
      help.textContent = files.length ? "The channel restarts on this file; the next ones follow its mode."
        : "This channel has no files.";
    }, function (error) {
      help.textContent = "Could not load the files: " + error.message;
    });
  }

  if (playEl) {
    document.getElementById("play-form").addEventListener("submit", function (e) {
      e.preventDefault();
      var name = playing;
      var file = document.getElementById("play-file").value;
      bootstrap.Modal.getOrCreateInstance(playEl).hide();
      request("POST", url(name, "play"), {file: file}).then(function (body) {
        channels[name].pending = true;
        draw(name);
        notify("info", body.message, {channel: name, kind: "accepted"});
      }, failed("Playing " + file + " on " + titleOf(name)));
    });
  }

  root.addEventListener("click", function (e) {
    var button = e.target.closest("[data-action]");
    if (button && canControl) {
      var el = button.closest('[data-role="card"]');
      var name = el && el.getAttribute("data-channel");
      var action = button.getAttribute("data-action");
      if (action === "restart") {
        confirm("Restart " + titleOf(name) + "?",
                "The channel stops, moves to its next file and starts again; viewers see the new file " +
                "after a short gap.", "Restart", function () { restart(name); });
      } else if (action === "play") {
        openPlay(name);
      } else if (action === "toggle") {
        toggle(name, button);
      } else if (action === "restart-all") {
        confirm("Restart all channels?", "Every channel moves to its next file and starts again.",
                "Restart all", restartAll);
      }
      return;
    }
    if (e.target.closest("a, button, input, select, [data-copy]")) return;
    var target = e.target.closest('[data-role="card"]');
    if (target) watch(target.getAttribute("data-channel"));
  });

  root.addEventListener("keydown", function (e) {
    if (e.key !== "Enter" && e.key !== " ") return;
    if (e.target.matches && e.target.matches('[data-role="card"]')) {
      e.preventDefault();
      watch(e.target.getAttribute("data-channel"));
    }
  });

  // -- player ---------------------------------------------------------------------------------

  var section = document.getElementById("player");
  var video = document.getElementById("player-video");
  var playerStatus = document.getElementById("player-status");
  var hls = null;
  var watching = null;
  var retries = 0;
  var MAX_RETRIES = 8;

  function say(text) { playerStatus.textContent = text; }

  function stopPlayer() {
    if (hls) {
      hls.destroy();
      hls = null;
    }
    video.removeAttribute("src");
    video.load();
  }

  function source(name) { return "/hls/" + encodeURIComponent(name) + "/live.m3u8?preview=1"; }

  function watch(name) {
    if (watching !== name) retries = 0;
    stopPlayer();
    watching = name;
    section.hidden = false;
    section.setAttribute("data-channel", name);
    document.getElementById("player-title").textContent = titleOf(name);
    root.querySelectorAll('[data-role="card"]').forEach(function (el) {
      el.classList.toggle("channel-watching", el.getAttribute("data-channel") === name);
    });
    say("Loading " + titleOf(name) + "…");
    if (window.Hls && window.Hls.isSupported()) {
      hls = new window.Hls({liveSyncDurationCount: 3, lowLatencyMode: false});
      hls.on(window.Hls.Events.MANIFEST_PARSED, function () {
        video.play().catch(function () { say("Press play to start (the browser blocked autoplay)."); });
      });
      hls.on(window.Hls.Events.ERROR, function (_, data) {
        if (!data.fatal) return;
        if (data.type === window.Hls.ErrorTypes.MEDIA_ERROR) {
          say("Media error (" + data.details + "); recovering…");
          hls.recoverMediaError();
        } else if (retries < MAX_RETRIES) {
          retries += 1;
          say("The channel is not playing yet (" + data.details + "); retrying…");
          setTimeout(function () { if (watching === name) watch(name); }, 1000 * retries);
        } else {
          say("The channel does not play. Start or restart it, then click its card again.");
        }
      });
      hls.loadSource(source(name));
      hls.attachMedia(video);
    } else if (video.canPlayType("application/vnd.apple.mpegurl")) {
      video.src = source(name);
      video.play().catch(function () { say("Press play to start."); });
    } else {
      say("This browser can play neither HLS nor Media Source Extensions; use the M3U URL in VLC.");
    }
    section.scrollIntoView({block: "nearest"});
  }

  video.addEventListener("playing", function () {
    retries = 0;
    say("Live: " + titleOf(watching) + (channels[watching] && channels[watching].file
      ? " — " + channels[watching].file : "") + ". This preview counts as a watcher.");
  });

  document.getElementById("player-close").addEventListener("click", function () {
    watching = null;
    stopPlayer();
    section.hidden = true;
    root.querySelectorAll(".channel-watching").forEach(function (el) { el.classList.remove("channel-watching"); });
  });

  window.MediaSuiteChannelsDashboard = {watch: watch, channels: channels};
})();
