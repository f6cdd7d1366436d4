"""Bulk refresh: one queued job searches the media one by one, spaced, locked ones left alone."""

from mediasuite.models import Event
from trailers import locks
from trailers.models import Status, TrailerEntry

from .conftest import run_queued

MEDIA = [{"media_type": "movie", "external_id": 603, "title": "The Matrix", "year": 1999},
         {"media_type": "series", "external_id": 81189, "title": "Breaking Bad", "year": 2008},
         {"media_type": "movie", "external_id": 604, "title": "The Matrix Reloaded", "year": 2003},
         {"media_type": "movie", "external_id": 42, "title": "Locked Film"}]


def test_refresh_is_one_spaced_job_with_a_report(client, tmdb, youtube, settings,
                                                 django_capture_on_commit_callbacks):
    settings.TRAILERS_REFRESH_SPACING = 0.3
    locks.lock_trailer("movie", 42, {"video_id": "lockedvideo", "url": "https://example.org/t.mp4"})
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post("/api/trailers/refresh", {"media": MEDIA}, format="json")
    assert answer.status_code == 202 and answer.json() == {"queued": 4}
    assert youtube.requests == [], "the request only queues the job"

    [report] = run_queued()
    assert [(r["external_id"], r["status"]) for r in report] == \
        [(603, "UNLOCKED"), (81189, "UNLOCKED"), (604, "UNLOCKED"), (42, "LOCKED")]
    searches = youtube.searches()
    assert [s[3]["q"] for s in searches] == ["The Matrix 1999 trailer", "Breaking Bad 2008 trailer",
                                             "The Matrix Reloaded 2003 trailer"]
    gaps = [b[0] - a[0] for a, b in zip(searches, searches[1:], strict=False)]
    assert min(gaps) >= 0.29, f"searches closer than TRAILERS_REFRESH_SPACING: {gaps}"
    assert TrailerEntry.objects.get(external_id=42).locked_video_id == "lockedvideo"
    assert TrailerEntry.objects.filter(status=Status.UNLOCKED).count() == 3
    done = Event.objects.get(kind="trailer.refreshed")
    assert done.payload == {"count": 4, "failed": 0}


def test_one_failing_media_does_not_stop_the_others(db, tmdb, youtube, settings):
    from trailers import refresh

    youtube.fail_with(500, body={"error": {"code": 500, "message": "backend error"}})
    tmdb.fail_with(500)
    report = refresh.run(MEDIA[:2], spacing=0)
    assert report[0]["status"] == "failed" and "500" in report[0]["message"]
    assert report[1]["status"] == "UNLOCKED"
