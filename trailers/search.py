"""Finding trailer candidates (the recipe's get_trailer_info): the cache first, else TMDB then YouTube.

Heavy: it may call two hosted services, so it is asked for one media at a
time (a click), never in a loop over a list; the bulk refresh is the
throttled job of trailers/refresh.py. No external call runs inside a
transaction: the search happens first, then the entry is row-locked and the
results stored, unless a lock arrived meanwhile (the lock wins).
"""

import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from mediasuite.clients import tmdb
from mediasuite.clients.http import ServiceError
from mediasuite.errors import Conflict

from .clients import youtube
from .entries import check, for_update, media_key, record, status_of
from .models import Status, TrailerEntry

logger = logging.getLogger("mediasuite.trailers")

TMDB_TYPES = ("Trailer", "Teaser")


def info(entry: TrailerEntry | None, media_type: str, external_id: int) -> dict:
    """What the API and the dialog show: status, the locked video, the cached candidates and their age."""
    if entry is None:
        return {"media_type": media_type, "external_id": external_id, "title": "", "year": None,
                "status": Status.NONE, "locked": None, "candidates": [], "fetched_at": None, "fresh": False,
                "download_state": "idle", "download_progress": 0.0, "download_path": ""}
    return {"media_type": entry.media_type, "external_id": entry.external_id, "title": entry.title,
            "year": entry.year, "status": entry.status, "locked": entry.locked_video,
            "candidates": entry.candidates, "fetched_at": entry.fetched_at, "fresh": entry.fresh,
            "download_state": entry.download_state, "download_progress": entry.download_progress,
            "download_path": entry.download_path}


def tmdb_candidates(media_type: str, external_id: int) -> list[dict]:
    """YouTube trailers and teasers TMDB lists for the media: preferred language, trailers, official first."""
    tmdb_id = external_id if media_type == "movie" else tmdb.tv_id_for_tvdb(external_id)
    if tmdb_id is None:
        return []
    videos = [v for v in tmdb.videos(media_type, tmdb_id, settings.TRAILERS_LANGUAGE)
              if v.get("site") == "YouTube" and v.get("key") and v.get("type") in TMDB_TYPES]
    language = settings.TRAILERS_LANGUAGE
    videos.sort(key=lambda v: (bool(language) and v.get("iso_639_1") != language, v.get("type") != "Trailer",
                               not v.get("official")))
    return [{"video_id": v["key"], "title": v.get("name", ""), "channel": "", "duration": None,
             "thumbnail": f"https://i.ytimg.com/vi/{v['key']}/hqdefault.jpg",
             "url": youtube.watch_url(v["key"]), "source": "tmdb"} for v in videos]


def find_candidates(media_type: str, external_id: int, title: str, year: int | None) -> list[dict]:
    """TMDB's videos of the media first, then a YouTube search; one failing is logged, both failing raises.

    Videos longer than TRAILERS_MAX_DURATION (a full movie, a review) are no trailers: left out.
    """
    found, errors = [], []
    try:
        found += tmdb_candidates(media_type, external_id)
    except ServiceError as exc:
        errors.append(str(exc))
    if title:
        query = " ".join(part for part in (title, str(year or ""), "trailer") if part)
        try:
            found += youtube.search(query)
        except ServiceError as exc:
            errors.append(str(exc))
    longest = settings.TRAILERS_MAX_DURATION
    found = [v for v in merged(found) if not longest or v["duration"] is None or v["duration"] <= longest]
    if errors and not found:
        raise ServiceError(" ".join(errors))
    for message in errors:
        logger.warning("trailer search for %s %s went on without one source: %s", media_type, external_id,
                       message)
    return found


def merged(found: list[dict]) -> list[dict]:
    """One candidate per video id, in order; what the first lacks (TMDB gives no duration) filled in."""
    unique: dict[str, dict] = {}
    for video in found:
        known = unique.setdefault(video["video_id"], dict(video))
        for name, value in video.items():
            if known.get(name) in (None, "") and value not in (None, ""):
                known[name] = value
    return list(unique.values())


def get_trailer_info(media_type, external_id, title: str = "", year: int | None = None, *,
                     force: bool = False, actor=None) -> dict:
    """The media's trailer info: locked, or candidates from the cache when fresh, or searched and cached.

    `force` searches again even when the cache is fresh. A locked media is
    answered as it is (unlock it to search again: Conflict when forced).
    """
    check(actor)
    media_type, external_id = media_key(media_type, external_id)
    entry = TrailerEntry.objects.filter(media_type=media_type, external_id=external_id).first()
    if entry is not None and entry.status == Status.LOCKED:
        if force:
            raise Conflict(f"{entry} has a locked trailer; unlock it to search again.")
        return info(entry, media_type, external_id)
    if entry is not None and entry.fresh and not force:
        return info(entry, media_type, external_id)
    title = (title or (entry.title if entry else "")).strip()[:300]
    year = year or (entry.year if entry else None)
    candidates = find_candidates(media_type, external_id, title, year)
    with transaction.atomic():
        entry = for_update(media_type, external_id)
        if entry.status == Status.LOCKED:
            return info(entry, media_type, external_id)
        entry.title, entry.year = title or entry.title, year or entry.year
        entry.candidates, entry.fetched_at = candidates, timezone.now()
        entry.ttl = settings.TRAILERS_CACHE_TTL
        entry.status = status_of(entry)
        entry.save()
        record("trailer.searched", entry, actor, f"{entry}: {len(candidates)} trailer candidate(s) found",
               candidates=len(candidates))
    logger.info("trailer search for %s: %d candidate(s)", entry, len(candidates))
    return info(entry, media_type, external_id)
