/*
 * Settings → Connections: Test and Save of each integration's form (#<name>[data-connection]).
 *
 * - Test POSTs the form's non-empty fields to /api/connections/<name>/test (tried, not saved)
 *   and shows the service's answer; Save PUTs them (an empty secret keeps the saved one,
 *   a ticked "remove" clears it), tests what is now saved, then reloads the page so that
 *   every field shows where its value comes from. Errors show the API's sentence.
 */
(function () {
  "use strict";

  var root = document.getElementById("connections");
  if (!root) return;

  function endpoint(name, path) {
    return root.getAttribute("data-api").replace(/\/$/, "") + "/" + encodeURIComponent(name) + (path || "");
  }

  function csrfToken() {
    var input = root.querySelector("[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function collect(form) {
    var values = {};
    form.querySelectorAll("input[name], textarea[name]").forEach(function (el) {
      if (!el.disabled && el.value !== "") values[el.name] = el.value;
    });
    var clear = [];
    form.querySelectorAll("[data-clear]").forEach(function (el) {
      if (el.checked) clear.push(el.getAttribute("data-clear"));
    });
    return {values: values, clear: clear};
  }

  function show(form, ok, text) {
    var box = form.querySelector('[data-role="result"]');
    box.hidden = false;
    box.textContent = text;
    box.classList.remove("alert-success", "alert-danger", "alert-secondary");
    box.classList.add(ok === null ? "alert-secondary" : ok ? "alert-success" : "alert-danger");
    box.setAttribute("data-ok", ok === null ? "" : String(ok));
  }

  function call(method, url, body) {
    return fetch(url, {
      method: method, credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRFToken": csrfToken()},
      body: JSON.stringify(body),
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (!response.ok) throw new Error(data.error || ("HTTP " + response.status));
        return data;
      });
    });
  }

  root.querySelectorAll("form[data-connection]").forEach(function (form) {
    var name = form.getAttribute("data-connection");
    form.querySelector('[data-action="test"]').addEventListener("click", function () {
      show(form, null, "Testing\u2026");
      call("POST", endpoint(name, "/test"), {values: collect(form).values}).then(function (result) {
        show(form, result.ok, result.message);
      }).catch(function (error) { show(form, false, error.message); });
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      show(form, null, "Saving\u2026");
      call("PUT", endpoint(name), collect(form)).then(function () {
        show(form, null, "Saved; testing\u2026");
        return call("POST", endpoint(name, "/test"), {});
      }).then(function () {
        location.hash = name;
        location.reload();
      }).catch(function (error) { show(form, false, error.message); });
    });
  });
})();
