"""The watchdog's clock: it starts when the playout process launches ffmpeg, not when it was spawned."""

import os
import time
from types import SimpleNamespace

import pytest

from channels_app import playout, units

pytestmark = pytest.mark.django_db


def launched_at(channel, when: float):
    path = playout.launch_file(channel.name)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch()
    os.utime(path, (when, when))


def test_a_playout_process_still_starting_django_is_not_taken_for_a_frozen_ffmpeg(make_channel):
    channel = make_channel("slow-boot")
    # Spawned 30 s ago (40 channels starting at once on two cores), no ffmpeg launched yet.
    booting = SimpleNamespace(started=time.time() - 30)
    launched_at(channel, booting.started - 100)  # the previous process's launch
    assert units.progress(channel.unit, booting) is None


def test_an_ffmpeg_without_a_segment_for_three_segment_lengths_is_stuck(make_channel, settings):
    channel = make_channel("no-segment")
    child = SimpleNamespace(started=time.time() - 30)
    launched_at(channel, time.time() - 3 * settings.CHANNELS_SEGMENT_SECONDS - 1)
    assert "no new HLS segment" in units.progress(channel.unit, child)
    channel.refresh_from_db()
    assert channel.restart_trigger == "watchdog"


def test_a_playout_process_that_never_launches_ffmpeg_is_stuck_after_the_boot_limit(make_channel):
    channel = make_channel("never-launches")
    child = SimpleNamespace(started=time.time() - units.BOOT_LIMIT - 1)
    assert "started no ffmpeg" in units.progress(channel.unit, child)


def test_a_request_on_this_host_starts_the_clock_again(make_channel, settings):
    """ffmpeg killed from outside a moment before a Restart: the restart in progress is not stuck."""
    channel = make_channel("restarting")
    child = SimpleNamespace(started=time.time() - 60)
    launched_at(channel, time.time() - 3 * settings.CHANNELS_SEGMENT_SECONDS - 10)
    assert units.progress(channel.unit, child) is not None
    playout.wake_file(channel.name).touch()  # what a restart or play request does on this host
    assert units.progress(channel.unit, child) is None


def test_a_restart_request_is_in_progress_until_the_playout_process_takes_it(make_channel, settings):
    channel = make_channel("remote-restart")
    child = SimpleNamespace(started=time.time() - 60)
    launched_at(channel, time.time() - 3 * settings.CHANNELS_SEGMENT_SECONDS - 10)
    playout.request_restart(None, channel)  # asked on another node: no wake file here
    assert units.progress(channel.unit, child) is None
    playout.claim_restart(channel.pk)
    assert "no new HLS segment" in units.progress(channel.unit, child)


def test_a_taken_restart_request_leaves_no_trigger_behind_to_label_a_later_crash(make_channel):
    channel = make_channel("taken")
    playout.request_restart(None, channel)
    assert playout.claim_restart(channel.pk)["restart_trigger"] == "manual"
    units.on_exit(channel.unit, -9, expected=False)
    assert playout.resume_trigger(channel.pk) == "crash"


def test_each_restart_request_made_before_one_was_taken_is_a_restart_of_its_own(make_channel):
    channel = make_channel("pressed-thrice")
    for _ in range(3):
        playout.request_restart(None, channel)
    claims = [playout.claim_restart(channel.pk) for _ in range(4)]
    assert [claim and claim["restart_trigger"] for claim in claims] == ["manual", "manual", "manual", None]
    units.on_exit(channel.unit, -9, expected=False)
    assert playout.resume_trigger(channel.pk) == "crash"  # nothing left behind once the last was taken


def test_a_stale_claim_of_a_restart_request_takes_nothing(make_channel):
    channel = make_channel("raced")
    playout.request_restart(None, channel)
    playout.request_restart(None, channel)
    first = playout.claim_restart(channel.pk)
    assert first["restart_pending"] == 2
    from channels_app.models import Channel

    # A second taker that read the same row: its compare-and-set must not take the remaining request.
    taken = Channel.objects.filter(pk=channel.pk, restart_pending=first["restart_pending"]).update(
        restart_pending=0)
    assert taken == 0
    assert playout.claim_restart(channel.pk)["restart_pending"] == 1
    assert playout.claim_restart(channel.pk) is None
