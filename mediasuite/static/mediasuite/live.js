/*
 * MediaSuite live events: one WebSocket per page to /ws/events/.
 *
 * - Every event is dispatched as
 *     document.dispatchEvent(new CustomEvent("mediasuite:event", {detail: event}))
 *   where `event` is {id, kind, subject_type, subject_id, club, owner, actor,
 *   message, payload, created_at, club_name, actor_name}.
 * - window.MediaSuiteLive = {on(filter, handler) -> unsubscribe, lastId, connected}
 *   `filter` is a function(event) -> bool or a kind prefix ("unit." / "service.").
 * - A page may render data-live-after="<id>" on <body> or any element (the
 *   newest event id when rendered): nothing recorded after that is lost.
 * - Reconnects with exponential backoff (0.5 s doubling to 10 s) and
 *   ?after=<last id seen>, so nothing is lost across a reconnect or a
 *   server restart. The badge #live-badge reads "live" or "reconnecting…".
 */
(function () {
  "use strict";
  if (window.MediaSuiteLive) return;

  var MIN_DELAY = 500;
  var MAX_DELAY = 10000;
  var delay = MIN_DELAY;
  var socket = null;
  var lastId = null;
  var handlers = [];

  function initialAfter() {
    var ids = [];
    document.querySelectorAll("[data-live-after]").forEach(function (el) {
      var value = parseInt(el.getAttribute("data-live-after"), 10);
      if (!isNaN(value) && value >= 0) ids.push(value);
    });
    return ids.length ? Math.min.apply(null, ids) : null;
  }

  function badge(state) {
    var el = document.getElementById("live-badge");
    if (!el) return;
    var looks = {
      live: ["live", "text-bg-success"],
      reconnecting: ["reconnecting\u2026", "text-bg-warning"],
      offline: ["signed out", "text-bg-secondary"],
    }[state];
    el.hidden = false;
    el.textContent = looks[0];
    Array.prototype.slice.call(el.classList).forEach(function (name) {
      if (name.indexOf("text-bg-") === 0) el.classList.remove(name);
    });
    el.classList.add("badge", looks[1]);
    el.setAttribute("data-state", state);
  }

  function url() {
    var scheme = location.protocol === "https:" ? "wss:" : "ws:";
    var query = lastId === null ? "" : "?after=" + lastId;
    return scheme + "//" + location.host + "/ws/events/" + query;
  }

  function deliver(event) {
    if (lastId !== null && event.id <= lastId) return;  // already seen
    lastId = event.id;
    document.dispatchEvent(new CustomEvent("mediasuite:event", {detail: event}));
  }

  function connect() {
    var ws = new WebSocket(url());
    socket = ws;
    ws.onmessage = function (message) {
      var data;
      try { data = JSON.parse(message.data); } catch (e) { return; }
      if (data.type === "event") {
        deliver(data.event);
      } else if (data.type === "hello") {
        if (lastId === null || data.last_id > lastId) lastId = data.last_id;
        delay = MIN_DELAY;
        badge("live");
      }
    };
    ws.onclose = function (closed) {
      if (socket !== ws) return;
      socket = null;
      badge(closed.code === 4401 ? "offline" : "reconnecting");
      var wait = closed.code === 4401 ? MAX_DELAY : delay;
      delay = Math.min(delay * 2, MAX_DELAY);
      setTimeout(connect, wait * (0.8 + Math.random() * 0.4));
    };
  }

  document.addEventListener("mediasuite:event", function (e) {
    handlers.slice().forEach(function (h) {
      try {
        if (h.filter(e.detail)) h.handler(e.detail);
      } catch (err) {
        if (window.console) console.error("MediaSuiteLive handler failed", err);
      }
    });
  });

  window.MediaSuiteLive = {
    on: function (filter, handler) {
      var test = typeof filter === "function" ? filter
        : function (event) { return event.kind.indexOf(filter || "") === 0; };
      var entry = {filter: test, handler: handler};
      handlers.push(entry);
      return function () { handlers = handlers.filter(function (h) { return h !== entry; }); };
    },
    get lastId() { return lastId; },
    get connected() { return socket !== null && socket.readyState === WebSocket.OPEN; },
  };

  lastId = initialAfter();
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      var after = initialAfter();
      if (after !== null && (lastId === null || after < lastId)) lastId = after;
      connect();
    });
  } else {
    connect();
  }
})();
