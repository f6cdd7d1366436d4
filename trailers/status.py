"""Trailer status, cheap: one indexed lookup for a media, at most two queries for a whole list.

Never an external call: this is what lists of media ask (the recipe's
`get_trailer_status`); the heavy search is trailers/search.py.
"""

from collections.abc import Iterable

from .models import MediaType, Status, TrailerEntry

MEDIA_TYPES = tuple(MediaType.values)


def get_trailer_status(media_type: str, external_id: int) -> str:
    """LOCKED, UNLOCKED or NONE (no entry is NONE)."""
    found = (TrailerEntry.objects.filter(media_type=media_type, external_id=external_id)
             .values_list("status", flat=True).first())
    return found or Status.NONE


def bulk_status(media: Iterable[tuple[str, int]]) -> dict[tuple[str, int], str]:
    """{(media_type, external_id): status} for every pair given: one query per media type present."""
    wanted: dict[str, set[int]] = {}
    for media_type, external_id in media:
        if media_type in MEDIA_TYPES and external_id is not None:
            wanted.setdefault(media_type, set()).add(int(external_id))
    answer = {(media_type, external_id): Status.NONE.value
              for media_type, ids in wanted.items() for external_id in ids}
    for media_type, ids in wanted.items():
        rows = (TrailerEntry.objects.filter(media_type=media_type, external_id__in=ids)
                .exclude(status=Status.NONE).values_list("external_id", "status"))
        for external_id, status in rows:
            answer[(media_type, external_id)] = status
    return answer


def external_id_of(item: dict) -> int | None:
    """The key of a media row (mediasuite/media.py): TMDB id of a movie, TVDB id of a series."""
    return item.get("tmdb_id") if item.get("media_type") == MediaType.MOVIE else item.get("tvdb_id")


def decorate(items: list[dict]) -> list[dict]:
    """Add `trailer_status` to every media dict of a list (one bulk lookup)."""
    statuses = bulk_status((item.get("media_type"), external_id_of(item)) for item in items)
    for item in items:
        key = (item.get("media_type"), external_id_of(item))
        item["trailer_status"] = statuses.get(key, Status.NONE.value)
    return items
