"""Channels as threads of one unit host per node: isolation, a crash of the host, a crash of the supervisor.

Real supervisor, real unit host, real ffmpeg. Each channel is a thread of the
host owning its ffmpeg (mediasuite.supervisor.hosted).
"""

import os
import signal
import time

import psutil
import pytest

from channels_app import paths, playout
from channels_app.models import Channel
from mediasuite.models import Event, Unit, UnitState
from mediasuite.supervisor import hosted
from tests.conftest import wait_for

from .conftest import LONG, NODE, end_node_processes, node_processes, playlist, segments, wait_playing
from .test_playout import ffmpeg_of, ffmpegs_of, restarted_events

pytestmark = pytest.mark.processes

FAST = {"MEDIASUITE_NODE_NAME": NODE, "MEDIASUITE_PROCESS": "supervisor", "MEDIASUITE_BACKOFF_BASE": "0.2",
        "MEDIASUITE_BACKOFF_CAP": "1.6", "MEDIASUITE_START_SECONDS": "0.3"}


@pytest.fixture
def node_cleanup():
    """Listed first: after every supervisor of the test has stopped, nothing of the node is left."""
    yield
    end_node_processes()


def last_event_id() -> int:
    return Event.objects.order_by("-id").values_list("id", flat=True).first() or 0


def host_pid(channel) -> int | None:
    unit = Unit.objects.get(pk=channel.unit_id)
    return unit.pid if unit.state == UnitState.RUNNING else None


def gone(proc: psutil.Process) -> bool:
    try:
        return proc.status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


class SegmentClock:
    """How late each new segment of a channel comes against its real-time schedule (see the density bench)."""

    def __init__(self, channel):
        self.channel = channel
        self.seen = set(segments(channel))
        self.media = 0.0
        self.anchor = None
        self.late: list[float] = []

    def read(self):
        now, duration = time.monotonic(), 0.0
        for line in playlist(self.channel).splitlines():
            if line.startswith("#EXTINF:"):
                duration = float(line[8:].split(",")[0])
            elif line and not line.startswith("#") and line not in self.seen:
                self.seen.add(line)
                if self.anchor is None:
                    self.anchor = now
                    continue
                self.media += duration
                self.late.append(now - self.media - self.anchor)
                self.anchor = min(self.anchor, now - self.media)



def follow(clocks: list[SegmentClock], count: int):
    """Read every clock on until each channel brought `count` more segments (each timed as it appears)."""
    targets = [len(clock.late) + count for clock in clocks]

    def enough():
        for clock in clocks:
            clock.read()
        return all(len(clock.late) >= target for clock, target in zip(clocks, targets, strict=True))

    wait_for(enough, timeout=30, interval=0.05, message=f"{count} more segment(s) of every channel")


def test_kill_9_of_the_unit_host_brings_every_channel_back_at_its_cursor_with_one_ffmpeg_each(make_channel,
                                                                                             supervisor):
    channels = [make_channel(f"hosted-{i}", files=(LONG,), desired="running") for i in range(3)]
    for channel in channels:
        wait_for(lambda c=channel: Channel.objects.get(pk=c.pk).offset > 3, timeout=60,
                 message=f"channel {channel.name} a few seconds into its file")
    hosts = {wait_for(lambda c=c: host_pid(c), message="the channel running") for c in channels}
    assert len(hosts) == 1, "one process hosts every channel of the node"
    host = psutil.Process(hosts.pop())
    assert Unit.objects.get(name=hosted.unit_name(NODE)).pid == host.pid
    old = {c.pk: wait_for(lambda c=c: ffmpeg_of(c), message="one ffmpeg per channel") for c in channels}
    assert {p.ppid() for p in old.values()} == {host.pid}
    cursors = {c.pk: Channel.objects.get(pk=c.pk).offset for c in channels}
    last = last_event_id()

    host.kill()

    for channel in channels:
        event = wait_for(lambda c=channel: restarted_events(c, last), timeout=60,
                         message=f"channel {channel.name} back")[0]
        assert event.payload["file"] == LONG
        assert event.payload["offset"] >= cursors[channel.pk] > 2, "resumed at its cursor, not from the start"
        assert event.payload["trigger"] == "crash"
    assert all(gone(proc) for proc in old.values()), "an ffmpeg of the killed host survived it"

    def one_each():
        new_host = host_pid(channels[0])
        found = {c.pk: ffmpegs_of(c) for c in channels}
        ok = new_host not in (None, host.pid) and all(
            len(procs) == 1 and procs[0].ppid() == new_host for procs in found.values())
        return ok and new_host

    new_host = wait_for(one_each, timeout=30, message="exactly one ffmpeg per channel, under the new host")
    assert {p.pid for p in node_processes()} == {new_host, *(p.pid for c in channels for p in ffmpegs_of(c))}
    for channel in channels:
        wait_playing(channel, count=2, after=segments(channel))


def test_a_channel_whose_every_file_fails_goes_failed_while_its_neighbour_keeps_every_segment_on_time(
        node_cleanup, make_channel, spawn):
    good = make_channel("steady", files=(LONG,), desired="running")
    bad = make_channel("doomed", files=("a.mp4", "b.mp4"))
    for name in ("a.mp4", "b.mp4"):  # probed as videos, then broken: every play of them fails
        path = paths.folder_path(bad) / name
        path.unlink()
        path.write_bytes(b"\x00broken" * 512)
    spawn("supervisor", "supervise", env=FAST)
    wait_playing(good, count=2)
    ffmpeg = wait_for(lambda: ffmpeg_of(good), message="the good channel's ffmpeg")
    clock = SegmentClock(good)
    last = last_event_id()

    playout.start(None, bad)

    def failed():
        clock.read()
        return Unit.objects.get(pk=bad.unit_id).state == UnitState.FAILED

    wait_for(failed, timeout=90, interval=0.1, message="the channel whose files all fail to reach failed")
    unit = Unit.objects.get(pk=bad.unit_id)
    starts = Event.objects.filter(kind="unit.state", subject_id=str(unit.pk), payload__state="starting")
    assert set(starts.values_list("payload__pid", flat=True)) == {Unit.objects.get(pk=good.unit_id).pid}, \
        "every attempt of the failing channel ran in the host of its neighbour"
    assert "no playable video" in unit.reason
    assert Event.objects.filter(kind="channel.file_failed", subject_id=str(bad.pk), id__gt=last).count() == 2

    follow([clock], 2)  # and it goes on after its neighbour failed
    assert len(clock.late) >= 3, clock.late
    assert max(clock.late) < 2.0, f"a segment of the neighbour came late: {clock.late}"  # under one segment
    assert not gone(ffmpeg) and ffmpeg_of(good).pid == ffmpeg.pid, "the neighbour's ffmpeg was disturbed"
    assert not Event.objects.filter(kind="unit.state", subject_id=str(good.unit_id), id__gt=last).exists()
    assert not restarted_events(good, last)


def test_kill_9_of_the_supervisor_stops_no_channel_and_the_next_one_adopts_their_host(node_cleanup,
                                                                                      make_channel, spawn):
    channels = [make_channel(f"kept-{i}", files=(LONG,), desired="running") for i in range(2)]
    first = spawn("supervisor-1", "supervise", env=FAST)
    for channel in channels:
        wait_playing(channel, count=2)
    ffmpegs = {c.pk: wait_for(lambda c=c: ffmpeg_of(c), message="the channel's ffmpeg") for c in channels}
    host = Unit.objects.get(name=hosted.unit_name(NODE))
    last = last_event_id()

    os.kill(first.pid, signal.SIGKILL)
    first.popen.wait(5)
    clocks = [SegmentClock(c) for c in channels]
    second = spawn("supervisor-2", "supervise", env=FAST)

    def adopted():
        for clock in clocks:
            clock.read()
        return Event.objects.filter(kind="unit.adopted", subject_id=str(host.pk), id__gt=last).exists()

    wait_for(adopted, timeout=60, interval=0.1, message="the new supervisor to adopt the unit host")
    follow(clocks, 2)
    for channel, clock in zip(channels, clocks, strict=True):
        assert max(clock.late, default=0.0) < 2.0, f"{channel.name} paused: {clock.late}"
    for channel in channels:  # the same ffmpeg, never stopped; states untouched
        assert ffmpeg_of(channel).pid == ffmpegs[channel.pk].pid
    assert Unit.objects.get(pk=host.pk).pid == host.pid
    units = [host.pk, *(c.unit_id for c in channels)]
    assert not Event.objects.filter(kind="unit.state", subject_id__in=[str(u) for u in units],
                                    id__gt=last).exists()
    assert {u.state for u in Unit.objects.filter(pk__in=units)} == {UnitState.RUNNING}

    # The adopted host still obeys: a stop stops its channel, and a clean shutdown leaves nothing behind.
    playout.stop(None, channels[0])
    wait_for(lambda: Unit.objects.get(pk=channels[0].unit_id).state == UnitState.STOPPED, timeout=20,
             message="the channel stopped")
    assert gone(ffmpegs[channels[0].pk]) and ffmpeg_of(channels[1]).pid == ffmpegs[channels[1].pk].pid
    second.stop()
    assert Unit.objects.get(pk=host.pk).state == UnitState.STOPPED
    assert Unit.objects.get(pk=channels[1].unit_id).state == UnitState.STOPPED
    assert node_processes() == [], "a process of the node outlived the supervisor's clean stop"
