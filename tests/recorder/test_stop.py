"""record/stop with real ffmpeg, the synthetic camera and a real supervisor: it answers with the file."""

import time

import pytest

from mediasuite.models import Unit
from recorder.models import ACTIVE_STATES, CameraSession, Recording
from tests.conftest import wait_for

from .conftest import duration_of, elapse, first_part_written

pytestmark = pytest.mark.processes


def post(client, path, body, code):
    response = client.post(path, body, format="json")
    assert response.status_code == code, response.content
    return response.json()


def test_stop_answers_once_the_mp4_is_downloadable(supervisor, court, people, api, tmp_path):
    client = api.as_user(people["admin"])
    session = post(client, "/api/video/session/create", {"terrain_id": court.pk}, 201)["session"]
    post(client, "/api/video/record/start", {"session_id": session["session_id"], "duration_minutes": 5}, 201)
    rec = Recording.objects.get()
    elapse(3, first_part_written(rec))
    answer = post(client, "/api/video/record/stop", {"session_id": session["session_id"]}, 200)
    assert (answer["success"], answer["state"], answer["failure"]) == (True, "finalized", "")
    download = client.get(answer["recording"]["download_url"])  # at once, as a script would
    assert download.status_code == 200
    video = tmp_path / "downloaded.mp4"
    video.write_bytes(b"".join(download.streaming_content))
    assert duration_of(video) >= 2.5
    assert CameraSession.objects.get().closed_at is not None


def unit_reached(name, states):
    wait_for(lambda: Unit.objects.filter(name=name, state__in=states, pid__isnull=False).exists(), timeout=30,
             interval=0.01, message=f"unit {name} {' or '.join(states)}")


# When the stop comes: at once (the supervisor has not seen the unit yet), once its process is
# spawned (waiting for the proxy, ffmpeg connecting), once it counts as running (no frame written yet).
MOMENTS = [(), ("starting", "running"), ("running",)]


def test_start_then_stop_at_once_twenty_times_always_ends_and_frees_the_court(supervisor, court, people, api):
    client = api.as_user(people["player"])
    took = []
    for attempt in range(20):
        session = post(client, "/api/video/session/create", {"terrain_id": court.pk}, 201)["session"]
        post(client, "/api/video/record/start", {"session_id": session["session_id"]}, 201)
        if MOMENTS[attempt % 3]:
            unit_reached(f"rec-{session['session_id']}", MOMENTS[attempt % 3])
        asked = time.monotonic()
        answer = post(client, "/api/video/record/stop", {"session_id": session["session_id"]}, 200)
        took.append(time.monotonic() - asked)
        assert answer["recording"]["exit_code"] != -9, (attempt, "the SIGINT was lost: SIGKILL after 10 s")
        assert answer["state"] in ("finalized", "recovered", "failed"), (attempt, answer)
        assert answer["success"] is (answer["state"] != "failed")
        if answer["state"] == "failed":
            assert answer["failure"].startswith("No frame was received"), answer["failure"]
        else:
            assert answer["recording"]["download_url"]
        assert not Recording.objects.filter(court=court, state__in=ACTIVE_STATES).exists()
        assert CameraSession.objects.get(session_id=session["session_id"]).closed_at is not None
    states = list(Recording.objects.order_by("id").values_list("state", flat=True))
    print(f"\n20 start+stop: {states.count('failed')} failed (no frame yet), "
          f"{len(states) - states.count('failed')} with a video; stop answered in "
          f"{min(took):.2f}-{max(took):.2f}s (mean {sum(took) / len(took):.2f}s)")
    assert max(took) < 10  # every stop was a SIGINT honoured at once, never the SIGKILL 10 s later

