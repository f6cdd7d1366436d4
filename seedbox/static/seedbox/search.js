/*
 * Free search page: releases from the indexer with a checkbox each; from 2 checked the batch button
 * appears (and the single "Download" buttons are disabled); it opens the mapping dialog, where the
 * movie/series is picked by its external id, then POST /api/seedbox/batch-download-and-map and the
 * per-item report (sent and failed apart).
 */
(function () {
  "use strict";
  var request = window.MediaSuiteRequest;
  // Searches and the batch ask the indexer, TMDB/TVDB and rTorrent: longer than the 5 s default.
  var SLOW = {timeout: 30000};
  var releases = [];
  var selected = [];
  var chosenMedia = null;
  var modal = new bootstrap.Modal(document.getElementById("map-modal"));
  var batchButton = document.getElementById("batch-map-btn");

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
    chosenMedia = null;
    document.getElementById("map-confirm").disabled = true;
    document.getElementById("media-results").textContent = "";
    document.querySelector("#map-modal [data-role=count]").textContent = items.length;
    document.getElementById("media-query").value = document.getElementById("release-query").value;
    show("map-error", "");
    modal.show();
  }

  document.getElementById("media-search").addEventListener("submit", function (e) {
    e.preventDefault();
    var q = document.getElementById("media-query").value;
    var type = document.getElementById("release-type").value;
    var url = "/api/media/search?q=" + encodeURIComponent(q) + "&type=" + type;
    request("GET", url, undefined, SLOW).then(function (found) {
      var list = document.getElementById("media-results");
      list.textContent = "";
      found.forEach(function (m) {
        var item = document.createElement("div");
        item.className = "list-group-item d-flex align-items-center gap-2";
        var choose = document.createElement("button");
        choose.type = "button";
        choose.className = "btn btn-link text-start text-reset text-decoration-none flex-grow-1 p-0";
        choose.textContent = m.title + (m.year ? " (" + m.year + ")" : "") + " · " +
          (m.media_type === "movie" ? "TMDB " + m.tmdb_id : "TVDB " + m.tvdb_id);
        choose.addEventListener("click", function () {
          list.querySelectorAll(".active").forEach(function (a) { a.classList.remove("active"); });
          item.classList.add("active");
          chosenMedia = m;
          document.getElementById("map-confirm").disabled = false;
        });
        item.appendChild(choose);
        if (window.MediaSuiteTrailers) item.appendChild(window.MediaSuiteTrailers.button(m));
        list.appendChild(item);
      });
    }).catch(function (err) { show("map-error", err.message); });
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
    answer.items.forEach(function (item) {
      var li = document.createElement("li");
      li.className = "list-group-item small";
      li.textContent = item.title + ": " + item.message;
      (item.status === "ok" ? ok : failed).appendChild(li);
    });
    document.getElementById("batch-report").hidden = false;
  }
})();
