"""The `channel` unit kind: one playout process per live channel (channels_app.runner)."""

import sys
import time

from django.conf import settings

from mediasuite.supervisor.registry import UnitKind, register

from . import hls, paths, playout
from .models import Channel, Trigger

# Django's start and the first segment come before the watchdog looks.
STARTUP_GRACE = 10.0


def _channel(unit) -> Channel | None:
    return Channel.objects.filter(name=unit.config.get("channel", "")).first()


def command(unit) -> list[str]:
    return [sys.executable, str(settings.BASE_DIR / "manage.py"), "channel_playout", unit.config["channel"]]


def env(unit) -> dict:
    return {"MEDIASUITE_PROCESS": f"ch-{unit.config['channel']}"[:10]}


def progress(unit, child) -> str | None:
    """The watchdog: no new segment for three segment durations means ffmpeg is stuck."""
    limit = 3 * settings.CHANNELS_SEGMENT_SECONDS
    playlist = paths.hls_root() / unit.config.get("channel", "") / hls.PLAYLIST
    try:
        last = playlist.stat().st_mtime
    except OSError:
        last = 0.0
    last = max(last, child.started + STARTUP_GRACE)
    age = time.time() - last
    if age <= limit:
        return None
    channel = _channel(unit)
    if channel is not None:
        playout.set_resume_trigger(channel.pk, Trigger.WATCHDOG)
    return f"stuck: no new HLS segment for {age:.1f}s (limit {limit:.1f}s)"


def on_exit(unit, code, expected):
    channel = _channel(unit)
    if channel is not None and not expected and not channel.restart_trigger:
        playout.set_resume_trigger(channel.pk, Trigger.CRASH)


def prepare(unit):
    channel = _channel(unit)
    if channel is not None:
        paths.hls_dir(channel).mkdir(parents=True, exist_ok=True)
        playout.wake_file(channel.name).parent.mkdir(parents=True, exist_ok=True)


register(UnitKind(
    name="channel",
    command=command,
    env=env,
    progress=progress,
    on_exit=on_exit,
    prepare=prepare,
    description="Plays a channel's folder as live HLS (one ffmpeg at a time, resumes at its cursor).",
))
