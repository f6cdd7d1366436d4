"""What needs attention (mediasuite/health): each check appears with its cause and clears when it is fixed,
through GET /api/health?detail=1 as the dashboard and the navigation badge read it."""

import os
import signal
import subprocess
import uuid

import pytest
from django.conf import settings

import mediasuite.urls  # noqa: F401  (its URL list reads BASE_DIR on import, which a test moves)
from mediasuite import health
from mediasuite.clients import connections
from mediasuite.health import core as health_core
from mediasuite.models import Desired, ServiceState, Unit, UnitState
from mediasuite.services import control as services
from mediasuite.services import runner
from mediasuite.supervisor import control
from recorder import recording as recording_actions
from recorder.models import Recording
from seedbox import lifecycle
from seedbox.models import State, Torrent
from tests.conftest import wait_for
from tests.fakes.discord import FakeDiscord
from tests.fakes.lastfm import FakeLastfm
from tests.mediasuite.update_support import AUTHOR, git
from tests.recorder.helpers import make_court, make_recording, make_session

FAST = {"MEDIASUITE_PROCESS": "supervisor", "MEDIASUITE_SUPERVISOR_TICK": "0.1",
        "MEDIASUITE_BACKOFF_BASE": "0.1", "MEDIASUITE_BACKOFF_CAP": "0.4",
        "MEDIASUITE_FAILURE_LIMIT": "3", "MEDIASUITE_START_SECONDS": "0.2", "MEDIASUITE_HEALTHY_AFTER": "60",
        "MEDIASUITE_STOP_TIMEOUT": "3"}


def problems(client) -> dict[str, dict]:
    body = client.get("/api/health?detail=1").json()
    return {p["key"]: p for p in body["problems"]}


@pytest.fixture
def root(api, people):
    return api.as_user(people["super"])


def test_detail_is_for_a_super_admin_and_liveness_stays_open(api, people):
    assert api.get("/api/health").status_code == 200
    assert api.get("/api/health?detail=1").status_code == 403
    assert api.as_user(people["admin"]).get("/api/health?detail=1").status_code == 403
    assert api.as_user(people["super"]).get("/api/health?detail=2").status_code == 400
    body = api.as_user(people["super"]).get("/api/health?detail=1").json()
    assert body["status"] == "ok" and {"errors", "warnings", "problems", "glance"} <= set(body)
    assert {"Services", "Channels", "Courts", "Torrents"} <= {g["label"] for g in body["glance"]}


def kill_until_failed(unit: Unit):
    """SIGKILL the unit's process each time it runs again, until the supervisor gives up (failed)."""
    killed = set()

    def failed():
        unit.refresh_from_db()
        if unit.state == UnitState.RUNNING and unit.pid and unit.pid not in killed:
            killed.add(unit.pid)
            os.killpg(unit.pid, signal.SIGKILL)
        return unit.state == UnitState.FAILED

    wait_for(failed, timeout=30, message="the unit to be failed")
    return killed


@pytest.mark.processes
def test_a_unit_killed_until_failed_appears_and_clears_after_a_restart(spawn, root, tmp_path):
    unit = control.ensure_unit(f"beat-{uuid.uuid4().hex[:6]}", "heartbeat",
                               {"interval": 0.2, "file": str(tmp_path / "beat")}, desired=Desired.RUNNING)
    spawn("supervisor", "supervise", "--node", f"attention-{os.getpid()}", env=FAST)
    wait_for(lambda: Unit.objects.get(pk=unit.pk).state == UnitState.RUNNING, message="the unit to run")
    assert f"unit:{unit.name}" not in problems(root)

    kill_until_failed(unit)
    found = problems(root)[f"unit:{unit.name}"]
    assert found["severity"] == "error" and found["message"].startswith(f"{unit.name} failed: ")
    assert found["link"] == f"/admin/mediasuite/unit/{unit.pk}/change/"
    assert root.get("/api/health?detail=1").json()["errors"] >= 1

    control.restart(None, unit)
    wait_for(lambda: Unit.objects.get(pk=unit.pk).state == UnitState.RUNNING, message="the unit to run again")
    assert f"unit:{unit.name}" not in problems(root)


@pytest.fixture
def tiny_disk(tmp_path):
    """A 2 MB tmpfs (root may mount one here), unmounted afterwards."""
    where = tmp_path / "tiny"
    where.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(where)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    yield where
    subprocess.run(["umount", str(where)], check=True)


def test_a_nearly_full_recordings_disk_appears_and_clears(root, settings, tiny_disk):
    settings.RECORDER_ROOT = tiny_disk
    settings.DISK_LOW_MB = 1
    key = f"disk:{tiny_disk}"
    assert key not in problems(root)

    filler = tiny_disk / "match.mp4"
    filler.write_bytes(b"\0" * (1536 * 1024))  # 0.5 MB left
    found = problems(root)[key]
    assert found["severity"] == "error"
    assert f"for Recordings ({tiny_disk}), below 1 MB; free some space" in found["message"]

    filler.unlink()
    assert key not in problems(root)


def test_an_erroring_service_appears_and_clears(root, settings, db):
    with FakeLastfm(api_key="good-key-000", users=["alice"]) as fake:
        settings.LASTFM_API_URL, settings.LASTFM_USER = fake.url, "alice"
        settings.LASTFM_API_KEY = "wrong-key-000"
        services.start(None, "tracker")

        def check_now():
            ServiceState.objects.filter(name="tracker").update(last_check=None)
            runner.run("tracker")

        check_now()
        found = problems(root)["service:tracker"]
        assert found["severity"] == "warning" and "Last.fm rejected the API key" in found["message"]
        assert found["link"] == "/settings/#service-tracker"

        settings.LASTFM_API_KEY = "good-key-000"
        check_now()
        assert "service:tracker" not in problems(root)


def test_an_active_service_without_its_connection_and_a_failing_test_appear_and_clear(root, settings, db):
    settings.DISCORD_WEBHOOK_URL = ""
    services.start(None, "notifier")
    found = problems(root)["connection:discord:needed"]
    assert found == {"key": "connection:discord:needed", "severity": "error",
                     "link": "/settings/connections/#discord",
                     "message": "Discord notifier is active but Discord is not configured: set it in "
                                "Settings → Connections."}

    with FakeDiscord() as discord:
        wrong = discord.webhook_url.replace("fake-token", "x")
        connections.save(None, "discord", {"DISCORD_WEBHOOK_URL": wrong})
        assert "connection:discord:needed" not in problems(root)
        assert not connections.test("discord")["ok"]
        assert "Unknown Webhook" in problems(root)["connection:discord:test"]["message"]

        connections.save(None, "discord", {"DISCORD_WEBHOOK_URL": discord.webhook_url})
        assert connections.test("discord") == {"name": "discord", "ok": True,
                                               "message": "Discord webhook MediaSuite alerts"}
        assert not [key for key in problems(root) if key.startswith("connection:discord")]


def test_failed_and_blocked_torrents_appear_and_clear(root, db):
    torrent = Torrent.objects.create(infohash="a" * 40, name="Big.Movie.2024", key="k1", media_type="movie",
                                     tmdb_id=603, state=State.FAILED, reason="SFTP refused")
    found = problems(root)["torrents:failed"]
    assert found["message"].startswith("1 torrent failed (Big.Movie.2024): see the reason")
    assert found["link"] == "/seedbox/"
    lifecycle.ignore(None, torrent)
    assert "torrents:failed" not in problems(root)


def test_a_broken_check_is_reported_and_the_others_still_run(root, db):
    def broken():
        raise RuntimeError("boom")

    health.register(broken)
    try:
        found = problems(root)
    finally:
        health._checks.remove(broken)
    assert found["check:broken"]["message"] == "The health check broken failed (boom); see the web log."
    assert settings.DISK_LOW_MB and "check:units" not in found


def test_a_failed_recording_appears(root, club, people):
    session = make_session(make_court(club), people["player"])
    recording = make_recording(session, state="failed", with_file=False)
    Recording.objects.filter(pk=recording.pk).update(stop_reason="the camera stopped answering")
    found = problems(root)[f"recording:{recording.pk}"]
    assert found["severity"] == "error"
    assert "failed: the camera stopped answering; see its log." in found["message"]
    assert found["link"] == f"/admin/recorder/recording/{recording.pk}/change/"


@pytest.mark.processes
def test_a_backing_off_unit_appears_and_clears_once_it_runs(spawn, root, tmp_path):
    """A crashing unit is a warning while the supervisor retries it, gone once it starts cleanly."""
    crash = tmp_path / "crash"
    crash.touch()
    unit = control.ensure_unit(f"crashy-{uuid.uuid4().hex[:6]}", "heartbeat",
                               {"interval": 0.2, "file": str(tmp_path / "beat"), "crash_while": str(crash)},
                               desired=Desired.RUNNING)
    spawn("supervisor", "supervise", "--node", f"attention-backoff-{os.getpid()}",
          env={**FAST, "MEDIASUITE_FAILURE_LIMIT": "1000", "MEDIASUITE_BACKOFF_BASE": "1",
               "MEDIASUITE_BACKOFF_CAP": "1"})
    found = wait_for(lambda: problems(root).get(f"unit:{unit.name}"), message="the unit in backoff to appear")
    assert found["severity"] == "warning" and found["link"] == f"/admin/mediasuite/unit/{unit.pk}/change/"
    assert found["message"].startswith(f"{unit.name} is restarting after a failure (")
    assert Unit.objects.get(pk=unit.pk).state in (UnitState.BACKOFF, UnitState.STARTING)

    crash.unlink()
    wait_for(lambda: Unit.objects.get(pk=unit.pk).state == UnitState.RUNNING, message="the unit to run")
    assert f"unit:{unit.name}" not in problems(root)


def test_blocked_torrents_appear_and_clear_when_retried(root, people):
    Torrent.objects.create(infohash="c" * 40, name="Show.S02", key="k3", media_type="series", tvdb_id=81189,
                           state=State.IMPORT_BLOCKED, reason="Sonarr: no matching episode")
    blocked = Torrent.objects.create(infohash="d" * 40, name="Show.S03", key="k4", media_type="series",
                                     tvdb_id=81189, state=State.IMPORT_BLOCKED, reason="Sonarr: unknown show")
    found = problems(root)["torrents:import_blocked"]
    assert found["severity"] == "error" and found["link"] == "/seedbox/"
    assert found["message"].startswith("2 torrents are blocked at the import (Show.S03, Show.S02): see the "
                                       "reason")

    lifecycle.retry(people["super"], blocked)
    assert problems(root)["torrents:import_blocked"]["message"].startswith(
        "1 torrent is blocked at the import (Show.S02)")
    lifecycle.ignore(people["super"], Torrent.objects.get(name="Show.S02"))
    assert "torrents:import_blocked" not in problems(root)


def test_an_update_appears_when_the_remote_is_ahead_and_clears_once_pulled(root, settings, tmp_path,
                                                                              monkeypatch):
    """A checkout tracking a local bare remote: a commit pushed there and fetched is an update to install."""
    monkeypatch.setattr(health_core, "UPDATE_CHECK_EVERY", 0.0)  # look at git at every request
    remote, checkout, other = tmp_path / "remote.git", tmp_path / "checkout", tmp_path / "other"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(remote))
    git(tmp_path, "clone", "-q", str(remote), str(other))
    git(other, *AUTHOR, "commit", "-q", "--allow-empty", "-m", "The running version")
    git(other, "push", "-q", "origin", "HEAD:main")
    git(tmp_path, "clone", "-q", str(remote), str(checkout))
    settings.BASE_DIR = checkout
    assert "update" not in problems(root)

    git(other, *AUTHOR, "commit", "-q", "--allow-empty", "-m", "Faster channels")
    git(other, "push", "-q", "origin", "HEAD:main")
    git(checkout, "fetch", "-q")  # what the System page does
    found = problems(root)["update"]
    ahead = git(other, "rev-parse", "HEAD")
    assert found == {"key": "update", "severity": "warning", "link": "/system/",
                     "message": f"An update is available: Faster channels ({ahead[:8]})."}

    git(checkout, "merge", "-q", "--ff-only", "origin/main")
    assert "update" not in problems(root)


def test_a_failed_recording_clears_when_deleted(root, club, people):
    recording = make_recording(make_session(make_court(club), people["player"]), state="failed")
    assert f"recording:{recording.pk}" in problems(root)
    recording_actions.delete(people["admin"], recording)
    assert f"recording:{recording.pk}" not in problems(root)
