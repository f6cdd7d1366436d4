"""Objects for the recorder's API and page tests (no processes)."""

import shutil
import subprocess
from functools import cache
from pathlib import Path

from django.utils import timezone

from recorder.models import CameraSession, Court, Recording


@cache
def sample_mp4() -> Path:
    """A 2 s H.264 MP4 (moov first), made once per test run with ffmpeg's test source."""
    target = Path(subprocess.check_output(["mktemp", "-d"], text=True).strip()) / "sample.mp4"
    subprocess.run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i",
                    "testsrc=duration=2:size=160x120:rate=10", "-c:v", "libx264", "-pix_fmt", "yuv420p",
                    "-movflags", "+faststart", str(target)], check=True, timeout=60)
    return target


def make_court(club, name="Court 1", url="http://127.0.0.1:9/video.mjpeg"):
    return Court.objects.create(club=club, name=name, camera_url=url)


def make_session(court, user, session_id=None):
    return CameraSession.objects.create(session_id=session_id or f"sess_{court.pk}_{1700000000 + user.pk}",
                                        court=court, user=user)


def make_recording(session, state="finalized", with_file=True) -> Recording:
    rec = Recording.objects.create(
        session=session, club=session.court.club, court=session.court, user=session.user, state=state,
        planned_seconds=600, file=f"{session.court.club_id}/{session.session_id}.mp4",
        stopped_at=None if state == "recording" else timezone.now())
    if with_file:
        rec.path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(sample_mp4(), rec.path)
        Recording.objects.filter(pk=rec.pk).update(size=rec.path.stat().st_size, duration=2.0)
    return rec
