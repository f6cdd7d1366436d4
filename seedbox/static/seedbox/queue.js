/*
 * The Sonarr and Radarr download queues on the seedbox page (GET /api/seedbox/queue): read every
 * 5 s while the page is visible (the queues live in Sonarr/Radarr, not in MediaSuite's events), with
 * "Remove" and "Remove and blocklist" per item (DELETE /api/seedbox/queue/<kind>/<id>?blocklist=).
 */
(function () {
  "use strict";
  var section = document.getElementById("arr-queues");
  if (!section) return;
  var request = window.MediaSuiteRequest;
  var EVERY = 5000;
  var table = section.querySelector("[data-role=table]");
  var empty = section.querySelector("[data-role=empty]");
  var timer = null;

  function human(bytes) {
    var units = ["B", "KB", "MB", "GB", "TB"], i = 0;
    while (bytes >= 1024 && i < units.length - 1) { bytes /= 1024; i++; }
    return bytes.toFixed(i ? 1 : 0) + " " + units[i];
  }

  function row(item, label) {
    var tr = document.createElement("tr");
    tr.setAttribute("data-queue", item.kind + "/" + item.id);
    tr.innerHTML = '<td class="text-break"><div class="fw-semibold"></div><div class="text-secondary"></div>' +
      '<div class="text-danger" data-role="warnings"></div></td><td><span class="badge"></span></td>' +
      '<td><div class="progress" role="progressbar"><div class="progress-bar"></div></div></td><td class="text-nowrap"></td>' +
      '<td class="text-nowrap"></td><td class="text-nowrap">' +
      '<button type="button" class="btn btn-sm btn-outline-secondary" data-remove="0">Remove</button> ' +
      '<button type="button" class="btn btn-sm btn-outline-danger" data-remove="1">Remove and blocklist</button></td>';
    tr.querySelector(".fw-semibold").textContent = item.title;
    tr.querySelector(".text-secondary").textContent = label + (item.media ? " \u00b7 " + item.media : "");
    tr.querySelector("[data-role=warnings]").textContent = item.warnings.join(" ");
    var status = item.tracked_status === "warning" && item.status !== "failed" ? "warning" : item.status;
    var badge = tr.querySelector(".badge");
    window.MediaSuite.setState(badge, status, item.status + (item.tracked_status === "warning" ? " (warning)" : ""));
    var bar = tr.querySelector(".progress-bar");
    bar.style.width = item.progress + "%";
    bar.textContent = item.progress + "%";
    tr.querySelector(".progress").setAttribute("aria-label", item.title + " progress");
    tr.children[3].textContent = human(item.size);
    tr.children[4].textContent = item.time_left;
    return tr;
  }

  function paint(services) {
    var body = table.tBodies[0];
    body.textContent = "";
    var notes = [];
    services.forEach(function (service) {
      if (service.error) notes.push(service.label + ": " + service.error);
      service.items.forEach(function (item) { body.appendChild(row(item, service.label)); });
    });
    table.hidden = !body.children.length;
    if (!services.length) notes.push("Neither Sonarr nor Radarr is configured (SONARR_URL, RADARR_URL).");
    else if (!body.children.length && !notes.length) notes.push("Both queues are empty.");
    empty.textContent = notes.join(" ");
    empty.className = "small " + (services.some(function (s) { return s.error; }) ? "text-danger" : "text-secondary");
    empty.hidden = !notes.length;
  }

  function refresh() {
    clearTimeout(timer);
    return request("GET", section.getAttribute("data-api"), undefined, {timeout: 30000}).then(paint, function (error) {
      empty.textContent = error.message;
      empty.className = "small text-danger";
      empty.hidden = false;
    }).finally(function () {
      if (!document.hidden) timer = setTimeout(refresh, EVERY);
    });
  }

  document.addEventListener("visibilitychange", function () { if (!document.hidden) refresh(); });

  table.addEventListener("click", function (e) {
    var button = e.target.closest("[data-remove]");
    if (!button) return;
    var key = button.closest("tr").getAttribute("data-queue");
    var blocklist = button.getAttribute("data-remove") === "1";
    if (!window.confirm(blocklist ? "Remove this download and never grab this release again?"
                                  : "Remove this download from the queue and the download client?")) return;
    button.disabled = true;
    request("DELETE", section.getAttribute("data-api") + "/" + key + "?blocklist=" + blocklist)
      .then(refresh, function (error) { empty.textContent = error.message; empty.className = "small text-danger"; empty.hidden = false; })
      .finally(function () { button.disabled = false; });
  });

  refresh();
})();
