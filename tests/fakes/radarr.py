"""A small Radarr v3 API server for tests; see tests/fakes/arr.py for what it answers."""

from .arr import FakeArr


class FakeRadarr(FakeArr):
    kind, app, media_path, id_param, scan = "radarr", "Radarr", "movie", "tmdbId", "DownloadedMoviesScan"
    item_key = "movie"
    searches = ("MoviesSearch", "RefreshMovie")
