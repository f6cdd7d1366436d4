/*
 * The guide grid (/guide/): one row per channel, its programmes placed on a time line from the page's
 * "now" for the next hours, a line at the present moment, and the programme playing now marked
 * (data-now="true"). Redrawn from GET /api/channels/guide when a channel restarts, changes file or is
 * changed (live.js events), and every minute as time moves on.
 */
(function () {
  "use strict";
  var root = document.getElementById("guide");
  var source = document.getElementById("guide-data");
  if (!root || !source) return;
  var rowsEl = document.getElementById("guide-rows");
  var timesEl = document.getElementById("guide-times");
  var nowEl = document.getElementById("guide-now");
  var data = JSON.parse(source.textContent);
  var start = 0;
  var span = 1;
  var pending = null;

  function clock(ms) {
    return new Date(ms).toLocaleTimeString([], {hour: "2-digit", minute: "2-digit"});
  }

  function element(tag, className, text) {
    var el = document.createElement(tag);
    if (className) el.className = className;
    if (text !== undefined) el.textContent = text;
    return el;
  }

  function percent(ms) {
    return Math.max(0, Math.min(100, (ms - start) / span * 100));
  }

  function draw() {
    start = Date.parse(data.now);
    span = data.hours * 3600 * 1000;
    timesEl.textContent = "";
    timesEl.appendChild(element("div", "guide-label"));
    var track = element("div", "guide-track");
    var step = [300000, 600000, 1800000, 3600000].filter(function (ms) { return span / ms <= 8; })[0] || 7200000;
    for (var t = Math.ceil(start / step) * step; t < start + span; t += step) {
      var tick = element("span", "guide-tick", clock(t));
      tick.style.left = percent(t) + "%";
      track.appendChild(tick);
    }
    timesEl.appendChild(track);
    rowsEl.textContent = "";
    data.channels.forEach(function (channel) {
      var row = element("div", "guide-row");
      row.id = "guide-" + channel.name;
      row.setAttribute("data-channel", channel.name);
      var label = element("a", "guide-label text-decoration-none");
      label.href = channel.url;
      if (channel.logo) {
        var img = element("img", "guide-logo");
        img.src = channel.logo;
        img.alt = "";
        label.appendChild(img);
      }
      if (channel.number !== null) label.appendChild(element("span", "guide-number", String(channel.number)));
      label.appendChild(element("span", "guide-name", channel.title));
      row.appendChild(label);
      var lane = element("div", "guide-track");
      channel.programmes.forEach(function (item) {
        var from = Date.parse(item.start);
        var to = Date.parse(item.stop);
        if (to <= start || from >= start + span) return;
        var cell = element("a", "guide-cell");
        cell.href = item.url;
        cell.setAttribute("data-role", "programme");
        cell.setAttribute("data-start", String(from));
        cell.setAttribute("data-stop", String(to));
        cell.title = item.title + " · " + clock(from) + "–" + clock(to);
        cell.style.left = percent(from) + "%";
        cell.style.width = (percent(to) - percent(from)) + "%";
        cell.appendChild(element("span", "guide-title", item.title));
        cell.appendChild(element("span", "guide-when", clock(from)));
        lane.appendChild(cell);
      });
      row.appendChild(lane);
      rowsEl.appendChild(row);
    });
    document.getElementById("guide-empty").hidden = data.channels.length > 0;
    tick();
  }

  function tick() {
    var now = Date.now();
    nowEl.style.left = "calc(var(--guide-label) + (100% - var(--guide-label)) * " + percent(now) / 100 + ")";
    rowsEl.querySelectorAll("[data-role=programme]").forEach(function (cell) {
      var on = Number(cell.getAttribute("data-start")) <= now && now < Number(cell.getAttribute("data-stop"));
      cell.setAttribute("data-now", on ? "true" : "false");
      cell.classList.toggle("guide-on-now", on);
    });
  }

  function reload() {
    if (pending) return;
    pending = setTimeout(function () {
      pending = null;
      window.MediaSuiteRequest("GET", root.getAttribute("data-url") + "?hours=" + data.hours)
        .then(function (fresh) { data = fresh; draw(); })
        .catch(function () { /* the next event or the minute's redraw tries again */ });
    }, 200);
  }

  var REDRAW = /^channel\.(restarted|file|changed|created|deleted|files)$/;
  if (window.MediaSuiteLive) {
    window.MediaSuiteLive.on(function (event) { return REDRAW.test(event.kind); }, reload);
    window.MediaSuiteLive.on("unit.state", reload);  // a channel started or stopped
  }
  setInterval(tick, 1000);
  setInterval(reload, 60000);
  draw();
})();
