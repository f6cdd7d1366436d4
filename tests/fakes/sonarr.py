"""A small Sonarr v3 API server for tests; see tests/fakes/arr.py for what it answers."""

from .arr import FakeArr


class FakeSonarr(FakeArr):
    kind, app, media_path, id_param, scan = "sonarr", "Sonarr", "series", "tvdbId", "DownloadedEpisodesScan"
    item_key = "series"
