"""The torrent state machine in process: compare-and-set transitions and step claims, without rTorrent."""

from datetime import timedelta

import pytest
from django.utils import timezone

from mediasuite.errors import Conflict
from mediasuite.models import Event
from seedbox import lifecycle
from seedbox.models import State, Torrent

pytestmark = pytest.mark.django_db


@pytest.fixture
def torrent():
    return Torrent.objects.create(infohash="c" * 40, key="k", media_type="movie", tmdb_id=603,
                                  state=State.REMOTE_COMPLETE)


def events(kind):
    return Event.objects.filter(kind=f"seedbox.torrent.{kind}").count()


def test_a_transition_moves_the_row_and_writes_its_event(torrent):
    assert lifecycle.transition(torrent, State.REMOTE_COMPLETE, State.TRANSFERRING)
    assert Torrent.objects.get().state == State.TRANSFERRING and torrent.state == State.TRANSFERRING
    assert events("transferring") == 1


def test_a_stale_expected_state_changes_nothing(torrent):
    stale = Torrent.objects.get()  # read while it was remote_complete
    lifecycle.transition(torrent, State.REMOTE_COMPLETE, State.IGNORED)
    assert not lifecycle.transition(stale, State.REMOTE_COMPLETE, State.TRANSFERRING)
    assert Torrent.objects.get().state == State.IGNORED
    assert stale.state == State.REMOTE_COMPLETE
    assert events("transferring") == 0


def test_a_transition_the_machine_does_not_have_is_a_programming_error(torrent):
    with pytest.raises(ValueError, match="no transition"):
        lifecycle.transition(torrent, State.REMOTE_COMPLETE, State.IMPORTED)
    assert Torrent.objects.get().state == State.REMOTE_COMPLETE


def test_two_workers_claiming_one_step_one_wins_and_the_loser_cannot_beat(torrent):
    seen_by_b = Torrent.objects.get()
    assert lifecycle.claim(torrent, State.REMOTE_COMPLETE, State.TRANSFERRING, "worker-a")
    assert not lifecycle.claim(seen_by_b, State.REMOTE_COMPLETE, State.TRANSFERRING, "worker-b")
    assert Torrent.objects.get().worker == "worker-a"
    assert events("transferring") == 1
    assert not lifecycle.beat(seen_by_b, "worker-b", transferred_bytes=5)
    assert lifecycle.beat(torrent, "worker-a", transferred_bytes=7)
    assert Torrent.objects.get().transferred_bytes == 7


def test_a_claim_silent_past_its_ttl_is_taken_over(torrent, settings):
    assert lifecycle.claim(torrent, State.REMOTE_COMPLETE, State.TRANSFERRING, "worker-a")
    fresh = Torrent.objects.get()
    assert not lifecycle.claim(fresh, State.REMOTE_COMPLETE, State.TRANSFERRING, "worker-b")
    silent = timezone.now() - timedelta(seconds=settings.SEEDBOX_CLAIM_TTL + 1)
    Torrent.objects.filter(pk=torrent.pk).update(heartbeat_at=silent)
    assert lifecycle.claim(fresh, State.REMOTE_COMPLETE, State.TRANSFERRING, "worker-b")
    assert Torrent.objects.get().worker == "worker-b"
    assert not lifecycle.beat(torrent, "worker-a")


def test_hold_is_refused_while_another_worker_holds_the_torrent(torrent):
    assert lifecycle.hold(torrent, "cleaner-a")
    assert not lifecycle.hold(Torrent.objects.get(), "cleaner-b")
    lifecycle.release(torrent, "cleaner-a")
    assert lifecycle.hold(Torrent.objects.get(), "cleaner-b")


def test_retry_of_a_torrent_that_did_not_fail_is_a_conflict_and_changes_nothing(torrent, people):
    with pytest.raises(Conflict, match="Only a failed or import_blocked torrent can be retried"):
        lifecycle.retry(people["super"], torrent)
    assert Torrent.objects.get().state == State.REMOTE_COMPLETE


def test_a_failure_goes_back_to_the_step_that_failed_on_retry(torrent, people):
    assert lifecycle.fail(torrent, State.REMOTE_COMPLETE, "SFTP refused the key",
                          resume=State.REMOTE_COMPLETE)
    failed = Torrent.objects.get()
    assert (failed.state, failed.reason, failed.attempts) == (State.FAILED, "SFTP refused the key", 1)
    lifecycle.retry(people["super"], failed)
    again = Torrent.objects.get()
    assert (again.state, again.reason, again.attempts) == (State.REMOTE_COMPLETE, "", 0)
