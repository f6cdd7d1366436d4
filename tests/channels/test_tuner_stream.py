"""The tuner's stream read by ffmpeg, as Plex reads it: continuous MPEG-TS across file changes and a
restart, one tuner per reader, the next reader beyond the tuner count refused."""

import subprocess
import threading
import time

import pytest
import requests
from django.conf import settings

from channels_app import pacing, playout, viewers
from mediasuite.models import Event
from tests.conftest import start_web, wait_for

from .conftest import wait_playing

pytestmark = pytest.mark.processes

READ_SECONDS = 60  # a minute (the issue's figure): the 6 s clips' file changes and a restart


def video_frames(framecrc: str) -> list[tuple[int, int]]:
    """(pts, duration) of each decoded video frame of ffmpeg's framecrc output, in the stream time base."""
    frames = []
    for line in framecrc.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        stream, _dts, pts, duration, *_ = (part.strip() for part in line.split(","))
        if stream == "0":
            frames.append((int(pts), int(duration)))
    return frames


def test_ffmpeg_reads_the_tuner_stream_across_file_changes_and_a_restart(make_channel, supervisor, spawn,
                                                                         people, tmp_path):
    channel = make_channel("tuned", series=True, desired="running")
    wait_playing(channel, count=2)
    _, base = start_web(spawn, env={"MEDIASUITE_CHANNELS_TUNER_COUNT": "1"})
    token = viewers.token_for(people["player"]).secret()
    url = requests.get(f"{base}/hdhr/{token}/lineup.json", timeout=5).json()[0]["URL"]
    assert url == f"{base}/hdhr/{token}/auto/v{channel.number}"

    first_event = Event.objects.order_by("-id").values_list("id", flat=True).first()
    reader = subprocess.Popen(
        [settings.FFMPEG, "-nostdin", "-hide_banner", "-v", "error", "-copyts", "-start_at_zero", "-i", url,
         "-map", "0:v", "-t", str(READ_SECONDS), "-f", "framecrc", "-"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    output = {}
    collector = threading.Thread(
        target=lambda: output.update(zip(("out", "err"), reader.communicate(), strict=True)))
    collector.start()

    wait_for(lambda: viewers.counts([channel.pk]).get(channel.pk, (0, 0))[0] == 1, timeout=15,
             message="the tuner reader counted as a viewer")
    busy = requests.get(url, timeout=5)
    assert busy.status_code == 503 and busy.headers["X-HDHomeRun-Error"] == "805 All Tuners In Use"

    time.sleep(READ_SECONDS / 3)  # the reader plays on its own for a while, then the operator restarts
    playout.request_restart(None, channel)
    collector.join(READ_SECONDS * 4)
    assert not collector.is_alive(), "ffmpeg kept reading past its duration"
    assert reader.returncode == 0, output["err"]
    assert output["err"] == "", output["err"]  # decoded without a single error
    played = Event.objects.filter(subject_id=str(channel.pk), id__gt=first_event,
                                  kind__in=("channel.file", "channel.restarted"))
    assert {"end", "manual"} <= set(played.values_list("payload__trigger", flat=True)), \
        "the read spanned a file change and a restart"

    frames = video_frames(output["out"])
    tb = next(line for line in output["out"].splitlines() if line.startswith("#tb 0:"))
    num, den = (int(x) for x in tb.split(":", 1)[1].strip().split("/"))
    seconds = [pts * num / den for pts, _ in frames]
    assert seconds[-1] - seconds[0] >= READ_SECONDS - 1
    steps = [later - earlier for earlier, later in zip(seconds, seconds[1:], strict=False)]
    assert min(steps) > 0, "a timestamp went backwards"
    # A restart throws away what ffmpeg had written ahead of the clock (its start burst and the segment queued
    # before the next file), so the timestamps may jump forward by that much, and by one segment more at most.
    ahead = pacing.burst(None) + 2 * settings.CHANNELS_SEGMENT_SECONDS
    assert max(steps) < ahead, f"a gap of {max(steps):.2f} s, longer than a restart skips"
    wait_for(lambda: not viewers.counts([channel.pk]).get(channel.pk), timeout=15,
             message="the tuner given back when the reader left")
    with requests.get(url, stream=True, timeout=5) as again:
        assert again.status_code == 200  # free again
