"""The library's own data: each operator's chosen Plex view, the archive history, bulk jobs.

What is in Plex, Sonarr and Radarr stays there; MediaSuite keeps only what
they do not: who archived what and with which watched state, and the
progress of the bulk jobs.
"""

from django.conf import settings
from django.db import models


class Preference(models.Model):
    """The Plex user and libraries an operator last looked at (the page opens on them)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="library_preference")
    plex_user = models.BigIntegerField(null=True, blank=True)
    libraries = models.JSONField(default=list, blank=True)

    def __str__(self):
        return f"{self.user}: Plex user {self.plex_user}, libraries {self.libraries or 'all'}"


class Action(models.TextChoices):
    ARCHIVE = "archive", "archived"
    REJECT = "reject", "rejected"
    MOVE = "move", "moved"
    DELETE = "delete", "deleted from Plex"


class ArchiveRecord(models.Model):
    """One media taken out of the library (archived, rejected, moved or deleted), kept for the history."""

    action = models.CharField(max_length=10, choices=Action.choices)
    media_type = models.CharField(max_length=10)  # movie | series
    title = models.CharField(max_length=300)
    year = models.IntegerField(null=True, blank=True)
    tmdb_id = models.IntegerField(null=True, blank=True)
    tvdb_id = models.IntegerField(null=True, blank=True)
    rating_key = models.BigIntegerField()
    library = models.CharField(max_length=200, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    watched = models.JSONField(default=list, blank=True,
                               help_text="Each Plex user's watched state then (per season for a show).")
    deleted_files = models.JSONField(default=list, blank=True)
    removed_folders = models.JSONField(default=list, blank=True)
    freed_bytes = models.BigIntegerField(default=0)
    detail = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["title"])]

    def __str__(self):
        return f"{self.title} ({self.get_action_display()})"


class BulkState(models.TextChoices):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"


class BulkJob(models.Model):
    """Several rows archived, moved or deleted in the background, each item reported ok or failed."""

    action = models.CharField(max_length=10, choices=Action.choices)
    options = models.JSONField(default=dict, blank=True)
    plex_user = models.BigIntegerField(null=True, blank=True)
    rating_keys = models.JSONField(default=list)
    state = models.CharField(max_length=10, choices=BulkState.choices, default=BulkState.QUEUED)
    done = models.IntegerField(default=0)
    report = models.JSONField(default=list, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.get_action_display()} of {len(self.rating_keys)} item(s): {self.state}"

    @property
    def total(self) -> int:
        return len(self.rating_keys)
