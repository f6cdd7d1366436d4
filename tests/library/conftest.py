"""An operator, and movies and shows on disk in the fake Sonarr/Radarr libraries, known to the fake Plex."""

import os
from pathlib import Path

import pytest

from mediasuite.roles import Role


@pytest.fixture
def operator(make_user):
    return make_user("operator", Role.SUPER_ADMIN)


@pytest.fixture
def client(api, operator):
    return api.as_user(operator)


@pytest.fixture
def movie(plex, radarr):
    """movie(title, year, tmdb_id, watched_by=(), leftovers=(...)) -> (rating key, Radarr item): a movie
    with a real file (and leftovers) in the Radarr library, known to Plex."""

    def make(title, year, tmdb_id, watched_by=(), leftovers=("movie.nfo", "poster.jpg"), **fields):
        item = radarr.add_media(tmdb_id, title)
        folder = Path(item["path"])
        folder.mkdir(parents=True)
        video = folder / f"{title} ({year}).mkv"
        video.write_bytes(os.urandom(2000))
        for name in leftovers:
            (folder / name).write_text("left over")
        key = plex.add_movie(title, year, tmdb_id=tmdb_id, file=str(video), size=2000, **fields)
        for user in watched_by:
            plex.watch(user, key)
        return key, item

    return make


@pytest.fixture
def show(plex, sonarr):
    """show(title, year, tvdb_id, seasons={1: 2}, watched_by=()) -> (rating key, Sonarr item), on disk."""

    def make(title, year, tvdb_id, seasons=None, watched_by=(), **fields):
        seasons = seasons or {1: 2}
        item = sonarr.add_media(tvdb_id, title, seasons=seasons, **fields)
        folder = Path(item["path"])
        for number, episodes in seasons.items():
            season = folder / f"Season {number}"
            season.mkdir(parents=True)
            for n in range(1, episodes + 1):
                (season / f"{title} S{number:02d}E{n:02d}.mkv").write_bytes(os.urandom(500))
        (folder / "tvshow.nfo").write_text("left over")
        key = plex.add_show(title, year, tvdb_id=tvdb_id, seasons=seasons)
        for user in watched_by:
            plex.watch(user, key)
        return key, item

    return make
