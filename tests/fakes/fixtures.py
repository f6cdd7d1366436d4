"""The fake hosted services as fixtures, registered for the whole suite by tests/conftest.py.

Each fixture starts its fake for the test and points the settings at it, so the real client talks to
it. A test file whose fake differs (other data, other settings) wraps the fixture of the same name:

    @pytest.fixture
    def tmdb(tmdb):
        tmdb.add_movie(603, "The Matrix", "1999-03-30")
        return tmdb
"""

import pytest
from django.core.cache import cache

from tests.fakes.plex import FakePlex
from tests.fakes.radarr import FakeRadarr
from tests.fakes.sonarr import FakeSonarr
from tests.fakes.tmdb import FakeTmdb
from tests.fakes.torznab import FakeTorznab
from tests.fakes.tvdb import FakeTvdb
from tests.fakes.youtube import FakeYoutube


@pytest.fixture
def plex(settings):
    """The fake Plex, serving plex.tv too. The cache is cleared around it: the Plex client keeps the users
    and their tokens there, which must not outlive this server."""
    cache.clear()
    with FakePlex() as fake:
        settings.PLEX_URL = settings.PLEX_TV_URL = fake.url
        settings.PLEX_TOKEN = fake.token
        yield fake
    cache.clear()


@pytest.fixture
def sonarr(tmp_path, settings):
    """The fake Sonarr, its root folder tmp_path/tv."""
    (tmp_path / "tv").mkdir()
    with FakeSonarr(library=tmp_path / "tv") as fake:
        settings.SONARR_URL, settings.SONARR_API_KEY = fake.url, fake.api_key
        yield fake


@pytest.fixture
def radarr_library(tmp_path):
    """The root folder of the fake Radarr; a module overrides it to keep Radarr's movies apart."""
    return tmp_path / "movies"


@pytest.fixture
def radarr(radarr_library, settings):
    """The fake Radarr, its root folder `radarr_library`."""
    radarr_library.mkdir()
    with FakeRadarr(library=radarr_library) as fake:
        settings.RADARR_URL, settings.RADARR_API_KEY = fake.url, fake.api_key
        yield fake


@pytest.fixture
def tmdb(settings):
    with FakeTmdb() as fake:
        settings.TMDB_API_URL, settings.TMDB_API_KEY = fake.api_url, fake.api_key
        yield fake


@pytest.fixture
def tvdb(settings):
    with FakeTvdb() as fake:
        settings.TVDB_API_URL, settings.TVDB_API_KEY = fake.api_url, fake.api_key
        yield fake


@pytest.fixture
def indexer(settings):
    """The fake Torznab indexer (what Prowlarr or Jackett serve)."""
    with FakeTorznab() as fake:
        settings.TORZNAB_URL, settings.TORZNAB_API_KEY = fake.api_url, fake.api_key
        yield fake


@pytest.fixture
def youtube(settings):
    with FakeYoutube() as fake:
        settings.YOUTUBE_API_URL, settings.YOUTUBE_API_KEY = fake.api_url, fake.api_key
        yield fake
