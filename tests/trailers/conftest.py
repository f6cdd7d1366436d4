"""The fake TMDB and YouTube holding a movie and a series with trailers on both; an operator; the queue."""

import pytest

MATRIX = {"media_type": "movie", "external_id": 603, "title": "The Matrix", "year": 1999}


@pytest.fixture
def tmdb(tmdb):
    tmdb.add_movie(603, "The Matrix", "1999-03-30")
    tmdb.add_video("movie", 603, "m8e-FF8MsqU", "The Matrix (1999) Official Trailer")
    tmdb.add_video("movie", 603, "behindscene", "Making of", video_type="Featurette")
    tmdb.add_series(1396, 81189, "Breaking Bad", "2008-01-20")
    tmdb.add_video("tv", 1396, "HhesaQXLuRY", "Breaking Bad Season 1 Trailer")
    return tmdb


@pytest.fixture
def youtube(youtube):
    youtube.add_video("vKQi3bBA1y8", "The Matrix - Trailer (HD)", "Warner Bros.", "PT2M26S",
                      match="the matrix")
    youtube.add_video("m8e-FF8MsqU", "The Matrix Official Trailer", "Movieclips", "PT2M20S",
                      match="the matrix")
    youtube.add_video("Zq6xV8bq6CE", "The Matrix fan trailer", "Fans", "PT3M3S", match="the matrix")
    youtube.add_video("FuLLmovie01", "The Matrix full movie", "Pirates", "PT2H16M", match="the matrix")
    youtube.add_video("HhesaQXLuRY", "Breaking Bad Trailer", "AMC", "PT1M", match="breaking bad")
    return youtube


@pytest.fixture
def operator(people):
    return people["super"]


@pytest.fixture
def client(api, operator):
    return api.as_user(operator)



@pytest.fixture(autouse=True)
def empty_queue(db):
    """No django-q2 job left over from another test in the broker (the ORM one, or Redis in CI)."""
    from django_q.brokers import get_broker

    get_broker().purge_queue()


def take_queued() -> list[dict]:
    """The django-q2 jobs waiting in the broker, taken off it as a worker would."""
    from django_q.brokers import get_broker
    from django_q.signing import SignedPackage

    broker, tasks = get_broker(), []
    while batch := broker.dequeue():
        for task_id, payload in batch:
            broker.acknowledge(task_id)
            tasks.append(SignedPackage.loads(payload))
    return tasks


def run_queued() -> list:
    """Run, in this process, the jobs waiting in the broker (what a worker would do)."""
    from django.utils.module_loading import import_string

    results = []
    for task in take_queued():
        func = task["func"] if callable(task["func"]) else import_string(task["func"])
        results.append(func(*task["args"], **task["kwargs"]))
    return results
