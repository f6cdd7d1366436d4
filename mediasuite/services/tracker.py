"""The built-in `tracker` service: stores a Last.fm user's new plays, once each."""

from .. import config
from ..clients import lastfm
from ..clients.connections import not_configured
from ..models import TrackPlay
from .registry import Report

FIRST_FETCH = 50  # on the very first check, only the latest plays (no backfill of the history)


def new_plays(user: str, plays: list[lastfm.Play]) -> list[TrackPlay]:
    """The plays not stored yet (and each once, even if Last.fm repeats one)."""
    if not plays:
        return []
    earliest = min(p.played_at for p in plays)
    stored = set(TrackPlay.objects.filter(user=user, played_at__gte=earliest)
                 .values_list("artist", "track", "played_at"))
    fresh = {}
    for play in plays:
        key = (play.artist, play.track, play.played_at)
        if key not in stored and key not in fresh:
            fresh[key] = TrackPlay(user=user, artist=play.artist, track=play.track, album=play.album,
                                   played_at=play.played_at)
    return sorted(fresh.values(), key=lambda p: p.played_at)


def check(state) -> Report:
    """Read the recent tracks since the last stored play; count and store the new ones."""
    user = config.get("LASTFM_USER")
    if not (user and config.get("LASTFM_API_KEY")):
        return Report(error=not_configured("lastfm"))
    latest = (TrackPlay.objects.filter(user=user).order_by("-played_at")
              .values_list("played_at", flat=True).first())
    client = lastfm.Client()
    try:
        if latest is None:
            plays = client.recent_tracks(user, limit=FIRST_FETCH, max_pages=1)
        else:
            plays = client.recent_tracks(user, since=int(latest.timestamp()))
    except lastfm.LastfmError as exc:
        return Report(error=str(exc))
    fresh = new_plays(user, plays)

    def write():
        # ignore_conflicts: a play stored meanwhile by anyone stays stored once (unique constraint).
        TrackPlay.objects.bulk_create(fresh, ignore_conflicts=True)

    return Report(counters={"tracks_found": len(fresh)}, write=write if fresh else None)
