"""ffprobe once per file, and the delivery decision per file (copy, copy video + transcode audio, transcode).

Besides codecs and sizes the probe reads the key frames of the file's first
KEYFRAME_SPAN seconds (packet flags, nothing decoded): in copy mode a segment
can only end on a key frame, so their spacing says how long this file's
segments are, which the playout pacing and the watchdog follow (pacing.py).
"""

import json
import subprocess
from collections import Counter
from fractions import Fraction

from django.conf import settings

PROBE_TIMEOUT = 30
KEYFRAME_SPAN = 120  # seconds of the file whose key frames are read


class ProbeError(Exception):
    pass


def probe(path) -> dict:
    """Codecs, size, frame rate, audio and duration of a video file, from ffprobe."""
    try:
        done = subprocess.run(
            [settings.FFPROBE, "-v", "error", "-print_format", "json", "-show_format", "-show_streams",
             str(path)],
            capture_output=True, text=True, timeout=PROBE_TIMEOUT)
    except subprocess.TimeoutExpired:
        raise ProbeError(f"ffprobe gave no answer within {PROBE_TIMEOUT}s") from None
    except FileNotFoundError:
        raise ProbeError(f"{settings.FFPROBE} is not installed (install the ffmpeg package, or set "
                         "MEDIASUITE_FFPROBE)") from None
    if done.returncode != 0:
        detail = (done.stderr.strip().splitlines() or ["unreadable file"])[-1]
        raise ProbeError(f"ffprobe cannot read it: {detail[:200]}")
    data = json.loads(done.stdout or "{}")
    streams = data.get("streams", [])
    video = next((s for s in streams if s.get("codec_type") == "video"
                  and not s.get("disposition", {}).get("attached_pic")), None)
    audio = next((s for s in streams if s.get("codec_type") == "audio"), None)
    if video is None:
        raise ProbeError("no video stream")
    try:
        duration = float(data.get("format", {}).get("duration") or video.get("duration") or 0)
    except ValueError:
        duration = 0.0
    if duration <= 0:
        raise ProbeError("no duration (file truncated or still being written?)")
    return {
        "duration": duration,
        "video_codec": video.get("codec_name", ""),
        "width": video.get("width"),
        "height": video.get("height"),
        "fps": _fps(video.get("avg_frame_rate") or video.get("r_frame_rate")),
        "audio_codec": audio.get("codec_name", "") if audio else "",
        "sample_rate": int(audio["sample_rate"]) if audio and audio.get("sample_rate") else None,
        "audio_channels": audio.get("channels") if audio else None,
        **keyframes(path, duration),
    }


def keyframes(path, duration: float) -> dict:
    """{'keyframe_interval', 'longest_segment'} from the video key frames of the first KEYFRAME_SPAN s.

    Unknown (None) when ffprobe cannot list the packets; the pacing rules then
    assume segments of the configured length.
    """
    try:
        done = subprocess.run(
            [settings.FFPROBE, "-v", "error", "-select_streams", "v:0",
             "-read_intervals", f"%+{KEYFRAME_SPAN}", "-show_entries", "packet=pts_time,flags",
             "-of", "csv=p=0", str(path)],
            capture_output=True, text=True, timeout=PROBE_TIMEOUT)
    except (subprocess.TimeoutExpired, FileNotFoundError):
        return {"keyframe_interval": None, "longest_segment": None}
    times = []
    for line in done.stdout.splitlines():
        pts, _, flags = line.partition(",")
        if flags.startswith("K"):
            try:
                times.append(float(pts))
            except ValueError:
                continue
    return spacing(sorted(times), min(duration, KEYFRAME_SPAN), settings.CHANNELS_SEGMENT_SECONDS)


def spacing(times: list[float], span: float, segment: float) -> dict:
    """The largest key frame gap in `times` (key frame times over `span` seconds) and the longest
    segment ffmpeg's HLS muxer cuts from them in copy mode, starting at any key frame.

    The muxer ends a segment on the first key frame at least `segment` seconds
    after its start (a run's first segment is shorter: -hls_init_time); the
    stretch after the last key frame seen counts as a gap, since the next one
    is at least that far.
    """
    if not times:
        return {"keyframe_interval": None, "longest_segment": None}
    ends = [*times[1:], max(span, times[-1])]
    gaps = [b - a for a, b in zip(times, ends, strict=True)]
    longest, j = 0.0, 0
    for i, start in enumerate(times):
        j = max(j, i + 1)
        while j < len(times) and times[j] - start < segment - 0.001:
            j += 1
        end = times[j] if j < len(times) else ends[-1]
        longest = max(longest, end - start)
    return {"keyframe_interval": round(max(gaps), 3), "longest_segment": round(max(longest, segment), 3)}


def _fps(rate: str | None) -> float | None:
    try:
        value = float(Fraction(rate)) if rate else None
    except (ValueError, ZeroDivisionError):
        return None
    return round(value, 3) if value else None


def signature(video) -> tuple:
    return (video.width, video.height, video.fps, video.sample_rate, video.audio_channels)


def reference(videos) -> tuple | None:
    """The output format of a channel: the most common parameters among its H.264/AAC files."""
    counts = Counter(signature(v) for v in videos if v.video_codec == "h264" and v.audio_codec == "aac")
    if not counts:
        counts = Counter(signature(v) for v in videos)
    return counts.most_common(1)[0][0] if counts else None


def decide(video, ref: tuple) -> tuple[str, str]:
    """(delivery, reason) of a probed file against the channel's reference format.

    copy: H.264 and AAC in the channel's format, sent as they are. audio: the
    picture is fine but the sound is not AAC in the channel's rate and
    channels (AC-3 or E-AC-3 5.1, MP3, another rate): the video is copied and
    the audio alone transcoded, which costs little CPU. transcode: the picture
    itself differs (codec, size, frame rate), so both are encoded again.
    """
    width, height, fps, rate, channels = ref
    picture = []
    if video.video_codec != "h264":
        picture.append(f"video is {video.video_codec or 'unknown'}, not H.264")
    if (video.width, video.height) != (width, height):
        picture.append(f"{video.width}x{video.height} differs from the channel's {width}x{height}")
    if video.fps != fps:
        picture.append(f"{video.fps} fps differs from the channel's {fps} fps")
    sound = []
    if video.audio_codec != "aac":
        sound.append(f"audio is {video.audio_codec or 'missing'}, not AAC")
    elif (video.sample_rate, video.audio_channels) != (rate, channels):
        sound.append(f"audio {video.sample_rate} Hz/{video.audio_channels} ch differs from the "
                     f"channel's {rate} Hz/{channels} ch")
    if picture:
        return "transcode", "; ".join(picture + sound) + ": video and audio are encoded again."
    if sound:
        return "audio", f"{sound[0]}: the video is copied, the audio alone is encoded to AAC."
    return "copy", "H.264 and AAC in the channel's format: sent as they are."
