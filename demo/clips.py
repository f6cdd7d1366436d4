"""Short generated videos: the demo channels and the tests play these."""

import subprocess
from pathlib import Path

from django.conf import settings


def make_clip(path: Path, seconds: float = 6.0, *, label: str = "", size: str = "640x360", fps: int = 24,
              frequency: int = 440, codec: str = "libx264", keyframes: float = 0.5) -> Path:
    """An H.264/AAC MP4 (a key frame every `keyframes` seconds) of a test pattern with `label` and a tone."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = (label or path.stem).replace(":", " ").replace("'", "")
    gop = str(round(fps * keyframes))
    video = (f"testsrc2=size={size}:rate={fps}:duration={seconds},"
             f"drawtext=text='{text}':fontsize=36:fontcolor=white:box=1:boxcolor=black@0.6:x=20:y=20")
    argv = [settings.FFMPEG, "-hide_banner", "-loglevel", "error", "-y",
            "-f", "lavfi", "-i", video,
            "-f", "lavfi", "-i", f"sine=frequency={frequency}:sample_rate=48000:duration={seconds}",
            "-c:v", codec, "-pix_fmt", "yuv420p", "-g", gop, "-keyint_min", gop,
            "-sc_threshold", "0", "-c:a", "aac", "-ac", "2", "-b:a", "96k", "-shortest"]
    if codec == "libx264":
        argv += ["-preset", "veryfast", "-profile:v", "main"]
    subprocess.run([*argv, "-movflags", "+faststart", str(path)], check=True)
    return path
