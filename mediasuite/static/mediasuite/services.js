/*
 * Background services on the Settings page (and the admin's service list).
 *
 * - Start/Stop buttons ([data-role="toggle"][data-service]) POST to
 *   /api/v1/services/<name>/<start|stop> with the CSRF token, then redraw the
 *   card from GET .../status.
 * - Live: every "mediasuite:event" about a service (subject_type "service",
 *   dispatched by live.js) carries the service's status as payload; the card
 *   and every badge ([data-service][data-role="badge"]) are redrawn from it,
 *   whoever made the change (another browser, the API, the worker).
 */
(function () {
  "use strict";

  var CORE = ["name", "label", "description", "kind", "running", "interval", "last_check", "next_check",
              "last_error", "message", "last_updated", "state"];

  function section() { return document.getElementById("services"); }

  function endpoint(name, path) {
    var root = section();
    var pattern = (root && root.getAttribute("data-api")) || "/api/v1/services/NAME";
    return pattern.replace("NAME", encodeURIComponent(name)) + (path ? "/" + path : "");
  }

  function when(iso) {
    if (!iso) return "never";
    var date = new Date(iso);
    return isNaN(date.getTime()) ? iso : date.toLocaleString();
  }

  function byService(name, role) {
    return document.querySelectorAll('[data-service="' + CSS.escape(name) + '"][data-role="' + role + '"]');
  }

  function setBadge(el, running) {
    window.MediaSuite.setState(el, running ? "active" : "stopped");
    el.setAttribute("data-running", running ? "true" : "false");
  }

  function render(status) {
    if (!status || !status.name) return;
    byService(status.name, "badge").forEach(function (el) { setBadge(el, !!status.running); });
    byService(status.name, "card").forEach(function (card) {
      var interval = card.querySelector('[data-role="interval"]');
      if (interval && status.interval != null) interval.textContent = status.interval + " s";
      var state = card.querySelector('[data-role="state"]');
      if (state && status.state) window.MediaSuite.setState(state, status.state);
      var check = card.querySelector('[data-role="last-check"]');
      if (check) {
        check.setAttribute("datetime", status.last_check || "");
        check.textContent = when(status.last_check);
      }
      var counters = card.querySelector('[data-role="counters"]');
      if (counters) {
        counters.textContent = "";
        Object.keys(status).filter(function (key) { return CORE.indexOf(key) < 0; }).forEach(function (key) {
          var item = document.createElement("span");
          item.className = "me-2";
          item.appendChild(document.createTextNode(key + ": "));
          var value = document.createElement("strong");
          value.textContent = String(status[key]);
          item.appendChild(value);
          counters.appendChild(item);
        });
        if (!counters.childNodes.length) counters.textContent = "-";
      }
      showError(card, status.message, status.last_error);
      var button = card.querySelector('[data-role="toggle"]');
      if (button) {
        button.setAttribute("data-action", status.running ? "stop" : "start");
        button.textContent = status.running ? "Stop" : "Start";
        button.classList.remove("btn-outline-danger", "btn-success");
        button.classList.add(status.running ? "btn-outline-danger" : "btn-success");
      }
    });
  }

  function showError(card, sentence, log) {
    window.MediaSuite.setReason(card.querySelector('[data-role="error"]'), sentence, log);
  }

  function act(button) {
    var name = button.getAttribute("data-service");
    var action = button.getAttribute("data-action");
    var card = button.closest('[data-role="card"]');
    button.disabled = true;
    var request = window.MediaSuiteRequest;
    request("POST", endpoint(name, action))
      .then(function () { return request("GET", endpoint(name, "status")); })
      .then(render)
      .catch(function (error) { if (card) showError(card, "Could not " + action + ": " + error.message); })
      .then(function () { button.disabled = false; });
  }

  document.addEventListener("click", function (e) {
    var button = e.target.closest('[data-role="toggle"][data-service]');
    if (button) act(button);
  });

  document.addEventListener("mediasuite:event", function (e) {
    var event = e.detail;
    if (event && event.subject_type === "service" && event.payload) render(event.payload);
  });

  function localTimes() {
    document.querySelectorAll('#services time[data-role="last-check"]').forEach(function (el) {
      if (el.getAttribute("datetime")) el.textContent = when(el.getAttribute("datetime"));
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", localTimes);
  else localTimes();
})();
