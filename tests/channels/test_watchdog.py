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
