{% autoescape off %}/*
 * States and reasons, drawn the same way on every page (mediasuite/states.py writes this file and /states.css):
 * window.MediaSuite = {stateClass, setState, stateTone, stateLevel, setReason}.
 *
 * - stateClass(name) -> "state state-<name>"; setState(el, name, label) puts it on a badge.
 * - stateTone(name) -> progress | good | attention | bad | idle (unknown: idle, never good);
 *   stateLevel(name) -> its Bootstrap colour name (alert-<level>, btn-outline-<level>).
 * - setReason(el, sentence, log): fills a reason block (templates/mediasuite/_reason.html): the
 *   sentence, and the log lines behind its collapsed "Show log" toggle; with `state`, an alert
 *   block turns red for a failure, amber otherwise.
 */
(function () {
  "use strict";

  var STATES = {{ table }};
  var M = window.MediaSuite = window.MediaSuite || {};

  function key(name) { return String(name == null ? "" : name).toLowerCase(); }

  M.stateClass = function (name) { return "state state-" + key(name); };

  M.stateTone = function (name) { return (STATES[key(name)] || {tone: "idle"}).tone; };

  M.stateLevel = function (name) { return (STATES[key(name)] || {level: "secondary"}).level; };

  M.setState = function (el, name, label) {
    if (!el || !name) return;
    Array.prototype.slice.call(el.classList).forEach(function (cls) {
      if (cls.indexOf("state-") === 0) el.classList.remove(cls);
    });
    el.classList.add("state", "state-" + key(name));
    el.textContent = label == null ? key(name) : label;
    el.setAttribute("data-state", key(name));
  };

  M.setReason = function (el, sentence, log, state) {
    if (!el) return;
    if (state && el.classList.contains("alert")) {
      var bad = M.stateTone(state) === "bad";
      el.classList.toggle("alert-danger", bad);
      el.classList.toggle("alert-warning", !bad);
    }
    var role = el.getAttribute("data-role");
    var text = el.querySelector('[data-role="' + role + '-text"]');
    var details = el.querySelector('[data-role="' + role + '-log"]');
    text.textContent = sentence || "";
    if (details) {
      var pre = details.querySelector("pre");
      if (pre.textContent !== (log || "")) details.open = false;
      pre.textContent = log || "";
      details.hidden = !log;
    }
    el.hidden = !sentence && !log;
  };
})();
{% endautoescape %}
