"""The connections of the integrations as Settings → Connections saved them (mediasuite/config.py)."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Connection(models.Model):
    """The saved fields of one integration (`sonarr`, `rtorrent`, ...) and the outcome of its last test.

    `values` maps a field's setting name to its text; a secret's text is a
    Fernet token (mediasuite/vault.py), never the secret itself. A variable
    set in the environment wins over what is saved here.
    """

    name = models.CharField(max_length=64, unique=True)
    values = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    tested_at = models.DateTimeField(null=True, blank=True)
    test_ok = models.BooleanField(null=True)
    test_message = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class SettingsRevision(models.Model):
    """One row given a new random token by every saved change: a process reloads its cache when it differs.

    Random rather than counted, so that a database restored from a backup
    never repeats a revision some process has cached with other values.
    """

    token = models.CharField(max_length=32, blank=True)

    def __str__(self):
        return f"revision {self.token}"
