/*
 * The series dialog (templates/seedbox/_series_dialog.html, on every page of an operator).
 *
 * Any element with data-series-tvdb="<TVDB id>" opens it, on any page (search results, seedbox
 * activity, the Plex library ...): no script of the page needs to know it. It shows the series as
 * Sonarr has it (GET /api/series_details/<id>): seasons and episodes with monitored, file, size, air
 * date and, when Plex is configured, watched; each action (monitor/unmonitor the series, a season or the selected episodes, delete
 * files, rename, search missing) is POST /api/series_details/<id> and the dialog shows Sonarr's
 * outcome, then reads the series again.
 * window.MediaSuiteSeries.open(tvdbId) opens it from a script; .button(item) makes a row's opener.
 */
(function () {
  "use strict";
  if (window.MediaSuiteSeries) return;
  var el = document.getElementById("series-modal");
  var dialog = new bootstrap.Modal(el);
  var call = window.MediaSuiteRequest;
  // Searches and renames wait for Sonarr to finish its command (ARR_COMMAND_TIMEOUT).
  var ACTION = {timeout: 90000};
  var READ = {timeout: 30000};
  var current = null;

  function part(role) { return el.querySelector("[data-role=" + role + "]"); }

  function human(bytes) {
    var units = ["B", "KB", "MB", "GB", "TB"], i = 0;
    while (bytes >= 1024 && i < units.length - 1) { bytes /= 1024; i++; }
    return bytes.toFixed(i ? 1 : 0) + " " + units[i];
  }

  function badge(text, colour) {
    var b = document.createElement("span");
    b.className = "badge " + colour;
    b.textContent = text;
    return b;
  }

  function monitoredBadge(on) { return badge(on ? "monitored" : "unmonitored", on ? "text-bg-primary" : "text-bg-secondary"); }

  function button(label, action, scope, season, colour) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "btn btn-sm " + (colour || "btn-outline-secondary");
    b.textContent = label;
    b.setAttribute("data-series-action", action);
    b.setAttribute("data-scope", scope);
    if (season !== undefined) b.setAttribute("data-season", season);
    return b;
  }

  function showOutcome(text, ok) {
    var box = part("outcome");
    box.textContent = text;
    box.className = "alert py-2 small " + (ok ? "alert-success" : "alert-danger");
    box.hidden = !text;
  }

  function selectedIds() {
    return Array.prototype.map.call(el.querySelectorAll(".episode-check:checked"), function (c) {
      return parseInt(c.value, 10);
    });
  }

  function updateSelection() {
    var count = selectedIds().length;
    part("selection").classList.toggle("d-none", count === 0);
    part("selected").textContent = count;
  }

  function seasonItem(season, open) {
    var id = "series-season-" + season.number;
    var item = document.createElement("div");
    item.className = "accordion-item";
    item.setAttribute("data-season", season.number);
    var header = document.createElement("div");
    header.className = "accordion-header d-flex flex-wrap align-items-center gap-1 p-2";
    var toggle = document.createElement("button");
    toggle.type = "button";
    toggle.className = "btn btn-link text-reset text-decoration-none fw-semibold px-1" + (open ? "" : " collapsed");
    toggle.setAttribute("data-bs-toggle", "collapse");
    toggle.setAttribute("data-bs-target", "#" + id);
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
    toggle.innerHTML = '<i class="bi bi-chevron-expand"></i> ';
    toggle.appendChild(document.createTextNode(season.number === 0 ? "Specials" : "Season " + season.number));
    header.appendChild(toggle);
    header.appendChild(monitoredBadge(season.monitored)).setAttribute("data-role", "season-monitored");
    var files = badge(season.file_count + "/" + season.episode_count + " files" + (season.size ? " \u00b7 " + human(season.size) : ""),
                      season.file_count === season.episode_count && season.episode_count ? "text-bg-success" : "text-bg-light");
    header.appendChild(files);
    if (season.watched_count !== null) {
      header.appendChild(badge(season.watched_count + " watched", season.watched_count === season.episode_count &&
                               season.episode_count ? "text-bg-info" : "text-bg-light"));
    }
    var tools = document.createElement("span");
    tools.className = "ms-auto d-flex flex-wrap gap-1";
    tools.appendChild(button(season.monitored ? "Unmonitor" : "Monitor", season.monitored ? "unmonitor" : "monitor",
                             "season", season.number));
    tools.appendChild(button("Search", "search", "season", season.number, "btn-outline-primary"));
    tools.appendChild(button("Rename", "rename", "season", season.number));
    tools.appendChild(button("Delete files", "delete_files", "season", season.number, "btn-outline-danger"));
    header.appendChild(tools);
    item.appendChild(header);

    var body = document.createElement("div");
    body.id = id;
    body.className = "accordion-collapse collapse" + (open ? " show" : "");
    var wrap = document.createElement("div");
    wrap.className = "table-responsive";
    var table = document.createElement("table");
    table.className = "table table-sm align-middle mb-0 small";
    var plex = season.watched_count !== null;
    table.innerHTML = "<thead><tr><th></th><th>#</th><th>Title</th><th>Aired</th><th>Monitored</th><th>File</th>" +
      (plex ? "<th>Plex</th>" : "") + "</tr></thead><tbody></tbody>";
    season.episodes.forEach(function (e) {
      var row = document.createElement("tr");
      row.setAttribute("data-episode", e.id);
      row.innerHTML = '<td><input type="checkbox" class="form-check-input episode-check"></td><td></td><td class="text-break"></td><td class="text-nowrap"></td><td></td><td class="text-nowrap"></td>';
      var check = row.querySelector(".episode-check");
      check.value = e.id;
      check.setAttribute("aria-label", "select episode " + e.number);
      row.children[1].textContent = e.number;
      row.children[2].textContent = e.title;
      row.children[3].textContent = e.air_date || "";
      row.children[4].appendChild(monitoredBadge(e.monitored));
      row.children[5].appendChild(e.has_file ? badge(human(e.size), "text-bg-success") : badge("missing", "text-bg-light"));
      if (plex) {
        var cell = document.createElement("td");
        cell.appendChild(e.watched ? badge("watched", "text-bg-info") : badge("unwatched", "text-bg-light"));
        row.appendChild(cell);
      }
      table.tBodies[0].appendChild(row);
    });
    wrap.appendChild(table);
    body.appendChild(wrap);
    item.appendChild(body);
    return item;
  }

  function render(series) {
    current = series;
    part("loading").hidden = true;
    part("head").classList.remove("d-none");
    part("title").textContent = series.title + (series.year ? " (" + series.year + ")" : "");
    var mon = part("monitored");
    mon.textContent = series.monitored ? "monitored" : "unmonitored";
    mon.className = "badge ms-2 " + (series.monitored ? "text-bg-primary" : "text-bg-secondary");
    var poster = part("poster");
    // d-none, and d-sm-block only with a poster that loads (phones get no poster: the width is for the list).
    poster.classList.toggle("d-sm-block", !!series.poster);
    poster.onerror = function () { poster.classList.remove("d-sm-block"); };
    if (series.poster) poster.src = series.poster;
    part("facts").textContent = ["TVDB " + series.tvdb_id, series.status, series.path].filter(Boolean).join(" \u00b7 ");
    part("overview").textContent = series.overview || "";
    var toggle = part("toggle-series");
    toggle.textContent = series.monitored ? "Unmonitor series" : "Monitor series";
    toggle.setAttribute("data-series-action", series.monitored ? "unmonitor" : "monitor");
    var trailer = part("trailer");
    trailer.textContent = "";
    if (window.MediaSuiteTrailers && series.trailer_status) trailer.appendChild(window.MediaSuiteTrailers.button(series));
    var open = Array.prototype.map.call(el.querySelectorAll(".accordion-collapse.show"), function (c) { return c.id; });
    var list = part("seasons");
    list.textContent = "";
    series.seasons.forEach(function (s) { list.appendChild(seasonItem(s, open.indexOf("series-season-" + s.number) >= 0)); });
    updateSelection();
  }

  function load(tvdbId) {
    return call("GET", "/api/series_details/" + encodeURIComponent(tvdbId), undefined, READ).then(render, function (error) {
      part("loading").hidden = true;
      var box = part("error");
      box.textContent = error.message;
      box.hidden = false;
    });
  }

  function open(tvdbId) {
    current = null;
    ["error", "outcome"].forEach(function (r) { part(r).hidden = true; });
    ["head", "selection"].forEach(function (r) { part(r).classList.add("d-none"); });
    part("loading").hidden = false;
    part("title").textContent = "Series";
    part("monitored").className = "badge ms-2";
    part("monitored").textContent = "";
    part("seasons").textContent = "";
    el.setAttribute("data-tvdb", tvdbId);
    dialog.show();
    return load(tvdbId);
  }

  el.addEventListener("change", function (e) {
    if (e.target.classList.contains("episode-check")) updateSelection();
  });

  el.addEventListener("click", function (e) {
    var b = e.target.closest("[data-series-action]");
    if (!b || !current) return;
    var action = b.getAttribute("data-series-action");
    var body = {action: action, scope: b.getAttribute("data-scope")};
    if (body.scope === "season") body.season = parseInt(b.getAttribute("data-season"), 10);
    if (body.scope === "episodes") body.episode_ids = selectedIds();
    if (action === "delete_files" && !window.confirm("Delete these files from the disk? Sonarr cannot bring them back.")) return;
    b.disabled = true;
    showOutcome("", true);
    call("POST", "/api/series_details/" + current.tvdb_id, body, ACTION).then(function (answer) {
      showOutcome(answer.command ? answer.command + ": " + answer.status + (answer.message ? " (" + answer.message + ")" : "")
                                 : answer.message, true);
      return load(current.tvdb_id);
    }, function (error) { showOutcome(error.message, false); }).finally(function () { b.disabled = false; });
  });

  document.addEventListener("click", function (e) {
    var opener = e.target.closest("[data-series-tvdb]");
    if (!opener) return;
    e.preventDefault();
    open(opener.getAttribute("data-series-tvdb"));
  });

  /* The button that opens the dialog for a series row of any page (search, activity, library). */
  function opener(item) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "btn btn-sm btn-outline-secondary series-btn";
    b.setAttribute("data-series-tvdb", item.tvdb_id);
    b.setAttribute("aria-label", "Series " + (item.title || item.tvdb_id) + " in Sonarr");
    b.innerHTML = '<i class="bi bi-tv"></i>';
    return b;
  }

  window.MediaSuiteSeries = {open: open, button: opener};
})();
