/*
 * Plex library page: rows from POST /api/media_items as the chosen Plex user over the chosen
 * libraries (the server remembers both), filters and sorting, row actions (watched, archive,
 * reject, move, delete from Plex) that redraw their row from the answer, bulk jobs whose progress
 * bar and report follow the worker's live events (library.bulk.*), and the archive history. Other
 * tabs' actions arrive as live events (library.item.*) and mark their rows. Requests go through
 * the core's window.MediaSuiteRequest; states are drawn with the core's state classes
 * (MediaSuite.setState). A series Sonarr has gets the series dialog's button (window.MediaSuiteSeries, drawn
 * by the shared layout's dialogs only for users who may use it).
 */
(function () {
  "use strict";
  var form = document.getElementById("library-filters");
  var body = document.querySelector("#library-table tbody");
  var modal = new bootstrap.Modal(document.getElementById("action-modal"));
  var state = {page: 1, pageSize: 100, sort: "title", direction: "asc", rows: {}, count: 0, options: null};
  var WATCHED = {watched: "watched", in_progress: "in progress", not_started: "not started"};
  // The state each row action leaves a row in, and its label.
  var DONE = {archive: ["archived", "archived"], reject: ["rejected", "rejected"], move: ["moved", "moved"],
              "delete": ["deleted", "deleted from Plex"]};
  var TIMEOUT = 120000;  // ms: an action deletes files and waits for Sonarr/Radarr and Plex
  var pending = null;

  function request(method, url, data) {
    return window.MediaSuiteRequest(method, url, data, {timeout: TIMEOUT});
  }

  function show(id, message) {
    var el = document.getElementById(id);
    el.textContent = message || "";
    el.hidden = !message;
  }

  function size(bytes) {
    if (!bytes) return "";
    var units = ["B", "KB", "MB", "GB", "TB"], i = 0;
    while (bytes >= 1024 && i < units.length - 1) { bytes /= 1024; i++; }
    return bytes.toFixed(i > 2 ? 1 : 0) + " " + units[i];
  }

  function day(seconds) {
    return seconds ? new Date(seconds * 1000).toISOString().slice(0, 10) : "";
  }

  function badge(name, text) {
    var b = document.createElement("span");
    b.className = "badge";
    window.MediaSuite.setState(b, name, text);
    return b;
  }

  function cell(row, content, classes) {
    var td = document.createElement("td");
    if (classes) td.className = classes;
    if (content instanceof Node) td.appendChild(content); else td.textContent = content == null ? "" : content;
    row.appendChild(td);
    return td;
  }

  function filters() {
    var data = {page: state.page, page_size: state.pageSize, sort: state.sort, direction: state.direction};
    var f = new FormData(form);
    data.plex_user = parseInt(f.get("plex_user"), 10) || undefined;
    data.libraries = Array.prototype.map.call(document.getElementById("f-libraries").selectedOptions,
      function (o) { return parseInt(o.value, 10); });
    ["title", "resolution", "studio", "root_folder", "watched", "date_field", "date", "genres_mode", "rating"].forEach(function (name) {
      if (f.get(name)) data[name] = f.get(name);
    });
    if (f.get("year")) data.year = parseInt(f.get("year"), 10);
    if (data.date === "range") {
      if (f.get("date_from")) data.date_from = f.get("date_from");
      if (f.get("date_to")) data.date_to = f.get("date_to");
    }
    if (f.get("genres")) data.genres = f.get("genres").split(",").map(function (g) { return g.trim(); }).filter(Boolean);
    if (f.get("collections")) data.collections = f.get("collections").split(",").map(function (c) { return c.trim(); }).filter(Boolean);
    var person = document.getElementById("f-person").value.trim();
    if (person) data[document.getElementById("f-person-role").value] = person;
    if (["gte", "lte", "eq"].indexOf(data.rating) >= 0) data.rating_value = parseFloat(f.get("rating_value"));
    return data;
  }

  function actionsMenu(item) {
    var wrap = document.createElement("div");
    wrap.className = "dropdown";
    wrap.innerHTML = '<button class="btn btn-sm btn-outline-secondary dropdown-toggle" type="button" data-bs-toggle="dropdown" aria-expanded="false">Actions</button><ul class="dropdown-menu dropdown-menu-end"></ul>';
    wrap.querySelector("button").setAttribute("aria-label", "Actions on " + item.title);
    var menu = wrap.querySelector("ul");
    var entries = [[item.watched_state === "watched" ? "Mark not watched" : "Mark watched", "watched"],
                   ["Archive", "archive"], ["Move", "move"], ["Delete from Plex", "delete"]];
    if (item.media_type === "series") entries.splice(2, 0, ["Reject", "reject"]);
    entries.forEach(function (entry) {
      var li = document.createElement("li");
      var a = document.createElement("button");
      a.type = "button";
      a.className = "dropdown-item" + (entry[1] === "delete" ? " text-danger" : "");
      a.textContent = entry[0];
      a.setAttribute("data-action", entry[1]);
      a.addEventListener("click", function () { act(item, entry[1]); });
      li.appendChild(a);
      menu.appendChild(li);
    });
    return wrap;
  }

  function drawRow(item, done) {
    var tr = document.createElement("tr");
    tr.setAttribute("data-rating-key", item.rating_key);
    var box = document.createElement("input");
    box.type = "checkbox";
    box.className = "form-check-input row-select";
    box.value = item.rating_key;
    box.setAttribute("aria-label", "Select " + item.title);
    box.addEventListener("change", selectionChanged);
    cell(tr, box);
    var poster = document.createElement("img");
    poster.loading = "lazy";
    poster.width = 34;
    poster.height = 50;
    poster.alt = "";
    poster.className = "rounded bg-secondary-subtle";
    if (item.thumb) poster.src = "/library/poster/" + item.rating_key;
    cell(tr, poster, "d-none d-md-table-cell");
    var title = document.createElement("div");
    var strong = document.createElement("span");
    strong.className = "fw-semibold";
    strong.textContent = item.title;
    title.appendChild(strong);
    var also = [item.original_title, item.sort_title].filter(function (t, i, all) {
      return t && t !== item.title && all.indexOf(t) === i;
    });
    if (also.length) {
      var small = document.createElement("div");
      small.className = "small text-secondary";
      small.textContent = also.join(" · ");
      title.appendChild(small);
    }
    if (done) title.appendChild(badge(DONE[done][0], DONE[done][1])).classList.add("ms-1");
    cell(tr, title);
    cell(tr, item.year);
    cell(tr, item.rating == null ? "" : item.rating, "d-none d-md-table-cell");
    cell(tr, item.library, "d-none d-lg-table-cell");
    cell(tr, size(item.size), "d-none d-lg-table-cell text-nowrap");
    cell(tr, day(item.added_at), "d-none d-lg-table-cell text-nowrap");
    cell(tr, day(item.last_viewed_at), "d-none d-xl-table-cell text-nowrap");
    var w = WATCHED[item.watched_state];
    var label = item.media_type === "series" ? item.watched_episodes + "/" + item.total_episodes : w;
    var watched = badge(item.watched_state, label);
    watched.setAttribute("data-role", "watched");
    watched.title = w;
    cell(tr, watched);
    cell(tr, item.incomplete == null ? "" : badge(item.incomplete ? "incomplete" : "complete"), "d-none d-xl-table-cell");
    cell(tr, item.production_status, "d-none d-xl-table-cell");
    var external = item.media_type === "movie" ? (item.tmdb_id ? "tmdb " + item.tmdb_id : "")
      : (item.tvdb_id ? "tvdb " + item.tvdb_id : "");
    cell(tr, external, "d-none d-lg-table-cell small text-nowrap");
    var last = document.createElement("div");
    last.className = "d-flex flex-wrap flex-xl-nowrap gap-1 justify-content-end";
    cell(tr, last);
    if (window.MediaSuiteSeries && item.media_type === "series" && item.tvdb_id && item.in_arr) {
      last.appendChild(window.MediaSuiteSeries.button(item));
    }
    if (window.MediaSuiteTrailers && item.trailer_status !== undefined && (item.tmdb_id || item.tvdb_id)) {
      last.appendChild(window.MediaSuiteTrailers.button(item));
    }
    last.appendChild(actionsMenu(item));
    return tr;
  }

  function replaceRow(item, done) {
    state.rows[item.rating_key] = item;
    var old = body.querySelector('tr[data-rating-key="' + item.rating_key + '"]');
    var fresh = drawRow(item, done);
    if (old) body.replaceChild(fresh, old); else body.appendChild(fresh);
  }

  function load(refresh) {
    show("library-error", "");
    var data = filters();
    if (refresh) data.refresh = true;
    return request("POST", "/api/media_items", data).then(function (page) {
      state.rows = {};
      body.textContent = "";
      state.count = page.count;
      page.results.forEach(function (item) { replaceRow(item); });
      document.getElementById("library-count").textContent = page.count + " items";
      var pages = Math.max(1, Math.ceil(page.count / state.pageSize));
      document.getElementById("page-info").textContent = "Page " + page.page + " of " + pages;
      document.getElementById("page-prev").disabled = page.page <= 1;
      document.getElementById("page-next").disabled = page.page >= pages;
      show("library-warnings", (page.warnings || []).join(" "));
      selectionChanged();
      var title = document.getElementById("f-title").value.trim();
      document.getElementById("library-suggestions").hidden = true;
      if (!page.count && title) suggest(title);
    }).catch(function (err) { show("library-error", err.message); });
  }

  function suggest(title) {
    request("GET", "/api/library/suggestions?q=" + encodeURIComponent(title)).then(function (found) {
      var archive = document.getElementById("suggest-archive");
      var list = document.getElementById("suggest-media");
      archive.textContent = "";
      list.textContent = "";
      found.archive.forEach(function (r) {
        var li = document.createElement("li");
        li.textContent = r.title + (r.year ? " (" + r.year + ")" : "") + ": " + r.action_label + " " +
          r.created_at.slice(0, 10) + (r.actor ? " by " + r.actor : "");
        archive.appendChild(li);
      });
      if (!found.archive.length) archive.appendChild(document.createTextNode("nothing"));
      found.suggestions.forEach(function (m) {
        var li = document.createElement("li");
        li.className = "list-group-item d-flex gap-2 align-items-center";
        var text = document.createElement("span");
        text.className = "me-auto";
        text.textContent = m.title + (m.year ? " (" + m.year + ")" : "") + " · " + m.media_type;
        li.appendChild(text);
        if (m.in_arr) li.appendChild(badge("in_arr", m.media_type === "movie" ? "in Radarr" : "in Sonarr"));
        if (window.MediaSuiteTrailers && m.trailer_status !== undefined) li.appendChild(window.MediaSuiteTrailers.button(m));
        list.appendChild(li);
      });
      document.getElementById("library-suggestions").hidden = false;
      show("library-warnings", (found.warnings || []).join(" "));
    }).catch(function (err) { show("library-error", err.message); });
  }

  function selected() {
    return Array.prototype.map.call(body.querySelectorAll(".row-select:checked"), function (b) {
      return parseInt(b.value, 10);
    });
  }

  function selectionChanged() {
    var count = selected().length;
    document.getElementById("bulk-selected").textContent = count + " selected";
    document.querySelectorAll("[data-bulk]").forEach(function (b) { b.disabled = count === 0; });
  }

  function plexUser() {
    return parseInt(document.getElementById("f-user").value, 10);
  }

  function act(item, action) {
    if (action === "watched") {
      request("POST", "/api/library/items/" + item.rating_key + "/watched",
              {plex_user: plexUser(), watched: item.watched_state !== "watched"})
        .then(function (answer) { replaceRow(answer.row); })
        .catch(function (err) { show("library-error", item.title + ": " + err.message); });
      return;
    }
    openDialog(action, [item]);
  }

  function openDialog(action, items) {
    pending = {action: action, items: items};
    var names = {archive: "Archive", reject: "Reject", move: "Move", "delete": "Delete from Plex"};
    document.getElementById("action-title").textContent = names[action] + " " +
      (items.length === 1 ? items[0].title : items.length + " items");
    document.getElementById("action-options").hidden = action !== "archive" && action !== "reject";
    document.getElementById("action-move").hidden = action !== "move";
    document.getElementById("opt-dry-run").checked = !!(state.options && state.options.dry_run);
    show("action-error", "");
    show("action-report", "");
    var roots = document.getElementById("opt-root");
    roots.textContent = "";
    var folders = (state.options && state.options.root_folders) || {};
    Object.keys(folders).forEach(function (kind) {
      folders[kind].forEach(function (path) {
        var o = document.createElement("option");
        o.value = path;
        o.textContent = path + " (" + kind + ")";
        roots.appendChild(o);
      });
    });
    document.getElementById("action-confirm").disabled = false;
    modal.show();
  }

  function options() {
    var action = pending.action;
    var data = {dry_run: document.getElementById("opt-dry-run").checked};
    if (action === "archive" || action === "reject") {
      data.delete_files = document.getElementById("opt-delete-files").checked;
      data.unmonitor = document.getElementById("opt-unmonitor").checked;
      data.tag = document.getElementById("opt-tag").checked;
    }
    if (action === "move") data.root_folder = document.getElementById("opt-root").value;
    return data;
  }

  function describe(report) {
    var lines = [(report.dry_run ? "Would be done (dry run): " : "Done: ") + report.title];
    (report.files || []).forEach(function (f) { lines.push("file " + f); });
    (report.folders || []).forEach(function (f) { lines.push("folder " + f); });
    if (report.to) lines.push(report.from + " -> " + report.to);
    return lines.join("\n");
  }

  document.getElementById("action-confirm").addEventListener("click", function () {
    var action = pending.action, items = pending.items, data = options();
    this.disabled = true;
    if (items.length > 1 || pending.bulk) {
      var bulkOptions = {};
      Object.keys(data).forEach(function (k) { bulkOptions[k] = data[k]; });
      request("POST", "/api/library/bulk", {action: action, plex_user: plexUser(),
        rating_keys: items.map(function (i) { return i.rating_key; }), options: bulkOptions})
        .then(function (job) { modal.hide(); follow(job); })
        .catch(function (err) { show("action-error", err.message); document.getElementById("action-confirm").disabled = false; });
      return;
    }
    data.plex_user = plexUser();
    var item = items[0];
    request("POST", "/api/library/items/" + item.rating_key + "/" + action, data).then(function (answer) {
      show("action-report", describe(answer.report));
      if (!answer.report.dry_run) replaceRow(item, action);
    }).catch(function (err) {
      show("action-error", err.message);
      document.getElementById("action-confirm").disabled = false;
    });
  });

  // A bulk job's steps arrive as live events the worker writes (library.bulk.progress: done, total
  // and the item's entry; library.bulk.done); one GET draws what it did before the page listened.
  function follow(job) {
    var box = document.getElementById("bulk-progress");
    box.hidden = false;
    var bar = box.querySelector(".progress-bar");
    var report = document.getElementById("bulk-report");
    var current = {action: job.action, total: job.total, done: 0, state: job.state, report: []};
    function draw() {
      var percent = current.total ? Math.round(100 * current.done / current.total) : 0;
      bar.style.width = percent + "%";
      box.querySelector(".progress").setAttribute("aria-valuenow", percent);
      var failed = current.report.filter(function (e) { return e && !e.ok; }).length;
      bar.className = "progress-bar bg-" + window.MediaSuite.stateLevel(failed ? "warning" : current.state);
      document.getElementById("bulk-status").textContent = current.action + ": " + current.done + " of " +
        current.total + (current.state === "done" ? " done, " + failed + " failed" : " (" + current.state + ")");
      report.textContent = "";
      current.report.forEach(function (e) {
        if (!e) return;
        var li = document.createElement("li");
        li.className = "text-" + window.MediaSuite.stateLevel(e.ok ? "done" : "failed");
        var known = state.rows[e.rating_key];
        li.textContent = (e.title || (known && known.title) || ("item " + e.rating_key)) + ": " + e.message;
        report.appendChild(li);
      });
    }
    function step(entry, done) {
      current.report[done - 1] = entry;
      current.done = Math.max(current.done, done);
      if (entry.ok && entry.message === "done" && state.rows[entry.rating_key]) {
        replaceRow(state.rows[entry.rating_key], current.action);
      }
    }
    var off = window.MediaSuiteLive.on(function (event) {
      return event.subject_type === "bulkjob" && event.subject_id === String(job.id);
    }, function (event) {
      if (event.kind === "library.bulk.progress") {
        if (current.state !== "done") current.state = "running";
        step(event.payload.entry, event.payload.done);
      } else if (event.kind === "library.bulk.done") {
        current.state = "done";
        off();
      }
      draw();
    });
    request("GET", "/api/library/bulk/" + job.id).then(function (j) {
      j.report.forEach(function (entry, i) { step(entry, i + 1); });
      if (j.state === "done") { current.state = "done"; off(); }
      else if (current.state !== "done" && current.done) current.state = "running";
      draw();
    }).catch(function (err) { show("library-error", err.message); });
    draw();
  }

  document.querySelectorAll("[data-bulk]").forEach(function (button) {
    button.addEventListener("click", function () {
      var items = selected().map(function (key) { return state.rows[key]; });
      openDialog(button.getAttribute("data-bulk"), items);
      pending.bulk = true;
    });
  });

  document.getElementById("select-all").addEventListener("change", function () {
    var on = this.checked;
    body.querySelectorAll(".row-select").forEach(function (b) { b.checked = on; });
    selectionChanged();
  });

  document.querySelectorAll("[data-sort]").forEach(function (button) {
    button.addEventListener("click", function (e) {
      e.preventDefault();
      var field = button.getAttribute("data-sort");
      state.direction = state.sort === field && state.direction === "asc" ? "desc" : "asc";
      state.sort = field;
      state.page = 1;
      load();
    });
  });

  // Search reads Plex again; paging and sorting are cut from the server's index of the view.
  form.addEventListener("submit", function (e) { e.preventDefault(); state.page = 1; load(true); });
  document.getElementById("f-date").addEventListener("change", function () {
    document.getElementById("f-range").hidden = this.value !== "range";
  });
  document.getElementById("page-prev").addEventListener("click", function () { state.page--; load(); });
  document.getElementById("page-next").addEventListener("click", function () { state.page++; load(); });

  function loadHistory() {
    var q = document.getElementById("history-q").value;
    request("GET", "/api/library/archive" + (q ? "?q=" + encodeURIComponent(q) : "")).then(function (records) {
      var tbody = document.querySelector("#history-table tbody");
      tbody.textContent = "";
      records.forEach(function (r) {
        var tr = document.createElement("tr");
        cell(tr, r.created_at.slice(0, 16).replace("T", " "), "text-nowrap");
        cell(tr, r.action_label);
        cell(tr, r.title + (r.year ? " (" + r.year + ")" : ""));
        cell(tr, r.actor, "d-none d-md-table-cell");
        cell(tr, r.watched.map(function (w) {
          return w.user + ": " + (w.total != null ? w.watched + "/" + w.total : w.state.replace("_", " "));
        }).join(", "));
        cell(tr, size(r.freed_bytes), "d-none d-md-table-cell");
        tbody.appendChild(tr);
      });
      if (!records.length) {
        var empty = document.createElement("tr");
        cell(empty, "Nothing archived" + (q ? " matches " + q : " yet") + ".").colSpan = 6;
        tbody.appendChild(empty);
      }
    }).catch(function (err) { show("library-error", err.message); });
  }
  document.getElementById("history-search").addEventListener("submit", function (e) { e.preventDefault(); loadHistory(); });
  document.getElementById("history-tab").addEventListener("shown.bs.tab", loadHistory);

  if (window.MediaSuiteLive) {
    window.MediaSuiteLive.on("library.item.", function (event) {
      var item = state.rows[event.subject_id];
      var action = event.kind.split(".").pop();
      if (item && DONE[action]) replaceRow(item, action);
      if (item && action === "watched" && event.payload.plex_user_id === plexUser()) {
        ["watched_state", "watched_episodes", "total_episodes", "last_viewed_at"].forEach(function (name) {
          item[name] = event.payload[name];
        });
        replaceRow(item);
      }
    });
  }

  // Plex not configured: the page's banner says so and links to the form; nothing to ask the server.
  if (document.querySelector('[data-role="not-configured"]')) return;
  request("GET", "/api/library/options").then(function (opts) {
    state.options = opts;
    document.getElementById("dry-run-badge").hidden = !opts.dry_run;
    var users = document.getElementById("f-user");
    opts.users.forEach(function (u) {
      var o = document.createElement("option");
      o.value = u.id;
      o.textContent = u.title + (u.owner ? " (owner)" : "");
      o.selected = u.id === opts.plex_user;
      users.appendChild(o);
    });
    var libraries = document.getElementById("f-libraries");
    opts.libraries.forEach(function (l) {
      var o = document.createElement("option");
      o.value = l.key;
      o.textContent = l.title;
      o.selected = opts.chosen_libraries.indexOf(l.key) >= 0;
      libraries.appendChild(o);
    });
    var rootFilter = document.getElementById("f-root");
    Object.keys(opts.root_folders).forEach(function (kind) {
      opts.root_folders[kind].forEach(function (path) {
        var o = document.createElement("option");
        o.value = path;
        o.textContent = path + " (" + kind + ")";
        rootFilter.appendChild(o);
      });
    });
    show("library-warnings", (opts.warnings || []).join(" "));
    return load();
  }).catch(function (err) { show("library-error", err.message); });
})();
