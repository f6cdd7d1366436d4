"""Self-update jobs, the Discord notifier's cursor and the installation's identity."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class UpdateJob(models.Model):
    """One update of the installation to the latest commit of its tracked branch.

    `slot` is "active" while the job is unfinished and NULL afterwards: a unique
    column, so the database itself refuses a second unfinished job (NULLs do
    not collide). The job's log lines are Events (kind `update.log`).
    """

    class State(models.TextChoices):
        PENDING = "pending"
        PRECHECK = "precheck"
        BACKUP = "backup"
        FETCH = "fetch"
        RESET = "reset"
        RESTORE_CONFIG = "restore_config"
        INSTALL = "install"
        MIGRATE = "migrate"
        RESTARTING = "restarting"
        VERIFYING = "verifying"
        DONE = "done"
        ROLLING_BACK = "rolling_back"
        ROLLED_BACK = "rolled_back"
        FAILED = "failed"

    FINISHED = (State.DONE, State.ROLLED_BACK, State.FAILED)
    ACTIVE_SLOT = "active"

    state = models.CharField(max_length=16, choices=State.choices, default=State.PENDING)
    slot = models.CharField(max_length=8, null=True, blank=True, unique=True, default=ACTIVE_SLOT)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    branch = models.CharField(max_length=255, blank=True)
    from_commit = models.CharField(max_length=40, blank=True)
    to_commit = models.CharField(max_length=40, blank=True)
    message = models.CharField(max_length=500, blank=True)
    results = models.JSONField(default=list, blank=True)
    config_restored = models.BooleanField(default=False)
    bot_was_active = models.BooleanField(default=False)
    bot_restarted = models.BooleanField(default=False)
    service_restart = models.BooleanField(default=False)
    restart_method = models.CharField(max_length=32, blank=True)
    pid = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]

    def __str__(self):
        return f"update #{self.pk} ({self.state})"

    @property
    def finished(self) -> bool:
        return self.state in self.FINISHED


class NotifierCursor(models.Model):
    """The last event the Discord notifier has handled (one row, name "notifier")."""

    name = models.CharField(max_length=32, unique=True)
    last_event_id = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"{self.name} at event {self.last_event_id}"


class Installation(models.Model):
    """This installation's identity: one row (pk 1), created on first use (mediasuite.installation).

    Supervised processes carry `uid` in their environment, so that a supervisor
    only ever touches processes of its own installation, even when another one
    on the same host has the same unit and node names.
    """

    uid = models.CharField(max_length=32, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"installation {self.uid}"
