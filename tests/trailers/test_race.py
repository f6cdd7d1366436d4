"""Two operators locking different candidates of one media at the same moment: one wins, one is told."""

import threading

from django.db import connection
from django.utils import timezone

from mediasuite.errors import Conflict
from trailers import locks
from trailers.models import Status, TrailerEntry

CANDIDATES = [{"video_id": f"video{n:06d}", "title": f"Trailer {n}",
               "url": f"https://www.youtube.com/watch?v=video{n:06d}"} for n in range(2)]


def test_two_locks_at_once_leave_one_lock(transactional_db):
    TrailerEntry.objects.create(media_type="movie", external_id=603, status=Status.UNLOCKED,
                                candidates=CANDIDATES, fetched_at=timezone.now())
    barrier = threading.Barrier(2)
    outcomes = {}

    def lock(video_id):
        barrier.wait()
        try:
            locks.lock_trailer("movie", 603, video_id)
            outcomes[video_id] = "locked"
        except Conflict as exc:
            outcomes[video_id] = str(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=lock, args=(c["video_id"],)) for c in CANDIDATES]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    winners = [v for v, outcome in outcomes.items() if outcome == "locked"]
    assert len(outcomes) == 2 and len(winners) == 1, outcomes
    loser = next(v for v in outcomes if v not in winners)
    assert "unlock it first" in outcomes[loser]
    entry = TrailerEntry.objects.get()
    assert entry.locked_video_id == winners[0] and entry.candidates == []
