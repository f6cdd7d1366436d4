"""MEDIASUITE_FFMPEG / MEDIASUITE_FFPROBE (settings.FFMPEG / FFPROBE) are the binaries every part runs."""

import stat
import subprocess

import pytest

from channels_app import probe, runner
from demo.clips import make_clip
from mediasuite import checks
from mediasuite.models import Unit
from mediasuite.supervisor import registry


def wrapper(folder, name):
    """A real binary in another place: it notes each call, then runs the one on PATH."""
    real = subprocess.run(["sh", "-c", f"command -v {name}"], capture_output=True, text=True).stdout.strip()
    path = folder / f"my-{name}"
    path.write_text(f'#!/bin/sh\necho "$@" >> {folder}/{name}.calls\nexec {real} "$@"\n')
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def test_clips_and_probes_run_the_configured_binaries(tmp_path, settings):
    settings.FFMPEG = str(wrapper(tmp_path, "ffmpeg"))
    settings.FFPROBE = str(wrapper(tmp_path, "ffprobe"))
    clip = make_clip(tmp_path / "clip.mp4", 1.0)
    assert probe.probe(clip)["duration"] == pytest.approx(1.0, abs=0.2)
    assert str(clip) in (tmp_path / "ffmpeg.calls").read_text()
    assert str(clip) in (tmp_path / "ffprobe.calls").read_text()


@pytest.mark.django_db
def test_channels_and_camera_proxies_are_started_with_the_configured_ffmpeg(tmp_path, settings, make_channel):
    settings.FFMPEG = str(wrapper(tmp_path, "ffmpeg"))
    channel = make_channel("configured")
    video = channel.files.first()
    assert runner.ffmpeg_command(video, 0, 0, tmp_path, "r0", None)[0] == settings.FFMPEG
    proxy = Unit(name="cam-1", kind="camera-proxy", config={"url": "rtsp://127.0.0.1:1/x", "court": 1})
    argv = registry.get("camera-proxy").command(proxy)
    assert argv[argv.index("--ffmpeg") + 1] == settings.FFMPEG


@pytest.mark.django_db
def test_checks_and_health_look_for_the_configured_binaries(client, settings, tmp_path):
    settings.FFMPEG = str(tmp_path / "missing-ffmpeg")
    warnings = checks.binaries(None)
    assert [w.id for w in warnings] == ["mediasuite.W001"]
    assert settings.FFMPEG in warnings[0].msg and "MEDIASUITE_FFMPEG" in warnings[0].hint
    assert client.get("/api/health").json()["ffmpeg_available"] is False
    settings.FFMPEG = str(wrapper(tmp_path, "ffmpeg"))
    assert checks.binaries(None) == []
    assert client.get("/api/health").json()["ffmpeg_available"] is True
