"""The tracker against the fake Last.fm: plays stored once each, errors reported, never a crash."""

import socket
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from mediasuite.clients import lastfm
from mediasuite.models import Event, ServiceState, TrackPlay
from mediasuite.services import control, runner
from tests.fakes.lastfm import FakeLastfm

T0 = 1_700_000_000


@pytest.fixture
def fake(settings):
    with FakeLastfm(api_key="good-key", users=["alice"]) as server:
        settings.LASTFM_API_URL = server.url
        settings.LASTFM_API_KEY = "good-key"
        settings.LASTFM_USER = "alice"
        yield server


@pytest.fixture
def tracker(db):
    control.start(None, "tracker")
    return "tracker"


def check_now():
    """One check of the tracker, through the real runner (the check is due at once)."""
    ServiceState.objects.filter(name="tracker").update(last_check=None)
    result = runner.run("tracker")
    assert result.startswith("1 check"), result
    return ServiceState.objects.get(name="tracker")


def stored():
    return sorted(TrackPlay.objects.values_list("artist", "track", "album"))


def test_new_plays_are_stored_once_and_counted(fake, tracker):
    fake.add_play("alice", "Daft Punk", "One More Time", "Discovery", uts=T0)
    fake.add_play("alice", "Air", "Sexy Boy", "Moon Safari", uts=T0 + 300)
    state = check_now()
    assert stored() == [("Air", "Sexy Boy", "Moon Safari"), ("Daft Punk", "One More Time", "Discovery")]
    assert state.counters["tracks_found"] == 2 and state.last_error == "" and state.last_check
    assert Event.objects.filter(kind="service.checked", subject_id="tracker").exists()

    # Last.fm's `from` sends the last stored play again: it is not stored twice, nor counted.
    fake.add_play("alice", "Justice", "D.A.N.C.E.", "Cross", uts=T0 + 600)
    state = check_now()
    assert len(stored()) == 3 and state.counters["tracks_found"] == 3
    assert fake.requests[-1]["from"] == str(T0 + 300)
    state = check_now()
    assert len(stored()) == 3 and state.counters["tracks_found"] == 3


def test_the_same_play_twice_in_one_answer_is_stored_once(fake, tracker):
    fake.add_play("alice", "Daft Punk", "Aerodynamic", uts=T0)
    fake.add_play("alice", "Daft Punk", "Aerodynamic", uts=T0)
    state = check_now()
    assert TrackPlay.objects.count() == 1 and state.counters["tracks_found"] == 1


def test_now_playing_is_not_a_play_yet(fake, tracker):
    fake.now_playing("alice", "Air", "La femme d'argent")
    state = check_now()  # only the now-playing item: Last.fm sends it as a lone object
    assert TrackPlay.objects.count() == 0 and state.counters["tracks_found"] == 0
    fake.add_play("alice", "Air", "Kelly Watch the Stars", uts=T0)
    check_now()
    assert stored() == [("Air", "Kelly Watch the Stars", "")]


def test_bad_api_key_is_reported_and_the_service_stays_active(fake, tracker, settings):
    settings.LASTFM_API_KEY = "wrong-key"
    fake.add_play("alice", "Daft Punk", "Digital Love", uts=T0)
    state = check_now()
    assert state.is_active and state.last_check is not None
    assert "Last.fm rejected the API key (error 10: Invalid API key" in state.last_error
    assert "LASTFM_API_KEY" in state.last_error
    assert TrackPlay.objects.count() == 0
    assert control.status("tracker")["running"] is True

    settings.LASTFM_API_KEY = "good-key"
    state = check_now()
    assert state.last_error == "" and TrackPlay.objects.count() == 1


def test_unknown_user_and_missing_configuration_are_explained(fake, tracker, settings):
    settings.LASTFM_USER = "nobody"
    assert "does not know this user" in check_now().last_error
    settings.LASTFM_USER = ""
    missing = ("Last.fm is not configured: set it in Settings → Connections (/settings/connections/#lastfm) "
               "or by LASTFM_API_KEY and LASTFM_USER in the environment.")
    assert check_now().last_error == missing
    settings.LASTFM_API_KEY = ""
    assert check_now().last_error == missing


@pytest.mark.parametrize("status", [429, 503])
def test_busy_or_down_last_fm_is_retried_at_the_next_check(fake, tracker, status):
    fake.add_play("alice", "Moderat", "A New Error", uts=T0)
    fake.fail_with(status)
    state = check_now()
    assert "Last.fm is busy or down" in state.last_error
    assert TrackPlay.objects.count() == 0
    state = check_now()
    assert state.last_error == "" and TrackPlay.objects.count() == 1


def test_unreachable_last_fm_is_reported(tracker, settings):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings.LASTFM_API_URL = f"http://127.0.0.1:{port}/2.0/"
    settings.LASTFM_API_KEY, settings.LASTFM_USER = "k", "alice"
    state = check_now()
    assert state.last_error.startswith("Cannot reach Last.fm") and state.is_active


def test_client_reads_every_page(fake):
    for i in range(5):
        fake.add_play("alice", "Artist", f"Track {i}", uts=T0 + i)
    plays = lastfm.Client().recent_tracks("alice", since=T0, limit=2)
    assert sorted(p.track for p in plays) == [f"Track {i}" for i in range(5)]
    assert [q["page"] for q in fake.requests] == ["1", "2", "3"]


def test_a_stopped_tracker_does_not_check(fake, tracker):
    control.stop(None, "tracker")
    fake.add_play("alice", "Air", "Playground Love", uts=T0)
    assert runner.run("tracker") == "busy or stopped"
    assert TrackPlay.objects.count() == 0 and fake.requests == []


def test_one_run_at_a_time(db):
    control.start(None, "tracker")
    assert runner.claim("tracker", "first")
    assert not runner.claim("tracker", "second")
    started = time.monotonic()
    assert not runner.claim("tracker", "second", wait=False)
    assert time.monotonic() - started < 1
    runner.release("tracker", "first")
    assert runner.claim("tracker", "second")
    # A lease whose holder died (not renewed) is taken over by a waiting run.
    ServiceState.objects.filter(name="tracker").update(
        runner="dead", runner_until=timezone.now() + timedelta(seconds=1))
    assert runner.claim("tracker", "third", wait=True)
    assert not runner.renew("tracker", "second")
    control.stop(None, "tracker")
    assert not runner.renew("tracker", "third")
