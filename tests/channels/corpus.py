"""Media like the users': a generated corpus of what real libraries hold (made by ffmpeg, nothing downloaded).

Short clips, so that the whole corpus is made in seconds: H.264 with a key
frame every 0.5, 2, 5 and 10 s, x264's defaults (B-frames, key frames at
scene cuts, at most every 250 frames) on moving content, a variable frame
rate, MKV and MP4, AAC stereo, AC-3 and E-AC-3 5.1, a subtitle stream, HEVC,
and audio that starts 2 s after the picture. Most are 640x360 at 24 fps with
48 kHz stereo AAC, the channel's format, so each delivery mode shows up:
copy, copy video + transcode audio, transcode.
"""

import subprocess
from pathlib import Path

from django.conf import settings

SIZE, FPS = "640x360", 24

# name: (seconds, what it stands for, the delivery the channel gives it)
CORPUS = {
    "gop05.mp4": (4, "H.264/AAC, key frame every 0.5 s", "copy"),
    "gop2.mp4": (6, "H.264/AAC, key frame every 2 s (streaming encodes)", "copy"),
    "gop5.mkv": (10, "H.264/AAC in MKV, key frame every 5 s", "copy"),
    "gop10.mp4": (30, "H.264/AAC, key frame every 10 s (x264's 250 frames at 25 fps)", "copy"),
    "scenes.mp4": (12, "x264 defaults: B-frames, key frames at scene cuts", "copy"),
    "subtitles.mkv": (4, "H.264/AAC in MKV with an SRT subtitle stream", "copy"),
    "late_audio.mp4": (6, "H.264/AAC whose audio starts 2 s after the picture", "copy"),
    "ac3.mkv": (4, "H.264 with AC-3 5.1 audio in MKV", "audio"),
    "eac3.mp4": (4, "H.264 with E-AC-3 5.1 audio in MP4", "audio"),
    "vfr.mp4": (6, "H.264/AAC with a variable frame rate (frames dropped mid-file)", "transcode"),
    "hevc.mkv": (4, "HEVC/AAC in MKV", "transcode"),
}


def _picture(seconds: float, label: str, source: str = "testsrc2") -> str:
    return (f"{source}=size={SIZE}:rate={FPS}:duration={seconds},"
            f"drawtext=text='{label}':fontsize=36:fontcolor=white:box=1:boxcolor=black@0.6:x=20:y=20")


def _tone(seconds: float, layout: str = "stereo") -> list[str]:
    return ["-f", "lavfi", "-i", f"sine=frequency=440:sample_rate=48000:duration={seconds},"
                                 f"aformat=channel_layouts={layout}"]


def _h264(gop: int | None) -> list[str]:
    keys = ["-g", str(gop), "-keyint_min", str(gop), "-sc_threshold", "0"] if gop else []
    return ["-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", *keys]


AAC = ["-c:a", "aac", "-b:a", "96k"]


def arguments(name: str, seconds: float) -> list[str]:
    """ffmpeg's inputs and codecs for one clip of the corpus."""
    label = name.split(".")[0]
    picture = ["-f", "lavfi", "-i", _picture(seconds, label)]
    if name.startswith("gop"):
        gop = {"gop05": FPS // 2, "gop2": 2 * FPS, "gop5": 5 * FPS, "gop10": 10 * FPS}[label]
        return [*picture, *_tone(seconds), *_h264(gop), *AAC]
    if name == "scenes.mp4":
        parts = [("testsrc2", 4), ("smptehdbars", 3), ("testsrc", 5)]
        inputs = [arg for source, length in parts
                  for arg in ("-f", "lavfi", "-i", _picture(length, label, source))]
        concat = "".join(f"[{i}:v]" for i in range(len(parts))) + f"concat=n={len(parts)}:v=1:a=0[v]"
        return [*inputs, *_tone(seconds), "-filter_complex", concat, "-map", "[v]", "-map", f"{len(parts)}:a",
                "-c:v", "libx264", "-pix_fmt", "yuv420p", *AAC]
    if name == "subtitles.mkv":
        srt = "1\n00:00:00,500 --> 00:00:03,000\nA subtitle line\n"
        return [*picture, *_tone(seconds), "-f", "srt", "-i", f"data:text/plain,{srt}", "-map", "0:v",
                "-map", "1:a", "-map", "2:s", *_h264(FPS), *AAC, "-c:s", "srt"]
    if name == "late_audio.mp4":
        return [*picture, "-itsoffset", "2", *_tone(seconds - 2), *_h264(FPS), *AAC]
    if name in ("ac3.mkv", "eac3.mp4"):
        codec = name.split(".")[0]
        return [*picture, *_tone(seconds, "5.1"), *_h264(FPS), "-c:a", codec, "-b:a", "384k"]
    if name == "vfr.mp4":
        return [*picture, *_tone(seconds), "-vf", "select='not(between(n,30,60))'", "-fps_mode", "vfr",
                *_h264(FPS), *AAC]
    if name == "hevc.mkv":
        return [*picture, *_tone(seconds), "-c:v", "libx265", "-preset", "ultrafast", "-x265-params",
                "log-level=error", "-pix_fmt", "yuv420p", *AAC]
    raise KeyError(name)


def make_corpus(folder: Path, names=None) -> Path:
    """Generate the corpus (or `names` of it) into `folder`; files already there are kept."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for name in names or CORPUS:
        path = folder / name
        if path.exists():
            continue
        seconds = CORPUS[name][0]
        partial = path.with_name(f".{name}")
        subprocess.run([settings.FFMPEG, "-hide_banner", "-loglevel", "error", "-y", "-protocol_whitelist",
                        "data,file,crypto", *arguments(name, seconds), "-t", str(seconds),
                        "-f", "matroska" if name.endswith(".mkv") else "mp4", str(partial)], check=True)
        partial.rename(path)
    return folder
