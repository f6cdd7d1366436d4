"""/api/video/files/..., health and cleanup: the videos of a club and the system around them."""

from django.conf import settings
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from mediasuite.ids import parse_id
from mediasuite.models import Club
from mediasuite.policies import policy_for

from .. import cleanup, downloads, media, recording
from ..models import ACTIVE_STATES, CameraSession, Recording
from ..serializers import (
    RecordingSerializer,
    VideoCleanupSerializer,
    VideoFilesSerializer,
    VideoHealthSerializer,
    VideoSuccessSerializer,
)
from .lookups import TAGS, RecorderView, recording_for


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


class FilesList(RecorderView):
    extra_error_codes = ("404",)  # a club_id the user cannot see

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
            pk = parse_id(club_id)
            if pk is None:
                raise exceptions.ValidationError({"club_id": ["A club id is a whole number (ASCII digits)."]})
            if not policy_for(Club).queryset(request.user, "view").filter(pk=pk).exists():
                raise Http404(f"No club {club_id}.")
            qs = qs.filter(club_id=pk)
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
        administered = policy_for(Club).queryset(request.user, "change").values("pk")
        return Response({"success": True, "report": cleanup.run(administered)})
