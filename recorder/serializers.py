"""API shapes of the recorder (the original system's field names)."""

from django.conf import settings
from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from . import tokens
from .models import CameraSession, Recording

SESSION_ID_HELP = "A session id such as sess_3_1732190000."


class HighlightSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    offset = serializers.FloatField(help_text="Seconds from the start of the recording.")
    clip_duration = serializers.FloatField(allow_null=True)
    clip_url = serializers.CharField(allow_null=True, help_text="Set once the clip is cut, after the stop.")


class RecordingSerializer(serializers.ModelSerializer):
    session_id = serializers.CharField(source="session.session_id")
    terrain_id = serializers.IntegerField(source="court_id")
    club_id = serializers.IntegerField(source="club.pk")
    user = serializers.CharField(source="user.username", default=None, allow_null=True,
                                 help_text="Empty once the author's account is deleted.")
    stopped_by = serializers.CharField(source="stopped_by.username", default=None, allow_null=True)
    is_recording = serializers.SerializerMethodField()
    elapsed_seconds = serializers.SerializerMethodField()
    remaining_seconds = serializers.SerializerMethodField()
    video_path = serializers.CharField(source="file")
    download_url = serializers.SerializerMethodField()
    shown_state = serializers.CharField(
        help_text="The state to show people: `failed` also for a finished recording whose file is gone.")
    failure = serializers.CharField(
        source="shown_failure",
        help_text="Why no playable video could be made (one sentence); empty otherwise.",
    )
    highlights = serializers.SerializerMethodField()

    class Meta:
        model = Recording
        fields = [
            "id",
            "session_id",
            "terrain_id",
            "club_id",
            "user",
            "state",
            "shown_state",
            "failure",
            "is_recording",
            "started_at",
            "stopped_at",
            "planned_seconds",
            "elapsed_seconds",
            "remaining_seconds",
            "duration",
            "size",
            "stopped_by",
            "stop_reason",
            "exit_code",
            "video_path",
            "download_url",
            "highlights",
        ]

    def get_is_recording(self, rec) -> bool:
        return rec.state == "recording"

    def get_elapsed_seconds(self, rec) -> float:
        return round(rec.elapsed(), 1)

    def get_remaining_seconds(self, rec) -> float:
        return round(max(0.0, rec.planned_seconds - rec.elapsed()), 1)

    def get_download_url(self, rec) -> str | None:
        """Set only when there is a playable file to download."""
        return reverse("recorder-file-download", args=[rec.session.session_id]) if rec.playable else None

    @extend_schema_field(HighlightSerializer(many=True))
    def get_highlights(self, rec) -> list:
        sid = rec.session.session_id
        return [
            {
                "number": n,
                "offset": h.offset,
                "clip_duration": h.clip_duration,
                "clip_url": reverse("recorder-highlight-download", args=[sid, n]) if h.clip else None,
            }
            for n, h in enumerate(sorted(rec.highlights.all(), key=lambda h: h.offset), start=1)
        ]


class CameraSessionSerializer(serializers.ModelSerializer):
    terrain_id = serializers.IntegerField(source="court_id")
    terrain_name = serializers.CharField(source="court.name")
    club_id = serializers.IntegerField(source="court.club_id")
    user = serializers.CharField(source="user.username", default=None, allow_null=True,
                                 help_text="Empty once the account is deleted.")
    is_open = serializers.BooleanField()
    recording = serializers.SerializerMethodField()
    preview = serializers.SerializerMethodField()

    class Meta:
        model = CameraSession
        fields = [
            "session_id",
            "terrain_id",
            "terrain_name",
            "club_id",
            "user",
            "created_at",
            "last_activity",
            "closed_at",
            "is_open",
            "recording",
            "preview",
        ]

    def get_recording(self, session) -> dict | None:
        try:
            rec = session.recording
        except Recording.DoesNotExist:
            return None
        return RecordingSerializer(rec).data

    def get_preview(self, session) -> dict:
        """Preview URLs carrying a short-lived signed token (for <img> tags, which send no header)."""
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return {}
        token = tokens.preview_token(user, session.session_id)
        return {
            name: reverse(f"recorder-preview-{name.replace('_', '-')}", args=[session.session_id])
            + f"?token={token}"
            for name in ("stream", "snapshot", "info")
        } | {"expires_in": settings.RECORDER_PREVIEW_TOKEN_SECONDS}


class CameraSessionEnvelope(serializers.Serializer):
    session = CameraSessionSerializer()


class CameraSessionListSerializer(serializers.Serializer):
    sessions = CameraSessionSerializer(many=True)


class CreateCameraSessionSerializer(serializers.Serializer):
    terrain_id = serializers.IntegerField(min_value=1, help_text="The court (terrain) to open a session on.")


class CameraSessionIdSerializer(serializers.Serializer):
    session_id = serializers.RegexField(r"^sess_\d+_\d+(_\d+)?$", max_length=64, help_text=SESSION_ID_HELP)


class RecordStartSerializer(CameraSessionIdSerializer):
    duration_minutes = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="Planned duration; the recording stops by itself after it "
        "(default RECORDER_DEFAULT_MINUTES, at most RECORDER_MAX_MINUTES).",
    )

    def validate_duration_minutes(self, value):
        if value > settings.RECORDER_MAX_MINUTES:
            raise serializers.ValidationError(f"At most {settings.RECORDER_MAX_MINUTES} minutes.")
        return value


class RecordStartResultSerializer(serializers.Serializer):
    success = serializers.BooleanField()
    recording = RecordingSerializer()


class RecordStopResultSerializer(RecordStartResultSerializer):
    state = serializers.CharField(
        help_text="`finalized` or `recovered` (the MP4 is downloadable), `failed` (no video could be made: "
        "see `failure`), or `stopping`/`finalizing` (202: not done within MEDIASUITE_RECORDER_STOP_WAIT)."
    )
    failure = serializers.CharField(allow_blank=True)
    video_path = serializers.CharField()


class RecordStatusSerializer(serializers.Serializer):
    session_id = serializers.CharField()
    is_recording = serializers.BooleanField()
    recording = RecordingSerializer(allow_null=True)


class VideoFilesSerializer(serializers.Serializer):
    files = RecordingSerializer(many=True)


class VideoSuccessSerializer(serializers.Serializer):
    success = serializers.BooleanField()
    message = serializers.CharField()


class VideoHealthSerializer(serializers.Serializer):
    status = serializers.CharField()
    ffmpeg_available = serializers.BooleanField()
    ffmpeg_path = serializers.CharField(allow_null=True)
    active_sessions = serializers.IntegerField()
    active_recordings = serializers.IntegerField()
    max_concurrent = serializers.IntegerField()
    proxy_type = serializers.CharField()
    pipeline = serializers.CharField()


class VideoCleanupSerializer(serializers.Serializer):
    success = serializers.BooleanField()
    report = serializers.DictField()


class PreviewInfoSerializer(serializers.Serializer):
    session_id = serializers.CharField()
    terrain_id = serializers.IntegerField()
    proxy = serializers.DictField(
        allow_null=True,
        help_text="The camera proxy's status (connected, fps, last_frame_age, reconnects, ...); while the "
        "camera is away, `message` says so in one sentence and `last_error` keeps the technical detail.",
    )
    recording = RecordingSerializer(allow_null=True)


class HighlightResultSerializer(serializers.Serializer):
    success = serializers.BooleanField()
    offset = serializers.FloatField()
