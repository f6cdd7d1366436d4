"""Courts with cameras, camera sessions, and the one recording of a session."""

from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone

SCHEMES = {"mjpeg": ("http", "https"), "http": ("http", "https"), "rtsp": ("rtsp", "rtsps")}


class CameraKind(models.TextChoices):
    MJPEG = "mjpeg", "MJPEG over HTTP"
    HTTP = "http", "HTTP stream"
    RTSP = "rtsp", "RTSP"


def validate_camera_url(url: str, kind: str):
    parts = urlsplit(url or "")
    allowed = SCHEMES.get(kind, ())
    if parts.scheme not in allowed or not parts.hostname:
        raise ValidationError(
            {
                "camera_url": [
                    f"A {kind} camera URL starts with "
                    f"{' or '.join(s + '://' for s in allowed) or 'a known scheme'} "
                    f"and names a host; got {url!r}."
                ]
            }
        )


class Court(models.Model):
    """A court (terrain) of a club, filmed by one IP camera."""

    club = models.ForeignKey("mediasuite.Club", on_delete=models.CASCADE, related_name="courts")
    name = models.CharField(max_length=120)
    camera_url = models.CharField(max_length=500)
    camera_kind = models.CharField(max_length=8, choices=CameraKind.choices, default=CameraKind.MJPEG)
    enabled = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["club__name", "name"]
        constraints = [models.UniqueConstraint(fields=["club", "name"], name="court_unique_name_per_club")]

    def __str__(self):
        return f"{self.name} ({self.club})"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("recorder-court", args=[self.pk])

    def clean(self):
        validate_camera_url(self.camera_url, self.camera_kind)

    @property
    def proxy_unit_name(self) -> str:
        return f"cam-{self.pk}"


class CameraSession(models.Model):
    """A user's session on a court: preview, then at most one recording."""

    session_id = models.CharField(max_length=64, unique=True)
    court = models.ForeignKey(Court, on_delete=models.CASCADE, related_name="sessions")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="camera_sessions",
        help_text="Empty once the account is deleted: the session and its recording stay the club's.",
    )
    created_at = models.DateTimeField(default=timezone.now)
    last_activity = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.session_id

    @property
    def club(self):
        return self.court.club

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class RecordingState(models.TextChoices):
    RECORDING = "recording"
    STOPPING = "stopping"
    FINALIZING = "finalizing"
    FINALIZED = "finalized"
    RECOVERED = "recovered"
    FAILED = "failed"


ACTIVE_STATES = (RecordingState.RECORDING, RecordingState.STOPPING, RecordingState.FINALIZING)
DONE_STATES = (RecordingState.FINALIZED, RecordingState.RECOVERED, RecordingState.FAILED)
PLAYABLE_STATES = (RecordingState.FINALIZED, RecordingState.RECOVERED)

# The states each state may be reached from: every change of Recording.state is a
# compare-and-set on these (recording.py), so a late or repeated step changes nothing.
REACHED_FROM = {
    RecordingState.STOPPING: (RecordingState.RECORDING,),
    RecordingState.FINALIZING: (RecordingState.RECORDING, RecordingState.STOPPING),
    RecordingState.FINALIZED: (RecordingState.FINALIZING,),
    RecordingState.RECOVERED: (RecordingState.FINALIZING,),
    RecordingState.FAILED: (RecordingState.FINALIZING,),
}


def may_become(current: str, target: str) -> bool:
    return current in REACHED_FROM.get(target, ())


class Recording(models.Model):
    """The one MP4 of a camera session, written by a supervised ffmpeg unit."""

    session = models.OneToOneField(CameraSession, on_delete=models.CASCADE, related_name="recording")
    club = models.ForeignKey("mediasuite.Club", on_delete=models.CASCADE, related_name="recordings")
    court = models.ForeignKey(Court, on_delete=models.CASCADE, related_name="recordings")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="recordings",
        help_text="Empty once the account is deleted: recordings outlive their author's account.",
    )
    state = models.CharField(max_length=12, choices=RecordingState.choices, default=RecordingState.RECORDING)
    started_at = models.DateTimeField(default=timezone.now)
    stopped_at = models.DateTimeField(null=True, blank=True)
    planned_seconds = models.PositiveIntegerField()
    file = models.CharField(max_length=500, help_text="Path of the MP4, relative to RECORDER_ROOT.")
    size = models.BigIntegerField(default=0)
    duration = models.FloatField(null=True, blank=True)
    stopped_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    stop_reason = models.CharField(max_length=200, blank=True)
    failure = models.CharField(
        max_length=300, blank=True, help_text="Why no playable video could be made: one sentence, for people."
    )
    exit_code = models.IntegerField(null=True, blank=True)
    stderr_tail = models.TextField(blank=True)
    log_file = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self):
        return f"recording of {self.session.session_id}"

    @property
    def session_key(self) -> str:
        return self.session.session_id

    @property
    def path(self) -> Path:
        return Path(settings.RECORDER_ROOT) / self.file

    @property
    def parts_dir(self) -> Path:
        return self.path.with_suffix(".parts")

    @property
    def thumbnail_path(self) -> Path:
        return self.path.with_suffix(".jpg")

    @property
    def unit_name(self) -> str:
        return f"rec-{self.session.session_id}"

    @property
    def is_active(self) -> bool:
        return self.state in ACTIVE_STATES

    @property
    def file_missing(self) -> bool:
        """Finished with a video that is not on disk (removed outside MediaSuite)."""
        return self.state in PLAYABLE_STATES and not self.path.is_file()

    @property
    def playable(self) -> bool:
        """Finished with a video file on disk (what Download and the player need)."""
        return self.state in PLAYABLE_STATES and not self.file_missing

    @property
    def shown_state(self) -> str:
        """The state people see: a finished recording whose file is gone is `failed`."""
        return RecordingState.FAILED if self.file_missing else self.state

    @property
    def shown_failure(self) -> str:
        if self.file_missing:
            return "The video file is missing on the server (removed outside MediaSuite?); delete this entry."
        return self.failure

    def elapsed(self) -> float:
        end = self.stopped_at or timezone.now()
        return max(0.0, (end - self.started_at).total_seconds())


class Highlight(models.Model):
    """A moment marked during a recording; cut into a short clip by stream copy after the stop."""

    recording = models.ForeignKey(Recording, on_delete=models.CASCADE, related_name="highlights")
    offset = models.FloatField(help_text="Seconds from the start of the recording.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    clip = models.CharField(max_length=500, blank=True, help_text="Clip path, relative to RECORDER_ROOT.")
    clip_duration = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["recording", "offset"]

    def __str__(self):
        return f"highlight at {self.offset:.0f}s of {self.recording_id}"

    @property
    def clip_path(self) -> Path | None:
        return Path(settings.RECORDER_ROOT) / self.clip if self.clip else None


class ClubStorage(models.Model):
    """A club's retention and storage quota for recordings; blank fields use the server-wide settings."""

    club = models.OneToOneField("mediasuite.Club", on_delete=models.CASCADE, related_name="recording_storage")
    retention_days = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Videos older than this are removed (0 keeps all; blank: "
        "MEDIASUITE_RECORDER_RETENTION_DAYS).",
    )
    quota_gb = models.FloatField(
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text="Beyond this, the oldest videos are removed (0: no quota; "
        "blank: MEDIASUITE_RECORDER_CLUB_QUOTA_GB).",
    )

    class Meta:
        verbose_name = "club recording storage"
        verbose_name_plural = "club recording storage"

    def __str__(self):
        return f"storage of {self.club}"

    def days(self) -> int:
        return settings.RECORDER_RETENTION_DAYS if self.retention_days is None else self.retention_days

    def quota(self) -> float:
        return settings.RECORDER_CLUB_QUOTA_GB if self.quota_gb is None else self.quota_gb
