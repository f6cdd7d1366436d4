"""Playout with real ffmpeg, a real supervisor and generated clips."""

import contextlib
import os
import signal
import subprocess

import psutil
import pytest

from channels_app import playout
from mediasuite.models import Event, Unit
from tests.conftest import wait_for

from .conftest import LONG, first_pts, hls_path, last_pts, playlist, started, wait_playing

pytestmark = pytest.mark.processes


def restarted_events(channel, after_id=0):
    return list(Event.objects.filter(kind="channel.restarted", subject_id=str(channel.pk), id__gt=after_id)
                .order_by("id"))


def test_series_restart_moves_to_the_next_file_and_wraps(make_channel, supervisor):
    channel = make_channel("series-one", series=True, desired="running")
    assert channel.mode == "series"
    started(channel)
    channel.refresh_from_db()
    assert channel.current_file.name == "a.mp4"
    seen = []
    for _ in range(3):
        last = Event.objects.order_by("-id").values_list("id", flat=True).first()
        playout.request_restart(None, channel)
        event = wait_for(lambda last=last: restarted_events(channel, last), timeout=30,
                         message="the restart to be carried out")[0]
        assert event.payload["trigger"] == "manual"
        seen.append((event.payload["previous"], event.payload["file"]))
    assert seen == [("a.mp4", "b.mp4"), ("b.mp4", "c.mp4"), ("c.mp4", "a.mp4")]


def test_random_restart_never_picks_the_current_file(make_channel, supervisor):
    channel = make_channel("random-one", desired="running")
    assert channel.mode == "random"
    started(channel)
    files = []
    for _ in range(6):
        last = Event.objects.order_by("-id").values_list("id", flat=True).first()
        playout.request_restart(None, channel)
        event = wait_for(lambda last=last: restarted_events(channel, last), timeout=30,
                         message="the restart to be carried out")[0]
        assert event.payload["file"] != event.payload["previous"]
        files.append(event.payload["file"])
    assert set(files) == {"a.mp4", "b.mp4", "c.mp4"}  # the no-repeat window spreads the choice


def test_hls_is_a_valid_live_playlist_and_timestamps_increase_across_files(make_channel, supervisor):
    channel = make_channel("transition", files=("a.mp4", "b.mp4"), series=True, desired="running")

    def two_files():
        text = playlist(channel)
        body = text.split("#EXT-X-INDEPENDENT-SEGMENTS", 1)[-1]
        changed = body.count("#EXT-X-DISCONTINUITY") >= 2 and segments_after_last_break(text) >= 1
        return text if changed else None

    text = wait_for(two_files, timeout=40, message="the second file to start in the playlist")
    lines = text.splitlines()
    assert lines[0] == "#EXTM3U" and "#EXT-X-ENDLIST" not in text  # live, not VOD
    target = int(next(line for line in lines if line.startswith("#EXT-X-TARGETDURATION:")).split(":")[1])
    durations = [float(line[8:].rstrip(",")) for line in lines if line.startswith("#EXTINF:")]
    assert durations and all(round(d) <= target for d in durations)
    names = [line for line in lines if line and not line.startswith("#")]
    for name in names:
        decoded = subprocess.run(["ffmpeg", "-v", "error", "-i", str(hls_path(channel, name)),
                                  "-f", "null", "-"], capture_output=True, text=True)
        assert decoded.returncode == 0 and not decoded.stderr.strip(), (name, decoded.stderr)
    # The segment before the file change ends before the one after it starts.
    index = max(i for i, line in enumerate(lines) if line == "#EXT-X-DISCONTINUITY")
    after = next(line for line in lines[index:] if line and not line.startswith("#"))
    before = names[names.index(after) - 1]
    assert after.endswith("_0.ts"), after  # the new file's first segment was not lost in its start burst
    assert last_pts(hls_path(channel, before)) < first_pts(hls_path(channel, after))


def segments_after_last_break(text: str) -> int:
    tail = text.rsplit("#EXT-X-DISCONTINUITY\n", 1)[-1]
    return sum(1 for line in tail.splitlines() if line and not line.startswith("#"))


def ffmpeg_of(channel):
    """The channel's ffmpeg: the process tagged with its unit, a child of the unit host that plays it."""
    found = ffmpegs_of(channel)
    return found[0] if len(found) == 1 else None


def ffmpegs_of(channel) -> list[psutil.Process]:
    unit = Unit.objects.get(pk=channel.unit_id)
    found = []
    for proc in psutil.process_iter():
        try:
            if (proc.environ().get("MEDIASUITE_UNIT") == unit.name and proc.name() == "ffmpeg"
                    and proc.status() != psutil.STATUS_ZOMBIE):
                found.append(proc)
        except psutil.Error:
            continue
    return found


def test_ffmpeg_killed_comes_back_at_its_cursor(make_channel, supervisor):
    channel = make_channel("crashy", files=(LONG,), desired="running")
    wait_playing(channel, count=4)
    victim = wait_for(lambda: ffmpeg_of(channel), message="the channel's ffmpeg")
    last = Event.objects.order_by("-id").values_list("id", flat=True).first()
    channel.refresh_from_db()
    cursor = channel.offset
    os.kill(victim.pid, signal.SIGKILL)
    event = wait_for(lambda: restarted_events(channel, last), timeout=30, message="the crash restart")[0]
    assert event.payload["trigger"] == "crash"
    assert event.payload["file"] == LONG and event.payload["offset"] >= cursor
    assert ffmpeg_of(channel).pid != victim.pid


def test_frozen_ffmpeg_is_replaced_by_the_watchdog(make_channel, supervisor):
    channel = make_channel("frozen", files=(LONG,), desired="running")
    wait_playing(channel, count=4)
    victim = wait_for(lambda: ffmpeg_of(channel), message="the channel's ffmpeg")
    last = Event.objects.order_by("-id").values_list("id", flat=True).first()
    os.kill(victim.pid, signal.SIGSTOP)
    try:
        event = wait_for(lambda: restarted_events(channel, last), timeout=45,
                         message="the watchdog restart")[0]
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(victim.pid, signal.SIGCONT)
    assert event.payload["trigger"] == "watchdog" and event.payload["file"] == LONG
    stuck = Event.objects.filter(kind__startswith="unit.", subject_id=str(channel.unit_id), id__gt=last,
                                 message__icontains="no new HLS segment")
    assert stuck.exists()
    assert not psutil.pid_exists(victim.pid) or victim.status() == psutil.STATUS_ZOMBIE


def test_after_a_supervisor_restart_the_channel_resumes_the_same_file_near_its_offset(make_channel, spawn):
    channel = make_channel("resumer", files=(LONG,), series=True, desired="running")
    first = spawn("supervisor-1", "supervise", env={"MEDIASUITE_NODE_NAME": "node-1"})
    wait_playing(channel, count=6)
    first.stop()  # SIGTERM: a clean shutdown of its units
    channel.refresh_from_db()
    assert channel.current_file.name == LONG
    cursor = channel.offset
    assert cursor > 2
    last = Event.objects.order_by("-id").values_list("id", flat=True).first()
    spawn("supervisor-2", "supervise", env={"MEDIASUITE_NODE_NAME": "node-1"})
    event = wait_for(lambda: restarted_events(channel, last), timeout=40, message="the channel to resume")[0]
    assert event.payload["file"] == LONG
    assert cursor - 2 <= event.payload["offset"] <= cursor + 1
