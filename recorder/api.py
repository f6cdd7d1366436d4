"""The API of the original system, same paths (/api/video/..., /api/preview/...).

Every view looks objects up through the policies (another club's id: 404),
checks the action (visible but forbidden: 403), and calls the domain modules
(sessions, recording, cleanup) that change state and write the events.
"""

import re

from django.conf import settings
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, status
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from mediasuite.policies import policy_for
from mediasuite.policies.accounts import club_ids
from mediasuite.roles import Role

from . import cleanup, downloads, media, preview, recording, sessions
from .models import ACTIVE_STATES, CameraSession, Court, Recording
from .serializers import (
    CameraSessionEnvelope,
    CameraSessionIdSerializer,
    CameraSessionListSerializer,
    CameraSessionSerializer,
    CreateCameraSessionSerializer,
    HighlightResultSerializer,
    PreviewInfoSerializer,
    RecordingSerializer,
    RecordStartResultSerializer,
    RecordStartSerializer,
    RecordStatusSerializer,
    RecordStopResultSerializer,
    VideoCleanupSerializer,
    VideoFilesSerializer,
    VideoHealthSerializer,
    VideoSuccessSerializer,
)
from .tokens import PreviewTokenAuthentication

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


class SessionCreate(RecorderView):
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
    extra_error_codes = ("404", "409")

    @extend_schema(
        tags=TAGS,
        request=CameraSessionIdSerializer,
        responses={200: RecordStopResultSerializer},
        summary="Stop a recording; the MP4 is finalized a moment later (state `finalized`)",
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
        return Response({"success": True, "video_path": rec.file, "recording": RecordingSerializer(rec).data})


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


class HighlightDownload(RecorderView):
    @extend_schema(
        tags=TAGS,
        responses={(200, "video/mp4"): OpenApiTypes.BINARY},
        summary="Download the clip of a highlight (numbered from 1)",
    )
    def get(self, request, session_id, number):
        rec = recording_for(request.user, session_id, "files")
        highlights = sorted(rec.highlights.all(), key=lambda h: h.offset)
        if not 1 <= number <= len(highlights):
            raise Http404(f"No highlight {number} for {session_id}.")
        clip = highlights[number - 1].clip_path
        if clip is None or not clip.is_file():
            raise Http404(f"The clip of highlight {number} is not cut (yet).")
        return downloads.ranged_file(request, clip, f"{session_id}-highlight-{number}.mp4")


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


class FilesList(RecorderView):
    @extend_schema(
        tags=TAGS,
        responses={200: VideoFilesSerializer},
        summary="The videos of a club (admins)",
        parameters=[
            OpenApiParameter(
                "club_id", OpenApiTypes.INT, required=False, description="Only this club's videos."
            )
        ],
    )
    def get(self, request):
        policy = policy_for(Recording)
        if not policy.allows(request.user, "files"):
            raise exceptions.PermissionDenied("Players may not list videos; ask a club admin.")
        unknown = set(request.query_params) - {"club_id"}
        if unknown:
            raise exceptions.ValidationError({name: ["Unknown parameter."] for name in sorted(unknown)})
        qs = policy.queryset(request.user, "files").select_related("session", "club", "user", "stopped_by")
        qs = qs.prefetch_related("highlights")
        club_id = request.query_params.get("club_id")
        if club_id is not None:
            if not club_id.isdigit():
                raise exceptions.ValidationError({"club_id": ["A club id is a whole number."]})
            visible = (
                request.user.role == Role.SUPER_ADMIN
                or club_ids(request.user).filter(club_id=int(club_id)).exists()
            )
            if not visible:
                raise Http404(f"No club {club_id}.")
            qs = qs.filter(club_id=int(club_id))
        return Response({"files": RecordingSerializer(qs, many=True).data})


class FileDownload(RecorderView):
    @extend_schema(
        tags=TAGS,
        responses={(200, "video/mp4"): OpenApiTypes.BINARY, (206, "video/mp4"): OpenApiTypes.BINARY},
        summary="Download a video; HTTP Range requests are answered 206 so players can seek",
    )
    def get(self, request, session_id):
        rec = recording_for(request.user, session_id, "files")
        if rec.is_active or not rec.path.is_file():
            raise Http404("This video is not ready (still recording or finalizing) or has no file.")
        return downloads.ranged_file(request, rec.path, f"{rec.session.session_id}.mp4")


class FileDelete(RecorderView):
    extra_error_codes = ("409",)

    @extend_schema(tags=TAGS, responses={200: VideoSuccessSerializer}, summary="Delete a video (admins)")
    def delete(self, request, session_id):
        rec = recording_for(request.user, session_id, "files")
        freed = recording.delete(request.user, rec)
        return Response({"success": True, "message": f"Deleted ({freed} bytes freed)."})


class Health(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(tags=TAGS, responses={200: VideoHealthSerializer}, summary="Health of the video system")
    def get(self, request):
        path = media.ffmpeg_path()
        return Response(
            {
                "status": "healthy" if path else "degraded",
                "ffmpeg_available": bool(path),
                "ffmpeg_path": path,
                "active_sessions": CameraSession.objects.filter(closed_at__isnull=True).count(),
                "active_recordings": Recording.objects.filter(state__in=ACTIVE_STATES).count(),
                "max_concurrent": settings.MAX_CONCURRENT_RECORDINGS,
                "proxy_type": "recorder.proxy (supervised unit camera-proxy, one per camera)",
                "pipeline": "Camera -> camera proxy -> ffmpeg (fragmented MP4) -> MP4 (faststart)",
            }
        )


class Cleanup(RecorderView):
    @extend_schema(
        tags=TAGS,
        request=None,
        responses={200: VideoCleanupSerializer},
        summary="Close idle sessions, stop unused proxies, remove empty/expired videos",
    )
    def post(self, request):
        if not policy_for(CameraSession).allows(request.user, "cleanup"):
            raise exceptions.PermissionDenied("Only admins may run the cleanup.")
        scope = (
            None
            if request.user.role == Role.SUPER_ADMIN
            else list(club_ids(request.user).values_list("club_id", flat=True))
        )
        return Response({"success": True, "report": cleanup.run(scope)})


TOKEN_PARAM = OpenApiParameter(
    "token",
    OpenApiTypes.STR,
    required=False,
    description="A signed preview token (from the session's `preview` URLs).",
)


class PreviewView(RecorderView):
    authentication_classes = [PreviewTokenAuthentication, TokenAuthentication, SessionAuthentication]

    def preview_session(self, request, session_id) -> CameraSession:
        if isinstance(request.auth, dict) and request.auth.get("s") != session_id:
            raise exceptions.PermissionDenied("This preview link is for another session.")
        session = session_for(request.user, session_id, "preview")
        sessions.touch(session)
        return session


class PreviewStream(PreviewView):
    @extend_schema(
        tags=TAGS,
        parameters=[TOKEN_PARAM],
        responses={(200, "multipart/x-mixed-replace"): bytes},
        summary="Live MJPEG preview (for an <img> tag)",
    )
    def get(self, request, session_id):
        return preview.stream(self.preview_session(request, session_id).court)


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
