"""The recorder's units are the recorder's to start: an ended recording's unit stays stopped; orphans go."""

import pytest

from mediasuite.models import Desired, Event, Unit
from mediasuite.supervisor import control
from recorder.models import RecordingState
from tests.conftest import wait_for

from .helpers import make_court, make_recording, make_session


def recording_unit(rec, desired=Desired.STOPPED):
    return control.ensure_unit(rec.unit_name, "recording", {"recording": rec.pk, "parts": str(rec.parts_dir)},
                               club=rec.club, owner=rec.user, desired=desired)


@pytest.mark.parametrize("state", list(RecordingState))
def test_only_a_recording_still_recording_has_a_unit_a_person_may_start(state, club, people):
    rec = make_recording(make_session(make_court(club), people["player"]), state=state, with_file=False)
    why = control.refusal(recording_unit(rec))
    if state == RecordingState.RECORDING:
        assert why is None
    else:
        assert why == (f"Unit {rec.unit_name} belongs to a recording that has ended ({state}); "
                       "start a new recording on the court instead.")


@pytest.mark.parametrize("verb", ["start", "restart"])
@pytest.mark.parametrize("outcome", ["finalized", "failed", "deleted"])
def test_an_ended_recordings_unit_cannot_be_started_through_the_units_api(verb, outcome, api, club, people):
    rec = make_recording(make_session(make_court(club), people["player"]), state="failed"
                         if outcome == "deleted" else outcome, with_file=False)
    unit = recording_unit(rec)
    if outcome == "deleted":
        rec.delete()
    before = Event.objects.count()
    for role in ("super", "admin"):
        response = api.as_user(people[role]).post(f"/api/v1/units/{unit.name}/{verb}")
        assert response.status_code == 409, response.content
        assert response.json()["error"].startswith(f"Unit {unit.name} belong")
        assert ("deleted" if outcome == "deleted" else f"has ended ({outcome})") in response.json()["error"]
    unit.refresh_from_db()
    assert (unit.desired, unit.restart_requested_at) == (Desired.STOPPED, None)
    assert Event.objects.count() == before


def test_a_running_recordings_unit_may_still_be_restarted_by_an_admin(api, club, people):
    rec = make_recording(make_session(make_court(club), people["player"]), state="recording", with_file=False)
    unit = recording_unit(rec, Desired.RUNNING)
    response = api.as_user(people["admin"]).post(f"/api/v1/units/{unit.name}/restart")
    assert response.status_code == 200 and response.json()["restart_requested_at"]


def test_the_admin_start_action_refuses_an_ended_recordings_unit_with_the_reason(client, club, people):
    session = make_session(make_court(club), people["player"])
    unit = recording_unit(make_recording(session, state="finalized", with_file=False))
    other = control.ensure_unit("own-heartbeat", "heartbeat", {}, club=club)
    client.force_login(people["admin"])
    response = client.post("/admin/mediasuite/unit/", {"action": "start_units",
                                                        "_selected_action": [unit.pk, other.pk]}, follow=True)
    text = " ".join(str(m) for m in response.context["messages"])
    assert f"Could not start: {unit.name} (Unit {unit.name} belongs to a recording that has ended" in text
    assert "Start requested: own-heartbeat." in text
    unit.refresh_from_db()
    other.refresh_from_db()
    assert (unit.desired, other.desired) == (Desired.STOPPED, Desired.RUNNING)
    form = client.post(f"/admin/mediasuite/unit/{unit.pk}/change/", {"desired": "running"})
    assert form.status_code == 200 and "belongs to a recording that has ended" in form.content.decode()
    unit.refresh_from_db()
    assert unit.desired == Desired.STOPPED


@pytest.mark.processes
def test_units_whose_recording_or_court_is_gone_are_removed_not_retried(supervisor, club, people):
    court = make_court(club, "Gone court")
    rec = make_recording(make_session(court, people["player"]), state="recording", with_file=False)
    rec_unit = recording_unit(rec, Desired.RUNNING)
    cam_unit = control.ensure_unit(court.proxy_unit_name, "camera-proxy",
                                   {"url": court.camera_url, "kind": "mjpeg", "court": court.pk},
                                   club=club, desired=Desired.RUNNING)
    court_id = court.pk
    court.delete()  # the court, its sessions and recordings go; their units stay behind, wanted running
    wait_for(lambda: not Unit.objects.filter(pk__in=[rec_unit.pk, cam_unit.pk]).exists(), timeout=30,
             message="the supervisor to remove the orphaned units")
    reasons = dict(Event.objects.filter(kind="unit.deleted").values_list("subject_id", "payload__reason"))
    assert reasons == {str(rec_unit.pk): "its recording was deleted",
                       str(cam_unit.pk): f"its court (id {court_id}) was deleted"}
    assert not Event.objects.filter(kind="unit.state", payload__state="starting").exists()


@pytest.mark.processes
def test_an_unreachable_camera_is_a_sentence_in_the_units_reason_and_the_status_api(supervisor, club, people,
                                                                                    api):
    import socket

    from demo.mjpeg_camera import SyntheticCamera
    from recorder import sessions
    from recorder.units import proxy_port
    from tests.conftest import free_port

    port = free_port()
    court = make_court(club, "Dark court", f"http://127.0.0.1:{port}/video.mjpeg")
    session = sessions.create(people["player"], court)
    proxy = wait_for(lambda: proxy_port(court.proxy_unit_name), timeout=30, message="the camera proxy")
    viewer = socket.create_connection(("127.0.0.1", proxy))  # someone watches: the proxy calls the camera
    viewer.sendall(b"GET /stream.mjpeg HTTP/1.0\r\n\r\n")
    try:
        expected = f"Camera unreachable at 127.0.0.1:{port} (connection refused); retrying every "
        unit = wait_for(lambda: Unit.objects.filter(name=court.proxy_unit_name, reason__startswith=expected)
                        .first(), timeout=30, message="the camera's sentence as the unit's reason")
        assert unit.state == "running" and unit.reason.endswith(" s.")
        info = api.as_user(people["player"]).get(f"/api/preview/{session.session_id}/info").json()["proxy"]
        assert info["message"].startswith(expected) and not info["connected"]
        assert info["last_error"].startswith("ConnectionRefusedError")  # the detail stays in the API
        camera = SyntheticCamera(port=port).start()
        try:
            wait_for(lambda: Unit.objects.get(name=court.proxy_unit_name).reason == "", timeout=30,
                     message="the reason to clear once the camera answers")
        finally:
            camera.stop()
    finally:
        viewer.close()
