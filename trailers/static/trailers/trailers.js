/*
 * Trailers on every page of an operator (templates/trailers/_dialogs.html).
 *
 * window.MediaSuiteTrailers.button(media) -> a <button> for a media row or card, where media is
 *   {media_type, tmdb_id | tvdb_id | external_id, title, year, trailer_status}: icon bi-film, colour of
 *   its status (btn-outline-success LOCKED, btn-outline-primary UNLOCKED, btn-outline-danger NONE).
 *   A click plays the locked trailer at once, or opens the candidate dialog (player, lock buttons).
 * Every button follows the "trailer.*" events live (MediaSuiteLive), so a lock made in any tab or
 * by the bulk job repaints all of them without a reload. The navigation's "Trailers" entry opens a
 * standalone search dialog that reuses GET /api/media/search.
 */
(function () {
  "use strict";
  if (window.MediaSuiteTrailers) return;

  var LABELS = {LOCKED: "trailer locked", UNLOCKED: "trailer candidates, none locked", NONE: "no trailer yet"};
  var YOUTUBE_ID = /^[A-Za-z0-9_-]{11}$/;
  var dialogEl = document.getElementById("trailer-modal");
  var dialog = new bootstrap.Modal(dialogEl);
  var call = window.MediaSuiteRequest;
  // A search asks TMDB and YouTube, which may make it wait out a rate limit: longer than the 5 s default.
  var SEARCH = {timeout: 30000};
  var current = null;  // the media shown in the dialog
  var reopen = null;  // the dialog the trailer dialog replaced (Bootstrap shows one at a time)

  function keyOf(media) {
    var id = media.external_id;
    if (id === undefined || id === null) id = media.media_type === "movie" ? media.tmdb_id : media.tvdb_id;
    return media.media_type + ":" + id;
  }

  function mediaUrl(media) { return "/api/trailers/" + keyOf(media).replace(":", "/"); }

  function paint(button, status) {
    Array.prototype.slice.call(button.classList).forEach(function (cls) {
      if (cls.indexOf("btn-outline-") === 0) button.classList.remove(cls);
    });
    button.classList.add("btn-outline-" + window.MediaSuite.stateLevel(status || "NONE"));
    button.setAttribute("data-trailer-status", status);
    button.title = LABELS[status] || LABELS.NONE;
  }

  function setStatus(key, status) {
    document.querySelectorAll('.trailer-btn[data-trailer-key="' + key + '"]').forEach(function (b) {
      paint(b, status);
    });
  }

  function wire(b, media) {
    b.trailerMedia = media;
    b.addEventListener("click", function (e) {
      e.preventDefault();
      e.stopPropagation();
      open(b.trailerMedia, b.getAttribute("data-trailer-status"));
    });
  }

  // `lookUp`: the status is not known yet (a row added live): ask the API once.
  function button(media, lookUp) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "btn btn-sm trailer-btn";
    b.innerHTML = '<i class="bi bi-film"></i>';
    b.setAttribute("data-trailer-key", keyOf(media));
    b.setAttribute("aria-label", "Trailer of " + (media.title || keyOf(media)));
    wire(b, {media_type: media.media_type, external_id: keyOf(media).split(":")[1],
             title: media.title || "", year: media.year || null});
    paint(b, media.trailer_status || "NONE");
    if (lookUp) {
      call("GET", mediaUrl(b.trailerMedia)).then(function (info) { paint(b, info.status); })
        .catch(function () {});
    }
    return b;
  }

  // Buttons rendered by the server (templates/trailers/_button.html).
  document.querySelectorAll(".trailer-btn[data-trailer-key]").forEach(function (b) {
    var key = b.getAttribute("data-trailer-key").split(":");
    wire(b, {media_type: key[0], external_id: key[1], title: b.getAttribute("data-title") || "",
             year: parseInt(b.getAttribute("data-year"), 10) || null});
  });

  function show(id, message) {
    var el = document.getElementById(id);
    el.textContent = message || "";
    el.hidden = !message;
  }

  function play(video) {
    var player = document.getElementById("trailer-player");
    var playing = player.firstElementChild;
    if (video && playing && playing.getAttribute("data-video-id") === video.video_id) return;
    player.textContent = "";
    if (!video) { player.hidden = true; return; }
    var el;
    if (YOUTUBE_ID.test(video.video_id) && (!video.url || video.url.indexOf("youtube.com") !== -1)) {
      el = document.createElement("iframe");
      el.src = "https://www.youtube-nocookie.com/embed/" + video.video_id + "?autoplay=1";
      el.allow = "autoplay; encrypted-media; picture-in-picture";
      el.allowFullscreen = true;
    } else {
      el = document.createElement("video");
      el.src = video.url;
      el.controls = true;
      el.autoplay = true;
    }
    el.setAttribute("data-video-id", video.video_id);
    el.title = video.title || video.video_id;
    player.appendChild(el);
    player.hidden = false;
  }

  function duration(seconds) {
    if (seconds === null || seconds === undefined) return "";
    var m = Math.floor(seconds / 60), s = seconds % 60;
    return m + ":" + (s < 10 ? "0" : "") + s;
  }

  function candidateRow(video) {
    var row = document.createElement("div");
    row.className = "list-group-item d-flex align-items-center gap-3 trailer-candidate";
    row.setAttribute("data-video-id", video.video_id);
    row.innerHTML = '<img alt="" width="120" height="68" class="rounded bg-secondary-subtle object-fit-cover">' +
      '<div class="flex-grow-1"><div class="fw-semibold" data-role="title"></div>' +
      '<div class="small text-secondary" data-role="meta"></div></div>' +
      '<button type="button" class="btn btn-sm btn-outline-secondary" data-action="play"><i class="bi bi-play"></i> Play</button>' +
      '<button type="button" class="btn btn-sm btn-success" data-action="lock"><i class="bi bi-lock"></i> Lock</button>';
    if (video.thumbnail) row.querySelector("img").src = video.thumbnail; else row.querySelector("img").remove();
    row.querySelector("[data-role=title]").textContent = video.title || video.video_id;
    row.querySelector("[data-role=meta]").textContent =
      [video.channel, duration(video.duration), video.source].filter(Boolean).join(" · ");
    row.querySelector("[data-action=play]").addEventListener("click", function () { play(video); });
    row.querySelector("[data-action=lock]").addEventListener("click", function () { lock(video.video_id); });
    return row;
  }

  function render(info) {
    var status = info.status;
    setStatus(keyOf(info), status);
    var badge = document.getElementById("trailer-status");
    window.MediaSuite.setState(badge, status, status);
    badge.setAttribute("data-status", status);
    show("trailer-loading", "");
    var list = document.getElementById("trailer-candidates");
    list.textContent = "";
    info.candidates.forEach(function (video) { list.appendChild(candidateRow(video)); });
    document.getElementById("trailer-empty").hidden = status !== "NONE";
    document.getElementById("trailer-unlock").hidden = status !== "LOCKED";
    document.getElementById("trailer-research").hidden = status === "LOCKED";
    var downloads = dialogEl.getAttribute("data-download") === "on";
    document.getElementById("trailer-download-btn").hidden = !(downloads && status === "LOCKED");
    show("trailer-download", downloadText(info));
    if (status === "LOCKED") play(info.locked);
  }

  function downloadText(info) {
    if (!info.download_state || info.download_state === "idle") return "";
    return "Download: " + info.download_state + " (" + Math.round(info.download_progress) + "%)" +
      (info.download_path ? " \u00b7 " + info.download_path : "");
  }

  function search(force) {
    show("trailer-error", "");
    show("trailer-loading", "Searching trailers\u2026");
    return call("POST", mediaUrl(current) + "/search",
                {title: current.title || "", year: current.year || null, force: force}, SEARCH)
      .then(render)
      .catch(function (err) { show("trailer-loading", ""); show("trailer-error", err.message); });
  }

  function lock(videoId) {
    show("trailer-error", "");
    call("POST", mediaUrl(current) + "/lock", {video_id: videoId}).then(render)
      .catch(function (err) { show("trailer-error", err.message); });
  }

  function open(media, status) {
    current = media;
    dialogEl.querySelector("[data-role=media]").textContent =
      (media.title || keyOf(media)) + (media.year ? " (" + media.year + ")" : "");
    document.getElementById("trailer-candidates").textContent = "";
    show("trailer-error", "");
    show("trailer-download", "");
    play(null);
    var under = document.querySelector(".modal.show:not(#trailer-modal)");
    reopen = under ? bootstrap.Modal.getOrCreateInstance(under) : null;
    if (reopen) {
      under.addEventListener("hidden.bs.modal", function () { dialog.show(); }, {once: true});
      reopen.hide();
    } else {
      dialog.show();
    }
    if (status === "LOCKED") {
      // Instant play: one indexed lookup, then the details for the buttons.
      call("GET", "/api/agent/get_locked_trailer_id?media_type=" + media.media_type + "&external_id=" +
           keyOf(media).split(":")[1]).then(function (video) {
        if (current === media) play({video_id: video.video_id, url: video.url});
      }).catch(function () {});
      call("GET", mediaUrl(media)).then(function (info) { if (current === media) render(info); })
        .catch(function (err) { show("trailer-error", err.message); });
    } else {
      search(false);
    }
  }

  dialogEl.addEventListener("hidden.bs.modal", function () {
    play(null);
    current = null;
    if (reopen) { var back = reopen; reopen = null; back.show(); }
  });
  document.getElementById("trailer-research").addEventListener("click", function () { search(true); });
  document.getElementById("trailer-unlock").addEventListener("click", function () {
    call("POST", mediaUrl(current) + "/unlock").then(function (info) { play(null); render(info); search(false); })
      .catch(function (err) { show("trailer-error", err.message); });
  });
  document.getElementById("trailer-download-btn").addEventListener("click", function () {
    call("POST", mediaUrl(current) + "/download").then(render)
      .catch(function (err) { show("trailer-error", err.message); });
  });

  // The standalone "Trailers" dialog of the navigation: the media search with a button per result.
  document.getElementById("trailer-search-form").addEventListener("submit", function (e) {
    e.preventDefault();
    var q = document.getElementById("trailer-search-query").value;
    var type = document.getElementById("trailer-search-type").value;
    show("trailer-search-error", "");
    show("trailer-refresh-note", "");
    var url = "/api/media/search?q=" + encodeURIComponent(q) + "&type=" + type;
    call("GET", url, undefined, SEARCH).then(function (found) {
      var list = document.getElementById("trailer-search-results");
      list.textContent = "";
      results = found;
      document.getElementById("trailer-refresh-all").hidden = !found.length;
      if (!found.length) show("trailer-search-error", "Nothing found for \u201c" + q + "\u201d.");
      found.forEach(function (m) {
        var item = document.createElement("div");
        item.className = "list-group-item d-flex align-items-center gap-2 trailer-result";
        item.setAttribute("data-trailer-key", keyOf(m));
        var label = document.createElement("span");
        label.className = "flex-grow-1";
        label.textContent = m.title + (m.year ? " (" + m.year + ")" : "") + " \u00b7 " +
          (m.media_type === "movie" ? "TMDB " + m.tmdb_id : "TVDB " + m.tvdb_id);
        item.appendChild(label);
        item.appendChild(button(m));
        list.appendChild(item);
      });
    }).catch(function (err) { show("trailer-search-error", err.message); });
  });

  // Bulk re-search of what the dialog lists: one throttled background job; buttons follow live.
  var results = [];
  document.getElementById("trailer-refresh-all").addEventListener("click", function () {
    var media = results.map(function (m) {
      return {media_type: m.media_type, external_id: parseInt(keyOf(m).split(":")[1], 10), title: m.title,
              year: m.year || null};
    });
    call("POST", "/api/trailers/refresh", {media: media}).then(function (answer) {
      show("trailer-refresh-note", "Searching again for " + answer.queued + " media in the background" +
           " (locked ones are kept); the buttons follow.");
    }).catch(function (err) { show("trailer-search-error", err.message); });
  });

  function follow() {
    window.MediaSuiteLive.on("trailer.", function (event) {
      var p = event.payload || {};
      if (!p.media_type || !p.status) return;
      var key = p.media_type + ":" + p.external_id;
      setStatus(key, p.status);
      if (current && keyOf(current) === key && event.kind.indexOf("trailer.download") === 0) {
        call("GET", mediaUrl(current)).then(function (info) {
          if (current && keyOf(current) === key) show("trailer-download", downloadText(info));
        }).catch(function () {});
      }
    });
  }
  if (window.MediaSuiteLive) follow();

  window.MediaSuiteTrailers = {button: button, setStatus: setStatus, open: open};
})();
