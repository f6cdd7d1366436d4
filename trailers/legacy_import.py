"""Importing the original system's `trailer_database.json` (MediaManagerSuite's trailer_manager).

The file is one object keyed `<media_type>_<external_id>` (`movie_603`,
`tv_81189`); an entry has `is_locked` with `locked_video_data` {videoId,
title, thumbnail, channel} (or an older bare `locked_video_id`), and cached
`search_results` (the same video shape) with `last_search_timestamp`. A
locked entry becomes LOCKED with its video; an unlocked one keeps its results
as candidates, fetched when the old search ran (so a stale one is searched
again on first look). An existing entry is left alone: the import can run again.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.conf import settings
from django.db import transaction

from mediasuite import events, importers

from .entries import status_of
from .locks import clean_video
from .models import MediaType, Status, TrailerEntry

TYPES = {"movie": MediaType.MOVIE, "movies": MediaType.MOVIE, "radarr": MediaType.MOVIE,
         "tv": MediaType.SERIES, "series": MediaType.SERIES, "show": MediaType.SERIES,
         "sonarr": MediaType.SERIES}
KNOWN = {"is_locked", "locked", "locked_video_data", "locked_video_id", "search_results",
         "last_search_timestamp", "next_page_token", "last_updated_timestamp"}


@dataclass
class Report:
    read: int = 0
    locked: int = 0
    cached: int = 0
    existing: int = 0
    skipped: list = field(default_factory=list)

    def __str__(self):
        lines = [f"Trailers: {self.read} entries read, {self.locked} locked and {self.cached} with cached "
                 f"results imported, {self.existing} already there, {len(self.skipped)} skipped."]
        lines += [f"  skipped {key}: {why}" for key, why in self.skipped]
        return "\n".join(lines)


def parse_key(key: str) -> tuple[str, int]:
    kind, _, ident = str(key).rpartition("_")
    media_type = TYPES.get(kind.lower())
    if media_type is None or not ident.isdigit() or not 0 < int(ident) < 2**31:
        raise ValueError("the key is not <movie|tv>_<id>")
    return media_type, int(ident)


def _video(old: dict) -> dict:
    """An old video ({videoId, title, thumbnail, channel}) as MediaSuite stores it."""
    if not isinstance(old, dict):
        raise ValueError("a video is not an object")
    return clean_video({"video_id": str(old.get("videoId") or old.get("video_id") or ""),
                        "title": str(old.get("title") or ""), "channel": str(old.get("channel") or ""),
                        "thumbnail": str(old.get("thumbnail") or ""), "url": str(old.get("url") or "")})


def _when(value):
    try:
        when = datetime.fromisoformat(str(value))
    except (TypeError, ValueError):
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)  # the original wrote naive UTC times


def entry_of(key: str, old) -> TrailerEntry:
    """The TrailerEntry for one old entry; ValueError (with why) when it cannot be one."""
    from django.core.exceptions import ValidationError

    media_type, external_id = parse_key(key)
    if not isinstance(old, dict):
        raise ValueError("the entry is not an object")
    entry = TrailerEntry(media_type=media_type, external_id=external_id, ttl=settings.TRAILERS_CACHE_TTL,
                         extra={"mms": {k: v for k, v in old.items() if k not in KNOWN}})
    try:
        locked = old.get("locked_video_data") or (
            {"videoId": old["locked_video_id"]} if old.get("locked_video_id") else None)
        if (old.get("is_locked") or old.get("locked")) and locked:
            video = _video(locked)
            entry.locked_video_id, entry.locked_title = video["video_id"], video["title"]
            entry.locked_channel, entry.locked_thumbnail = video["channel"], video["thumbnail"]
            entry.locked_url = video["url"]
            entry.locked_at = _when(old.get("last_updated_timestamp"))
        else:
            results = old.get("search_results") or []
            if not isinstance(results, list):
                raise ValueError("search_results is not a list")
            entry.candidates = [{**_video(v), "source": "youtube"} for v in results]
            entry.fetched_at = _when(old.get("last_search_timestamp")) if entry.candidates else None
    except ValidationError as exc:
        raise ValueError("; ".join(exc.messages)) from None
    entry.status = status_of(entry)
    if entry.status == Status.NONE:
        raise ValueError("nothing locked and no cached results")
    return entry


def import_database(data, actor=None) -> Report:
    """Load the old trailer database; the report says what became of every entry."""
    if not isinstance(data, dict):
        raise ValueError("trailer_database.json must hold one JSON object keyed <media_type>_<id>")
    report = Report(read=len(data))
    existing = set(TrailerEntry.objects.values_list("media_type", "external_id"))
    with transaction.atomic():
        for key, old in data.items():
            try:
                entry = entry_of(key, old)
            except ValueError as exc:
                report.skipped.append((key, str(exc)))
                continue
            if (entry.media_type, entry.external_id) in existing:
                report.existing += 1
                continue
            entry.save()
            existing.add((entry.media_type, entry.external_id))
            if entry.status == Status.LOCKED:
                report.locked += 1
            elif entry.status == Status.UNLOCKED:
                report.cached += 1
            events.record("trailer.imported", entry, actor=actor,
                          message=f"{entry} imported from MediaManagerSuite",
                          payload={"media_type": entry.media_type, "external_id": entry.external_id,
                                   "status": entry.status, "video_id": entry.locked_video_id})
    return report


def import_file(data) -> str:
    return str(import_database(data))


importers.register(importers.Importer(file="trailer_database.json", run=import_file))
