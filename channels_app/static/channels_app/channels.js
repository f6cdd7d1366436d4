/*
 * Helpers shared by the channel pages (dashboard and detail):
 * window.MediaSuiteChannels = {setState, clock, when, localTimes}; the pages call the API
 * through the core's MediaSuiteRequest (mediasuite/request.js).
 *
 * - setState(badge, state): the unit state badge (stopped, starting,
 *   running, backoff, stopping, failed), in the colour every page
 *   gives that state (MediaSuite.setState, /states.js).
 * - clock(seconds) -> "m:ss"; when(iso) -> local date and time.
 * - Copy buttons: [data-copy="<selector of an input>"].
 * - New playlist URL: [data-new-token] inside [data-token-url] posts there (after a confirm) and reloads.
 */
(function () {
  "use strict";

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

  document.addEventListener("click", function (e) {
    var button = e.target.closest("[data-new-token]");
    if (!button) return;
    var card = button.closest("[data-token-url]");
    if (!window.confirm("Make a new playlist URL? Players using the current one stop playing until you give them the new one.")) return;
    button.disabled = true;
    window.MediaSuiteRequest("POST", card.getAttribute("data-token-url")).then(function () {
      window.location.reload();
    }, function (error) {
      button.disabled = false;
      var line = card.querySelector("[data-role=token-error]");
      line.textContent = error.message;
      line.hidden = false;
    });
  });

  function localTimes(root) {
    (root || document).querySelectorAll("time[data-local]").forEach(function (el) {
      el.textContent = when(el.getAttribute("datetime"));
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", function () { localTimes(); });
  else localTimes();

  window.MediaSuiteChannels = {setState: setState, clock: clock, when: when, localTimes: localTimes};
})();
