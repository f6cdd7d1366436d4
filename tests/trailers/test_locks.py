"""Locking a trailer in process: the other cached candidates are purged; unlocking keeps the former lock."""

import pytest
from django.utils import timezone

from mediasuite.errors import Conflict
from mediasuite.models import Event
from trailers import locks
from trailers.models import Status, TrailerEntry

pytestmark = pytest.mark.django_db

CANDIDATES = [{"video_id": video_id, "title": title, "channel": "Warner Bros.", "duration": 150,
               "thumbnail": "", "url": f"https://www.youtube.com/watch?v={video_id}", "source": "youtube"}
              for video_id, title in (("aaaaaaaaaaa", "Trailer"), ("bbbbbbbbbbb", "Teaser"),
                                      ("ccccccccccc", "Clip"))]


@pytest.fixture
def entry():
    return TrailerEntry.objects.create(media_type="movie", external_id=604, title="The Matrix Reloaded",
                                       year=2003, status=Status.UNLOCKED, candidates=CANDIDATES,
                                       fetched_at=timezone.now())


def test_a_lock_keeps_the_chosen_video_and_purges_every_other_candidate(entry, people):
    locks.lock_trailer("movie", 604, "bbbbbbbbbbb", people["super"])
    entry.refresh_from_db()
    assert (entry.status, entry.locked_video_id) == (Status.LOCKED, "bbbbbbbbbbb")
    assert entry.locked_title == "Teaser"
    assert entry.candidates == []
    assert Event.objects.filter(kind="trailer.locked").count() == 1


def test_a_purged_candidate_cannot_be_locked_afterwards(entry):
    locks.lock_trailer("movie", 604, "aaaaaaaaaaa")
    with pytest.raises(Conflict, match="not among the cached candidates"):
        locks.lock_trailer("movie", 604, "ccccccccccc")
    assert locks.get_locked_trailer_id("movie", 604) == "aaaaaaaaaaa"


def test_unlock_leaves_the_former_lock_as_the_only_stale_candidate(entry):
    locks.lock_trailer("movie", 604, "aaaaaaaaaaa")
    locks.unlock_trailer("movie", 604)
    entry.refresh_from_db()
    assert entry.status == Status.UNLOCKED and entry.locked_video_id == ""
    assert [c["video_id"] for c in entry.candidates] == ["aaaaaaaaaaa"] and entry.fetched_at is None
    with pytest.raises(Conflict, match="has no locked trailer"):
        locks.unlock_trailer("movie", 604)
