"""A random channel's plan: the files it plays next, chosen ahead and kept, so that its guide is true.

The plan is a list of file ids on the Channel row (`Channel.plan`), after the
current file. The guide extends it until it covers its hours
(`upcoming`); the playout takes its next file from its head (`take_next`,
called by playout.choose_next). Both write with compare-and-set on the stored
plan, so a guide request and the playout process racing never lose or replay
an entry. A file that left the folder or became unplayable is dropped from the
plan; the files after it keep their places.
"""

import random

from django.conf import settings

from . import selection
from .models import Channel

# Enough for 24 h of 20 s clips, bounded so that the row stays small (the guide names the channel after).
MOST_PLANNED = 5000
# A plan that falls short is extended this far ahead at once (beyond the XMLTV's 24 h), so that the guide's
# readers find it long enough, without a write, for the next couple of hours.
AHEAD_SECONDS = 26 * 3600


def _usable(plan: list, videos: list) -> list:
    ids = {v.pk for v in videos}
    return [pk for pk in plan if pk in ids]


def _extend(plan: list, videos: list, current_id, recent: list, seconds: float, rng=random) -> list:
    """`plan` followed by random choices (no recent repeats) until its files last `seconds`."""
    durations = {v.pk: v.duration or 0 for v in videos}
    history = [*recent, *([current_id] if current_id else [])]
    for pk in plan:
        history.append(pk)
    planned = list(plan)
    total = sum(durations[pk] for pk in planned)
    while total < seconds and len(planned) < MOST_PLANNED:
        last = history[-1] if history else None
        video, _ = selection.next_random(videos, last, history[:-1], settings.CHANNELS_NO_REPEAT, rng)
        if not video.duration:
            break
        planned.append(video.pk)
        history.append(video.pk)
        total += video.duration
    return planned


def _store(channel: Channel, seen: list, plan: list) -> bool:
    """Write `plan` if the stored plan is still `seen` (compare-and-set); True when written or unchanged."""
    if plan == seen:
        return True
    written = Channel.objects.filter(pk=channel.pk, plan=seen).update(plan=plan)
    if written:
        channel.plan = plan
    return bool(written)


def _covers(plan: list, videos: list, seconds: float) -> bool:
    durations = {v.pk: v.duration or 0 for v in videos}
    return len(plan) >= MOST_PLANNED or sum(durations[pk] for pk in plan) >= seconds


def upcoming(channel: Channel, videos: list, seconds: float) -> list:
    """The planned files (VideoFile objects of `videos`) after the current one, covering `seconds`.

    Reads the plan loaded with `channel` (no query when it is long enough);
    otherwise plans AHEAD_SECONDS and stores it, reading it again when
    another reader or the playout changed it meanwhile, so every reader sees
    the same future.
    """
    by_id = {v.pk: v for v in videos}
    if not by_id:
        return []
    seen = channel.plan
    for _ in range(5):
        plan = _usable(seen, videos)
        if not _covers(plan, videos, seconds):
            plan = _extend(plan, videos, channel.current_file_id, channel.recent, max(seconds, AHEAD_SECONDS))
        if _store(channel, seen, plan):
            return [by_id[pk] for pk in plan]
        seen = Channel.objects.filter(pk=channel.pk).values_list("plan", flat=True).first() or []
    return [by_id[pk] for pk in _usable(channel.plan, videos)]


def take_next(channel: Channel, videos: list) -> tuple:
    """(video, index in `videos`): the head of the plan, removed from it; planned first if empty."""
    for _ in range(5):
        seen = Channel.objects.filter(pk=channel.pk).values_list("plan", flat=True).first() or []
        plan = _usable(seen, videos)
        if plan and plan[0] == channel.current_file_id and len(videos) > 1:
            plan = plan[1:]  # already playing (a restart during its first segment): move on
        if not plan:
            plan = _extend([], videos, channel.current_file_id, channel.recent, 1)
        head = next(v for v in videos if v.pk == plan[0])
        if Channel.objects.filter(pk=channel.pk, plan=seen).update(plan=plan[1:]):
            channel.plan = plan[1:]
            return head, videos.index(head)
    return selection.next_random(videos, channel.current_file_id, channel.recent, settings.CHANNELS_NO_REPEAT)

