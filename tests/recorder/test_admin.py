"""The recorder admin: courts validated through the domain, per-club rows, stop and close actions."""

import pytest
from django.test import Client

from mediasuite.models import Event, Unit
from recorder.models import Court, Recording

from .helpers import make_court, make_recording, make_session


@pytest.fixture
def admin_client(people):
    def login(role):
        client = Client()
        client.force_login(people[role])
        return client

    return login


def test_a_court_with_an_unsupported_camera_scheme_is_refused_when_saved(admin_client, club):
    client = admin_client("admin")
    form = {"club": club.pk, "name": "Court X", "camera_url": "file:///etc/passwd", "camera_kind": "mjpeg",
            "enabled": "on"}
    response = client.post("/admin/recorder/court/add/", form)
    assert response.status_code == 200 and b"camera URL starts with" in response.content
    assert not Court.objects.exists()
    form["camera_url"] = "http://10.0.0.5/video.mjpeg"
    assert client.post("/admin/recorder/court/add/", form).status_code == 302
    court = Court.objects.get()
    assert Event.objects.filter(kind="recorder.court.created", subject_id=str(court.pk)).exists()


def test_club_admins_see_only_their_clubs_rows(admin_client, club, other_club, people):
    mine = make_recording(make_session(make_court(club), people["player"]))
    theirs = make_recording(make_session(make_court(other_club), people["other_player"]))
    page = admin_client("admin").get("/admin/recorder/recording/").content.decode()
    assert mine.session.session_id in page and theirs.session.session_id not in page
    foreign = admin_client("admin").get(f"/admin/recorder/recording/{theirs.pk}/change/")
    assert foreign.status_code in (302, 404)
    assert admin_client("player").get("/admin/recorder/recording/").status_code == 302


def test_stop_action_stops_a_running_recording(admin_client, club, people):
    rec = make_recording(make_session(make_court(club), people["player"]), state="recording", with_file=False)
    Unit.objects.create(name=rec.unit_name, kind="recording", config={"recording": rec.pk}, desired="running",
                        state="running", pid=4242)  # ffmpeg runs: the supervisor signals it, then finalizes
    response = admin_client("admin").post("/admin/recorder/recording/", {
        "action": "stop_recordings", "_selected_action": [rec.pk]})
    assert response.status_code == 302
    rec.refresh_from_db()
    assert rec.state == "stopping" and rec.stopped_by == people["admin"]
    assert Unit.objects.get(name=rec.unit_name).desired == "stopped"
    assert Recording.objects.count() == 1


def test_cleanup_closes_idle_sessions_and_removes_empty_videos(club, other_club, people, api, settings):
    from datetime import timedelta

    from django.utils import timezone

    from mediasuite.services.registry import maintenance_jobs
    from recorder.models import CameraSession

    idle = make_session(make_court(club), people["player"], "sess_1_1")
    CameraSession.objects.filter(pk=idle.pk).update(last_activity=timezone.now() - timedelta(hours=3))
    fresh = make_session(make_court(club, "Court 2"), people["player"], "sess_2_1")
    empty = make_recording(make_session(make_court(club, "Court 3"), people["player"], "sess_3_1"),
                           with_file=False)
    foreign = make_recording(make_session(make_court(other_club), people["other_player"], "sess_4_1"),
                             with_file=False)
    failed = make_recording(make_session(make_court(club, "Court 4"), people["player"], "sess_5_1"),
                            state="failed", with_file=False)
    report = api.as_user(people["admin"]).post("/api/video/cleanup", {}, format="json").json()["report"]
    assert report["sessions_closed"] == 1 and report["small_files_removed"] == 1
    assert CameraSession.objects.get(pk=idle.pk).closed_at is not None
    assert CameraSession.objects.get(pk=fresh.pk).closed_at is None
    assert not Recording.objects.filter(pk=empty.pk).exists()
    assert Recording.objects.filter(pk=failed.pk).exists()  # kept with its reason until deleted by a person
    assert Recording.objects.filter(pk=foreign.pk).exists()  # another club: not this admin's cleanup
    job = next(job for job in maintenance_jobs() if job.name == "recorder.cleanup")
    assert job.function() >= 1
    assert not Recording.objects.filter(pk=foreign.pk).exists()


def test_quota_removes_the_oldest_videos_first(club, people, settings):
    from datetime import timedelta

    from recorder import cleanup

    old = make_recording(make_session(make_court(club), people["player"], "sess_1_1"))
    new = make_recording(make_session(make_court(club, "Court 2"), people["player"], "sess_2_1"))
    Recording.objects.filter(pk=old.pk).update(started_at=new.started_at - timedelta(days=1))
    settings.RECORDER_CLUB_QUOTA_GB = 1.5 * new.path.stat().st_size / 1024 ** 3  # room for one, not two
    report = cleanup.run([club.pk])
    assert report["over_quota_removed"] == 1
    assert list(Recording.objects.values_list("pk", flat=True)) == [new.pk]


def test_per_club_retention_overrides_the_server_default(club, other_club, people, admin_client):
    from datetime import timedelta

    from django.utils import timezone

    from recorder import cleanup
    from recorder.models import ClubStorage

    response = admin_client("admin").post("/admin/recorder/clubstorage/add/",
                                          {"club": club.pk, "retention_days": 7, "quota_gb": ""})
    assert response.status_code == 302
    assert ClubStorage.objects.get().retention_days == 7
    foreign = admin_client("admin").post("/admin/recorder/clubstorage/add/",
                                         {"club": other_club.pk, "retention_days": 1, "quota_gb": ""})
    assert foreign.status_code == 200 and ClubStorage.objects.count() == 1  # not a club of theirs
    assert admin_client("player").get("/admin/recorder/clubstorage/").status_code == 302
    old_mine = make_recording(make_session(make_court(club), people["player"], "sess_1_1"))
    old_theirs = make_recording(make_session(make_court(other_club), people["other_player"], "sess_2_1"))
    Recording.objects.update(started_at=timezone.now() - timedelta(days=30))
    report = cleanup.run(None)
    assert report["expired_removed"] == 1
    assert not Recording.objects.filter(pk=old_mine.pk).exists()
    assert Recording.objects.filter(pk=old_theirs.pk).exists()  # the server default keeps everything


def test_deleting_a_court_removes_its_proxy_unit(admin_client, club):
    from recorder import sessions

    court = make_court(club)  # a court with sessions keeps its history: disable it instead
    sessions.ensure_proxy(court)
    assert Unit.objects.filter(name=f"cam-{court.pk}").exists()
    response = admin_client("admin").post(f"/admin/recorder/court/{court.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Court.objects.exists() and not Unit.objects.filter(name=f"cam-{court.pk}").exists()


def test_club_admins_list_and_delete_only_their_clubs_storage_setting(admin_client, club, other_club):
    from recorder.models import ClubStorage

    mine = ClubStorage.objects.create(club=club, retention_days=30)
    theirs = ClubStorage.objects.create(club=other_club, retention_days=7)
    client = admin_client("admin")
    page = client.get("/admin/recorder/clubstorage/").content.decode()
    assert f"/admin/recorder/clubstorage/{mine.pk}/change/" in page
    assert f"/admin/recorder/clubstorage/{theirs.pk}/change/" not in page
    client.post(f"/admin/recorder/clubstorage/{theirs.pk}/delete/", {"post": "yes"})
    client.post("/admin/recorder/clubstorage/", {"action": "delete_selected", "_selected_action": [theirs.pk],
                                                 "post": "yes"})
    assert ClubStorage.objects.filter(pk=theirs.pk).exists()
    client.post(f"/admin/recorder/clubstorage/{mine.pk}/delete/", {"post": "yes"})
    assert not ClubStorage.objects.filter(pk=mine.pk).exists()
