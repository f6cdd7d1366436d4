"""Pure rules of playout pacing: key frame spacing, the delivery chosen per file, the watchdog's limit."""

import os
import time
from types import SimpleNamespace

import pytest

from channels_app import pacing, probe, units
from channels_app.models import Channel, VideoFile

FORMAT = (640, 360, 24.0, 48000, 2)


def probed(**fields):
    base = {"video_codec": "h264", "audio_codec": "aac", "width": 640, "height": 360, "fps": 24.0,
            "sample_rate": 48000, "audio_channels": 2}
    return SimpleNamespace(**{**base, **fields})


def every(step: float, until: float) -> list[float]:
    return [round(i * step, 3) for i in range(int(until / step))]


@pytest.mark.parametrize(("times", "span", "gap", "longest"), [
    (every(0.5, 6), 6, 0.5, 2.0),       # the bench's clips: segments of hls_time
    (every(2, 30), 30, 2.0, 2.0),       # streaming encodes
    (every(10, 30), 30, 10.0, 10.0),    # x264's 250 frames: 10 s segments whatever hls_time says
    (every(0.7, 14), 14, 0.7, 2.1),     # the first key frame at or past 2 s ends the segment
    ([0, 1.9, 11.9, 13], 20, 10.0, 11.9),  # scene cuts: a segment can be longer than the largest gap
    ([0], 4, 4.0, 4.0),                 # one key frame: the rest of the span is one segment
])
def test_key_frame_spacing_gives_the_longest_segment_of_a_file(times, span, gap, longest):
    assert probe.spacing(times, span, 2.0) == {"keyframe_interval": gap, "longest_segment": longest}


def test_no_key_frame_read_leaves_the_spacing_unknown():
    assert probe.spacing([], 30, 2.0) == {"keyframe_interval": None, "longest_segment": None}


@pytest.mark.parametrize(("fields", "delivery", "why"), [
    ({}, "copy", "sent as they are"),
    ({"audio_codec": "ac3", "audio_channels": 6}, "audio", "audio is ac3, not AAC"),
    ({"audio_codec": "eac3", "audio_channels": 6}, "audio", "audio is eac3, not AAC"),
    ({"audio_channels": 6}, "audio", "audio 48000 Hz/6 ch differs from the channel's 48000 Hz/2 ch"),
    ({"audio_codec": ""}, "audio", "audio is missing"),
    ({"video_codec": "hevc"}, "transcode", "video is hevc, not H.264"),
    ({"fps": 18.833}, "transcode", "18.833 fps differs from the channel's 24.0 fps"),
    ({"width": 1920, "height": 1080, "audio_codec": "ac3"}, "transcode", "1920x1080 differs"),
])
def test_delivery_per_probe_copies_what_it_can(fields, delivery, why):
    chosen, reason = probe.decide(probed(**fields), FORMAT)
    assert chosen == delivery and why in reason


def test_segment_burst_and_watchdog_limit_follow_the_file(settings):
    settings.CHANNELS_SEGMENT_SECONDS = 2.0
    short = SimpleNamespace(delivery="copy", longest_segment=2.0)
    long_gop = SimpleNamespace(delivery="copy", longest_segment=10.0)
    remuxed = SimpleNamespace(delivery="audio", longest_segment=10.0)
    transcoded = SimpleNamespace(delivery="transcode", longest_segment=10.0)  # our own key frames
    unknown = SimpleNamespace(delivery="copy", longest_segment=None)
    assert [pacing.segment_seconds(v) for v in (short, long_gop, remuxed, transcoded, unknown, None)] == \
        [2.0, 10.0, 10.0, 2.0, 2.0, 2.0]
    assert pacing.watchdog_limit(short) == 6.0  # the original 3 x hls_time
    assert pacing.watchdog_limit(long_gop) == 14.0  # a 10 s segment is never late, a frozen ffmpeg is
    assert pacing.burst(long_gop) > 10.0  # the whole first segment is read at once
    assert pacing.target_duration([short, long_gop]) == 10
    assert pacing.target_duration([SimpleNamespace(delivery="copy", longest_segment=2.1)]) == 3


@pytest.mark.django_db
def test_the_watchdog_allows_a_long_gop_file_its_segments_but_no_more(make_channel, settings):
    channel = make_channel("long-gop")
    VideoFile.objects.filter(channel=channel, name="a.mp4").update(longest_segment=10.0)
    Channel.objects.filter(pk=channel.pk).update(current_file=channel.files.get(name="a.mp4"))
    child = SimpleNamespace(started=time.time() - 60)
    launched = units.playout.launch_file(channel.name)
    launched.parent.mkdir(parents=True, exist_ok=True)
    launched.touch()
    quiet = time.time() - 11  # 11 s without a segment: past 3 x hls_time, within a 10 s segment's limit
    os.utime(launched, (quiet, quiet))
    assert units.progress(channel.unit, child) is None
    quiet = time.time() - 15
    os.utime(launched, (quiet, quiet))
    assert "(limit 14.0s)" in units.progress(channel.unit, child)
    Channel.objects.filter(pk=channel.pk).update(current_file=channel.files.get(name="b.mp4"))
    quiet = time.time() - 7
    os.utime(launched, (quiet, quiet))
    assert "(limit 6.0s)" in units.progress(channel.unit, child)  # a short-GOP file keeps the short limit
