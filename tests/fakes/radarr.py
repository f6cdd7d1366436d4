"""A small Radarr v3 API server for tests; see tests/fakes/arr.py for what it answers."""

from .arr import FakeArr


class FakeRadarr(FakeArr):
    kind, app, media_path, id_param, scan = "radarr", "Radarr", "movie", "tmdbId", "DownloadedMoviesScan"
    item_key = "movie"
    searches = ("MoviesSearch", "RefreshMovie")

    def _add(self, body):
        """POST movie; then, as Radarr's MovieScannedHandler once the new movie is scanned, searchForMovie
        queues a MoviesSearch of it (no addOptions, or searchForMovie false: no search)."""
        status, answer = super()._add(body)
        if status == 201 and (body.get("addOptions") or {}).get("searchForMovie"):
            self._queue({"name": "MoviesSearch", "movieIds": [answer["id"]], "trigger": "unspecified"})
        return status, answer
