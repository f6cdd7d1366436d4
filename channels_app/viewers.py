"""Who watches: playback sessions counted from the segments they fetch.

viewers  = distinct player sessions (a key handed out per playlist request by
           /hls/<channel>/live.m3u8, never the IP alone) that fetched a
           segment in the last two segment durations, and the tuner streams
           being read (channels_app.tuner; each beats every second);
watchers = the same for dashboard previews (live.m3u8?preview=1).
"""

from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from mediasuite import keys

from .models import AccessToken, Channel, ViewerSession, new_key, token_fields


def window_start():
    return timezone.now() - timedelta(seconds=2 * settings.CHANNELS_SEGMENT_SECONDS)


def open_session(channel: Channel, user, preview: bool) -> ViewerSession:
    kind = ViewerSession.PREVIEW if preview else ViewerSession.PLAYER
    return ViewerSession.objects.create(channel=channel, key=new_key()[:32], kind=kind,
                                        user=user if getattr(user, "is_authenticated", False) else None)


def seen(channel: Channel, key: str) -> bool:
    """A segment was fetched with `key`: the session is watching now. False for an unknown key."""
    return bool(ViewerSession.objects.filter(channel=channel, key=key).update(last_seen=timezone.now()))


def counts(channel_ids=None) -> dict[int, tuple[int, int]]:
    """{channel id: (viewers, watchers)} in one query."""
    rows = ViewerSession.objects.filter(last_seen__gte=window_start())
    if channel_ids is not None:
        rows = rows.filter(channel_id__in=channel_ids)
    rows = rows.values("channel_id").annotate(
        viewers=Count("pk", filter=Q(kind__in=(ViewerSession.PLAYER, ViewerSession.TUNER))),
        watchers=Count("pk", filter=Q(kind=ViewerSession.PREVIEW)))
    return {row["channel_id"]: (row["viewers"], row["watchers"]) for row in rows}


def forget_idle(hours: int = 24) -> int:
    """Delete the sessions not seen for `hours` (or never seen, and opened that long ago)."""
    cutoff = timezone.now() - timedelta(hours=hours)
    idle = Q(last_seen__lt=cutoff) | Q(last_seen=None, started_at__lt=cutoff)
    deleted, _ = ViewerSession.objects.filter(idle).delete()
    return deleted


def token_for(user) -> AccessToken:
    """The user's channel access token, made on first use (`.secret()` is what URLs carry)."""
    return AccessToken.objects.get_or_create(user=user, defaults=token_fields(user.pk))[0]


def user_for_token(key) -> object | None:
    """The active user whose channel access token is `key` (found by digest, compared in constant time)."""
    if not isinstance(key, str) or not key or len(key) > 64 or not key.isprintable():
        return None  # a NUL would not even reach the database (PostgreSQL refuses it in text)
    token = (AccessToken.objects.select_related("user")
             .filter(key=keys.digest(key), user__is_active=True).first())
    return token.user if token is not None and keys.same(key, token.key) else None
