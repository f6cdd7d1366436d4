"""Pages: a club's courts, a court (preview, start/stop, elapsed/remaining), the recordings."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import render

from mediasuite.live.follower import safe_cursor
from mediasuite.models import Club
from mediasuite.policies import policy_for
from mediasuite.policies.views import visible_or_404

from .models import ACTIVE_STATES, CameraSession, Court, Recording
from .serializers import CameraSessionSerializer
from .tokens import preview_token


def _open_session(request, court):
    """The newest open session of this user on the court, with fresh preview URLs."""
    session = (
        policy_for(CameraSession)
        .queryset(request.user, "view")
        .select_related("court__club", "user", "recording")
        .filter(court=court, closed_at__isnull=True, user=request.user)
        .first()
    )
    return CameraSessionSerializer(session, context={"request": request}).data if session else None


@login_required
def club_page(request, club_id):
    club = visible_or_404(request.user, Club, pk=club_id)
    active = Recording.objects.filter(state__in=ACTIVE_STATES).select_related("session")
    courts = (
        policy_for(Court)
        .queryset(request.user, "view")
        .filter(club=club)
        .prefetch_related(Prefetch("recordings", queryset=active, to_attr="active"))
    )
    visible_sessions = (
        policy_for(CameraSession)
        .queryset(request.user, "preview")
        .filter(court__club=club, closed_at__isnull=True)
        .order_by("court_id", "-created_at")
    )
    preview_for = {}
    for session in visible_sessions:
        preview_for.setdefault(session.court_id, session.session_id)
    rows = [
        {
            "court": court,
            "recording": court.active[0] if court.active else None,
            "thumb_session": preview_for.get(court.pk),
            "thumb_token": preview_token(request.user, preview_for[court.pk])
            if court.pk in preview_for
            else "",
        }
        for court in courts
    ]
    return render(request, "recorder/club.html", {"club": club, "rows": rows, "live_after": safe_cursor()})


def _last_recording(request, court):
    """The user's newest recording on the court: the open session's, or the last one that ended."""
    return (
        policy_for(Recording)
        .queryset(request.user, "view")
        .filter(court=court, user=request.user)
        .select_related("session")
        .first()
    )


@login_required
def court_page(request, court_id):
    court = visible_or_404(request.user, Court, pk=court_id)
    may_open = policy_for(CameraSession).allows(request.user, "add")
    session = _open_session(request, court)
    last = _last_recording(request, court)
    return render(
        request,
        "recorder/court.html",
        {
            "court": court,
            "session": session,
            "recording_session": last.session.session_id if last else "",
            "may_open": may_open,
            "default_minutes": settings.RECORDER_DEFAULT_MINUTES,
            "live_after": safe_cursor(),
        },
    )


@login_required
def recordings_page(request):
    policy = policy_for(Recording)
    may_manage = policy.allows(request.user, "files")
    recordings = list(policy.queryset(request.user, "view").select_related("session", "court", "club", "user")
                      .prefetch_related("highlights"))
    for rec in recordings:
        ordered = sorted(rec.highlights.all(), key=lambda h: h.offset)
        numbered = enumerate(ordered, start=1)
        rec.highlight_clips = [{"number": n, "offset": h.offset} for n, h in numbered if h.clip]
    return render(
        request,
        "recorder/recordings.html",
        {
            "recordings": recordings,
            "may_manage": may_manage,
            "clubs": policy_for(Club).queryset(request.user, "view"),
            "live_after": safe_cursor(),
        },
    )


@login_required
def thumbnail(request, session_id):
    """The Pillow thumbnail of a recording the user may see."""
    rec = visible_or_404(request.user, Recording, session__session_id=session_id)
    if not rec.thumbnail_path.is_file():
        raise Http404("This recording has no thumbnail yet.")
    return FileResponse(open(rec.thumbnail_path, "rb"), content_type="image/jpeg")
