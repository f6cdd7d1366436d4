"""Channels fixtures: generated clips, channel folders, a real supervisor playing them."""

import contextlib
import fcntl
import os
import shutil
import subprocess

import psutil
import pytest
from django.conf import settings

from channels_app import catalog, hls, paths
from channels_app.models import Channel
from demo.clips import make_clip
from tests.conftest import wait_for

from .corpus import make_corpus

CLIPS = {"a.mp4": ("A", 440), "b.mp4": ("B", 550), "c.mp4": ("C", 660)}
LONG = "long.mp4"  # 40 s, for what must happen in the middle of a file


@pytest.fixture(scope="session")
def clip_library(tmp_path_factory, worker_id):
    """Three 6 s H.264/AAC clips and one that is not a video, generated once per run.

    The xdist workers share them (read-only; tests link them into channel
    folders): the first to need them makes them under a lock in the run's
    common temp folder, the others wait and reuse them.
    """
    root = _shared(tmp_path_factory, worker_id)
    folder = root / "clips"
    with open(root / "clips.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (folder / "complete").exists():
            folder.mkdir(exist_ok=True)
            for name, (label, tone) in CLIPS.items():
                make_clip(folder / name, 6.0, label=label, frequency=tone)
            make_clip(folder / LONG, 40.0, label="LONG", frequency=330)
            (folder / "broken.mp4").write_bytes(b"\x00not a video" * 100)
            (folder / "complete").touch()
    return folder


def _shared(tmp_path_factory, worker_id):
    """The run's common temp folder, shared by the xdist workers."""
    root = tmp_path_factory.getbasetemp()
    return root.parent if worker_id != "master" else root  # <run>/popen-gwN -> <run>


@pytest.fixture(scope="session")
def corpus(tmp_path_factory, worker_id):
    """The generated corpus of real-library media (tests/channels/corpus.py), made once per run."""
    root = _shared(tmp_path_factory, worker_id)
    with open(root / "corpus.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return make_corpus(root / "corpus")


@pytest.fixture
def corpus_channel(corpus, channel_folder):
    """corpus_channel(name, files, series=True, desired="running") -> Channel playing corpus files."""

    def make(name, files, series=True, desired="running"):
        folder = channel_folder(name, files=(), series=series)
        for file in files:
            os.link(corpus / file, folder / file)
        return catalog.create(None, name=name, folder=name, desired=desired)

    return make


@pytest.fixture
def channel_folder(clip_library):
    """channel_folder(name, files, series=False) -> folder under the channels root, removed afterwards."""
    made = []

    def make(name, files=("a.mp4", "b.mp4", "c.mp4"), series=False):
        folder = paths.channels_root() / name
        folder.mkdir(parents=True, exist_ok=True)
        for file in files:
            known = file in CLIPS or file in (LONG, "broken.mp4")
            source = clip_library / (file if known else "a.mp4")
            os.link(source, folder / file)
        if series:
            (folder / "series.txt").write_text("")
        made.append(folder)
        return folder

    yield make
    for folder in made:
        shutil.rmtree(folder, ignore_errors=True)
        shutil.rmtree(paths.hls_root() / folder.name, ignore_errors=True)


@pytest.fixture
def make_channel(channel_folder):
    """make_channel(name, files=..., series=False, desired="stopped") -> Channel (files probed)."""

    def make(name, files=("a.mp4", "b.mp4", "c.mp4"), series=False, desired="stopped", **fields):
        channel_folder(name, files, series)
        return catalog.create(None, name=name, folder=name, desired=desired, **fields)

    return make


NODE = f"test-node-{os.getpid()}"


def node_processes() -> list[psutil.Process]:
    """Live processes of this test session's supervisor node (its unit host, the channels' ffmpeg)."""
    found = []
    for proc in psutil.process_iter():
        try:
            if proc.environ().get("MEDIASUITE_NODE") == NODE and proc.status() != psutil.STATUS_ZOMBIE:
                found.append(proc)
        except psutil.Error:
            continue
    return found


@pytest.fixture
def supervisor(spawn):
    """A real `manage.py supervise` on the test database; nothing of its node outlives the test."""
    proc = spawn("supervisor", "supervise", env={"MEDIASUITE_NODE_NAME": NODE,
                                                 "MEDIASUITE_PROCESS": "supervisor"})
    yield proc
    proc.stop()
    end_node_processes()


def end_node_processes():
    for proc in node_processes():
        with contextlib.suppress(psutil.Error):
            proc.kill()


def playlist(channel: Channel) -> str:
    try:
        return (paths.hls_dir(channel) / hls.PLAYLIST).read_text()
    except OSError:
        return ""


def segments(channel: Channel) -> list[str]:
    return [line for line in playlist(channel).splitlines() if line and not line.startswith("#")]


def wait_playing(channel: Channel, count=1, timeout=40, after=()):
    """Wait until the channel's playlist lists `count` segments not in `after`; return them."""
    def fresh():
        found = [name for name in segments(channel) if name not in after]
        return found if len(found) >= count else None
    return wait_for(fresh, timeout=timeout, message=f"{count} new segment(s) of channel {channel.name}")


def started(channel: Channel):
    """Wait until the channel's first run is recorded (its segment is listed a moment before)."""
    from mediasuite.models import Event

    wait_for(lambda: Event.objects.filter(kind="channel.restarted", subject_id=str(channel.pk)).exists(),
             timeout=40, message=f"channel {channel.name} to start")


def first_pts(path) -> float:
    out = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
                          "packet=pts_time", "-of", "csv=p=0", str(path)], capture_output=True, text=True,
                         check=True).stdout.split()
    return float(out[0].strip(","))


def last_pts(path) -> float:
    out = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
                          "packet=pts_time", "-of", "csv=p=0", str(path)], capture_output=True, text=True,
                         check=True).stdout.split()
    return max(float(x.strip(",")) for x in out if x.strip(","))


def hls_path(channel: Channel, name: str):
    return paths.hls_dir(channel) / name


__all__ = ["playlist", "segments", "wait_playing", "first_pts", "last_pts", "hls_path", "settings"]
