"""The event log: history of every state change and the feed of live pages."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Event(models.Model):
    """One state change, written by a domain function in the same transaction.

    `club` and `owner` decide who may see it (mediasuite.policies.events):
    an event with neither is an operator event, seen by SUPER_ADMIN only.
    """

    kind = models.CharField(max_length=64, db_index=True)
    subject_type = models.CharField(max_length=64)
    subject_id = models.CharField(max_length=128)
    club = models.ForeignKey(
        "mediasuite.Club", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    message = models.CharField(max_length=500, blank=True)
    payload = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["subject_type", "subject_id", "id"])]

    def __str__(self):
        return f"#{self.pk} {self.kind} {self.subject_type}:{self.subject_id}"
