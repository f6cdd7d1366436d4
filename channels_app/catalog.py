"""Channels and their files: found in folders, created and edited by the operator.

The only code that creates, changes or deletes Channel and VideoFile rows.
"""

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from mediasuite import events
from mediasuite.models import Desired
from mediasuite.policies import policy_for
from mediasuite.supervisor import control

from . import paths, probe
from .models import MAX_NUMBER, Channel, Delivery, Mode, VideoFile

log = logging.getLogger("mediasuite.channels")

EDITABLE = ("display_name", "number", "logo", "group", "folder", "mode")


def unit_name(channel: Channel) -> str:
    return f"channel-{channel.name}"


def _check(actor, action, channel):
    if actor is not None and not policy_for(Channel).allows(actor, action, channel):
        raise PermissionDenied(f"{actor} may not {action} channels.")


def _record(kind, channel, actor, message, **payload):
    events.record(kind, channel, actor=actor, message=message, payload={"channel": channel.name, **payload})


def default_mode(folder) -> str:
    """The original system's rule: a series.txt file in the folder means series mode."""
    return Mode.SERIES if (folder / "series.txt").exists() else Mode.RANDOM


def create(actor, *, name: str, folder: str, desired: str = Desired.RUNNING, **fields) -> Channel:
    _check(actor, "add", None)
    folder = paths.clean_folder(folder)
    fields.setdefault("mode", default_mode(paths.channels_root() / folder))
    channel = Channel(name=name, folder=folder, **{k: v for k, v in fields.items() if k in EDITABLE})
    numbered = channel.number is not None
    channel.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            if not numbered:
                channel.number = next_number()
            channel.save()
            # Stopped until its files are probed and their delivery decided: a supervisor that started it
            # at once played the first files as provisional copies (AC-3 sound copied into an AAC channel).
            channel.unit = control.ensure_unit(unit_name(channel), "channel", {"channel": channel.name},
                                               desired=Desired.STOPPED)
            channel.save(update_fields=["unit"])
            _record("channel.created", channel, actor, f"Channel {channel.name} created from {folder}",
                    folder=folder, mode=channel.mode)
    except IntegrityError:
        if not numbered and not Channel.objects.filter(name=name).exists():
            return create(actor, name=name, folder=folder, desired=desired, **fields)  # lost a number race
        raise ValidationError({"name": [f"A channel named {name!r} or numbered {fields.get('number')} "
                                        "exists already."]}) from None
    sync_files(channel)
    if desired == Desired.RUNNING:
        control.start(None, channel.unit)
    return channel


def next_number() -> int:
    """The number a new channel gets: one above the highest (channels are numbered in creation order)."""
    highest = Channel.objects.aggregate(highest=Max("number"))["highest"] or 0
    if highest >= MAX_NUMBER:
        raise ValidationError({"number": [f"Every channel number up to {MAX_NUMBER} is taken; give this "
                                          "channel a free number."]})
    return highest + 1


def update(actor, channel: Channel, **changes) -> Channel:
    """Change `channel`; a new folder must hold a playable video, else nothing is saved."""
    _check(actor, "change", channel)
    if "folder" in changes:
        changes["folder"] = paths.clean_folder(changes["folder"])
    changed = [k for k, v in changes.items() if k in EDITABLE and getattr(channel, k) != v]
    stored = {key: getattr(channel, key) for key in changed}
    for key in changed:
        setattr(channel, key, changes[key])
    try:
        channel.full_clean(validate_unique=False)
        with transaction.atomic():
            channel.save()
            if changed:
                _record("channel.changed", channel, actor,
                        f"Channel {channel.name} changed: {', '.join(changed)}", changed=changed)
            if "folder" in changed:
                _switch_folder(channel)
    except IntegrityError:
        _restore(channel, stored)
        raise ValidationError({"number": [f"Channel number {channel.number} is taken."]}) from None
    except ValidationError:
        _restore(channel, stored)
        raise
    return channel


def _restore(channel, stored):
    for key, value in stored.items():
        setattr(channel, key, value)


def _switch_folder(channel):
    from . import playout

    fresh = Channel.objects.get(pk=channel.pk)  # not the view's prefetched files of the old folder
    sync_files(fresh)
    try:
        playout.request_restart(None, fresh, trigger="config")
    except playout.NothingToPlay:
        raise ValidationError({"folder": [
            f"The folder {channel.folder} has no playable video; the channel was not changed. "
            "Put videos in it, or choose another folder."]}) from None


def delete(actor, channel: Channel):
    _check(actor, "delete", channel)
    with transaction.atomic():
        _record("channel.deleted", channel, actor, f"Channel {channel.name} deleted")
        unit = channel.unit
        channel.delete()
        if unit is not None:
            control.delete(None, unit)


def sync_files(channel: Channel) -> dict:
    """Bring the channel's VideoFile rows in line with its folder; probe new or changed files once."""
    folder = paths.folder_path(channel)
    names = set(paths.video_names(folder))
    known = {v.name: v for v in channel.files.all()}
    added, probed, broken = [], 0, 0
    for name in sorted(names):
        video = known.get(name)
        try:
            stat = (folder / name).stat()
        except OSError:
            continue
        unchanged = video is not None and (video.size, video.mtime) == (stat.st_size, stat.st_mtime)
        # Files probed before key frames were read are probed again once.
        known_keyframes = video is not None and (video.longest_segment is not None or not video.probed_at
                                                 or video.delivery == Delivery.SKIP)
        if unchanged and video.present and known_keyframes:
            continue
        video = video or VideoFile(channel=channel, name=name)
        video.size, video.mtime, video.present = stat.st_size, stat.st_mtime, True
        try:
            for key, value in probe.probe(folder / name).items():
                setattr(video, key, value)
            video.delivery, video.reason = Delivery.COPY, ""
        except probe.ProbeError as exc:
            video.delivery, video.reason = Delivery.SKIP, str(exc)
            broken += 1
            log.warning("Channel %s: skipping %s: %s.", channel.name, folder / name, exc)
        video.probed_at = timezone.now()
        video.save()
        probed += 1
        if name not in known:
            added.append(name)
    gone = [n for n, v in known.items() if n not in names and v.present]
    VideoFile.objects.filter(channel=channel, name__in=gone).update(present=False)
    decide_delivery(channel)
    if added or gone or probed:
        with transaction.atomic():
            _record("channel.files", channel, None,
                    f"Channel {channel.name}: {len(added)} file(s) added, {len(gone)} gone, "
                    f"{broken} unreadable",
                    added=added[:50], gone=gone[:50], probed=probed, unreadable=broken)
    return {"added": len(added), "gone": len(gone), "probed": probed, "unreadable": broken}


def decide_delivery(channel: Channel):
    """Copy the files that match the channel's format, transcode the others (with the reason)."""
    videos = [v for v in channel.files.filter(present=True) if v.probed_at and v.duration]
    ref = probe.reference(videos)
    for video in videos:
        delivery, reason = probe.decide(video, ref)
        if (video.delivery, video.reason) != (delivery, reason):
            VideoFile.objects.filter(pk=video.pk).update(delivery=delivery, reason=reason)


def scan() -> dict:
    """Create a channel for every new folder with videos, and sync every channel's files."""
    root = paths.channels_root()
    root.mkdir(parents=True, exist_ok=True)
    known_folders = set(Channel.objects.values_list("folder", flat=True))
    created = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        if folder.name in known_folders or not paths.video_names(folder):
            continue
        name = _free_name(paths.channel_name_for(folder.name))
        create(None, name=name, folder=folder.name, display_name=folder.name)
        created.append(name)
        log.info("Channel %s found in %s.", name, folder)
    totals = {"channels": len(created), "added": 0, "gone": 0, "unreadable": 0}
    for channel in Channel.objects.exclude(name__in=created):
        result = sync_files(channel)
        for key in ("added", "gone", "unreadable"):
            totals[key] += result[key]
    return totals


def _free_name(base: str) -> str:
    name, n = base, 1
    while Channel.objects.filter(name=name).exists():
        n += 1
        name = f"{base[:60]}-{n}"
    return name
