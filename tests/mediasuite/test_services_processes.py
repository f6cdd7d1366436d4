"""Must show: an active tracker survives a restart of every process, plays stored once each.

Real `manage.py qcluster` processes on the test database, the fake Last.fm
over HTTP, the API of the test process. The second cluster is started with
nobody calling any API: the worker-start hook restores the service.
"""

import os
import signal
import time

import pytest

from mediasuite.models import ServiceState, TrackPlay
from tests.conftest import wait_for
from tests.fakes.lastfm import FakeLastfm

pytestmark = pytest.mark.processes


@pytest.fixture
def fake():
    with FakeLastfm(api_key="proc-key", users=["alice"]) as server:
        yield server


def worker_env(fake):
    return {"LASTFM_API_URL": fake.url, "LASTFM_API_KEY": "proc-key", "LASTFM_USER": "alice",
            "MEDIASUITE_PROCESS": "worker"}


def stop_cleanly(worker, timeout=30):
    """SIGTERM to the qcluster's main process, as a process manager stops it; returns the seconds taken."""
    started = time.monotonic()
    os.kill(worker.pid, signal.SIGTERM)
    worker.popen.wait(timeout)
    worker.stop()
    return time.monotonic() - started


def plays():
    return TrackPlay.objects.count()


def assert_each_play_stored_once(fake):
    rows = list(TrackPlay.objects.values_list("user", "artist", "track", "played_at"))
    assert len(rows) == len(set(rows)) == len(fake.plays["alice"])
    assert ServiceState.objects.get(name="tracker").counters["tracks_found"] == len(rows)


def test_tracker_survives_a_restart_of_every_process(fake, spawn, people, api, settings, capsys):
    settings.SERVICES_MIN_INTERVAL = 1
    t0 = int(time.time()) - 3600
    fake.add_play("alice", "Daft Punk", "One More Time", "Discovery", uts=t0)
    fake.add_play("alice", "Air", "Sexy Boy", "Moon Safari", uts=t0 + 60)
    fake.now_playing("alice", "Justice", "Genesis")

    worker = spawn("worker-1", "qcluster", env=worker_env(fake))
    api.as_user(people["super"])
    assert api.patch("/api/v1/services/tracker", {"interval": 1}, format="json").status_code == 200
    started = time.monotonic()
    assert api.post("/api/v1/services/tracker/start").json() == {"status": "started"}
    wait_for(lambda: plays() == 2, timeout=30, message=f"the first plays\n{worker.output()}")
    first = time.monotonic() - started
    fake.add_play("alice", "Justice", "Genesis", "Cross", uts=t0 + 120)
    wait_for(lambda: plays() == 3, timeout=10, message="a play added while it runs")

    # Stop every process (the web side here is the test itself; the worker is the only server).
    stopped_in = stop_cleanly(worker)
    state = ServiceState.objects.get(name="tracker")
    assert state.is_active and state.runner == ""  # the run ended its window and released its lease
    fake.add_play("alice", "Moderat", "Bad Kingdom", "II", uts=t0 + 180)
    fake.add_play("alice", "Moderat", "Rusty Nails", "II", uts=t0 + 240)

    # Start again; nobody calls the API.
    restarted = time.monotonic()
    worker = spawn("worker-2", "qcluster", env=worker_env(fake))
    wait_for(lambda: plays() == 5, timeout=30, message=f"plays after the restart\n{worker.output()}")
    resumed = time.monotonic() - restarted
    fake.add_play("alice", "Air", "Playground Love", "The Virgin Suicides", uts=t0 + 300)
    wait_for(lambda: plays() == 6, timeout=10, message="a play added after the restart")

    status = api.get("/api/v1/services/tracker/status").json()
    assert status["running"] is True and status["tracks_found"] == 6 and status["last_error"] == ""
    checks = len(fake.requests)
    wait_for(lambda: len(fake.requests) >= checks + 2, timeout=10, message="checks going on")
    assert_each_play_stored_once(fake)

    # Stopped through the API: the worker stops checking.
    assert api.post("/api/v1/services/tracker/stop").json() == {"status": "stopped"}
    wait_for(lambda: ServiceState.objects.get(name="tracker").runner == "", timeout=10,
             message="the run to end")
    checks = len(fake.requests)
    time.sleep(2.5)  # nothing to await: this asserts that nothing happens
    assert len(fake.requests) == checks
    stop_cleanly(worker)
    with capsys.disabled():
        print(f"\n  tracker: first plays {first:.2f} s after start; clean worker stop {stopped_in:.2f} s; "
              f"after the restart, plays again {resumed:.2f} s after the worker started")


def test_a_killed_worker_is_taken_over_when_its_lease_expires(fake, spawn, people, api, settings):
    """SIGKILL: no chance to release the lease; the restarted worker waits for it to expire."""
    from mediasuite.services import runner

    settings.SERVICES_MIN_INTERVAL = 1
    fake.add_play("alice", "Daft Punk", "Veridis Quo", uts=int(time.time()) - 600)
    worker = spawn("worker-1", "qcluster", env=worker_env(fake))
    api.as_user(people["super"])
    api.patch("/api/v1/services/tracker", {"interval": 1}, format="json")
    api.post("/api/v1/services/tracker/start")
    wait_for(lambda: plays() == 1, timeout=30, message="the first play")
    worker.stop(signal.SIGKILL)
    assert ServiceState.objects.get(name="tracker").runner != ""  # a dead run's lease
    fake.add_play("alice", "Daft Punk", "Something About Us", uts=int(time.time()) - 300)
    worker = spawn("worker-2", "qcluster", env=worker_env(fake))
    wait_for(lambda: plays() == 2, timeout=runner.LEASE_TTL + 20, message=f"a takeover\n{worker.output()}")
    assert_each_play_stored_once(fake)
    stop_cleanly(worker)
