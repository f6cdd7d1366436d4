/*
 * The one way the pages talk to the API (loaded by base.html before every page's script):
 *
 *   window.MediaSuiteRequest(method, url, body, options) -> Promise of the JSON answer (null when empty).
 *
 * - The CSRF token is read from the csrftoken cookie (or a csrfmiddlewaretoken field) for every
 *   method but GET/HEAD; `body`, when given, is sent as JSON.
 * - Each request is aborted after 5 s (options.timeout, in ms, for a call known to take longer).
 * - A failure rejects with an Error whose message is a sentence to show as it is: the server's
 *   {"error"} (with its field messages), or what happened when the server sent no such answer
 *   (a timeout, no connection, an answer that is not JSON such as a proxy's 502 page).
 *   error.status is the HTTP status (0 when there was no answer), error.body the JSON answer if any.
 */
(function () {
  "use strict";

  var TIMEOUT = 5000;

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) return decodeURIComponent(match[1]);
    var field = document.querySelector("[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function failure(message, status, body) {
    var error = new Error(message);
    error.status = status;
    error.body = body;
    return error;
  }

  function explain(body, status) {
    var text = body.error || body.detail || ("The server refused the request (HTTP " + status + ").");
    var fields = body.fields || {};
    Object.keys(fields).forEach(function (key) {
      if (text.indexOf(key + ":") !== 0) text += " " + key + ": " + [].concat(fields[key]).join(" ");
    });
    return text;
  }

  function answer(response, text) {
    var body = null;
    if (text) {
      try {
        body = JSON.parse(text);
      } catch (e) {
        if (response.status >= 500) {
          throw failure("The server failed (HTTP " + response.status + ") without saying why; " +
                        "try again, and look at the server log if it goes on.", response.status, null);
        }
        throw failure("The server sent a page instead of data (HTTP " + response.status + "); " +
                      "reload the page (you may have been signed out).", response.status, null);
      }
    }
    if (!response.ok) throw failure(explain(body || {}, response.status), response.status, body);
    return body;
  }

  function request(method, url, body, options) {
    method = (method || "GET").toUpperCase();
    var timeout = (options && options.timeout) || TIMEOUT;
    var controller = new AbortController();
    var timedOut = false;
    var timer = setTimeout(function () { timedOut = true; controller.abort(); }, timeout);
    var init = {method: method, credentials: "same-origin", cache: "no-store", signal: controller.signal,
                headers: {"Accept": "application/json"}};
    if (method !== "GET" && method !== "HEAD") init.headers["X-CSRFToken"] = csrfToken();
    if (body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    return fetch(url, init)
      .then(function (response) {
        return response.text().then(function (text) { return answer(response, text); });
      }, function () {
        throw failure(timedOut
          ? "The server did not answer within " + Math.round(timeout / 1000) + " s; try again in a moment."
          : "The server could not be reached; check the connection and try again.", 0, null);
      })
      .catch(function (error) {
        if (error.status === undefined) {
          throw failure(timedOut
            ? "The server did not finish its answer within " + Math.round(timeout / 1000) + " s; try again."
            : "The answer was cut off; try again.", 0, null);
        }
        throw error;
      })
      .finally(function () { clearTimeout(timer); });
  }

  window.MediaSuiteRequest = request;
})();
