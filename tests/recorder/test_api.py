"""The recorder API without processes: bad input, conflicts, limits, Range downloads, query counts."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mediasuite.models import Unit
from recorder.models import CameraSession, Court, Recording

from .helpers import make_court, make_recording, make_session


def open_session(api, user, court):
    response = api.as_user(user).post("/api/video/session/create", {"terrain_id": court.pk}, format="json")
    assert response.status_code == 201, response.content
    return response.json()["session"]


def start(api, user, session_id, **extra):
    body = {"session_id": session_id, **extra}
    return api.as_user(user).post("/api/video/record/start", body, format="json")


def test_session_create_opens_the_court_proxy_and_close_lets_it_stop(api, people, club):
    court = make_court(club)
    session = open_session(api, people["player"], court)
    assert session["session_id"].startswith(f"sess_{court.pk}_")
    assert session["terrain_id"] == court.pk and session["is_open"]
    proxy = Unit.objects.get(name=f"cam-{court.pk}")
    assert (proxy.kind, proxy.desired, proxy.config["url"]) == ("camera-proxy", "running", court.camera_url)
    detail = api.as_user(people["player"]).get(f"/api/video/session/{session['session_id']}").json()
    assert detail["session"]["session_id"] == session["session_id"]
    closed = api.as_user(people["player"]).post("/api/video/session/close",
                                                {"session_id": session["session_id"]}, format="json")
    assert closed.json() == {"success": True, "message": "Session closed."}
    proxy.refresh_from_db()
    assert proxy.desired == "stopped"
    assert api.as_user(people["player"]).get("/api/video/session/list").json() == {"sessions": []}


@pytest.mark.parametrize(("minutes", "field"), [(-5, "duration_minutes"), (0, "duration_minutes"),
                                                (100000, "duration_minutes"), ("ninety", "duration_minutes"),
                                                (None, "duration_minutes")])
def test_bad_durations_are_400_and_start_nothing(api, people, club, minutes, field):
    session = open_session(api, people["player"], make_court(club))
    response = start(api, people["player"], session["session_id"], duration_minutes=minutes)
    assert response.status_code == 400
    assert field in response.json()["fields"]
    assert not Recording.objects.exists()


def test_default_duration_is_90_minutes_and_a_second_start_is_409(api, people, club):
    session = open_session(api, people["player"], make_court(club))
    first = start(api, people["player"], session["session_id"])
    assert first.status_code == 201
    assert first.json()["recording"]["planned_seconds"] == 90 * 60
    unit = Unit.objects.get(name=f"rec-{session['session_id']}")
    assert (unit.kind, unit.desired) == ("recording", "running")
    again = start(api, people["player"], session["session_id"])
    assert again.status_code == 409
    assert "already has a recording" in again.json()["error"]
    other_session = open_session(api, people["admin"], Court.objects.get())
    busy = start(api, people["admin"], other_session["session_id"])
    assert busy.status_code == 409 and "already being recorded" in busy.json()["error"]
    assert Recording.objects.count() == 1


def test_max_concurrent_recordings_is_a_409_with_a_message(api, people, club, settings):
    settings.MAX_CONCURRENT_RECORDINGS = 2
    ids = [open_session(api, people["admin"], make_court(club, f"Court {n}"))["session_id"] for n in range(3)]
    assert [start(api, people["admin"], sid).status_code for sid in ids[:2]] == [201, 201]
    refused = start(api, people["admin"], ids[2])
    assert refused.status_code == 409
    assert "MAX_CONCURRENT_RECORDINGS=2" in refused.json()["error"]
    assert Recording.objects.count() == 2


def test_a_stop_before_ffmpeg_started_answers_failed_with_a_reason_and_frees_the_court(api, people, club):
    court = make_court(club)
    session = open_session(api, people["player"], court)
    start(api, people["player"], session["session_id"])
    stopped = api.as_user(people["player"]).post("/api/video/record/stop",
                                                 {"session_id": session["session_id"]}, format="json")
    assert stopped.status_code == 200
    body = stopped.json()
    assert (body["success"], body["state"]) == (False, "failed")
    assert body["failure"].startswith("No frame was received from the camera")
    assert body["video_path"] == f"{club.pk}/{session['session_id']}.mp4"
    assert body["recording"]["stopped_by"] == "paul" and body["recording"]["download_url"] is None
    assert Unit.objects.get(name=f"rec-{session['session_id']}").desired == "stopped"
    assert CameraSession.objects.get().closed_at is not None  # closed after the stop, as the original
    again = api.as_user(people["player"]).post("/api/video/record/stop",
                                               {"session_id": session["session_id"]}, format="json")
    assert again.status_code == 409
    next_session = open_session(api, people["player"], court)
    assert start(api, people["player"], next_session["session_id"]).status_code == 201


def test_a_stop_not_finished_within_the_wait_answers_202_with_the_state(api, people, club, settings):
    settings.RECORDER_STOP_WAIT = 0.3
    session = open_session(api, people["player"], make_court(club))
    start(api, people["player"], session["session_id"])
    Unit.objects.filter(name=f"rec-{session['session_id']}").update(state="running", pid=4242)  # ffmpeg runs
    stopped = api.as_user(people["player"]).post("/api/video/record/stop",
                                                 {"session_id": session["session_id"]}, format="json")
    assert stopped.status_code == 202
    body = stopped.json()
    assert (body["success"], body["state"], body["recording"]["download_url"]) == (False, "stopping", None)


def test_closing_a_recording_session_is_409(api, people, club):
    session = open_session(api, people["player"], make_court(club))
    start(api, people["player"], session["session_id"])
    response = api.as_user(people["player"]).post("/api/video/session/close",
                                                  {"session_id": session["session_id"]}, format="json")
    assert response.status_code == 409
    assert CameraSession.objects.get().closed_at is None


@pytest.mark.parametrize("trick", ["..%2F..%2Fetc%2Fpasswd", "sess_1_2%00", "%2Fetc%2Fpasswd", "sess_1_2.mp4",
                                   "sess_..", "987654"])
def test_file_ids_with_path_tricks_are_404(api, people, trick):
    client = api.as_user(people["super"])
    for response in (client.get(f"/api/video/files/{trick}/download"),
                     client.delete(f"/api/video/files/{trick}/delete"),
                     client.get(f"/api/video/record/status/{trick}"),
                     client.get(f"/api/preview/{trick}/snapshot.jpg")):
        assert response.status_code == 404, trick
        assert response.json()["error"]


def test_unknown_terrain_and_session_ids_are_404(api, people):
    client = api.as_user(people["admin"])
    assert client.post("/api/video/session/create", {"terrain_id": 987654}, format="json").status_code == 404
    unknown = client.post("/api/video/record/start", {"session_id": "sess_1_1"}, format="json")
    assert unknown.status_code == 404
    bad = client.post("/api/video/record/start", {"session_id": "../../x"}, format="json")
    assert bad.status_code == 400 and "session_id" in bad.json()["fields"]


@pytest.mark.parametrize(("kind", "url"), [("mjpeg", "file:///etc/passwd"), ("mjpeg", "ftp://cam/x"),
                                           ("rtsp", "http://cam/x"), ("mjpeg", "javascript:alert(1)"),
                                           ("mjpeg", "http:///nohost")])
def test_a_camera_url_with_an_unsupported_scheme_is_refused(kind, url, club):
    court = Court(club=club, name="Bad", camera_url=url, camera_kind=kind)
    with pytest.raises(ValidationError) as caught:
        court.full_clean()
    assert "camera_url" in caught.value.message_dict


def test_download_answers_ranges_so_players_can_seek(api, people, club):
    rec = make_recording(make_session(make_court(club), people["player"]))
    client = api.as_user(people["admin"])
    url = f"/api/video/files/{rec.session.session_id}/download"
    data = rec.path.read_bytes()
    whole = client.get(url)
    assert whole.status_code == 200 and whole["Accept-Ranges"] == "bytes"
    assert b"".join(whole) == data
    part = client.get(url, HTTP_RANGE="bytes=100-199")
    assert part.status_code == 206
    assert part["Content-Range"] == f"bytes 100-199/{len(data)}"
    assert b"".join(part) == data[100:200]
    tail = client.get(url, HTTP_RANGE="bytes=-50")
    assert b"".join(tail) == data[-50:]
    assert client.get(url, HTTP_RANGE=f"bytes={len(data) + 10}-").status_code == 416


def test_delete_removes_the_file_and_the_row(api, people, club):
    rec = make_recording(make_session(make_court(club), people["player"]))
    response = api.as_user(people["admin"]).delete(f"/api/video/files/{rec.session.session_id}/delete")
    assert response.status_code == 200
    assert not rec.path.exists() and not Recording.objects.exists()


def test_lists_run_a_constant_number_of_queries(api, people, club):
    client = api.as_user(people["admin"])

    def count(url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    court = make_court(club)
    make_recording(make_session(court, people["player"], "sess_1_1"))
    small = (count("/api/video/files/list"), count("/api/video/session/list"))
    for n in range(2, 7):
        make_recording(make_session(make_court(club, f"C{n}"), people["player"], f"sess_1_{n}"))
    assert (count("/api/video/files/list"), count("/api/video/session/list")) == small


def test_health_reports_the_pipeline(api, db):
    body = api.get("/api/video/health").json()
    assert body["ffmpeg_available"] is True and body["max_concurrent"] == 10
    assert set(body) >= {"status", "ffmpeg_path", "active_sessions", "active_recordings", "pipeline"}
