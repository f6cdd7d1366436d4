"""The TrailerEntry: for one movie (TMDB id) or series (TVDB id), its cached candidates or its locked trailer.

Only trailers/locks.py, trailers/search.py and trailers/download.py change
entries; this module holds the data and its invariants.
"""

from datetime import timedelta

from django.db import models
from django.utils import timezone


class MediaType(models.TextChoices):
    MOVIE = "movie"
    SERIES = "series"


class Status(models.TextChoices):
    LOCKED = "LOCKED"
    UNLOCKED = "UNLOCKED"  # candidates cached, none locked
    NONE = "NONE"  # nothing found, or never searched


class DownloadState(models.TextChoices):
    IDLE = "idle"
    QUEUED = "queued"
    DOWNLOADING = "downloading"
    DONE = "done"
    FAILED = "failed"


class TrailerEntry(models.Model):
    """The trailer state of one media, keyed by (media_type, external_id)."""

    media_type = models.CharField(max_length=10, choices=MediaType.choices)
    external_id = models.PositiveIntegerField(help_text="TMDB id of a movie, TVDB id of a series.")
    title = models.CharField(max_length=300, blank=True, help_text="What the YouTube search asks for.")
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NONE)

    locked_video_id = models.CharField(max_length=200, blank=True)
    locked_title = models.CharField(max_length=300, blank=True)
    locked_channel = models.CharField(max_length=200, blank=True)
    locked_duration = models.PositiveIntegerField(null=True, blank=True, help_text="Seconds.")
    locked_thumbnail = models.URLField(max_length=1000, blank=True)
    locked_url = models.URLField(max_length=1000, blank=True)
    locked_at = models.DateTimeField(null=True, blank=True)

    candidates = models.JSONField(default=list, blank=True,
                                  help_text="[{video_id, title, channel, duration, thumbnail, url, source}]")
    fetched_at = models.DateTimeField(null=True, blank=True, help_text="When the candidates were searched.")
    ttl = models.PositiveIntegerField(default=7 * 86400, help_text="Seconds the candidates stay fresh.")

    media_path = models.CharField(max_length=1000, blank=True,
                                  help_text="The media's folder in the library, when known.")
    download_state = models.CharField(max_length=12, choices=DownloadState.choices,
                                      default=DownloadState.IDLE)
    download_progress = models.FloatField(default=0)
    download_path = models.CharField(max_length=1000, blank=True)
    download_error = models.TextField(blank=True)

    extra = models.JSONField(default=dict, blank=True, help_text="Fields of the original system kept as is.")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["media_type", "external_id"]
        verbose_name_plural = "trailer entries"
        constraints = [
            models.UniqueConstraint(fields=["media_type", "external_id"], name="trailers_entry_media"),
            models.CheckConstraint(
                condition=~models.Q(status="LOCKED") | ~models.Q(locked_video_id=""),
                name="trailers_entry_locked_has_video",
                violation_error_message="A LOCKED entry needs its locked video.",
            ),
        ]

    def __str__(self):
        label = self.title or f"{self.media_type} {self.external_id}"
        return f"{label} ({self.year})" if self.year else label

    @property
    def fresh(self) -> bool:
        """Whether the cached candidates may be answered without searching again."""
        return self.fetched_at is not None and timezone.now() - self.fetched_at < timedelta(seconds=self.ttl)

    @property
    def locked_video(self) -> dict | None:
        if self.status != Status.LOCKED:
            return None
        return {"video_id": self.locked_video_id, "title": self.locked_title, "channel": self.locked_channel,
                "duration": self.locked_duration, "thumbnail": self.locked_thumbnail, "url": self.locked_url}
