"""/api/preview/<session>/...: the live MJPEG, a snapshot and the camera status (signed-token auth)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions
from rest_framework.authentication import SessionAuthentication
from rest_framework.response import Response

from mediasuite import access
from mediasuite.api.authentication import HashedTokenAuthentication
from mediasuite.policies import policy_for

from .. import preview, sessions
from ..models import CameraSession, Recording
from ..serializers import (
    PreviewInfoSerializer,
    RecordingSerializer,
)
from ..tokens import PreviewTokenAuthentication
from .lookups import TAGS, RecorderView, session_for

TOKEN_PARAM = OpenApiParameter(
    "token",
    OpenApiTypes.STR,
    required=False,
    description="A signed preview token (from the session's `preview` URLs).",
)


class PreviewView(RecorderView):
    authentication_classes = [PreviewTokenAuthentication, HashedTokenAuthentication, SessionAuthentication]

    def preview_session(self, request, session_id) -> CameraSession:
        if isinstance(request.auth, dict) and request.auth.get("s") != session_id:
            raise exceptions.PermissionDenied("This preview link is for another session.")
        session = session_for(request.user, session_id, "preview")
        sessions.touch(session)
        return session


def _still_previewable(pk: int):
    """The check an open preview repeats: the session is open and the user may still preview it."""
    def check(user) -> bool:
        return (policy_for(CameraSession).queryset(user, "preview")
                .filter(pk=pk, closed_at__isnull=True).exists())
    return check


class PreviewStream(PreviewView):
    @extend_schema(
        tags=TAGS,
        parameters=[TOKEN_PARAM],
        responses={(200, "multipart/x-mixed-replace"): bytes},
        summary="Live MJPEG preview (for an <img> tag)",
    )
    def get(self, request, session_id):
        session = self.preview_session(request, session_id)
        grant = access.of_request(request, resource=_still_previewable(session.pk))
        return preview.stream(session.court, grant)


class PreviewSnapshot(PreviewView):
    @extend_schema(
        tags=TAGS,
        parameters=[TOKEN_PARAM],
        responses={(200, "image/jpeg"): bytes},
        summary="The latest camera frame",
    )
    def get(self, request, session_id):
        return preview.snapshot(self.preview_session(request, session_id).court)


class PreviewInfo(PreviewView):
    @extend_schema(
        tags=TAGS,
        parameters=[TOKEN_PARAM],
        responses={200: PreviewInfoSerializer},
        summary="Camera status (connected, fps, last frame age, reconnects) and recording",
    )
    def get(self, request, session_id):
        session = self.preview_session(request, session_id)
        rec = Recording.objects.select_related("session", "club", "user").filter(session=session).first()
        return Response(
            {
                "session_id": session.session_id,
                "terrain_id": session.court_id,
                "proxy": preview.status(session.court),
                "recording": RecordingSerializer(rec).data if rec else None,
            }
        )
