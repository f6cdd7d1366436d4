"""What the domain modules of trailers share: the media key checked, the entry row-locked, the event."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError

from mediasuite import events
from mediasuite.policies import policy_for

from .models import MediaType, Status, TrailerEntry

MAX_EXTERNAL_ID = 2**31 - 1


def check(actor, action: str = "change") -> None:
    """Trailers are operator data; `actor` None is the system itself (jobs, the import)."""
    if actor is not None and not policy_for(TrailerEntry).allows(actor, action):
        raise PermissionDenied("Only a super admin may manage trailers.")


def media_key(media_type, external_id) -> tuple[str, int]:
    """(media_type, external_id) checked: ValidationError that says which part is wrong."""
    if media_type not in MediaType.values:
        raise ValidationError({"media_type": [f"{media_type!r} is not a media type; use movie or series."]})
    try:
        number = int(str(external_id))
    except (TypeError, ValueError):
        number = 0
    if isinstance(external_id, bool) or not 0 < number <= MAX_EXTERNAL_ID:
        raise ValidationError({"external_id": ["A TMDB id (movie) or TVDB id (series): a positive integer."]})
    return media_type, number


def for_update(media_type: str, external_id: int) -> TrailerEntry:
    """The entry of the media, created when missing, row-locked for the rest of the transaction."""
    TrailerEntry.objects.get_or_create(media_type=media_type, external_id=external_id,
                                       defaults={"ttl": settings.TRAILERS_CACHE_TTL})
    return TrailerEntry.objects.select_for_update().get(media_type=media_type, external_id=external_id)


def status_of(entry: TrailerEntry) -> str:
    if entry.locked_video_id:
        return Status.LOCKED
    return Status.UNLOCKED if entry.candidates else Status.NONE


def record(kind: str, entry: TrailerEntry, actor=None, message: str = "", **payload) -> None:
    """The event of a change (inside its transaction): what pages need to repaint the media's button."""
    events.record(kind, entry, actor=actor, message=message or f"{entry}: {kind.split('.')[-1]}",
                  payload={"media_type": entry.media_type, "external_id": entry.external_id,
                           "status": entry.status, "video_id": entry.locked_video_id, **payload})
