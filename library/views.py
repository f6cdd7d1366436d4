"""Library pages: the Plex editor (rows drawn by library.js from the API) and the posters it shows."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render

from mediasuite.clients import connections
from mediasuite.clients.plex import Plex, PlexError
from mediasuite.policies import policy_for

from .models import ArchiveRecord


def _operator(request):
    if not policy_for(ArchiveRecord).allows(request.user, "change"):
        raise PermissionDenied("Only a super admin may manage the Plex library.")


@login_required
def index(request):
    _operator(request)
    return render(request, "library/index.html", {"missing": connections.missing("plex"),
                                                  "missing_what": "The library"})


@login_required
def poster(request, rating_key):
    """The poster of a media, fetched from Plex with the token the browser must not see."""
    _operator(request)
    try:
        plex = Plex()
        data, kind = plex.poster(rating_key)
    except PlexError as exc:
        raise Http404(str(exc)) from exc
    response = HttpResponse(data, content_type=kind)
    response["Cache-Control"] = "private, max-age=3600"
    return response
