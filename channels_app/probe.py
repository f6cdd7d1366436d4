"""ffprobe once per file, and the copy-or-transcode decision per file."""

import json
import subprocess
from collections import Counter
from fractions import Fraction

from django.conf import settings

PROBE_TIMEOUT = 30


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
    }


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
    """('copy' | 'transcode', reason) for a probed file against the channel's reference format."""
    reasons = []
    if video.video_codec != "h264":
        reasons.append(f"video is {video.video_codec or 'unknown'}, not H.264")
    if video.audio_codec != "aac":
        reasons.append(f"audio is {video.audio_codec or 'missing'}, not AAC")
    width, height, fps, rate, channels = ref
    if (video.width, video.height) != (width, height):
        reasons.append(f"{video.width}x{video.height} differs from the channel's {width}x{height}")
    if video.fps != fps:
        reasons.append(f"{video.fps} fps differs from the channel's {fps} fps")
    if (video.sample_rate, video.audio_channels) != (rate, channels) and video.audio_codec == "aac":
        reasons.append(f"audio {video.sample_rate} Hz/{video.audio_channels} ch differs from the "
                       f"channel's {rate} Hz/{channels} ch")
    if reasons:
        return "transcode", "; ".join(reasons)
    return "copy", ""
