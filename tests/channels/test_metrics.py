"""A playing channel's metrics, read by prometheus-client's parser: its segment lateness follows its ffmpeg,
and its restarts are counted by what triggered them (the watchdog, a request)."""

import contextlib
import os
import signal

import pytest
from django.conf import settings

from channels_app import playout
from tests.conftest import wait_for

from .conftest import LONG, started, wait_playing
from .test_playout import ffmpeg_of

pytestmark = pytest.mark.processes


def test_lateness_grows_while_ffmpeg_is_frozen_and_each_restart_counts_by_trigger(make_channel, supervisor,
                                                                                   scrape):
    channel = make_channel("metrics-live", files=(LONG, "a.mp4"), series=True, desired="running")
    started(channel)
    wait_playing(channel)
    late = ("mediasuite_channel_segment_lateness_seconds", (("channel", channel.name),))
    restarts = {trigger: ("mediasuite_channel_restarts_total", (("trigger", trigger),))
                for trigger in ("manual", "watchdog")}
    on_time = settings.CHANNELS_SEGMENT_SECONDS
    before = wait_for(lambda: (found := scrape()).get(late, on_time) < on_time and found,
                      message="the running channel's lateness")

    frozen = wait_for(lambda: ffmpeg_of(channel), message="the channel's ffmpeg")
    os.kill(frozen.pid, signal.SIGSTOP)
    try:
        wait_for(lambda: scrape().get(late, 0) >= on_time, timeout=30, message="the lateness to grow")
        wait_for(lambda: scrape()[restarts["watchdog"]] == before[restarts["watchdog"]] + 1, timeout=60,
                 message="the watchdog to restart the frozen channel")
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(frozen.pid, signal.SIGCONT)
    wait_for(lambda: scrape().get(late, on_time) < on_time, timeout=30, message="the channel on time again")
    assert scrape()[restarts["manual"]] == before[restarts["manual"]]

    playout.request_restart(None, channel)
    wait_for(lambda: scrape()[restarts["manual"]] == before[restarts["manual"]] + 1, timeout=30,
             message="the requested restart to be counted")
    assert scrape()[restarts["watchdog"]] == before[restarts["watchdog"]] + 1
