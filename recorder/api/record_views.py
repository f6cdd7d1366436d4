"""/api/video/record/...: start, stop, highlight and status of a session's recording."""

from django.conf import settings
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status
from rest_framework.response import Response

from mediasuite.policies import policy_for

from .. import recording, sessions
from ..models import DONE_STATES, PLAYABLE_STATES, Recording
from ..serializers import (
    CameraSessionIdSerializer,
    HighlightResultSerializer,
    RecordingSerializer,
    RecordStartResultSerializer,
    RecordStartSerializer,
    RecordStatusSerializer,
    RecordStopResultSerializer,
)
from .lookups import TAGS, RecorderView, session_for


class RecordStart(RecorderView):
    extra_error_codes = ("404", "409")

    @extend_schema(
        tags=TAGS,
        request=RecordStartSerializer,
        responses={201: RecordStartResultSerializer},
        summary="Start recording a session (409 when busy or at MAX_CONCURRENT_RECORDINGS)",
    )
    def post(self, request):
        data = RecordStartSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        session = session_for(request.user, data.validated_data["session_id"], "record")
        rec = recording.start(request.user, session, data.validated_data.get("duration_minutes"))
        return Response(
            {"success": True, "recording": RecordingSerializer(rec).data}, status=status.HTTP_201_CREATED
        )


class RecordStop(RecorderView):
    """Answers, as the original did, once the MP4 is finalized and downloadable (or has failed)."""

    extra_error_codes = ("404", "409")

    @extend_schema(
        tags=TAGS,
        request=CameraSessionIdSerializer,
        responses={200: RecordStopResultSerializer, 202: RecordStopResultSerializer},
        summary="Stop a recording and wait for its MP4 (`finalized`), or its `failure`",
    )
    def post(self, request):
        data = CameraSessionIdSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        session = session_for(request.user, data.validated_data["session_id"])
        try:
            rec = session.recording
        except Recording.DoesNotExist:
            raise Http404(f"Session {session.session_id} has no recording.") from None
        if not policy_for(Recording).allows(request.user, "stop", rec):
            raise exceptions.PermissionDenied("You may stop only your own recordings.")
        rec = recording.stop(request.user, rec)
        rec = recording.wait_until_done(rec, settings.RECORDER_STOP_WAIT)
        return Response(
            {
                "success": rec.state in PLAYABLE_STATES,
                "state": rec.state,
                "failure": rec.failure,
                "video_path": rec.file,
                "recording": RecordingSerializer(rec).data,
            },
            status=status.HTTP_200_OK if rec.state in DONE_STATES else status.HTTP_202_ACCEPTED,
        )


class RecordHighlight(RecorderView):
    extra_error_codes = ("404", "409")

    @extend_schema(
        tags=TAGS,
        request=CameraSessionIdSerializer,
        responses={201: HighlightResultSerializer},
        summary="Mark a highlight now; after the stop it is cut into a short clip",
    )
    def post(self, request):
        data = CameraSessionIdSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        session = session_for(request.user, data.validated_data["session_id"])
        rec = Recording.objects.select_related("session", "club", "user").filter(session=session).first()
        if rec is None:
            raise Http404(f"Session {session.session_id} has no recording.")
        highlight = recording.mark_highlight(request.user, rec)
        return Response({"success": True, "offset": highlight.offset}, status=status.HTTP_201_CREATED)


class RecordStatus(RecorderView):
    @extend_schema(
        tags=TAGS, responses={200: RecordStatusSerializer}, summary="Recording status of a session"
    )
    def get(self, request, session_id):
        session = session_for(request.user, session_id)
        sessions.touch(session)
        rec = (
            Recording.objects.select_related("session", "club", "user", "stopped_by")
            .filter(session=session)
            .first()
        )
        return Response(
            {
                "session_id": session.session_id,
                "is_recording": bool(rec and rec.is_active),
                "recording": RecordingSerializer(rec).data if rec else None,
            }
        )
