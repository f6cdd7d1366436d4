"""Seedbox pages: the activity page (every torrent, live) and the free search page with batch download."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from mediasuite import media
from mediasuite.clients import connections
from mediasuite.live.follower import safe_cursor
from mediasuite.policies import policy_for

from .models import State, Torrent


def _operator(request):
    if not policy_for(Torrent).allows(request.user, "view"):
        raise PermissionDenied("Only a super admin may use the seedbox.")


@login_required
def activity(request):
    _operator(request)
    torrents = list(policy_for(Torrent).queryset(request.user, "view").defer("torrent_file")[:500])
    media.decorate([torrent.media for torrent in torrents], request.user)
    return render(request, "seedbox/activity.html", {
        "torrents": torrents, "live_after": safe_cursor(),
        "retryable": (State.FAILED, State.IMPORT_BLOCKED),
        "missing": connections.missing("rtorrent", "sftp"), "missing_what": "The seedbox",
    })


@login_required
def search_page(request):
    _operator(request)
    return render(request, "seedbox/search.html", {
        "missing": connections.missing("indexer", "rtorrent", "tmdb", "tvdb"), "missing_what": "Search"})
