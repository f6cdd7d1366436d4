"""Supervised units: what should run, what runs, and who holds it."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class UnitState(models.TextChoices):
    STOPPED = "stopped"
    STARTING = "starting"
    RUNNING = "running"
    BACKOFF = "backoff"
    STOPPING = "stopping"
    FAILED = "failed"


class Desired(models.TextChoices):
    RUNNING = "running"
    STOPPED = "stopped"


class SupervisorNode(models.Model):
    """A `manage.py supervise` process; its heartbeat says the manager is alive."""

    name = models.CharField(max_length=128, unique=True)
    hostname = models.CharField(max_length=255)
    pid = models.IntegerField()
    started_at = models.DateTimeField(default=timezone.now)
    heartbeat_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self):
        return self.name


class Unit(models.Model):
    """A long-running child process that the supervisors keep in its desired state.

    `kind` names an entry of the unit registry (mediasuite.supervisor.registry),
    which knows how to build the command from `config`. The state columns are
    written by the supervisor only, through mediasuite.supervisor.transitions.
    """

    name = models.CharField(max_length=128, unique=True)
    kind = models.CharField(max_length=64)
    config = models.JSONField(default=dict, blank=True)
    desired = models.CharField(max_length=16, choices=Desired.choices, default=Desired.STOPPED)
    state = models.CharField(max_length=16, choices=UnitState.choices, default=UnitState.STOPPED)
    state_changed_at = models.DateTimeField(default=timezone.now)
    restart_requested_at = models.DateTimeField(null=True, blank=True)
    pid = models.IntegerField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    exit_code = models.IntegerField(null=True, blank=True)
    reason = models.TextField(blank=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    failure_times = models.JSONField(default=list, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    club = models.ForeignKey(
        "mediasuite.Club", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Lease(models.Model):
    """Ownership of one running unit by one supervisor node.

    The unique unit column is the guarantee that two supervisors never run
    the same unit: a claim is an INSERT, a takeover of a stale lease is a
    conditional UPDATE on the old holder and heartbeat.
    """

    unit = models.OneToOneField(Unit, on_delete=models.CASCADE, related_name="lease")
    node = models.CharField(max_length=128)
    pid = models.IntegerField(null=True, blank=True)
    proc_started_at = models.FloatField(null=True, blank=True)
    acquired_at = models.DateTimeField(default=timezone.now)
    heartbeat_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self):
        return f"{self.unit} held by {self.node}"
