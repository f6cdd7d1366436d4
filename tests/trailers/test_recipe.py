"""The recipe of the original trailer_manager: status, search with its cache, lock, unlock."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mediasuite.errors import Conflict
from mediasuite.models import Event
from trailers import locks, search, status
from trailers.models import Status, TrailerEntry

from .conftest import MATRIX

KEY = ("movie", 603)


def test_none_search_unlocked_lock_locked_unlock(db, tmdb, youtube, operator):
    assert status.get_trailer_status(*KEY) == Status.NONE

    found = search.get_trailer_info(*KEY, "The Matrix", 1999, actor=operator)
    assert found["status"] == Status.UNLOCKED and status.get_trailer_status(*KEY) == Status.UNLOCKED
    ids = [c["video_id"] for c in found["candidates"]]
    assert ids == ["m8e-FF8MsqU", "vKQi3bBA1y8", "Zq6xV8bq6CE"], "TMDB's trailer first, YouTube, no dupes"
    assert found["candidates"][1]["duration"] == 146 and found["candidates"][1]["channel"] == "Warner Bros."
    first = found["candidates"][0]
    assert (first["source"], first["duration"], first["channel"]) == ("tmdb", 140, "Movieclips"), \
        "YouTube's duration and channel fill in what TMDB's video list lacks"
    assert found["candidates"][2]["duration"] == 183, "the 2 h 16 min 'full movie' is no trailer: left out"
    searched = youtube.searches()
    assert len(searched) == 1 and searched[0][3]["q"] == "The Matrix 1999 trailer"
    entry = TrailerEntry.objects.get(media_type="movie", external_id=603)
    assert entry.fetched_at is not None and entry.candidates == found["candidates"]

    locked = locks.lock_trailer(*KEY, "vKQi3bBA1y8", actor=operator)
    assert locked.status == Status.LOCKED and status.get_trailer_status(*KEY) == Status.LOCKED
    assert locked.candidates == [], "locking purges every other cached candidate"
    assert (locked.locked_title, locked.locked_channel, locked.locked_duration) == \
        ("The Matrix - Trailer (HD)", "Warner Bros.", 146)
    assert locked.locked_url == "https://www.youtube.com/watch?v=vKQi3bBA1y8"
    assert locks.get_locked_trailer_id(*KEY) == "vKQi3bBA1y8"
    assert search.get_trailer_info(*KEY, "The Matrix", 1999)["locked"]["video_id"] == "vKQi3bBA1y8"
    assert len(youtube.searches()) == 1, "a locked trailer is answered without searching"

    unlocked = locks.unlock_trailer(*KEY, actor=operator)
    assert unlocked.status == Status.UNLOCKED and status.get_trailer_status(*KEY) == Status.UNLOCKED
    assert locks.get_locked_trailer_id(*KEY) is None
    assert [c["video_id"] for c in unlocked.candidates] == ["vKQi3bBA1y8"]
    kinds = list(Event.objects.filter(subject_type="trailerentry").order_by("id")
                 .values_list("kind", flat=True))
    assert kinds == ["trailer.searched", "trailer.locked", "trailer.unlocked"]
    assert Event.objects.filter(kind="trailer.locked").get().payload["status"] == Status.LOCKED


def test_a_fresh_cache_answers_without_any_http_call(db, tmdb, youtube):
    search.get_trailer_info(*KEY, "The Matrix", 1999)
    calls = len(tmdb.requests) + len(youtube.requests)
    again = search.get_trailer_info(*KEY, "The Matrix", 1999)
    assert again["fresh"] and len(again["candidates"]) == 3
    assert len(tmdb.requests) + len(youtube.requests) == calls


def test_a_stale_cache_is_searched_again(db, tmdb, youtube, settings):
    search.get_trailer_info(*KEY, "The Matrix", 1999)
    youtube.add_video("NEWNEWNEW11", "The Matrix 4K trailer", match="the matrix")
    stale = timezone.now() - timedelta(seconds=settings.TRAILERS_CACHE_TTL + 1)
    TrailerEntry.objects.update(fetched_at=stale)
    again = search.get_trailer_info(*KEY, "The Matrix", 1999)
    assert len(youtube.searches()) == 2 and again["fresh"]
    assert "NEWNEWNEW11" in [c["video_id"] for c in again["candidates"]]


def test_nothing_found_is_none_and_cached(db, tmdb, youtube):
    found = search.get_trailer_info("movie", 999, "Unknown Film", 2001)
    assert found["status"] == Status.NONE and found["candidates"] == [] and found["fetched_at"]
    search.get_trailer_info("movie", 999, "Unknown Film", 2001)
    assert len(youtube.searches()) == 1, "an empty answer is cached too"


def test_series_videos_come_through_tmdb_find(db, tmdb, youtube):
    found = search.get_trailer_info("series", 81189, "Breaking Bad", 2008)
    assert [c["video_id"] for c in found["candidates"]] == ["HhesaQXLuRY"]
    paths = [r[2] for r in tmdb.requests]
    assert paths == ["/3/find/81189", "/3/tv/1396/videos"]


def test_a_429_is_waited_out(db, tmdb, youtube):
    youtube.fail_with(429, headers={"Retry-After": "1"},
                      body={"error": {"code": 429, "message": "slow down"}})
    found = search.get_trailer_info(*KEY, "The Matrix", 1999)
    searches = youtube.searches()
    assert len(searches) == 2 and found["status"] == Status.UNLOCKED
    assert searches[1][0] - searches[0][0] >= 0.95, "the retry came before Retry-After"


def test_one_source_down_still_answers_the_other(db, tmdb, youtube, settings):
    settings.TMDB_API_KEY = "wrong"
    found = search.get_trailer_info(*KEY, "The Matrix", 1999)
    assert [c["source"] for c in found["candidates"]] == ["youtube"] * 3


def test_both_sources_down_is_an_error_and_nothing_is_cached(db, settings):
    from mediasuite.clients.http import ServiceError

    settings.TMDB_API_KEY = settings.YOUTUBE_API_KEY = ""
    with pytest.raises(ServiceError, match="/settings/connections/#youtube"):
        search.get_trailer_info(*KEY, "The Matrix", 1999)
    assert not TrailerEntry.objects.exists()


def test_forced_search_of_a_locked_media_is_refused(db, tmdb, youtube):
    locks.lock_trailer(*KEY, {"video_id": "vKQi3bBA1y8", "title": "Trailer"})
    with pytest.raises(Conflict, match="unlock"):
        search.get_trailer_info(*KEY, "The Matrix", 1999, force=True)
    assert youtube.requests == []


def test_second_lock_by_id_after_a_lock_is_refused(db, tmdb, youtube):
    search.get_trailer_info(**MATRIX)
    locks.lock_trailer(*KEY, "vKQi3bBA1y8")
    with pytest.raises(Conflict, match="not among the cached candidates"):
        locks.lock_trailer(*KEY, "Zq6xV8bq6CE")
    assert locks.get_locked_trailer_id(*KEY) == "vKQi3bBA1y8"


def test_bulk_status_of_1000_media_takes_at_most_2_queries(db):
    TrailerEntry.objects.bulk_create(
        [TrailerEntry(media_type="movie", external_id=n, status=Status.LOCKED, locked_video_id=f"v{n}")
         for n in range(1, 300)]
        + [TrailerEntry(media_type="series", external_id=n, status=Status.UNLOCKED,
                        candidates=[{"video_id": "x"}])
           for n in range(1, 200)])
    media = [("movie", n) for n in range(1, 501)] + [("series", n) for n in range(1, 501)]
    with CaptureQueriesContext(connection) as queries:
        answer = status.bulk_status(media)
    assert len(queries) <= 2
    assert len(answer) == 1000
    assert answer[("movie", 1)] == "LOCKED" and answer[("movie", 400)] == "NONE"
    assert answer[("series", 5)] == "UNLOCKED" and answer[("series", 300)] == "NONE"


def test_single_status_is_one_query_and_never_http(db, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert status.get_trailer_status("series", 42) == Status.NONE


def test_a_retry_after_holds_every_caller_of_the_service(transactional_db, tmdb, youtube):
    """One search is told to wait: a second search started meanwhile waits too, instead of hammering."""
    import threading

    from tests.conftest import wait_for

    youtube.fail_with(429, headers={"Retry-After": "1"},
                      body={"error": {"code": 429, "message": "slow down"}})
    first = threading.Thread(target=search.get_trailer_info, args=("movie", 603, "The Matrix", 1999))
    first.start()
    wait_for(lambda: youtube.searches(), message="the first search to reach YouTube")
    told_at = youtube.searches()[0][0]
    second = threading.Thread(target=search.get_trailer_info, args=("series", 81189, "Breaking Bad", 2008))
    second.start()
    first.join(20)
    second.join(20)
    later = youtube.searches()[1:]
    assert len(later) == 2 and all(r[0] - told_at >= 0.95 for r in later), [r[0] - told_at for r in later]
    assert TrailerEntry.objects.filter(status=Status.UNLOCKED).count() == 2


def test_the_preferred_language_comes_first_from_both_sources(db, tmdb, youtube, settings):
    settings.TRAILERS_LANGUAGE = "fr"
    tmdb.add_video("movie", 603, "bandeannonc", "Matrix - Bande-annonce VF", language="fr")
    youtube.add_video("matrixvf001", "Matrix bande annonce VF", "Warner France", match="the matrix",
                      language="fr")
    found = search.get_trailer_info(*KEY, "The Matrix", 1999)
    ids = [c["video_id"] for c in found["candidates"]]
    assert ids[:3] == ["bandeannonc", "m8e-FF8MsqU", "matrixvf001"]
    assert youtube.searches()[0][3]["relevanceLanguage"] == "fr"
