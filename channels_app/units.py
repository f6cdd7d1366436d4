"""The `channel` unit kind: a hosted unit, one playout thread of the node's unit host per live channel.

The channel's cost is its ffmpeg and a thread (channels_app.runner); see
mediasuite.supervisor.hosted for the host.
"""

import time

from mediasuite.models import UnitState
from mediasuite.supervisor.registry import UnitKind, register

from . import hls, pacing, paths, playout, runner
from .models import Channel, Trigger, VideoFile

# A playout that has not started its ffmpeg yet is still starting: when many channels start at once on a
# small machine that can take a while, and it is no stuck ffmpeg.
BOOT_LIMIT = 60.0


def _channel(unit) -> Channel | None:
    return Channel.objects.filter(name=unit.config.get("channel", "")).first()


def env(unit) -> dict:
    """The environment of the channel's ffmpeg (beside the unit's tags)."""
    return {"AV_LOG_FORCE_NOCOLOR": "1"}


def progress(unit, child) -> str | None:
    """The watchdog: no new segment for longer than the current file's segments can take means it is stuck.

    The limit is pacing.watchdog_limit of the file being played: its longest
    segment (a file with a key frame every 10 s gives 10 s segments in copy
    mode) plus two segment lengths, so a long-GOP file is never stuck and a
    frozen ffmpeg is caught a few seconds after the segment it owes. The
    clock starts again whenever the playout process begins a file (a
    restart, a file change, a resume after a crash: its launch file), when a
    segment is published (the playlist), and when a restart or play request
    arrives (the wake file, the request time), so that a restart in progress
    is never taken for a frozen ffmpeg, even when the previous one was
    killed from outside a moment before. Before the process begins its
    first file it is still starting Django: on a busy machine that takes tens
    of seconds and is no stuck ffmpeg either.
    """
    name = unit.config.get("channel", "")
    now = time.time()
    launched = paths.mtime(playout.launch_file(name))
    if launched < child.started:
        booting = now - child.started
        if booting <= BOOT_LIMIT:
            return None
        reason = f"stuck: the playout process started no ffmpeg in {booting:.0f}s (limit {BOOT_LIMIT:.0f}s)"
    else:
        clock = max(launched, paths.mtime(paths.hls_root() / name / hls.PLAYLIST),
                    paths.mtime(playout.wake_file(name)))
        if now - clock <= pacing.watchdog_limit(None):
            return None  # within the shortest limit there is: no database query on the common path
        row = (Channel.objects.filter(name=name).values("restart_requested_at", "current_file_id").first()
               or {})
        requested, current = row.get("restart_requested_at"), row.get("current_file_id")
        limit = pacing.watchdog_limit(VideoFile.objects.filter(pk=current).first() if current else None)
        if now - clock <= limit:
            return None
        if requested is not None and now - requested.timestamp() <= BOOT_LIMIT:
            return None  # a restart in progress: the process takes it within its database poll
        age = now - max(clock, requested.timestamp() if requested else 0.0)
        reason = f"stuck: no new HLS segment for {age:.1f}s (limit {limit:.1f}s)"
    channel = _channel(unit)
    if channel is not None:
        playout.set_resume_trigger(channel.pk, Trigger.WATCHDOG)
    return reason


def run(unit, context) -> int:
    """The unit's body in the host; a unit still starting or running lost its previous host: a crash."""
    if unit.state in (UnitState.STARTING, UnitState.RUNNING):
        on_exit(unit, None, expected=False)
    return runner.run(unit, context)


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
    run=run,
    env=env,
    progress=progress,
    on_exit=on_exit,
    prepare=prepare,
    description="Plays a channel's folder as live HLS (one ffmpeg at a time, resumes at its cursor), "
                "as a thread of the node's unit host.",
))
