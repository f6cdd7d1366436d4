"""How a file is paced into HLS: its segment length, its burst, the watchdog's limit, the target duration.

In copy mode a segment can only end on one of the file's own key frames, so
a file with a key frame every 10 s gives 10 s segments whatever `hls_time`
says. These rules read the probe's key frame spacing (probe.keyframes) and
are what the playout process and the watchdog agree on.
"""

import math

from django.conf import settings

from .models import Delivery

# Extra seconds read ahead beyond a segment: ffmpeg's start-up and the spread of irregular key frames.
BURST_SLACK = 1.0
# Seconds a late segment is allowed beyond the file's longest one before the watchdog calls ffmpeg stuck,
# in segment lengths: the same margin as the original 3 x hls_time for files cut at hls_time.
WATCHDOG_MARGIN = 2


def segment_seconds(video) -> float:
    """The longest segment this file gives: its own key frames decide in copy mode, ours when transcoded."""
    configured = settings.CHANNELS_SEGMENT_SECONDS
    if video is None or video.delivery == Delivery.TRANSCODE or not video.longest_segment:
        return configured
    return max(configured, video.longest_segment)


def burst(video) -> float:
    """Seconds of the file ffmpeg reads at full speed before pacing to real time.

    With at least one segment read ahead the first segment of a run is ready
    at once (not one key frame interval later), and every later one is ready
    by the time it is due: ffmpeg stays `burst` seconds ahead of the schedule.
    """
    return segment_seconds(video) + BURST_SLACK


def watchdog_limit(video) -> float:
    """Seconds without a new segment after which the channel's ffmpeg is stuck.

    A segment is due every segment_seconds(video) at most, so a frozen ffmpeg
    is caught WATCHDOG_MARGIN segment lengths (4 s by default) after the
    segment it owes, and a 10 s-GOP file is never taken for a frozen one.
    """
    return segment_seconds(video) + WATCHDOG_MARGIN * settings.CHANNELS_SEGMENT_SECONDS


def target_duration(videos) -> int:
    """EXT-X-TARGETDURATION of a channel: every segment of every file it plays, rounded, fits under it."""
    return math.ceil(max([settings.CHANNELS_SEGMENT_SECONDS, *(segment_seconds(v) for v in videos)]))
