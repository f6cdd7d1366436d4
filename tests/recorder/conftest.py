"""Recorder fixtures: the synthetic camera, courts on it, a real supervisor, media probes."""

import json
import os
import signal
import subprocess
import time

import psutil
import pytest

from demo.mjpeg_camera import SyntheticCamera
from mediasuite.models import Unit
from recorder.models import Court, Recording
from tests.conftest import wait_for

NODE = f"rec{os.getpid()}"
SUPERVISOR_ENV = {
    "MEDIASUITE_PROCESS": "supervisor",
    "MEDIASUITE_SUPERVISOR_TICK": "0.1",
    "MEDIASUITE_START_SECONDS": "0.3",
}


@pytest.fixture
def camera():
    cam = SyntheticCamera(fps=10, size=(320, 240)).start()
    yield cam
    cam.stop()


@pytest.fixture
def court(club, camera):
    return Court.objects.create(club=club, name="Court 1", camera_url=camera.url)


@pytest.fixture
def other_court(other_club, camera):
    return Court.objects.create(club=other_club, name="Court A", camera_url=camera.url)


def node_processes():
    found = []
    for proc in psutil.process_iter():
        try:
            if proc.environ().get("MEDIASUITE_NODE") == NODE:
                found.append(proc.pid)
        except psutil.Error:
            continue
    return found


@pytest.fixture
def supervisor(spawn):
    """A real `manage.py supervise` on the test database; its unit processes are ended at teardown."""
    proc = spawn("supervise", "supervise", "--node", NODE, env=SUPERVISOR_ENV)
    yield proc
    proc.stop(signal.SIGTERM, timeout=30)
    for pid in node_processes():
        os.kill(pid, signal.SIGKILL)


def probe(path) -> dict:
    out = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=duration:stream=codec_name",
                          "-of", "json", str(path)], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, f"ffprobe cannot read {path}: {out.stderr}"
    return json.loads(out.stdout)


def duration_of(path) -> float:
    return float(probe(path)["format"]["duration"])


def top_level_boxes(path) -> list[str]:
    """The MP4's top-level box types in file order (to see that moov comes before mdat)."""
    boxes = []
    with open(path, "rb") as handle:
        while True:
            header = handle.read(8)
            if len(header) < 8:
                return boxes
            size, kind = int.from_bytes(header[:4], "big"), header[4:8].decode("latin-1")
            if size == 1:
                size = int.from_bytes(handle.read(8), "big")
                handle.seek(size - 16, 1)
            elif size == 0:
                boxes.append(kind)
                return boxes
            else:
                handle.seek(size - 8, 1)
            boxes.append(kind)


def first_part_written(rec: Recording, timeout=40.0) -> float:
    """Wait until ffmpeg has written the first bytes of the recording; return that moment (monotonic)."""
    def written():
        return rec.parts_dir.is_dir() and any(p.stat().st_size > 0 for p in rec.parts_dir.glob("*.mp4"))

    wait_for(written, timeout=timeout, interval=0.02, message=f"ffmpeg to write {rec.parts_dir}")
    return time.monotonic()


def finished(rec: Recording, timeout=40.0) -> Recording:
    def done():
        fresh = Recording.objects.get(pk=rec.pk)
        return fresh if fresh.state in ("finalized", "recovered", "failed") else None

    return wait_for(done, timeout=timeout, message=f"recording {rec.pk} to be finalized")


def unit_pid(name) -> int:
    def running():
        unit = Unit.objects.filter(name=name).first()
        return unit.pid if unit and unit.state == "running" and unit.pid else None

    return wait_for(running, timeout=30, message=f"unit {name} running")


def elapse(seconds: float, since: float):
    """Let a recording run for `seconds` of wall-clock time (the subject of the test, not a guess)."""
    wait_for(lambda: time.monotonic() - since >= seconds, timeout=seconds + 5, interval=0.02,
             message=f"{seconds}s of recording")
