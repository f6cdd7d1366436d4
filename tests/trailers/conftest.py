"""Fake TMDB and YouTube wired into the settings, and a media with trailers on both."""

import pytest

from tests.fakes.tmdb import FakeTmdb
from tests.fakes.youtube import FakeYoutube

MATRIX = {"media_type": "movie", "external_id": 603, "title": "The Matrix", "year": 1999}


@pytest.fixture
def tmdb(settings):
    with FakeTmdb() as fake:
        settings.TMDB_API_URL, settings.TMDB_API_KEY = fake.api_url, fake.api_key
        fake.add_movie(603, "The Matrix", "1999-03-30")
        fake.add_video("movie", 603, "m8e-FF8MsqU", "The Matrix (1999) Official Trailer")
        fake.add_video("movie", 603, "behindscene", "Making of", video_type="Featurette")
        fake.add_series(1396, 81189, "Breaking Bad", "2008-01-20")
        fake.add_video("tv", 1396, "HhesaQXLuRY", "Breaking Bad Season 1 Trailer")
        yield fake


@pytest.fixture
def youtube(settings):
    with FakeYoutube() as fake:
        settings.YOUTUBE_API_URL, settings.YOUTUBE_API_KEY = fake.api_url, fake.api_key
        fake.add_video("vKQi3bBA1y8", "The Matrix - Trailer (HD)", "Warner Bros.", "PT2M26S",
                       match="the matrix")
        fake.add_video("m8e-FF8MsqU", "The Matrix Official Trailer", "Movieclips", "PT2M20S",
                       match="the matrix")
        fake.add_video("Zq6xV8bq6CE", "The Matrix fan trailer", "Fans", "PT3M3S", match="the matrix")
        fake.add_video("FuLLmovie01", "The Matrix full movie", "Pirates", "PT2H16M", match="the matrix")
        fake.add_video("HhesaQXLuRY", "Breaking Bad Trailer", "AMC", "PT1M", match="breaking bad")
        yield fake


@pytest.fixture
def operator(people):
    return people["super"]


@pytest.fixture
def client(api, operator):
    return api.as_user(operator)


def run_queued() -> list:
    """Run, in this process, the django-q2 jobs waiting in the ORM broker (what a worker would do)."""
    from django.utils.module_loading import import_string
    from django_q.models import OrmQ

    results = []
    for row in OrmQ.objects.order_by("id"):
        task = row.task
        row.delete()
        func = task["func"] if callable(task["func"]) else import_string(task["func"])
        results.append(func(*task["args"], **task["kwargs"]))
    return results
