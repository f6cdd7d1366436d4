/*
 * Helpers shared by the channel pages (dashboard and detail):
 * window.MediaSuiteChannels = {request, setState, clock, when, localTimes}.
 *
 * - request(url, method, body) -> Promise of the JSON body; rejects with the
 *   API's {"error"} message (and its field messages) on a 4xx/5xx.
 * - setState(badge, state): the unit state badge, in the colour every page
 *   gives that state (MediaSuite.setState, /states.js).
 * - clock(seconds) -> "m:ss"; when(iso) -> local date and time.
 * - Copy buttons: [data-copy="<selector of an input>"].
 */
(function () {
  "use strict";

  function csrfToken() {
    var input = document.querySelector("[name=csrfmiddlewaretoken]");
    if (input) return input.value;
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function describe(body, status) {
    var text = (body && body.error) || ("HTTP " + status);
    var fields = (body && body.fields) || {};
    Object.keys(fields).forEach(function (key) {
      var messages = [].concat(fields[key]);
      text += " " + key + ": " + messages.join(" ");
    });
    return text;
  }

  function request(url, method, body) {
    var options = {method: method || "GET", credentials: "same-origin", headers: {"Accept": "application/json"}};
    if (options.method !== "GET") options.headers["X-CSRFToken"] = csrfToken();
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    return fetch(url, options).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (!response.ok) throw new Error(describe(data, response.status));
        return data;
      });
    });
  }

  function setState(badge, state) { window.MediaSuite.setState(badge, state); }

  function clock(seconds) {
    if (seconds == null || isNaN(seconds)) return "";
    seconds = Math.max(0, Math.floor(seconds));
    var h = Math.floor(seconds / 3600), m = Math.floor((seconds % 3600) / 60), s = seconds % 60;
    var mm = h ? (m < 10 ? "0" : "") + m : String(m);
    return (h ? h + ":" : "") + mm + ":" + (s < 10 ? "0" : "") + s;
  }

  function when(iso) {
    if (!iso) return "never";
    var date = new Date(iso);
    return isNaN(date.getTime()) ? iso : date.toLocaleString();
  }

  document.addEventListener("click", function (e) {
    var button = e.target.closest("[data-copy]");
    if (!button) return;
    e.stopPropagation();
    var input = document.querySelector(button.getAttribute("data-copy"));
    if (!input) return;
    input.select();
    var done = function () {
      var label = button.innerHTML;
      button.textContent = "Copied";
      setTimeout(function () { button.innerHTML = label; }, 1500);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(input.value).then(done, function () { document.execCommand("copy"); done(); });
    } else {
      document.execCommand("copy");
      done();
    }
  });

  function localTimes(root) {
    (root || document).querySelectorAll("time[data-local]").forEach(function (el) {
      el.textContent = when(el.getAttribute("datetime"));
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", function () { localTimes(); });
  else localTimes();

  window.MediaSuiteChannels = {request: request, setState: setState, clock: clock, when: when,
                               localTimes: localTimes};
})();
