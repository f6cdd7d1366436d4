/*
 * Seedbox activity page: rows follow the "seedbox.torrent.*" events live (each event re-reads that
 * torrent from the API, so the row always shows the stored truth); retry / ignore / remove call the API;
 * "Add and retry" on an import_blocked row adds its series/movie to Sonarr/Radarr (seedbox/arr.js) and
 * sends it back to import. A series row opens the series dialog (data-series-tvdb, seedbox/series.js).
 */
(function () {
  "use strict";
  var table = document.getElementById("torrents");
  var api = table.getAttribute("data-api").replace(/\/$/, "");
  var request = window.MediaSuiteRequest;
  var RETRYABLE = ["failed", "import_blocked"];

  function human(bytes) {
    var units = ["B", "KB", "MB", "GB", "TB"], i = 0;
    while (bytes >= 1024 && i < units.length - 1) { bytes /= 1024; i++; }
    return bytes.toFixed(i ? 1 : 0) + " " + units[i];
  }

  function cell(text) { var td = document.createElement("td"); td.textContent = text; return td; }

  function newRow(t) {
    var template = table.querySelector("tbody tr[data-torrent]");
    var empty = table.querySelector("tr[data-role=empty]");
    if (empty) empty.remove();
    var row;
    if (template) {
      row = template.cloneNode(true);
    } else {
      row = document.createElement("tr");
      row.innerHTML = '<td><div class="fw-semibold text-break" data-role="name"></div><code class="small text-secondary" data-role="hash"></code></td>' +
        '<td data-role="media"></td><td><span class="badge" data-role="state"></span><div class="small text-danger" data-role="reason"></div></td>' +
        '<td><div class="progress"><div class="progress-bar" data-role="remote"></div></div></td>' +
        '<td><div class="progress"><div class="progress-bar bg-info" data-role="transfer"></div></div><div class="small text-secondary" data-role="speed"></div></td>' +
        '<td class="text-nowrap"><button type="button" class="btn btn-sm btn-outline-primary" data-action="retry">Retry</button> ' +
        '<button type="button" class="btn btn-sm btn-outline-warning" data-action="resolve">Add and retry</button> ' +
        '<button type="button" class="btn btn-sm btn-outline-secondary" data-action="ignore">Ignore</button> ' +
        '<button type="button" class="btn btn-sm btn-outline-danger" data-action="remove">Remove</button></td>';
    }
    row.setAttribute("data-torrent", t.id);
    var code = row.querySelector("code");
    if (code) code.textContent = t.infohash;
    table.querySelector("tbody").prepend(row);
    return row;
  }

  function render(t) {
    var row = table.querySelector('tr[data-torrent="' + t.id + '"]') || newRow(t);
    row.querySelector("[data-role=name]").textContent = t.name || t.infohash;
    var media = row.querySelector("[data-role=media]");
    var trailer = media.querySelector(".trailer-btn");
    var key = t.media_type + ":" + (t.media_type === "movie" ? t.tmdb_id : t.tvdb_id);
    media.textContent = (t.title || "") + (t.year ? " (" + t.year + ")" : "") + " · " + t.media_type + " ";
    if (window.MediaSuiteSeries && t.media_type === "series" && t.tvdb_id) {
      media.appendChild(window.MediaSuiteSeries.button(t));
      media.appendChild(document.createTextNode(" "));
    }
    if (trailer && trailer.getAttribute("data-trailer-key") === key) {
      media.appendChild(trailer);  // keeps its live status
    } else if (window.MediaSuiteTrailers) {
      media.appendChild(window.MediaSuiteTrailers.button(
        {media_type: t.media_type, tmdb_id: t.tmdb_id, tvdb_id: t.tvdb_id, title: t.title, year: t.year}, true));
    }
    var badge = row.querySelector("[data-role=state]");
    window.MediaSuite.setState(badge, t.state);
    row.querySelector("[data-role=reason]").textContent = t.reason || "";
    [["remote", t.remote_progress], ["transfer", t.transfer_progress]].forEach(function (bar) {
      var el = row.querySelector("[data-role=" + bar[0] + "]");
      el.style.width = bar[1] + "%";
      el.textContent = bar[1] + "%";
    });
    var speed = "";
    if (t.state === "transferring" && t.transfer_rate) {
      speed = human(t.transferred_bytes) + " · " + human(t.transfer_rate) + "/s" +
        (t.transfer_eta !== null ? " · ETA " + t.transfer_eta + " s" : "");
    } else if (t.state === "downloading" && t.down_rate) {
      speed = human(t.down_rate) + "/s on the seedbox";
    }
    row.querySelector("[data-role=speed]").textContent = speed;
    row.querySelector("[data-action=retry]").hidden = RETRYABLE.indexOf(t.state) < 0;
    row.querySelector("[data-action=resolve]").hidden = t.state !== "import_blocked";
    row.setAttribute("data-media-type", t.media_type);
  }

  var pending = {};
  function refresh(id) {
    if (pending[id]) return;
    pending[id] = setTimeout(function () {
      delete pending[id];
      request("GET", api + "/" + id).then(render, function (error) {
        if (error.status !== 404) return showError(error.message);
        var row = table.querySelector('tr[data-torrent="' + id + '"]');
        if (row) row.remove();
      });
    }, 150);
  }

  window.MediaSuiteLive.on("seedbox.torrent.", function (event) { refresh(event.subject_id); });

  function showError(message) {
    var box = document.getElementById("action-error");
    box.textContent = message;
    box.hidden = !message;
  }

  table.addEventListener("click", function (e) {
    var button = e.target.closest("button[data-action]");
    if (!button) return;
    var id = button.closest("tr").getAttribute("data-torrent");
    var verb = button.getAttribute("data-action");
    if (verb === "resolve") return openResolve(button.closest("tr"));
    if (verb === "remove" && !window.confirm("Erase this torrent from rTorrent? Its data stays on the seedbox.")) return;
    var url = verb === "remove" ? api + "/" + id : api + "/" + id + "/" + verb;
    request(verb === "remove" ? "DELETE" : "POST", url).then(function () { showError(""); refresh(id); },
                                                              function (error) { showError(error.message); });
  });

  // Resolve an import_blocked torrent whose media is missing: add it to Sonarr/Radarr, then retry.
  var resolveEl = document.getElementById("resolve-modal");
  var resolveDialog = new bootstrap.Modal(resolveEl);
  var resolveFields = resolveEl.querySelector("[data-role=add-fields]");
  var resolving = null;

  function resolveError(message) {
    var box = resolveEl.querySelector("[data-role=error]");
    box.textContent = message || "";
    box.hidden = !message;
  }

  function openResolve(row) {
    resolving = row.getAttribute("data-torrent");
    var type = row.getAttribute("data-media-type") || (row.querySelector("[data-series-tvdb]") ? "series" : "movie");
    resolveEl.querySelector("[data-role=what]").textContent = row.querySelector("[data-role=media]").textContent.trim() +
      ": " + row.querySelector("[data-role=reason]").textContent;
    resolveError("");
    resolveEl.querySelector("[data-role=confirm]").disabled = true;
    resolveDialog.show();
    window.MediaSuiteArrAdd.show(resolveFields, type).then(function () {
      resolveEl.querySelector("[data-role=confirm]").disabled = false;
    }, function (error) { resolveError(error.message); });
  }

  resolveEl.querySelector("[data-role=confirm]").addEventListener("click", function () {
    var button = this;
    button.disabled = true;
    request("POST", api + "/" + resolving + "/resolve", window.MediaSuiteArrAdd.read(resolveFields), {timeout: 30000})
      .then(function (t) { resolveDialog.hide(); showError(""); render(t); },
            function (error) { resolveError(error.message); })
      .finally(function () { button.disabled = false; });
  });

  document.getElementById("test-connections").addEventListener("click", function () {
    var list = document.getElementById("connections");
    list.hidden = false;
    list.textContent = "Testing\u2026";
    // Each connection test may wait for its own timeout: longer than the 5 s default.
    request("GET", "/api/seedbox/connections", undefined, {timeout: 60000}).then(function (results) {
      list.textContent = "";
      results.forEach(function (c) {
        var li = document.createElement("li");
        li.className = "list-group-item small " + (c.ok ? "list-group-item-success" : "list-group-item-warning");
        li.setAttribute("data-connection", c.name);
        li.textContent = c.name + ": " + c.message;
        list.appendChild(li);
      });
    }, function (error) { list.textContent = ""; showError(error.message); });
  });
})();
