"""Manual restarts stay manual: back to back, and right after ffmpeg was killed from outside."""

import os
import signal
import time

import pytest
from django.conf import settings

from channels_app import playout
from mediasuite.models import Event
from tests.conftest import wait_for

from .conftest import LONG, started, wait_playing
from .test_playout import ffmpeg_of

pytestmark = pytest.mark.processes


def last_event_id() -> int:
    return Event.objects.order_by("-id").values_list("id", flat=True).first() or 0


def channel_events(channel, after: int):
    return list(Event.objects.filter(subject_id=str(channel.pk), kind__startswith="channel.", id__gt=after)
                .order_by("id"))


def unit_states(channel, after: int) -> list[str]:
    return list(Event.objects.filter(kind="unit.state", subject_id=str(channel.unit_id), id__gt=after)
                .order_by("id").values_list("payload__state", flat=True))


def test_twelve_back_to_back_manual_restarts_are_twelve_manual_restarts_in_series_order(make_channel,
                                                                                       supervisor):
    channel = make_channel("twelve", series=True, desired="running")
    started(channel)
    channel.refresh_from_db()
    assert channel.current_file.name == "a.mp4"
    first = last_event_id()
    for number in range(12):
        playout.request_restart(None, channel)
        time.sleep(1.0 + (number % 2))  # an operator pressing Restart every second or two
    restarts = wait_for(lambda: (found := [e for e in channel_events(channel, first)
                                           if e.kind == "channel.restarted"]) and len(found) >= 12 and found,
                        timeout=120, message="twelve restarts carried out")
    assert [e.payload["trigger"] for e in restarts] == ["manual"] * 12
    order = ["a.mp4", "b.mp4", "c.mp4"]
    assert [(e.payload["previous"], e.payload["file"]) for e in restarts] == \
        [(order[i % 3], order[(i + 1) % 3]) for i in range(12)]
    kinds = {e.kind for e in channel_events(channel, first)}
    assert kinds <= {"channel.restart_requested", "channel.restarted", "channel.viewers"}, kinds
    assert set(unit_states(channel, first)) <= {"running"}, unit_states(channel, first)


def test_a_restart_right_after_ffmpeg_was_killed_from_outside_stays_manual(make_channel, supervisor):
    channel = make_channel("killed-then-restarted", files=(LONG, "a.mp4"), series=True, desired="running")
    started(channel)
    for _ in range(3):
        victim = wait_for(lambda: ffmpeg_of(channel), message="the channel's ffmpeg")
        wait_playing(channel)
        first = last_event_id()
        os.kill(victim.pid, signal.SIGKILL)
        playout.request_restart(None, channel)
        restarted = wait_for(lambda first=first: [e for e in channel_events(channel, first)
                                                  if e.kind == "channel.restarted"],
                             timeout=30, message="the manual restart")
        time.sleep(3 * settings.CHANNELS_SEGMENT_SECONDS + 2)  # past the watchdog's limit: nothing may follow
        events = channel_events(channel, first)
        assert [e.payload["trigger"] for e in events if e.kind == "channel.restarted"] == ["manual"], \
            [(e.kind, e.message) for e in events]
        assert restarted[0].payload["file"] != restarted[0].payload["previous"]
        assert not any("watchdog" in (e.message or "") for e in Event.objects.filter(id__gt=first))
        assert set(unit_states(channel, first)) <= {"running"}
