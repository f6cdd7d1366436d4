"""A supervisor that comes back adopts the live unit processes its node left behind.

A supervisor killed with -9 (or crashed) leaves its children running: they
run in sessions of their own. Its successor on the same node takes over each
one that is still the unit's process and still wanted, instead of ending it:
a channel host (and every channel in it), a recording, a camera proxy go on
as if nothing happened (same pid, state kept, stop still works). Adopted: a
session leader tagged with this installation and this node, whose supervisor
is dead, that is the pid the unit row names, of a unit desired running and
starting or running, whose lease this node can take (its own, of a dead
holder, or none). Everything else its supervisor left is ended as before
(supervisor.procs.end), so no orphan survives either way.

An adopted process is not this process's child: its end is seen by its pid
and start time, its exit code is unknown.
"""

import logging

import psutil

from .. import events
from ..models import Desired, Lease, Unit, UnitState
from . import leases, procs, registry

log = logging.getLogger("mediasuite.supervisor")


def candidates(installation: str, node: str) -> list[procs.Tagged]:
    """The unit processes (session leaders) this node's dead supervisors left."""
    return [item for item in procs.tagged_processes(installation)
            if item.pid == item.pgid and item.node == node and not procs.tag_is_alive(item.supervisor)]


def adopt(holder: leases.Holder, installation: str) -> list[procs.Adopted]:
    """Take over the live processes of units this node can hold again; returns them as children."""
    adopted = []
    for item in candidates(installation, holder.node):
        child = _adopt_one(holder, item)
        if child is not None:
            adopted.append(child)
    return adopted


def _adopt_one(holder: leases.Holder, item: procs.Tagged) -> procs.Adopted | None:
    unit = (Unit.objects.select_related("lease", "club", "owner")
            .filter(name=item.unit, pid=item.pid, desired=Desired.RUNNING,
                    state__in=(UnitState.STARTING, UnitState.RUNNING)).first())
    if unit is None:
        return None
    try:
        kind = registry.get(unit.kind)
    except LookupError:
        return None
    if kind.run is not None:
        return None  # a thread of a host that is gone: nothing to adopt
    try:
        lease = unit.lease
    except Lease.DoesNotExist:
        lease = None
    if lease is not None and lease.node != holder.node:
        return None
    try:
        started = psutil.Process(item.pid).create_time()
    except psutil.Error:
        return None
    if not leases.claim(holder, unit, lease):
        return None
    log_path = str(kind.log_path(unit))
    message = (f"Unit {unit.name} (pid {item.pid}) adopted by supervisor node {holder.node} "
               f"(pid {holder.pid}): its supervisor {item.supervisor} is gone, the process goes on")
    log.warning("%s.", message)
    events.record("unit.adopted", unit, club=unit.club, owner=unit.owner, message=message,
                  payload={"pid": item.pid, "node": holder.node, "previous_supervisor": item.supervisor,
                           "state": unit.state})
    procs.note(log_path, message)
    return procs.Adopted(unit_id=unit.pk, name=unit.name, pid=item.pid, log_path=log_path, started=started,
                         marked_running=unit.state == UnitState.RUNNING,
                         had_failures=unit.consecutive_failures > 0, unit=unit)
