"""The Torrent: one release sent to the seedbox, from the search to the library.

The state machine lives in seedbox/lifecycle.py (the only code that changes
`state`); this module holds the data and its invariants.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property


class State(models.TextChoices):
    QUEUED = "queued"
    SENT = "sent"
    DOWNLOADING = "downloading"
    REMOTE_COMPLETE = "remote_complete"
    TRANSFERRING = "transferring"
    TRANSFERRED = "transferred"
    IMPORT_PENDING = "import_pending"
    IMPORTING = "importing"
    IMPORTED = "imported"
    REMOTE_CLEANED = "remote_cleaned"
    IMPORT_BLOCKED = "import_blocked"
    FAILED = "failed"
    IGNORED = "ignored"


class MediaType(models.TextChoices):
    MOVIE = "movie"
    SERIES = "series"


class Torrent(models.Model):
    """A release on the seedbox, keyed by its infohash, for one movie (TMDB id) or series (TVDB id)."""

    infohash = models.CharField(max_length=40, unique=True, help_text="40 lowercase hex digits (BTIH v1).")
    name = models.CharField(max_length=500, blank=True)
    magnet = models.TextField(blank=True)
    torrent_file = models.BinaryField(null=True, blank=True, editable=False)
    label = models.CharField(max_length=100, blank=True)
    key = models.CharField(max_length=64, unique=True,
                           help_text="MediaSuite correlation key, stored in rTorrent as d.custom=mediasuite.")

    media_type = models.CharField(max_length=10, choices=MediaType.choices)
    tmdb_id = models.PositiveIntegerField(null=True, blank=True)
    tvdb_id = models.PositiveIntegerField(null=True, blank=True)
    title = models.CharField(max_length=300, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    season = models.PositiveSmallIntegerField(null=True, blank=True)

    state = models.CharField(max_length=20, choices=State.choices, default=State.QUEUED, db_index=True)
    state_changed_at = models.DateTimeField(default=timezone.now)
    reason = models.TextField(blank=True, help_text="Why the torrent is failed or import_blocked.")
    failed_from = models.CharField(max_length=20, blank=True, help_text="The state a retry goes back to.")
    attempts = models.PositiveIntegerField(default=0)
    next_retry_at = models.DateTimeField(null=True, blank=True)
    worker = models.CharField(max_length=200, blank=True, help_text="Who holds the current step.")
    heartbeat_at = models.DateTimeField(null=True, blank=True)

    size_bytes = models.BigIntegerField(default=0)
    left_bytes = models.BigIntegerField(default=0)
    down_rate = models.BigIntegerField(default=0)
    ratio = models.FloatField(default=0)
    remote_finished_at = models.DateTimeField(null=True, blank=True)
    base_path = models.CharField(max_length=1000, blank=True, help_text="Data path on the seedbox.")
    files = models.JSONField(default=list, blank=True, help_text="[{path, size}] as rTorrent lists them.")

    transferred_bytes = models.BigIntegerField(default=0)
    transfer_rate = models.BigIntegerField(default=0)
    bytes_freed = models.BigIntegerField(default=0)

    extra = models.JSONField(default=dict, blank=True, help_text="Fields of the original system kept as is.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(media_type="movie", tmdb_id__isnull=False)
                | models.Q(media_type="series", tvdb_id__isnull=False),
                name="seedbox_torrent_external_id",
                violation_error_message="A movie needs a tmdb_id, a series a tvdb_id.",
            ),
        ]

    def __str__(self):
        return self.name or self.infohash

    @property
    def remote_progress(self) -> float:
        if not self.size_bytes:
            return 0.0
        return round(100.0 * (self.size_bytes - self.left_bytes) / self.size_bytes, 1)

    @property
    def transfer_progress(self) -> float:
        if not self.size_bytes:
            return 0.0
        return round(min(100.0, 100.0 * self.transferred_bytes / self.size_bytes), 1)

    @cached_property
    def media(self) -> dict:
        """The media row the torrent is for, which other apps decorate (mediasuite/media.py)."""
        return {"media_type": self.media_type, "tmdb_id": self.tmdb_id, "tvdb_id": self.tvdb_id,
                "title": self.title, "year": self.year}
