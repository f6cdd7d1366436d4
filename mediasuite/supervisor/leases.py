"""Leases: which supervisor node runs which unit (DESIGN.md, Ownership).

The unique `unit` column of Lease makes a claim an INSERT that only one node
wins. A stale lease (not renewed within SUPERVISOR_LEASE_TTL) is taken over by
a conditional UPDATE on the old holder and heartbeat: compare-and-set, so two
nodes racing for it cannot both win. A lease of this very node name whose
holder process is dead (this supervisor was restarted) is taken at once.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from ..models import Lease
from .procs import START_TIME_SLACK, is_alive


@dataclass(frozen=True)
class Holder:
    node: str
    pid: int
    proc_started_at: float

    def owns(self, lease: Lease | None) -> bool:
        return (lease is not None and lease.node == self.node and lease.pid == self.pid
                and lease.proc_started_at is not None
                and abs(lease.proc_started_at - self.proc_started_at) < START_TIME_SLACK)


def stale_before():
    return timezone.now() - timedelta(seconds=settings.SUPERVISOR_LEASE_TTL)


def takeable(holder: Holder, lease: Lease) -> bool:
    """Whether `holder` may take `lease` over now."""
    if holder.owns(lease):
        return False
    if lease.node == holder.node and not is_alive(lease.pid, lease.proc_started_at):
        return True  # our own node name, previous process dead: this supervisor was restarted
    return lease.heartbeat_at < stale_before()


def claim(holder: Holder, unit, lease: Lease | None) -> bool:
    """Try to hold `unit`; `lease` is its current lease as read (None: none seen)."""
    now = timezone.now()
    if lease is None:
        try:
            with transaction.atomic():
                Lease.objects.create(unit_id=unit.pk, node=holder.node, pid=holder.pid,
                                     proc_started_at=holder.proc_started_at,
                                     acquired_at=now, heartbeat_at=now)
            return True
        except IntegrityError:
            return False  # another node inserted first
    if holder.owns(lease):
        return True
    if not takeable(holder, lease):
        return False
    won = Lease.objects.filter(pk=lease.pk, node=lease.node, pid=lease.pid,
                               heartbeat_at=lease.heartbeat_at).update(
        node=holder.node, pid=holder.pid, proc_started_at=holder.proc_started_at,
        acquired_at=now, heartbeat_at=now)
    return won == 1


def mine(holder: Holder):
    return Lease.objects.filter(node=holder.node, pid=holder.pid,
                                proc_started_at__gte=holder.proc_started_at - START_TIME_SLACK,
                                proc_started_at__lte=holder.proc_started_at + START_TIME_SLACK)


def renew(holder: Holder) -> set[int]:
    """Beat every lease this process holds; returns the ids of the units it still holds."""
    leases = mine(holder)
    leases.update(heartbeat_at=timezone.now())
    return set(leases.values_list("unit_id", flat=True))


def release(holder: Holder, unit_id: int):
    mine(holder).filter(unit_id=unit_id).delete()


def release_all(holder: Holder):
    mine(holder).delete()
