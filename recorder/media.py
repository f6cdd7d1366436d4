"""ffmpeg and ffprobe invocations: the recording command, the final re-mux, probes, thumbnails.

While recording, ffmpeg writes fragmented MP4 (`frag_keyframe+empty_moov+
default_base_moof`, a keyframe every second, a fragment at each keyframe and
at least every half second, packets flushed): whatever happens to the process,
the file on disk is readable up to its last half second or so. At the end the
part(s) are re-muxed by stream copy, with the moov moved to the start
(`+faststart`) so browsers can seek, into a temporary file that then
atomically replaces the final one. Several parts exist when the recording was
resumed (the supervisor crashed, or ffmpeg's input ended early); they are
concatenated.
"""

import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

REMUX_TIMEOUT = 600


FRAGMENTED = ["-movflags", "frag_keyframe+empty_moov+default_base_moof", "-frag_duration", "500000",
              "-flush_packets", "1"]  # fmt: skip


def record_command(input_placeholder: str, output: Path, seconds: int, kind: str = "mjpeg") -> list[str]:
    """ffmpeg reading the proxy into fragmented MP4.

    MJPEG cameras: the proxy's raw JPEGs, timestamped with the wall clock,
    encoded to H.264 (the only transcode). RTSP cameras: the proxy's MPEG-TS
    copy of the camera's own stream, copied again (no re-encoding).
    """
    timeout_us = str(int(settings.RECORDER_INPUT_TIMEOUT * 1_000_000))
    if kind == "rtsp":
        return [settings.FFMPEG, "-hide_banner", "-nostdin", "-loglevel", "warning",
                "-rw_timeout", timeout_us, "-analyzeduration", "1000000", "-f", "mpegts",
                "-i", input_placeholder, "-map", "0:v:0",
                "-c:v", "copy", *FRAGMENTED, "-t", str(max(1, seconds)), "-y", str(output)]  # fmt: skip
    encode = [
        "-an", "-c:v", "libx264", "-preset", "veryfast", "-tune", "zerolatency", "-crf", "23",
        "-pix_fmt", "yuv420p", "-fps_mode", "vfr", "-force_key_frames", "expr:gte(t,n_forced*1)",
        *FRAGMENTED,
    ]  # fmt: skip
    source = ["-rw_timeout", timeout_us, "-use_wallclock_as_timestamps", "1", "-f", "mjpeg",
              "-i", input_placeholder]  # fmt: skip
    return [settings.FFMPEG, "-hide_banner", "-nostdin", "-loglevel", "warning", *source, *encode,
            "-t", str(max(1, seconds)), "-y", str(output)]  # fmt: skip


@dataclass
class Assembled:
    ok: bool
    size: int = 0
    duration: float | None = None
    parts: int = 0
    error: str = ""
    stderr: str = field(default="", repr=False)


def parts_of(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("*.mp4") if p.stat().st_size > 0)


def probe_duration(path: Path) -> float | None:
    try:
        out = subprocess.run(
            [
                settings.FFPROBE,
                "-v",
                "error",
                "-show_entries",
                "format=duration",
                "-of",
                "csv=p=0",
                str(path),
            ],
            capture_output=True,
            text=True,
            timeout=60,
        )
        return float(out.stdout.strip())
    except (OSError, ValueError, subprocess.TimeoutExpired):
        return None


def assemble(parts_dir: Path, final: Path) -> Assembled:
    """Re-mux the parts of `parts_dir` into `final` (stream copy, faststart), atomically.

    The parts are removed only once the final file is in place and probes;
    on any failure they stay for a later attempt, and nothing is deleted.
    A part holding no frame (ffmpeg stopped before the first one: only its
    header) is left out; when no part holds a frame they all go.
    """
    written = parts_of(parts_dir)
    parts = [part for part in written if probe_duration(part)]
    if not parts:
        if final.is_file() and probe_duration(final):
            return Assembled(True, final.stat().st_size, probe_duration(final), 0)
        if written:
            shutil.rmtree(parts_dir, ignore_errors=True)
        return Assembled(False, error="no video was written (the camera sent no frame?)")
    tmp = final.with_name(final.stem + ".remux.mp4")
    if len(parts) == 1:
        inputs = ["-i", str(parts[0])]
    else:
        listing = parts_dir / "parts.txt"
        listing.write_text("".join(f"file '{p.name}'\n" for p in parts))
        inputs = ["-f", "concat", "-safe", "0", "-i", str(listing)]
    command = [
        settings.FFMPEG,
        "-hide_banner",
        "-nostdin",
        "-loglevel",
        "error",
        "-y",
        *inputs,
        "-c",
        "copy",
        "-movflags",
        "+faststart",
        str(tmp),
    ]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=REMUX_TIMEOUT)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return Assembled(False, parts=len(parts), error=f"the re-mux could not run: {exc}")
    duration = probe_duration(tmp) if done.returncode == 0 and tmp.is_file() else None
    if not duration:
        tmp.unlink(missing_ok=True)
        return Assembled(
            False,
            parts=len(parts),
            error=f"the re-mux failed (exit {done.returncode}): {done.stderr.strip()[-500:]}",
            stderr=done.stderr,
        )
    tmp.replace(final)
    shutil.rmtree(parts_dir, ignore_errors=True)
    return Assembled(True, final.stat().st_size, duration, len(parts))


def cut(video: Path, target: Path, start: float, length: float) -> float | None:
    """A clip of `video` from `start` for `length` seconds by stream copy (moov first); its duration."""
    tmp = target.with_name(target.stem + ".tmp.mp4")
    command = [settings.FFMPEG, "-hide_banner", "-nostdin", "-loglevel", "error", "-y",
               "-ss", f"{start:.2f}", "-i", str(video), "-t", f"{length:.2f}", "-c", "copy",
               "-movflags", "+faststart", str(tmp)]  # fmt: skip
    try:
        done = subprocess.run(command, capture_output=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired):
        return None
    duration = probe_duration(tmp) if done.returncode == 0 and tmp.is_file() else None
    if not duration:
        tmp.unlink(missing_ok=True)
        return None
    tmp.replace(target)
    return duration


def thumbnail(video: Path, target: Path, width=320) -> bool:
    """A JPEG thumbnail of the video's first second, scaled with Pillow."""
    from PIL import Image

    frame = target.with_suffix(".frame.jpg")
    try:
        subprocess.run(
            [
                settings.FFMPEG,
                "-hide_banner",
                "-nostdin",
                "-loglevel",
                "error",
                "-y",
                "-i",
                str(video),
                "-frames:v",
                "1",
                str(frame),
            ],
            capture_output=True,
            timeout=60,
        )
        with Image.open(frame) as image:
            image.thumbnail((width, width))
            image.save(target, "JPEG", quality=80)
        return True
    except (OSError, subprocess.TimeoutExpired):
        return False
    finally:
        frame.unlink(missing_ok=True)


def log_tail(path: Path, lines=20) -> str:
    try:
        with open(path, "rb") as handle:
            handle.seek(0, 2)
            handle.seek(max(0, handle.tell() - 8192))
            return "\n".join(handle.read().decode(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def ffmpeg_path() -> str | None:
    return shutil.which(settings.FFMPEG)
