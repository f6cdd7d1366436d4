"""Recording with real ffmpeg, the synthetic camera, the camera proxy and a real supervisor."""

import os
import signal
import time

import psutil
import pytest

from mediasuite.models import Event, Unit
from recorder import recording, sessions
from recorder.models import Recording
from tests.conftest import wait_for

from .conftest import duration_of, elapse, finished, first_part_written, top_level_boxes, unit_pid

pytestmark = pytest.mark.processes


def start(user, court, minutes=5):
    session = sessions.create(user, court)
    return recording.start(user, session, minutes)


def sigint_time(rec) -> float:
    """When the supervisor signalled the recording's ffmpeg (its unit went `stopping`), as time.time()."""
    unit = Unit.objects.get(name=rec.unit_name)
    events = Event.objects.filter(kind="unit.state", subject_id=str(unit.pk), payload__state="stopping")
    event = events.order_by("-id").first()
    return event.created_at.timestamp()


def test_ten_seconds_give_a_ten_second_mp4_with_the_moov_first(supervisor, court, people):
    rec = start(people["player"], court)
    began = first_part_written(rec)
    began_wall = time.time()
    elapse(10, began)
    recording.stop(people["player"], rec)
    rec = finished(rec)
    assert rec.state == "finalized", rec.stderr_tail
    duration = duration_of(rec.path)
    recorded = sigint_time(rec) - began_wall  # 10 s, plus the supervisor's reaction to the stop
    assert abs(duration - recorded) <= 1
    assert 9 <= duration <= 11 + max(0.0, recorded - 10)
    boxes = top_level_boxes(rec.path)
    assert boxes.index("moov") < boxes.index("mdat"), boxes
    assert "moof" not in boxes  # re-muxed: a plain, seekable MP4
    assert rec.path.with_name(f"{rec.session.session_id}.ffmpeg.log").is_file()
    assert rec.thumbnail_path.is_file()
    assert not rec.parts_dir.exists()
    assert rec.size == rec.path.stat().st_size > 1024
    kinds = list(Event.objects.filter(subject_type="recording", subject_id=str(rec.pk)).order_by("id")
                 .values_list("kind", flat=True))
    assert kinds == ["recorder.recording.started", "recorder.recording.stopping",
                     "recorder.recording.finalizing", "recorder.recording.finalized"]


def test_kill_9_of_ffmpeg_leaves_a_playable_file_and_ends_recovered(supervisor, court, people):
    rec = start(people["player"], court)
    pid = unit_pid(rec.unit_name)
    began = first_part_written(rec)
    elapse(6, began)
    os.kill(pid, signal.SIGKILL)
    recorded = time.monotonic() - began
    rec = finished(rec)
    assert rec.state == "recovered", rec.stderr_tail
    assert rec.exit_code == -9
    duration = duration_of(rec.path)
    print(f"\nkill -9 after {recorded:.2f}s of recording: the recovered MP4 holds {duration:.2f}s")
    assert recorded - 1 <= duration <= recorded + 0.5
    boxes = top_level_boxes(rec.path)
    assert boxes.index("moov") < boxes.index("mdat")


def test_a_stalled_camera_is_still_stopped_within_12s_with_a_valid_file(supervisor, court, camera, people):
    rec = start(people["player"], court)
    began = first_part_written(rec)
    elapse(3, began)
    camera.stall(True)
    frames = camera.counter
    wait_for(lambda: camera.counter >= frames + 30, timeout=20, message="3 s of frames the camera withholds")
    asked = time.monotonic()
    recording.stop(people["player"], rec)
    rec = finished(rec, timeout=30)
    assert time.monotonic() - asked <= 12
    assert rec.state == "finalized", rec.stderr_tail
    assert duration_of(rec.path) >= 3


def test_camera_gone_for_5s_and_back_gives_one_file_covering_both_parts(supervisor, court, camera, people):
    rec = start(people["player"], court)
    began = first_part_written(rec)
    began_wall = time.time()
    elapse(3, began)
    camera.stop()
    gone = time.monotonic()
    wait_for(lambda: Event.objects.filter(kind="recorder.camera.lost").exists(), timeout=20,
             message="the proxy to report the camera lost")
    elapse(5, gone)
    camera.start()
    wait_for(lambda: Event.objects.filter(kind="recorder.camera.back").exists(), timeout=30,
             message="the proxy to report the camera back")
    back = camera.counter
    wait_for(lambda: camera.counter >= back + 20, timeout=20, message="2 s of frames after the return")
    recording.stop(people["player"], rec)
    rec = finished(rec)
    assert rec.state == "finalized", rec.stderr_tail
    assert list(rec.path.parent.glob(f"{rec.session.session_id}*.mp4")) == [rec.path]
    assert abs(duration_of(rec.path) - (sigint_time(rec) - began_wall)) <= 1.5
    lost = Event.objects.get(kind="recorder.camera.lost")
    assert lost.payload["recording"] == rec.session.session_id


def test_planned_duration_reached_stops_by_itself(supervisor, court, people):
    rec = start(people["player"], court, minutes=0.1)
    rec = finished(rec, timeout=60)
    assert rec.state == "finalized", rec.stderr_tail
    assert rec.stop_reason == "planned duration reached"
    # The plan counts from the start request (wall clock): ffmpeg's -t is what remains when it starts.
    assert 5.5 <= (rec.stopped_at - rec.started_at).total_seconds() <= 9
    # A playable file no longer than the plan; how much of the plan it holds depends on how fast ffmpeg
    # started on a loaded machine (wall clock, which the suite does not assert).
    assert 0 < duration_of(rec.path) <= 6.2
    assert Recording.objects.get(pk=rec.pk).stopped_by is None


def test_an_rtsp_h264_camera_is_recorded_without_re_encoding(supervisor, club, people):
    from demo.rtsp_camera import RtspCamera
    from recorder.models import Court

    from .conftest import probe

    camera = RtspCamera(size="320x240", fps=10).start()
    try:
        court = Court.objects.create(club=club, name="RTSP court", camera_url=camera.url, camera_kind="rtsp")
        asked = time.monotonic()
        rec = start(people["player"], court)
        began = first_part_written(rec)
        elapse(5, began)
        from recorder import preview

        assert preview.snapshot(court).content[:2] == b"\xff\xd8"  # previews come from the same connection
        recording.stop(people["player"], rec)
        total = time.monotonic() - asked  # the copy starts at the proxy's first packet, before `began`
        rec = finished(rec)
        assert rec.state == "finalized", rec.stderr_tail
        assert probe(rec.path)["streams"][0]["codec_name"] == "h264"
        assert 5 - 1 <= duration_of(rec.path) <= total + 0.5
        boxes = top_level_boxes(rec.path)
        assert boxes.index("moov") < boxes.index("mdat")
        assert camera.connections_total == 1
        log = rec.path.with_name(f"{rec.session.session_id}.ffmpeg.log").read_text()
        executed = [line for line in log.splitlines() if line.startswith("exec: ")]
        assert executed and all("-c:v copy" in line and "libx264" not in line for line in executed)
    finally:
        camera.stop()


def test_highlights_marked_while_recording_become_clips_after_the_stop(supervisor, court, people, api):
    from .conftest import probe

    rec = start(people["player"], court)
    began = first_part_written(rec)
    elapse(4, began)
    marked = api.as_user(people["player"]).post("/api/video/record/highlight",
                                                {"session_id": rec.session.session_id}, format="json")
    assert marked.status_code == 201
    elapse(7, began)
    recording.stop(people["player"], rec)
    rec = finished(rec)
    assert rec.state == "finalized", rec.stderr_tail
    clip = rec.highlights.get()
    assert clip.clip_path.is_file() and probe(clip.clip_path)["streams"][0]["codec_name"] == "h264"
    assert 3 <= clip.clip_duration <= 15  # from 10 s before the mark (clamped at 0) to the end
    listed = api.as_user(people["admin"]).get("/api/video/files/list").json()["files"][0]["highlights"]
    assert listed[0]["clip_url"].endswith("/highlights/1/download")
    download = api.as_user(people["admin"]).get(listed[0]["clip_url"])
    assert download.status_code == 200 and b"".join(download)[4:8] == b"ftyp"
    late = api.as_user(people["player"]).post("/api/video/record/highlight",
                                              {"session_id": rec.session.session_id}, format="json")
    assert late.status_code == 409


def test_kill_9_of_the_supervisor_loses_nothing_the_next_one_adopts_the_recording(supervisor, spawn, court,
                                                                                  people):
    from .conftest import NODE, SUPERVISOR_ENV, node_processes

    rec = start(people["player"], court)
    pid = unit_pid(rec.unit_name)
    began = first_part_written(rec)
    elapse(3, began)
    unit = Unit.objects.get(name=rec.unit_name)
    last = Event.objects.order_by("-id").values_list("id", flat=True).first()
    os.kill(supervisor.pid, signal.SIGKILL)
    supervisor.popen.wait(5)
    spawn("supervise-again", "supervise", "--node", NODE, env=SUPERVISOR_ENV)
    wait_for(lambda: Event.objects.filter(kind="unit.adopted", subject_id=str(unit.pk), id__gt=last).exists(),
             timeout=60, message="the new supervisor to adopt the recording's ffmpeg")
    assert psutil.Process(pid).status() != psutil.STATUS_ZOMBIE  # the same ffmpeg, never stopped
    unit.refresh_from_db()
    assert unit.state == "running" and unit.pid == pid
    assert not Event.objects.filter(kind="unit.state", subject_id=str(unit.pk), id__gt=last).exists()
    elapse(6, began)
    recording.stop(people["player"], rec)
    rec = finished(rec)
    assert rec.state == "finalized", rec.stderr_tail
    event = Event.objects.get(kind="recorder.recording.finalized", subject_id=str(rec.pk))
    assert event.payload["parts"] == 1  # one ffmpeg from start to stop
    assert duration_of(rec.path) >= 6 - 1
    assert not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    assert pid not in node_processes()


def test_an_rtsp_camera_that_drops_resumes_into_the_same_recording(supervisor, club, people):
    from demo.rtsp_camera import RtspCamera
    from recorder.models import Court

    from .conftest import probe

    camera = RtspCamera(size="320x240", fps=10).start()
    try:
        court = Court.objects.create(club=club, name="RTSP court", camera_url=camera.url, camera_kind="rtsp")
        rec = start(people["player"], court)
        began = first_part_written(rec)
        elapse(3, began)
        camera.stop()
        wait_for(lambda: Event.objects.filter(kind="recorder.recording.interrupted").exists(), timeout=40,
                 message="the recording's input to end while the camera is away")
        camera.start()
        second = rec.parts_dir / "001.mp4"
        wait_for(lambda: second.is_file() and second.stat().st_size > 0, timeout=60,
                 message="the recording to go on into a second part")
        elapse(3, time.monotonic())
        recording.stop(people["player"], rec)
        rec = finished(rec)
        assert rec.state == "finalized", rec.stderr_tail
        assert Event.objects.get(kind="recorder.recording.finalized").payload["parts"] == 2
        assert probe(rec.path)["streams"][0]["codec_name"] == "h264"
        assert duration_of(rec.path) >= 5
        assert list(rec.path.parent.glob(f"{rec.session.session_id}*.mp4")) == [rec.path]
    finally:
        camera.stop()
