"""/api/video/session/...: open, close, list and read camera sessions."""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from mediasuite.policies import policy_for

from .. import sessions
from ..models import CameraSession, Court
from ..serializers import (
    CameraSessionEnvelope,
    CameraSessionIdSerializer,
    CameraSessionListSerializer,
    CameraSessionSerializer,
    CreateCameraSessionSerializer,
    VideoSuccessSerializer,
)
from .lookups import TAGS, RecorderView, session_for


class SessionCreate(RecorderView):
    extra_error_codes = ("404",)  # a court the user cannot see

    @extend_schema(
        tags=TAGS,
        request=CreateCameraSessionSerializer,
        responses={201: CameraSessionEnvelope},
        summary="Open a camera session on a court (terrain) and its camera proxy",
    )
    def post(self, request):
        data = CreateCameraSessionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        court = (
            policy_for(Court)
            .queryset(request.user, "view")
            .select_related("club")
            .filter(pk=data.validated_data["terrain_id"])
            .first()
        )
        if court is None:
            raise Http404(f"No court (terrain) {data.validated_data['terrain_id']}.")
        session = sessions.create(request.user, court)
        session = session_for(request.user, session.session_id)
        return Response(
            {"session": CameraSessionSerializer(session, context={"request": request}).data},
            status=status.HTTP_201_CREATED,
        )


class SessionClose(RecorderView):
    extra_error_codes = ("404", "409")

    @extend_schema(
        tags=TAGS,
        request=CameraSessionIdSerializer,
        responses={200: VideoSuccessSerializer},
        summary="Close a camera session (its proxy stops when no one else needs it)",
    )
    def post(self, request):
        data = CameraSessionIdSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        session = session_for(request.user, data.validated_data["session_id"], "change")
        closed = sessions.close(request.user, session)
        return Response({"success": True, "message": "Session closed." if closed else "Already closed."})


class SessionList(RecorderView):
    @extend_schema(
        tags=TAGS,
        responses={200: CameraSessionListSerializer},
        summary="The open camera sessions you may see",
    )
    def get(self, request):
        qs = (
            policy_for(CameraSession)
            .queryset(request.user, "view")
            .select_related(
                "court__club",
                "user",
                "recording__session",
                "recording__club",
                "recording__user",
                "recording__stopped_by",
            )
            .prefetch_related("recording__highlights")
            .filter(closed_at__isnull=True)
        )
        return Response(
            {"sessions": CameraSessionSerializer(qs, many=True, context={"request": request}).data}
        )


class SessionDetail(RecorderView):
    @extend_schema(tags=TAGS, responses={200: CameraSessionEnvelope}, summary="One camera session")
    def get(self, request, session_id):
        session = session_for(request.user, session_id)
        return Response({"session": CameraSessionSerializer(session, context={"request": request}).data})
