"""Playout: what a channel plays, restarts, and the cursor that lets it resume.

The web side asks (request_restart, play, start, stop); the channel's playout
process (channels_app.runner, a supervised unit) carries it out and reports
back through the functions below the line. Every change writes an Event.
"""

import logging
import time
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from mediasuite import events, reasons
from mediasuite.errors import Conflict
from mediasuite.models import UnitState
from mediasuite.policies import policy_for
from mediasuite.supervisor import control

from . import plan, selection
from .models import Channel, Delivery, Trigger, VideoFile

log = logging.getLogger("mediasuite.channels")


class NothingToPlay(Conflict):
    """The channel has no playable file."""


def playable(channel: Channel) -> list[VideoFile]:
    """The files the channel can play, in natural order (uses `playable_files` when prefetched)."""
    files = getattr(channel, "playable_files", None)
    if files is None:
        files = channel.files.filter(present=True).exclude(delivery=Delivery.SKIP).exclude(duration=None)
    return selection.ordered(files)


def choose_next(channel: Channel, videos: list[VideoFile] | None = None) -> tuple[VideoFile, int]:
    videos = playable(channel) if videos is None else videos
    if not videos:
        raise NothingToPlay(f"Channel {channel.name} has no playable video in {channel.folder} "
                            "(add videos to the folder, or see each file's reason in the admin).")
    if channel.mode == "series":
        return selection.next_series(videos, channel.current_file_id)
    return plan.take_next(channel, videos)


def wake_file(channel_name: str) -> Path:
    return Path(settings.UNITS_DIR) / f"channel-{channel_name}" / "wake"


def launch_file(channel_name: str) -> Path:
    """Touched by the playout process as it begins each file and its ffmpeg: the watchdog's clock."""
    return Path(settings.UNITS_DIR) / f"channel-{channel_name}" / "launched"


def _wake(channel_name: str):
    """Tell a playout process on this host to look now (others look every couple of seconds)."""
    path = wake_file(channel_name)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(str(time.time()))
    except OSError as exc:
        log.warning("Could not touch %s (%s); the channel picks the request up within 2 s.", path, exc)


def _check(actor, channel):
    if actor is not None and not policy_for(Channel).allows(actor, "change", channel):
        raise PermissionDenied(f"{actor} may not control channel {channel.name}.")


def request_restart(actor, channel: Channel, trigger: str = Trigger.MANUAL, file: VideoFile | None = None):
    """Ask the channel to stop, empty its HLS folder, move to the next (or the given) file and start again."""
    _check(actor, channel)
    if file is not None and (file.channel_id != channel.pk or not file.playable):
        raise ValidationError({"file": [f"{file.name} is not a playable file of channel {channel.name}."]})
    if file is None and not playable(channel):
        raise NothingToPlay(f"Channel {channel.name} has no playable video in its folder {channel.folder}; "
                            "add videos, then restart it.")
    with transaction.atomic():
        locked = Channel.objects.select_for_update().get(pk=channel.pk)
        locked.restart_requested_at = timezone.now()
        locked.restart_trigger = trigger
        locked.restart_actor = actor if getattr(actor, "is_authenticated", False) else None
        locked.restart_file = file
        locked.restart_pending += 1
        locked.save(update_fields=["restart_requested_at", "restart_trigger", "restart_actor", "restart_file",
                                   "restart_pending", "updated_at"])
        what = f"play {file.name}" if file else "restart"
        events.record("channel.restart_requested", locked, actor=actor,
                      message=f"Channel {locked.name}: {what} requested ({trigger})",
                      payload={"channel": locked.name, "trigger": trigger,
                               "file": file.name if file else None})
        if locked.unit is not None and locked.unit.desired != "running":
            control.start(None, locked.unit)
        transaction.on_commit(lambda: _wake(locked.name))
    return locked


def start(actor, channel: Channel):
    _check(actor, channel)
    return control.start(None, channel.unit)


def stop(actor, channel: Channel):
    _check(actor, channel)
    return control.stop(None, channel.unit)


# -- called by the playout process -------------------------------------------------------------


def claim_restart(channel_id: int, seen_at=None):
    """Take one pending restart request, if any (compare-and-set, so each is carried out once).

    Requests made before the first was taken each stay one restart: the request stays pending, one
    fewer, with its trigger (a file asked for goes with the first only).
    """
    channel = Channel.objects.filter(pk=channel_id).values(
        "restart_requested_at", "restart_trigger", "restart_actor_id", "restart_file_id",
        "restart_pending").first()
    if not channel or channel["restart_requested_at"] is None:
        return None
    taken = Channel.objects.filter(pk=channel_id, restart_requested_at=channel["restart_requested_at"],
                                   restart_pending=channel["restart_pending"])
    if channel["restart_pending"] > 1:
        taken = taken.update(restart_pending=channel["restart_pending"] - 1, restart_file=None)
    else:
        # The trigger goes with the last request: left behind, it would label a later crash of the process.
        taken = taken.update(restart_requested_at=None, restart_file=None, restart_trigger="",
                             restart_pending=0)
    return channel if taken else None


def resume_trigger(channel_id: int) -> str:
    """Why the process (re)started without a request: set by the unit hooks, read once."""
    row = Channel.objects.filter(pk=channel_id).values("restart_trigger", "restart_requested_at").first()
    if row and row["restart_requested_at"] is None and row["restart_trigger"]:
        Channel.objects.filter(pk=channel_id, restart_requested_at=None).update(restart_trigger="")
        return row["restart_trigger"]
    return ""


def set_resume_trigger(channel_id: int, trigger: str):
    Channel.objects.filter(pk=channel_id, restart_requested_at=None).update(restart_trigger=trigger)


def begin(channel: Channel, video: VideoFile, offset: float, index: int):
    """The process starts `video` at `offset`: move the cursor."""
    recent = ([*channel.recent, video.pk] if video.pk != channel.current_file_id else channel.recent)[-50:]
    now = timezone.now()
    Channel.objects.filter(pk=channel.pk).update(
        current_file=video, offset=offset, recent=recent, last_error="",
        started_at=now - timezone.timedelta(seconds=offset))
    channel.current_file, channel.offset, channel.recent = video, offset, recent


def advanced(channel: Channel, offset: float):
    """A segment was published: the cursor is `offset` seconds into the current file."""
    Channel.objects.filter(pk=channel.pk).update(offset=offset, updated_at=timezone.now())


def first_segment(channel: Channel, *, trigger: str, previous: VideoFile | None, video: VideoFile,
                  offset: float, requested: float, actor_id=None, index: int = 0):
    """The first new segment is out: the (re)start is done; record it with its latency."""
    latency_ms = round((time.time() - requested) * 1000)
    with transaction.atomic():
        Channel.objects.filter(pk=channel.pk).update(last_restart_at=timezone.now(), last_error="")
        actor = channel.restart_actor if actor_id and channel.restart_actor_id == actor_id else None
        if actor is None and actor_id:
            from django.contrib.auth import get_user_model
            actor = get_user_model().objects.filter(pk=actor_id).first()
        events.record(
            "channel.restarted" if trigger != Trigger.END_OF_FILE else "channel.file", channel, actor=actor,
            message=(f"Channel {channel.name} now plays {video.name}" + (f" ({trigger})" if trigger else "")),
            payload={"channel": channel.name, "trigger": trigger,
                     "previous": previous.name if previous else None,
                     "file": video.name, "file_id": video.pk, "index": index, "offset": round(offset, 2),
                     "duration": video.duration, "first_segment_ms": latency_ms})


def report_viewers(channel: Channel, counted: tuple[int, int]):
    """The audience changed (checked at every segment): tell the live pages."""
    viewers, watchers = counted
    with transaction.atomic():
        events.record("channel.viewers", channel,
                      message=f"Channel {channel.name}: {viewers} viewer(s), {watchers} watcher(s)",
                      payload={"channel": channel.name, "viewers": viewers, "watchers": watchers})


def file_failed(channel: Channel, video: VideoFile, reason: str):
    """ffmpeg could not play `video`: skip it from now on (a rescan retries it if the file changes)."""
    with transaction.atomic():
        VideoFile.objects.filter(pk=video.pk).update(delivery=Delivery.SKIP, reason=reason[:300])
        events.record("channel.file_failed", channel,
                      message=f"Channel {channel.name}: skipped {video.name}: {reason[:200]}",
                      payload={"channel": channel.name, "file": video.name, "reason": reason[:500]})
    log.warning("Channel %s: %s cannot be played (%s); it is skipped until the file changes.",
                channel.name, video.name, reason)


def cannot_play(channel: Channel, reason: str):
    with transaction.atomic():
        Channel.objects.filter(pk=channel.pk).update(last_error=reason)
        events.record("channel.error", channel, message=f"Channel {channel.name} cannot play: {reason}",
                      payload={"channel": channel.name, "reason": reason})


def explain(channel: Channel) -> tuple[str, str]:
    """(one sentence for people, the log lines behind it) of a channel that does not play; ('', '') if fine.

    The playout process's own reason (last_error) is already a sentence; otherwise the supervisor's.
    """
    unit = channel.unit
    troubled = unit is not None and unit.state in (UnitState.BACKOFF, UnitState.FAILED)
    log = reasons.split(unit.reason)[1] if troubled else ""
    if channel.last_error:
        return channel.last_error, log
    if not troubled:
        return "", ""
    return reasons.for_unit(unit, f"Channel {channel.name}"), log

