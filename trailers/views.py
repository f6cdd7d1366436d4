"""The trailers page: every media trailers know of, by status, with the bulk re-search (operator only)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpResponseBadRequest
from django.shortcuts import render

from mediasuite.clients import connections
from mediasuite.policies import policy_for

from .models import MediaType, Status, TrailerEntry

PAGE_SIZE = 100


@login_required
def library(request):
    policy = policy_for(TrailerEntry)
    if not policy.allows(request.user, "view"):
        raise PermissionDenied("Only a super admin may manage trailers.")
    status, media_type = request.GET.get("status", ""), request.GET.get("media_type", "")
    if status not in ("", *Status.values) or media_type not in ("", *MediaType.values):
        return HttpResponseBadRequest("status is LOCKED, UNLOCKED or NONE; media_type is movie or series.")
    entries = policy.queryset(request.user, "view").only(
        "media_type", "external_id", "title", "year", "status", "locked_title", "fetched_at",
        "download_state")
    counts = dict(entries.values_list("status").annotate(n=Count("id")).order_by())
    if status:
        entries = entries.filter(status=status)
    if media_type:
        entries = entries.filter(media_type=media_type)
    page = Paginator(entries.order_by("title", "id"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "trailers/library.html", {
        "page": page, "status": status, "media_type": media_type,
        "counts": [(s, counts.get(s, 0)) for s in Status.values],
        "missing": connections.missing("tmdb", "youtube"), "missing_what": "Finding trailers",
    })
