"""Lock and unlock a media's trailer (the recipe's lock_trailer / unlock_trailer / get_locked_trailer_id).

A lock is one transaction on the row-locked entry: the chosen video saved,
every other cached candidate purged, the event written. Two operators
locking at once are serialised by the row lock; the second one locking by
`video_id` finds the candidates gone and is told so.
"""

import logging
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from mediasuite.errors import Conflict

from . import download
from .clients.youtube import watch_url
from .entries import check, for_update, media_key, record, status_of
from .models import Status, TrailerEntry

logger = logging.getLogger("mediasuite.trailers")

YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
FIELDS = {"video_id": 200, "title": 300, "channel": 200, "thumbnail": 1000, "url": 1000, "source": 20}


def clean_video(video: dict) -> dict:
    """A video as stored: bounded strings, http(s) URLs, the YouTube watch URL by default."""
    if not isinstance(video, dict):
        raise ValidationError({"video": ["A video is an object with at least a video_id."]})
    clean = {}
    for name, limit in FIELDS.items():
        value = video.get(name) or ""
        if not isinstance(value, str) or len(value) > limit or "\x00" in value:
            raise ValidationError({name: [f"A text of at most {limit} characters."]})
        clean[name] = value.strip()
    if not clean["video_id"]:
        raise ValidationError({"video_id": ["This field is required."]})
    duration = video.get("duration")
    if duration is not None and (isinstance(duration, bool) or not isinstance(duration, int) or duration < 0):
        raise ValidationError({"duration": ["Seconds: a non-negative integer."]})
    clean["duration"] = duration
    if not clean["url"] and YOUTUBE_ID.match(clean["video_id"]):
        clean["url"] = watch_url(clean["video_id"])
    for name in ("url", "thumbnail"):
        if clean[name] and not clean[name].startswith(("http://", "https://")):
            raise ValidationError({name: ["An http(s) URL."]})
    if not clean["url"]:
        raise ValidationError({"url": ["A video that is not a YouTube id needs its URL."]})
    clean["source"] = clean["source"] or ("youtube" if YOUTUBE_ID.match(clean["video_id"]) else "url")
    return clean


def lock_trailer(media_type, external_id, video: dict | str, actor=None) -> TrailerEntry:
    """Lock `video` (a cached candidate's video_id, or a whole video dict) as the media's trailer."""
    check(actor)
    media_type, external_id = media_key(media_type, external_id)
    with transaction.atomic():
        entry = for_update(media_type, external_id)
        if isinstance(video, str):
            chosen = next((c for c in entry.candidates if c.get("video_id") == video), None)
            if chosen is None:
                raise Conflict(f"{video!r} is not among the cached candidates of {entry}"
                               + (" (a trailer is locked already; unlock it first)."
                                  if entry.status == Status.LOCKED else "; search again first."))
            video = chosen
        chosen = clean_video(video)
        entry.locked_video_id, entry.locked_title = chosen["video_id"], chosen["title"]
        entry.locked_channel, entry.locked_duration = chosen["channel"], chosen["duration"]
        entry.locked_thumbnail, entry.locked_url = chosen["thumbnail"], chosen["url"]
        entry.locked_at = timezone.now()
        entry.candidates = []
        entry.status = status_of(entry)
        entry.save()
        record("trailer.locked", entry, actor,
               f"{entry}: trailer locked ({chosen['title'] or chosen['video_id']})")
    logger.info("trailer of %s locked: %s", entry, entry.locked_video_id)
    download.queue_after_lock(entry)
    return entry


def unlock_trailer(media_type, external_id, actor=None) -> TrailerEntry:
    """Unlock: the video stays as the one (stale) candidate, so that the next look searches again."""
    check(actor)
    media_type, external_id = media_key(media_type, external_id)
    with transaction.atomic():
        entry = for_update(media_type, external_id)
        if entry.status != Status.LOCKED:
            raise Conflict(f"{entry} has no locked trailer.")
        former = entry.locked_video
        source = "youtube" if YOUTUBE_ID.match(former["video_id"]) else "url"
        entry.candidates = [{**former, "source": source}]
        entry.fetched_at = None
        for name in ("locked_video_id", "locked_title", "locked_channel", "locked_thumbnail", "locked_url"):
            setattr(entry, name, "")
        entry.locked_duration = entry.locked_at = None
        entry.status = status_of(entry)
        entry.save()
        record("trailer.unlocked", entry, actor, f"{entry}: trailer unlocked")
    logger.info("trailer of %s unlocked", entry)
    return entry


def locked_video_of(media_type, external_id) -> dict | None:
    """{video_id, url} of the locked trailer (one indexed lookup), None when nothing is locked."""
    media_type, external_id = media_key(media_type, external_id)
    return (TrailerEntry.objects.filter(media_type=media_type, external_id=external_id, status=Status.LOCKED)
            .values(video_id=F("locked_video_id"), url=F("locked_url")).first())


def get_locked_trailer_id(media_type, external_id) -> str | None:
    """The locked video's id for instant play, None when nothing is locked."""
    found = locked_video_of(media_type, external_id)
    return found["video_id"] if found else None


def save(actor, entry: TrailerEntry) -> None:
    """The admin's edit: only title, year and media_path are editable there."""
    check(actor)
    with transaction.atomic():
        entry.save(update_fields=["title", "year", "media_path", "updated_at"])
        record("trailer.changed", entry, actor, f"{entry}: edited")


def delete(actor, entry: TrailerEntry) -> None:
    """Forget the media's trailer entirely (it shows NONE again)."""
    check(actor, "delete")
    with transaction.atomic():
        entry.status = Status.NONE
        record("trailer.forgotten", entry, actor, f"{entry}: forgotten")
        entry.delete()
