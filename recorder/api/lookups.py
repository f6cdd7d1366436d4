"""Session and recording lookups through the policies, shared by every recorder API view."""

import re

from django.http import Http404
from rest_framework import exceptions
from rest_framework.permissions import IsAuthenticated
from rest_framework.views import APIView

from mediasuite.policies import policy_for

from ..models import CameraSession, Recording

SESSION_ID_RE = re.compile(r"^sess_\d+_\d+(_\d+)?$")
TAGS = ["recorder"]


def session_for(user, session_id: str, action: str = "view") -> CameraSession:
    """The session the user may see (404 otherwise), then 403 unless `action` is allowed."""
    if not isinstance(session_id, str) or not SESSION_ID_RE.match(session_id):
        raise Http404(f"No camera session {session_id!r}.")
    policy = policy_for(CameraSession)
    session = (
        policy.queryset(user, "view")
        .select_related("court__club", "user", "recording")
        .filter(session_id=session_id)
        .first()
    )
    if session is None:
        raise Http404(f"No camera session {session_id}.")
    if not policy.allows(user, action, session):
        raise exceptions.PermissionDenied(f"You may not {action} on session {session_id}.")
    return session


def recording_for(user, session_id: str, action: str) -> Recording:
    if not isinstance(session_id, str) or not SESSION_ID_RE.match(session_id):
        raise Http404(f"No video {session_id!r}.")
    policy = policy_for(Recording)
    rec = (
        policy.queryset(user, "view")
        .select_related("session", "club", "court", "user")
        .filter(session__session_id=session_id)
        .first()
    )
    if rec is None:
        raise Http404(f"No video {session_id}.")
    if not policy.allows(user, action, rec):
        raise exceptions.PermissionDenied(
            "Players may not list, download or delete videos; ask a club admin."
        )
    return rec


class RecorderView(APIView):
    permission_classes = [IsAuthenticated]
