"""The tuner's URLs: /hdhr/<token>/… (the user's channel access token in the base URL, which Plex and
Jellyfin keep), or the same at the root for a signed-in browser or under MEDIASUITE_CHANNELS_OPEN_ACCESS.

    discover.json  lineup.json  lineup_status.json  device.xml  auto/v<number>  lineup.post (POST)
"""

import asyncio
import logging

from channels.db import database_sync_to_async
from django.conf import settings
from django.http import HttpResponse, JsonResponse, StreamingHttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from mediasuite import access

from . import listings, paths, tuner, viewers
from .models import Channel

log = logging.getLogger("mediasuite.channels")

CHUNK = 64 * 1024
POLL_SECONDS = 0.2
BEAT_SECONDS = 1.0
# A channel that lists no new segment for this long (stopped, or failing) ends the stream: the client
# tunes again, as it does when a real tuner loses its signal.
SILENT_SECONDS = 60.0


def _refused(message: str, status: int = 401) -> HttpResponse:
    return HttpResponse(message + "\n", status=status, content_type="text/plain")


def _access(request, token: str | None):
    """(user or None, base URL of the tuner, the grant its streams are cut by), or an HttpResponse refusing
    the request."""
    public = listings.public_base(request)
    token = token or request.GET.get("token")
    if token:
        user = viewers.user_for_token(token)
        if user is None:
            return _refused("This access token is unknown or was revoked; copy the tuner address again "
                            "from the channels page.")
        # The token outlives a password change; its revocation or the account's end cuts the stream.
        held = access.grant(user, password=False,
                            credential=lambda: viewers.user_for_token(token) is not None)
        return user, tuner.address(public, token), held
    if request.user.is_authenticated:
        key = viewers.token_for(request.user).secret()
        return request.user, tuner.address(public, key) if key else public, access.of_request(request)
    if settings.CHANNELS_OPEN_ACCESS:
        return None, public, access.grant(None)
    return _refused("Add the tuner as <server>/hdhr/<your channel access token> (shown on the channels "
                    "page), or sign in.")


def _tuner_view(view):
    def wrapper(request, token=None, **kwargs):
        granted = _access(request, token)
        if isinstance(granted, HttpResponse):
            return granted
        user, base, request.tuner_grant = granted
        return view(request, user, base, **kwargs)
    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return require_GET(wrapper)


def _json(data) -> JsonResponse:
    response = JsonResponse(data, safe=False)
    response["Cache-Control"] = "no-cache"
    return response


@_tuner_view
def discover(request, user, base):
    return _json(tuner.discover(base))


@_tuner_view
def lineup_status(request, user, base):
    return _json(tuner.lineup_status())


@_tuner_view
def lineup(request, user, base):
    """Every channel meant to play, by number; a stopped channel is absent."""
    return _json(tuner.lineup(tuner.playing_channels(), base))


@csrf_exempt
@require_POST
def lineup_post(request, token=None):
    """The channel scan Plex asks for (`?scan=start` or `abort`): the lineup is always ready: done."""
    granted = _access(request, token)
    if isinstance(granted, HttpResponse):
        return granted
    if request.GET.get("scan") not in (None, "start", "abort"):
        return _refused("scan is start or abort.", 400)
    return HttpResponse(status=200)


@_tuner_view
def device_xml(request, user, base):
    return HttpResponse(tuner.device_xml(base), content_type="application/xml")


@_tuner_view
def stream(request, user, base, number):
    """One channel as a continuous MPEG-TS from its live edge, holding one tuner while it is read."""
    channel = tuner.playing_channels().filter(number=number).first()
    if channel is None:
        response = _refused(f"No channel number {number} is playing; see lineup.json.", 404)
        response["X-HDHomeRun-Error"] = "801 Unknown Channel"  # as a device answers it
        return response
    session = tuner.take(channel, user)
    if session is None:
        response = _refused(f"All {tuner.tuner_count()} tuners are in use; stop watching another channel, "
                            "or raise the tuner count in Settings → Connections.", 503)
        response["X-HDHomeRun-Error"] = tuner.BUSY_ERROR
        return response
    chunks = access.until_revoked(_segments(channel, session.pk), request.tuner_grant)
    response = StreamingHttpResponse(chunks, content_type="video/mp2t")
    response["Cache-Control"] = "no-store"
    response["X-Accel-Buffering"] = "no"
    return response


async def _segments(channel: Channel, session_id: int):
    """The channel's segments in order, read as ffmpeg writes them, until the channel stops or the reader
    goes; the tuner is given back in any case."""
    loop = asyncio.get_running_loop()
    beat = database_sync_to_async(tuner.beat)
    sent, last_beat, last_new = None, 0.0, loop.time()
    try:
        while True:
            now = loop.time()
            if now - last_beat >= BEAT_SECONDS:
                if not await beat(session_id, channel.pk):
                    return
                last_beat = now
            fresh = tuner.following(tuner.listed(channel), sent)
            for sequence, name in fresh:
                try:
                    data = await asyncio.to_thread((paths.hls_dir(channel) / name).read_bytes)
                except OSError:
                    continue  # it left the window: the next one follows
                for start in range(0, len(data), CHUNK):
                    yield data[start:start + CHUNK]
                sent, last_new = sequence, loop.time()
            if loop.time() - last_new > SILENT_SECONDS:
                log.info("Tuner stream of channel %s ended: no new segment for %d s.", channel.name,
                         SILENT_SECONDS)
                return
            await asyncio.sleep(POLL_SECONDS)
    finally:
        await database_sync_to_async(tuner.give_back)(session_id)
