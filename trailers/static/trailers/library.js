/*
 * Trailers page: "Search again for this page" queues one bulk refresh job (POST /api/trailers/refresh)
 * for the listed media (mediasuite/request.js); the buttons follow its trailer.searched events live.
 */
(function () {
  "use strict";
  var note = document.getElementById("library-note");
  document.getElementById("library-refresh").addEventListener("click", function () {
    var media = Array.prototype.map.call(document.querySelectorAll("#trailer-library tr[data-media-type]"),
      function (row) {
        return {media_type: row.getAttribute("data-media-type"),
                external_id: parseInt(row.getAttribute("data-external-id"), 10),
                title: row.getAttribute("data-title"), year: parseInt(row.getAttribute("data-year"), 10) || null};
      });
    window.MediaSuiteRequest("POST", "/api/trailers/refresh", {media: media}).then(function (answer) {
      note.textContent = "Searching again for " + answer.queued + " media in the background (locked ones are " +
        "kept); the buttons follow.";
      note.hidden = false;
    }).catch(function (err) { note.textContent = err.message; note.hidden = false; });
  });
})();
