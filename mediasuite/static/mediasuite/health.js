/*
 * What needs attention, live: the navigation badge (#health-badge, every page of a super admin) and,
 * on the dashboard, the attention list (#attention-list) and the glance (#glance).
 *
 * Reads GET /api/health?detail=1 when the page opens, after every live event (live.js's
 * "mediasuite:event", batched over half a second: a unit failing, a service erroring, a
 * connection saved ...) and every 30 s for what sends no event (disk space, updates).
 */
(function () {
  "use strict";

  var badge = document.getElementById("health-badge");
  if (!badge) return;
  var api = badge.getAttribute("data-api");
  var timer = null;
  var LOOK = {error: "text-bg-danger", warning: "text-bg-warning"};

  function element(tag, className, text) {
    var el = document.createElement(tag);
    if (className) el.className = className;
    if (text !== undefined) el.textContent = text;
    return el;
  }

  function drawBadge(report) {
    badge.hidden = report.errors === 0;
    badge.textContent = report.errors + (report.errors === 1 ? " error" : " errors");
    badge.setAttribute("data-errors", String(report.errors));
  }

  function drawList(report) {
    var list = document.getElementById("attention-list");
    if (!list) return;
    list.replaceChildren();
    list.setAttribute("data-loaded", "true");
    if (!report.problems.length) {
      list.appendChild(element("li", "list-group-item text-success-emphasis", "Nothing needs attention."));
      return;
    }
    report.problems.forEach(function (problem) {
      var item = element("li", "list-group-item d-flex gap-2 align-items-start");
      item.setAttribute("data-key", problem.key);
      item.setAttribute("data-severity", problem.severity);
      item.appendChild(element("span", "badge " + (LOOK[problem.severity] || "text-bg-secondary"), problem.severity));
      item.appendChild(element("span", "flex-grow-1", problem.message));
      if (problem.link) {
        var link = element("a", "btn btn-sm btn-outline-primary text-nowrap", "Fix");
        link.href = problem.link;
        item.appendChild(link);
      }
      list.appendChild(item);
    });
  }

  function drawGlance(report) {
    var glance = document.getElementById("glance");
    if (!glance) return;
    glance.replaceChildren();
    report.glance.forEach(function (entry) {
      var item = element("div", "col-6 col-md-4 col-xl-2");
      var card = element("div", "border rounded p-2 h-100");
      card.setAttribute("data-glance", entry.label);
      var title = entry.url ? element("a", "fw-semibold", entry.label) : element("span", "fw-semibold", entry.label);
      if (entry.url) title.href = entry.url;
      card.appendChild(title);
      var counts = element("div", "small d-flex flex-wrap column-gap-2");
      var names = Object.keys(entry.counts);
      if (!names.length) counts.appendChild(element("span", "text-secondary", "none"));
      names.forEach(function (name) {
        var part = element("span", "text-nowrap");
        part.setAttribute("data-state", name);
        part.appendChild(document.createTextNode(name + " "));
        part.appendChild(element("strong", "", String(entry.counts[name])));
        counts.appendChild(part);
      });
      card.appendChild(counts);
      item.appendChild(card);
      glance.appendChild(item);
    });
  }

  function refresh() {
    timer = null;
    fetch(api, {credentials: "same-origin", headers: {Accept: "application/json"}})
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (report) {
        if (!report || !report.problems) return;
        drawBadge(report);
        drawList(report);
        drawGlance(report);
      })
      .catch(function () { /* offline: live.js's badge says so; the next event or tick retries */ });
  }

  function soon() {
    if (timer === null) timer = setTimeout(refresh, 500);
  }

  document.addEventListener("mediasuite:event", soon);
  setInterval(refresh, 30000);
  refresh();
})();
