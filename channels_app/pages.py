"""Channel pages: the dashboard (cards, actions, player) and one channel's detail with its history.

Every signed-in user may open both pages and watch (the Channel policy lets
everyone view); the action buttons are drawn only for users the policy lets
change channels (SUPER_ADMIN), and the API refuses the others anyway. The
history comes from the event log, filtered by the Event policy.
"""

import re

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse

from mediasuite.live.follower import safe_cursor
from mediasuite.models import Event
from mediasuite.policies import policy_for

from . import listings, selection, tuner, viewers
from .api.serializers import ChannelStatusSerializer, GuideQuerySerializer, GuideSerializer
from .api.views import channels_queryset, status_context
from .models import Channel

NAME_RE = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")
HISTORY_KINDS = ("channel.restarted", "channel.restart_requested", "channel.file_failed", "channel.error")
HISTORY_LIMIT = 100
GUIDE_PAGE_HOURS = 3
GUIDE_PAGE_SPANS = (0.5, 1, 3, 6, 12)


def player_urls(request, channel: Channel | None = None) -> dict:
    """The URLs a player (VLC, Kodi) needs, carrying the user's own access token.

    A token stored before tokens were hashed cannot be shown: no URLs then,
    and `token_unshowable` for the page to offer a new one.
    """
    key = viewers.token_for(request.user).secret()
    if not key:
        return {"token_unshowable": True}
    base = listings.public_base(request)
    urls = {"m3u_url": f"{base}{reverse('channels-playlist')}?token={key}",
            "xmltv_url": f"{base}{reverse('channels-guide')}?token={key}"}
    if channel is not None:
        urls["stream_url"] = f"{base}{reverse('channel-live', args=[channel.name])}?token={key}"
    urls["tuner_url"] = tuner.address(base, key)
    return urls


def _visible_channel(user, name) -> Channel:
    if not NAME_RE.fullmatch(name):
        raise Http404("No such channel.")
    channel = policy_for(Channel).queryset(user, "view", base=channels_queryset()).filter(name=name).first()
    if channel is None:
        raise Http404(f"No channel named {name}.")
    return channel


@login_required
def dashboard(request):
    """One card per channel, live over the event WebSocket; click a card to watch it."""
    live_after = safe_cursor()  # before reading, so that a change made meanwhile still arrives
    channels = list(policy_for(Channel).queryset(request.user, "view", base=channels_queryset()))
    data = ChannelStatusSerializer(channels, many=True, context=status_context(channels)).data
    cards = [{"channel": channel, "status": status, "unit_id": channel.unit_id}
             for channel, status in zip(channels, data, strict=True)]
    return render(request, "channels_app/dashboard.html", {
        "cards": cards,
        "statuses": {item["name"]: item for item in data},
        "can_control": policy_for(Channel).allows(request.user, "change"),
        "live_after": live_after,
        **player_urls(request),
    })


def history(user, channel: Channel):
    """The channel's restarts, requests and failures, newest first, as the user may see them."""
    base = Event.objects.filter(subject_type="channel", subject_id=str(channel.pk), kind__in=HISTORY_KINDS)
    return list(policy_for(Event).queryset(user, "view", base=base).select_related("actor")
                .order_by("-id")[:HISTORY_LIMIT])


@login_required
def detail(request, name):
    """Status, files with their delivery and reason, and the restart history (live)."""
    live_after = safe_cursor()
    channel = _visible_channel(request.user, name)
    status = ChannelStatusSerializer(channel, context=status_context([channel])).data
    return render(request, "channels_app/detail.html", {
        "channel": channel,
        "status": status,
        "files": selection.ordered(channel.files.filter(present=True)),
        "history": history(request.user, channel),
        "history_kinds": HISTORY_KINDS,
        "can_control": policy_for(Channel).allows(request.user, "change", channel),
        "live_after": live_after,
        **player_urls(request, channel),
    })


@login_required
def guide_page(request):
    """The time grid of every channel for the next hours, redrawn live when a channel changes file."""
    live_after = safe_cursor()
    query = GuideQuerySerializer(data=request.GET)
    hours = query.validated_data["hours"] if query.is_valid() else GUIDE_PAGE_HOURS
    channels = list(policy_for(Channel).queryset(request.user, "view", base=channels_queryset()))
    return render(request, "channels_app/guide.html", {
        "guide": GuideSerializer(listings.grid(channels, hours)).data,
        "spans": GUIDE_PAGE_SPANS,
        "live_after": live_after,
        **player_urls(request),
    })
