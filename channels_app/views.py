"""Delivery to players: M3U playlist, XMLTV guide, HLS playlists and segments.

Players cannot log in, so these answer to a signed-in browser session, to
`?token=<channel access token>` (per user, revocable in the admin), or to
anyone when MEDIASUITE_CHANNELS_OPEN_ACCESS is on (trusted LAN).
"""

import re
from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse
from django.views.decorators.http import require_GET

from mediasuite.models import Desired

from . import hls, listings, logos, paths, viewers
from .api.views import channels_queryset
from .models import Channel

NAME_RE = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")
SEGMENT_RE = re.compile(r"^[A-Za-z0-9_]{1,64}\.ts$")
M3U8 = "application/vnd.apple.mpegurl"


class Refused(Exception):
    pass


def _viewer(request):
    """(user or None, token to repeat in URLs) or raise Refused."""
    token = request.GET.get("token")
    if token:
        user = viewers.user_for_token(token)
        if user is None:
            raise Refused("This access token is unknown or was revoked; copy your playlist URL again "
                          "from the channels page.")
        return user, token
    if request.user.is_authenticated:
        return request.user, None
    if settings.CHANNELS_OPEN_ACCESS:
        return None, None
    raise Refused("Add ?token=<your channel access token> to the URL (shown on the channels page), "
                  "or sign in.")


def _guarded(view):
    def wrapper(request, *args, **kwargs):
        try:
            user, token = _viewer(request)
        except Refused as exc:
            return _cors(HttpResponse(str(exc) + "\n", status=401, content_type="text/plain"))
        return _cors(view(request, user, token, *args, **kwargs))
    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return require_GET(wrapper)


def _cors(response):
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _channel(name) -> Channel:
    channel = Channel.objects.filter(name=name).first() if NAME_RE.fullmatch(name) else None
    if channel is None:
        raise Http404(f"No channel named {name!r}.")
    return channel


def _user_token(user, token):
    """The token the URLs repeat: the request's, else the signed-in user's (none when it cannot be shown)."""
    if token or user is None:
        return token
    return viewers.token_for(user).secret() or None


@_guarded
def playlist(request, user, token):
    """The master M3U of the channels meant to play, for VLC, Kodi, Jellyfin and the like.

    A stopped channel is left out: a player would show it as a dead entry.
    """
    channels = list(Channel.objects.filter(unit__desired=Desired.RUNNING))
    text = listings.m3u(channels, listings.public_base(request), _user_token(user, token))
    response = HttpResponse(text, content_type="audio/x-mpegurl; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="playlist.m3u"'
    response["Cache-Control"] = "no-cache"
    return response


@_guarded
def guide(request, user, token):
    """XMLTV: what plays now and next for 24 h, from the cursors and probed durations."""
    channels = list(channels_queryset())
    text = listings.xmltv(channels, listings.public_base(request), _user_token(user, token))
    response = HttpResponse(text, content_type="application/xml")
    response["Cache-Control"] = "max-age=60"
    return response


@_guarded
def live(request, user, token, name):
    """A multivariant playlist naming one playback session (v=) for the viewer counts."""
    channel = _channel(name)
    session = viewers.open_session(channel, user, preview=request.GET.get("preview") == "1")
    query = listings.query_string(token, v=session.key)
    reference = channel.files.filter(delivery="copy").exclude(duration=None).first()
    bandwidth = 2_000_000
    if reference and reference.duration:
        bandwidth = int(reference.size * 8 / reference.duration)
    resolution = f",RESOLUTION={reference.width}x{reference.height}" if reference and reference.width else ""
    text = ("#EXTM3U\n#EXT-X-VERSION:6\n#EXT-X-INDEPENDENT-SEGMENTS\n"
            f"#EXT-X-STREAM-INF:BANDWIDTH={bandwidth}{resolution}\nindex.m3u8{query}\n")
    response = HttpResponse(text, content_type=M3U8)
    response["Cache-Control"] = "no-store"
    return response


@_guarded
def media_playlist(request, user, token, name):
    """The live window, with the token and session repeated on every segment URL."""
    channel = _channel(name)
    try:
        text = (paths.hls_dir(channel) / hls.PLAYLIST).read_text()
    except OSError:
        return HttpResponse(f"Channel {name} is not playing yet; try again in a few seconds.\n", status=404,
                            content_type="text/plain")
    query = listings.query_string(token, v=request.GET.get("v", "")[:32])
    lines = [line + query if line and not line.startswith("#") else line for line in text.splitlines()]
    response = HttpResponse("\n".join(lines) + "\n", content_type=M3U8)
    response["Cache-Control"] = "no-cache, no-store"
    return response


@_guarded
def segment(request, user, token, name, segment):
    channel = _channel(name)
    if not SEGMENT_RE.match(segment):
        raise Http404("No such segment.")
    path = Path(paths.hls_dir(channel)) / segment
    try:
        handle = open(path, "rb")  # noqa: SIM115  (FileResponse closes it)
    except OSError:
        raise Http404("This segment left the live window; reload the playlist.") from None
    key = request.GET.get("v")
    if key:
        viewers.seen(channel, key[:32])
    response = FileResponse(handle, content_type="video/mp2t")
    response["Cache-Control"] = "public, max-age=3600, immutable"
    return response


LOGO_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}-[0-9a-f]{12}\.png$")


@_guarded
def logo(request, user, token, name, image):
    """A channel's uploaded or generated logo (the file name changes with the image: cached for good)."""
    channel = _channel(name)
    if channel.logo_image != image or not LOGO_RE.match(image):
        raise Http404("No such logo.")
    try:
        handle = open(logos.path(channel), "rb")  # noqa: SIM115  (FileResponse closes it)
    except OSError:
        raise Http404("This channel's logo file is missing; upload it again.") from None
    response = FileResponse(handle, content_type="image/png")
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response
