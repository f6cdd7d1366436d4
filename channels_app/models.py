"""Channels: a folder of videos played as one live HLS stream.

The playout cursor (current file, offset, when it started) lives on Channel so
that any process resumes where the stream was; the supervisor's Unit holds the
desired and actual process state.
"""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

from mediasuite import keys
from mediasuite.text import refuse_control_characters


class Mode(models.TextChoices):
    SERIES = "series", "Series (alphabetical, looping)"
    RANDOM = "random", "Random (no repeat window)"


class Delivery(models.TextChoices):
    COPY = "copy", "Stream copy"
    AUDIO = "audio", "Copy video, transcode audio"
    TRANSCODE = "transcode", "Transcode"
    SKIP = "skip", "Skipped"


class Trigger(models.TextChoices):
    MANUAL = "manual", "Manual"
    WATCHDOG = "watchdog", "Watchdog"
    CRASH = "crash", "Crash"
    CONFIG = "config", "Config change"
    END_OF_FILE = "end", "End of file"


MAX_NUMBER = 99999

NAME_VALIDATOR = RegexValidator(r"^[a-z0-9][a-z0-9_-]{0,63}$",
                                "A channel name is 1 to 64 lowercase letters, digits, '-' or '_'.")


class Channel(models.Model):
    name = models.CharField(max_length=64, unique=True, validators=[NAME_VALIDATOR])
    display_name = models.CharField(max_length=200, blank=True, validators=[refuse_control_characters])
    number = models.PositiveIntegerField(
        null=True, blank=True, unique=True, validators=[MinValueValidator(1), MaxValueValidator(MAX_NUMBER)],
        help_text="The channel number players and tuners show (tvg-chno, GuideNumber); given in order at "
                  "creation.")
    logo = models.URLField(blank=True, help_text="Image URL shown by players (tvg-logo), unless an image was "
                                                 "uploaded.", validators=[refuse_control_characters])
    logo_image = models.CharField(max_length=100, blank=True,
                                  help_text="The uploaded (or generated) logo's file in the logos folder.")
    group = models.CharField(max_length=100, blank=True, help_text="group-title in the M3U playlist.",
                             validators=[refuse_control_characters])
    folder = models.CharField(max_length=500, help_text="Folder of videos, relative to the channels root.",
                              validators=[refuse_control_characters])
    mode = models.CharField(max_length=10, choices=Mode.choices, default=Mode.RANDOM)
    unit = models.OneToOneField("mediasuite.Unit", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="channel")
    # Playout cursor: written by the playout process, read on every (re)start.
    current_file = models.ForeignKey("VideoFile", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    offset = models.FloatField(default=0.0, help_text="Seconds into the current file already published.")
    started_at = models.DateTimeField(null=True, blank=True,
                                      help_text="Wall-clock time at which the current file's 0 s played.")
    recent = models.JSONField(default=list, blank=True, help_text="Ids of the last files played (random).")
    plan = models.JSONField(default=list, blank=True,
                            help_text="Ids of the files a random channel plays next, in order (the guide's "
                                      "promise, kept by the playout).")
    # A restart asked for and not yet carried out by the playout process; `restart_pending` counts the
    # requests made before it was carried out, each of which is one restart (an operator pressing Restart
    # three times while the first is under way gets three).
    restart_requested_at = models.DateTimeField(null=True, blank=True)
    restart_pending = models.PositiveIntegerField(default=0)
    restart_trigger = models.CharField(max_length=10, choices=Trigger.choices, blank=True)
    restart_actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                      on_delete=models.SET_NULL, related_name="+")
    restart_file = models.ForeignKey("VideoFile", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    last_restart_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["number", "name"]

    def __str__(self):
        return self.display_name or self.name

    def get_absolute_url(self):
        return reverse("channel-page", args=[self.name])

    @property
    def title(self) -> str:
        return self.display_name or self.name


class VideoFile(models.Model):
    """One file of a channel's folder with what ffprobe said of it (probed once per size/mtime)."""

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="files")
    name = models.CharField(max_length=500, help_text="Path relative to the channel's folder.")
    size = models.BigIntegerField(default=0)
    mtime = models.FloatField(default=0.0)
    duration = models.FloatField(null=True, blank=True)
    video_codec = models.CharField(max_length=32, blank=True)
    audio_codec = models.CharField(max_length=32, blank=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    fps = models.FloatField(null=True, blank=True)
    sample_rate = models.PositiveIntegerField(null=True, blank=True)
    audio_channels = models.PositiveIntegerField(null=True, blank=True)
    keyframe_interval = models.FloatField(
        null=True, blank=True, help_text="Largest gap between two video key frames (s, first 2 min).")
    longest_segment = models.FloatField(
        null=True, blank=True, help_text="Longest HLS segment the file gives with its video copied (s).")
    probed_at = models.DateTimeField(null=True, blank=True)
    delivery = models.CharField(max_length=10, choices=Delivery.choices, default=Delivery.COPY)
    reason = models.CharField(max_length=300, blank=True,
                              help_text="Why the file is copied, transcoded or skipped.")
    present = models.BooleanField(default=True)

    class Meta:
        ordering = ["channel", "name"]
        constraints = [models.UniqueConstraint(fields=["channel", "name"], name="videofile_unique_name")]

    def __str__(self):
        return self.name

    @property
    def playable(self) -> bool:
        return self.present and self.delivery != Delivery.SKIP


class ViewerSession(models.Model):
    """A playback session: one per-viewer key handed out in a channel's playlist URL.

    kind `player` (an M3U client), `preview` (a dashboard card playing the channel) or `tuner` (a
    Plex/Jellyfin reading the channel's MPEG-TS through the HDHomeRun tuner: a viewer, holding a tuner).
    """

    PLAYER = "player"
    PREVIEW = "preview"
    TUNER = "tuner"

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="viewer_sessions")
    key = models.CharField(max_length=32, unique=True)
    kind = models.CharField(max_length=10, choices=[(PLAYER, "Player"), (PREVIEW, "Dashboard preview"),
                                                      (TUNER, "Tuner")])
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="+")
    started_at = models.DateTimeField(auto_now_add=True)
    last_seen = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["channel", "last_seen"])]

    def __str__(self):
        return f"{self.kind} {self.key[:6]}… on {self.channel_id}"


def new_key() -> str:
    return secrets.token_urlsafe(24)


class AccessToken(models.Model):
    """The per-user token that players put in playlist, guide and stream URLs (they cannot log in).

    `key` holds the token's digest, never the token (`mediasuite.keys`): the
    token is derived from the user and `created_at` under the secret key.
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="channel_token")
    key = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "channel access token"

    def __str__(self):
        return f"channel access token of {self.user}"

    def secret(self) -> str:
        """The token to put in URLs; "" for one stored before tokens were hashed (it works, unshowable)."""
        return keys.shown(PURPOSE, self.user_id, self.created_at, self.key)


PURPOSE = "channels"


def token_fields(user_id: int) -> dict:
    """`key` and `created_at` of a new token of `user_id`."""
    made_at = timezone.now()
    return {"key": keys.digest(keys.derive(PURPOSE, user_id, made_at)), "created_at": made_at}
