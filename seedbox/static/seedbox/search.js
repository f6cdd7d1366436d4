/*
 * Free search page: releases from the indexer with a checkbox each; from 2 checked the batch button
 * appears (and the single "Download" buttons are disabled); it opens the mapping dialog, which asks
 * Sonarr/Radarr (GET /api/search/lookup, ranked against the first release's name) and shows whether
 * each is in the library. A missing one is added with the root folder, quality profile, monitored and
 * "search on add" chosen there (seedbox/arr.js), in the same POST /api/seedbox/batch-download-and-map
 * that sends the releases; then the per-item report (sent and failed apart, and what was added).
 */
(function () {
  "use strict";
  var request = window.MediaSuiteRequest;
  // Searches and the batch ask the indexer, TMDB/TVDB and rTorrent: longer than the 5 s default.
  var SLOW = {timeout: 30000};
  var releases = [];
  var selected = [];
  var chosenMedia = null;
  var lookups = 0;
  var modal = new bootstrap.Modal(document.getElementById("map-modal"));
  var batchButton = document.getElementById("batch-map-btn");
  var addFields = document.querySelector("#map-add [data-role=add-fields]");

  function show(id, message) {
    var el = document.getElementById(id);
    el.textContent = message || "";
    el.hidden = !message;
  }

  function checked() {
    return Array.prototype.map.call(document.querySelectorAll(".release-checkbox:checked"), function (box) {
      return releases[parseInt(box.value, 10)];
    });
  }

  function updateBatchActions() {
    var count = checked().length;
    batchButton.hidden = count < 2;
    batchButton.querySelector("[data-role=count]").textContent = count;
    document.querySelectorAll(".release-map-btn").forEach(function (b) { b.disabled = count >= 2; });
  }

  document.getElementById("release-search").addEventListener("submit", function (e) {
    e.preventDefault();
    var q = document.getElementById("release-query").value;
    var type = document.getElementById("release-type").value;
    show("search-error", "");
    var url = "/api/seedbox/releases?q=" + encodeURIComponent(q) + "&type=" + type;
    request("GET", url, undefined, SLOW).then(function (found) {
      releases = found;
      var body = document.querySelector("#releases tbody");
      body.textContent = "";
      found.forEach(function (r, i) {
        var row = document.createElement("tr");
        row.innerHTML = '<td><input type="checkbox" class="form-check-input release-checkbox"></td><td class="text-break"></td>' +
          '<td></td><td></td><td><button type="button" class="btn btn-sm btn-outline-success release-map-btn">Download</button></td>';
        var box = row.querySelector(".release-checkbox");
        box.value = i;
        box.setAttribute("aria-label", "select " + r.title);
        row.children[1].textContent = r.title;
        row.children[2].textContent = (r.size / 1048576).toFixed(1) + " MB";
        row.children[3].textContent = r.seeders;
        row.querySelector(".release-map-btn").addEventListener("click", function () { openMap([r]); });
        body.appendChild(row);
      });
      document.getElementById("releases").hidden = false;
      updateBatchActions();
    }).catch(function (err) { show("search-error", err.message); });
  });

  document.getElementById("releases").addEventListener("change", updateBatchActions);
  batchButton.addEventListener("click", function () { openMap(checked()); });

  function openMap(items) {
    selected = items;
    choose(null);
    document.getElementById("media-results").textContent = "";
    document.querySelector("#map-modal [data-role=count]").textContent = items.length;
    document.getElementById("media-query").value = document.getElementById("release-query").value;
    show("map-error", "");
    modal.show();
    lookup();
  }

  function choose(media) {
    chosenMedia = media;
    var confirm = document.getElementById("map-confirm");
    confirm.disabled = !media;
    var service = document.getElementById("release-type").value === "movie" ? "Radarr" : "Sonarr";
    addFields.hidden = true;
    confirm.textContent = "Send to the seedbox";
    if (media && !media.in_library) {
      confirm.textContent = "Add to " + service + " and send";
      confirm.disabled = true;
      window.MediaSuiteArrAdd.show(addFields, media.media_type).then(function () {
        confirm.disabled = chosenMedia !== media;
      }, function (err) { show("map-error", err.message); });
    }
  }

  function resultItem(m, list) {
    var item = document.createElement("div");
    item.className = "list-group-item d-flex align-items-start gap-2";
    if (m.poster) {
      var img = document.createElement("img");
      img.src = m.poster;
      img.alt = "";
      img.className = "rounded flex-shrink-0";
      img.style.cssText = "width: 2.5rem; height: 3.75rem; object-fit: cover";
      img.addEventListener("error", function () { img.remove(); });
      item.appendChild(img);
    }
    var pick = document.createElement("button");
    pick.type = "button";
    pick.className = "btn btn-link text-start text-reset text-decoration-none flex-grow-1 p-0 media-choice";
    var name = document.createElement("div");
    name.className = "fw-semibold";
    name.textContent = m.title + (m.year ? " (" + m.year + ")" : "") + " \u00b7 " +
      (m.media_type === "movie" ? "TMDB " + m.tmdb_id : "TVDB " + m.tvdb_id) + " ";
    var service = m.media_type === "movie" ? "Radarr" : "Sonarr";
    var state = document.createElement("span");
    state.className = "badge " + (m.in_library ? "text-bg-success" : "text-bg-warning");
    state.textContent = m.in_library ? "in " + service : "not in " + service;
    name.appendChild(state);
    var overview = document.createElement("div");
    overview.className = "small opacity-75 text-truncate";
    overview.style.maxWidth = "36rem";
    overview.textContent = m.overview;
    pick.appendChild(name);
    pick.appendChild(overview);
    pick.addEventListener("click", function () {
      list.querySelectorAll(".active").forEach(function (a) { a.classList.remove("active"); });
      item.classList.add("active");
      choose(m);
    });
    item.appendChild(pick);
    var tools = document.createElement("div");
    tools.className = "d-flex gap-1 flex-shrink-0";
    if (window.MediaSuiteSeries && m.media_type === "series" && m.in_library) {
      tools.appendChild(window.MediaSuiteSeries.button(m));
    }
    if (window.MediaSuiteTrailers) tools.appendChild(window.MediaSuiteTrailers.button(m));
    item.appendChild(tools);
    return item;
  }

  function lookup() {
    var term = document.getElementById("media-query").value;
    var type = document.getElementById("release-type").value;
    if (!term) return;
    var url = "/api/search/lookup?type=" + type + "&term=" + encodeURIComponent(term) +
      "&release=" + encodeURIComponent(selected.length ? selected[0].title : term);
    var list = document.getElementById("media-results");
    var mine = ++lookups;
    show("map-error", "");
    request("GET", url, undefined, SLOW).then(function (found) {
      if (mine !== lookups) return;  // a newer lookup was asked meanwhile: its answer is the one shown
      list.textContent = "";
      choose(null);
      found.forEach(function (m) { list.appendChild(resultItem(m, list)); });
      if (!found.length) show("map-error", "Nothing found; try another title, or tvdb:ID / tmdb:ID.");
    }).catch(function (err) { if (mine === lookups) show("map-error", err.message); });
  }

  document.getElementById("media-search").addEventListener("submit", function (e) {
    e.preventDefault();
    lookup();
  });

  // The series dialog replaces the mapping dialog while it is open (Bootstrap shows one at a time).
  document.getElementById("map-modal").addEventListener("click", function (e) {
    if (!e.target.closest("[data-series-tvdb]")) return;
    modal.hide();
    document.getElementById("series-modal").addEventListener("hidden.bs.modal", function () { modal.show(); },
                                                             {once: true});
  });

  document.getElementById("map-confirm").addEventListener("click", function () {
    var button = this;
    button.disabled = true;
    var body = {media_type: chosenMedia.media_type, tmdb_id: chosenMedia.tmdb_id, tvdb_id: chosenMedia.tvdb_id,
                title: chosenMedia.title, year: chosenMedia.year,
                releases: selected.map(function (r) {
                  return {title: r.title, magnet: r.magnet, link: r.link, guid: r.guid, size: r.size,
                          seeders: r.seeders, infohash: r.infohash};
                })};
    if (!chosenMedia.in_library) body.add = window.MediaSuiteArrAdd.read(addFields);
    request("POST", "/api/seedbox/batch-download-and-map", body, SLOW).then(function (answer) {
      modal.hide();
      report(answer);
    }).catch(function (err) { show("map-error", err.message); button.disabled = false; });
  });

  function report(answer) {
    var ok = document.getElementById("batch-ok");
    var failed = document.getElementById("batch-failed");
    ok.textContent = "";
    failed.textContent = "";
    var added = document.getElementById("batch-added");
    added.hidden = !answer.added;
    added.textContent = answer.added ? "Added " + answer.added.title + " to " +
      (chosenMedia.media_type === "movie" ? "Radarr" : "Sonarr") + (answer.failed ? "; it stays added." : ".") : "";
    answer.items.forEach(function (item) {
      var li = document.createElement("li");
      li.className = "list-group-item small";
      li.textContent = item.title + ": " + item.message;
      (item.status === "ok" ? ok : failed).appendChild(li);
    });
    document.getElementById("batch-report").hidden = false;
  }
})();
