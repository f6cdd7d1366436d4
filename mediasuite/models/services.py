"""Background services with a desired state that survives restarts."""

from django.db import models
from django.utils import timezone


class ServiceState(models.Model):
    """The persisted state of one registered background service.

    `is_active` is the operator's wish; after any restart the services whose
    wish is active run again (mediasuite.services.control.restore).
    `runner`/`runner_until` are the lease of the one django-q2 task that runs a
    periodic service at a time (mediasuite.services.runner): a token and the
    moment it expires unless renewed.
    """

    name = models.CharField(max_length=64, unique=True)
    is_active = models.BooleanField(default=False)
    last_updated = models.DateTimeField(default=timezone.now)
    interval = models.PositiveIntegerField(default=120)
    last_check = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    counters = models.JSONField(default=dict, blank=True)
    runner = models.CharField(max_length=64, blank=True)
    runner_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class TrackPlay(models.Model):
    """One play read from Last.fm by the tracker service, stored once."""

    user = models.CharField(max_length=128)
    artist = models.CharField(max_length=255)
    track = models.CharField(max_length=255)
    album = models.CharField(max_length=255, blank=True)
    played_at = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-played_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "artist", "track", "played_at"], name="trackplay_unique_play"
            ),
        ]

    def __str__(self):
        return f"{self.artist} - {self.track} at {self.played_at:%Y-%m-%d %H:%M}"
