"""The reconcile loop of `manage.py supervise`, as step methods (healthchecks' habit).

Each tick: beat (node heartbeat, renew leases, drop what we lost), reap
(children that exited), watch (starting -> running, progress checks, forget
old failures), reconcile (read desired state from the database and act),
host (keep the node's unit host wanted, see hosted.py), sweep (end processes
left by dead supervisors). Memory only remembers which processes this
supervisor runs; what should run always comes from the database. At start it
adopts the live unit processes its node left (adoption.py) and ends the rest.

`--host` runs the same loop as the node's unit host: only the hosted kinds,
each unit a thread of this process (hosted.py), no node row, no sweep.

Every process it ends that is not its own child on request (a stray, a
leftover, a child whose lease is lost) is reported in the unit's event
(kind "unit.killed") and log file, naming this node and the reason.
"""

import contextlib
import logging
import os
import signal
import socket
import time

import psutil
from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection
from django.db.models import Q
from django.utils import timezone

from .. import events
from ..installation import installation_id
from ..models import Desired, Lease, SupervisorNode, Unit, UnitState
from . import adoption, control, hosted, leases, procs, registry, transitions
from .leases import Holder

log = logging.getLogger("mediasuite.supervisor")

STRAY_WAIT = 2.0  # how long a start waits for a killed stray of the same unit to be gone


class Supervisor:
    def __init__(self, node: str, host: bool = False):
        me = psutil.Process()
        self.node = node
        self.host = host
        self.holder = Holder(node, me.pid, me.create_time())
        self.tag = procs.process_tag(me)
        self.installation = ""  # read from the database by run()
        self.children: dict[int, procs.Child] = {}
        self.held: set[int] = set()
        self.stop_requested = False
        self.last_sweep = time.monotonic()
        self.last_renewed = time.monotonic()
        self._tagged: list[procs.Tagged] | None = None  # this tick's look at the host's processes
        self.waiting: list[hosted.Threaded] = []  # hosted units launched in this tick, to begin at its end

    # -- life cycle -------------------------------------------------------

    def run(self):
        registry.load()
        self.installation = installation_id()
        if self.host:
            hosted.serve_logs()
        else:
            self.register_node()
            self.adopt()
            if self.end_leftovers():
                log.warning("Ended the process(es) left by a previous supervisor; their units start again "
                            "if their desired state is running.")
        log.info("%s %s (pid %s, installation %s) is up; tick %.2fs, lease TTL %.1fs.",
                 "Unit host of node" if self.host else "Supervisor node", self.node, self.holder.pid,
                 self.installation, settings.SUPERVISOR_TICK, settings.SUPERVISOR_LEASE_TTL)
        while not self.stop_requested:
            self.tick()
            time.sleep(settings.SUPERVISOR_TICK)  # a stop signal is seen one tick later at most
        self.shutdown()

    def request_stop(self, *_):
        """The SIGTERM/SIGINT handler sets a flag and nothing else: it runs between two bytecodes of the
        loop, and one that took a lock (an Event's) which the loop held at that moment would hang the
        supervisor, its leases never released."""
        self.stop_requested = True

    def tick(self):
        self._tagged = None
        steps = (self.fence, self.beat, self.reap, self.watch)
        if not self.host:
            steps += (self.ensure_host,)  # before reconcile: a host wanted now starts in this tick
        steps += (self.reconcile, self.begin_waiting)
        if not self.host:
            steps += (self.sweep,)
        for step in steps:
            try:
                if self.host:
                    hosted.touch(self.node)  # the supervisor's progress check of this host
                step()
            except DatabaseError as exc:
                log.error("Database error in the supervisor loop (%s): %s. Retrying next tick; if this "
                          "repeats, check DATABASE_URL and that the database server is up.",
                          step.__name__, exc)
                connection.close()
                return
            except Exception:
                log.exception("Unexpected error in the supervisor step %s; carrying on.", step.__name__)
        close_old_connections()

    def register_node(self):
        SupervisorNode.objects.update_or_create(name=self.node, defaults={
            "hostname": socket.gethostname(), "pid": self.holder.pid,
            "started_at": timezone.now(), "heartbeat_at": timezone.now()})

    def shutdown(self):
        """Stop every child cleanly, release the leases; desired states stay as they are."""
        log.info("Supervisor node %s stopping its %d unit process(es).", self.node, len(self.children))
        children = list(self.children.values())
        for child in children:
            if child.stop_deadline is None and child.unit_id in self.held:
                self._safe(transitions.stopping, child.unit_id, self.holder, "supervisor shutting down")
        codes = procs.stop_all(children, on_wait=lambda: self._safe(self.renew))
        for child in children:
            if child.then != "lost" and child.unit_id in self.held:
                self._safe(transitions.stopped, child.unit_id, self.holder,
                           "supervisor shut down; the unit starts again with the next supervisor "
                           "if its desired state is running", codes.get(child.unit_id))
        self.children.clear()
        self._safe(leases.release_all, self.holder)
        if not self.host:
            self._safe(lambda: SupervisorNode.objects.filter(name=self.node, pid=self.holder.pid).delete())
        log.info("%s %s stopped.", "Unit host of node" if self.host else "Supervisor node", self.node)

    def report_kill(self, name: str, pid: int, why: str, log_path: str | None = None):
        """Say who ended process `pid` of unit `name` and why: in the unit's event, its log and ours."""
        message = f"Process {pid} of unit {name} ended by supervisor node {self.node}: {why}."
        log.warning(message)
        unit = None
        try:
            unit = Unit.objects.select_related("club", "owner").filter(name=name).first()
            if unit is not None:
                events.record("unit.killed", unit, club=unit.club, owner=unit.owner, message=message,
                              payload={"pid": pid, "node": self.node, "supervisor": self.tag,
                                       "reason": why})
        except DatabaseError as exc:
            log.error("Could not record the end of process %s of unit %s in the database: %s.",
                      pid, name, exc)
        if log_path is None and unit is not None:
            with contextlib.suppress(LookupError):
                log_path = registry.get(unit.kind).log_path(unit)
        if log_path:
            procs.note(log_path, message)

    def adopt(self):
        """Take over the live unit processes a previous supervisor of this node left (adoption.py)."""
        for child in adoption.adopt(self.holder, self.installation):
            self.children[child.unit_id] = child
            self.held.add(child.unit_id)

    def end_leftovers(self, timeout: float | None = None) -> int:
        """End this installation's processes whose supervisor is gone (but adopted ones); how many."""
        ended = procs.end(procs.leftovers(self.installation, {c.pid for c in self.children.values()}),
                          timeout=timeout)
        for item in ended:
            self.report_kill(item.unit, item.pid, f"its supervisor {item.supervisor} (node "
                             f"{item.node or '?'}) is gone; the unit starts again if its desired state "
                             "is running")
        return len(ended)

    def _safe(self, func, *args):
        try:
            return func(*args)
        except Exception:
            log.exception("Supervisor shutdown step failed; carrying on.")
            return None

    # -- steps ------------------------------------------------------------

    def fence(self):
        """Kill every child when the leases could not be renewed for most of their TTL.

        Another node may take a lease over once it is TTL old; killing at 60 % of
        it means the two never run the same unit, even when this node lost the
        database or was frozen.
        """
        silent = time.monotonic() - self.last_renewed
        if silent < 0.6 * settings.SUPERVISOR_LEASE_TTL:
            return
        doomed = [c for c in self.children.values() if c.then != "lost" and c.running()]
        if doomed:
            log.error("Could not renew the unit leases for %.1fs (is the database reachable?); killing %d "
                      "unit process(es) so that another node can take them over without running them "
                      "twice. They start again once the database answers.", silent, len(doomed))
        for child in doomed:
            child.then = "lost"
            procs.kill_now(child)
        for child in doomed:  # after every kill: reporting may wait on the database
            self.report_kill(child.name, child.pid, f"its lease could not be renewed for {silent:.1f}s (is "
                             "the database reachable?), so another node may take the unit over",
                             child.log_path)

    def renew(self):
        self.held = leases.renew(self.holder)
        self.last_renewed = time.monotonic()

    def beat(self):
        now = timezone.now()
        if not self.host and not SupervisorNode.objects.filter(name=self.node).update(
                heartbeat_at=now, pid=self.holder.pid):
            self.register_node()
        self.renew()
        for child in self.children.values():
            if child.unit_id not in self.held and child.then != "lost":
                child.then = "lost"
                if child.running():  # else already ended (by the node that took it over)
                    procs.kill_now(child)
                    self.report_kill(child.name, child.pid, self.lost_because(child), child.log_path)

    def lost_because(self, child: procs.Child) -> str:
        taker = Lease.objects.filter(unit_id=child.unit_id).values_list("node", flat=True).first()
        if taker is None:
            return "its unit was deleted or its lease released"
        return (f"its lease moved to node {taker} (this node did not renew it within "
                f"{settings.SUPERVISOR_LEASE_TTL}s), so that the unit never runs twice")

    def reap(self):
        for unit_id, child in list(self.children.items()):
            over = procs.advance_stop(child) if child.stop_deadline is not None else not child.running()
            if not over:
                continue
            del self.children[unit_id]
            self.exited(child, child.exit_code)

    def exited(self, child: procs.Child, code: int | None):
        how = procs.describe_exit(code)
        if child.then == "lost":
            return
        self._on_exit(child, code)
        if child.then == "stop":
            transitions.stopped(child.unit_id, self.holder, f"stopped on request ({how})", code)
            leases.release(self.holder, child.unit_id)
        elif child.then == "restart":
            unit = Unit.objects.filter(pk=child.unit_id).first()
            if unit is not None:
                self.launch(unit, f"restart requested (previous process {how})")
        else:
            tail = procs.log_tail(child.log_path)
            cause = child.reason if child.then == "stuck" else f"{how}"
            reason = f"{cause}. Last lines of {child.log_path}:\n{tail}" if tail else cause
            unit = transitions.failure(child.unit_id, self.holder, reason, code)
            if unit is None:
                return
            if unit.state == UnitState.FAILED:
                log.error("Unit %s failed %d times within %ss (%s); still retrying every %ss. Read %s, fix "
                          "the cause, then restart it from the admin or the API.", unit.name,
                          len(unit.failure_times), settings.SUPERVISOR_FAILURE_WINDOW, cause,
                          settings.SUPERVISOR_BACKOFF_CAP, child.log_path)
            else:
                log.warning("Unit %s %s; starting it again at %s. Its log is %s.", unit.name, cause,
                            unit.next_attempt_at.isoformat(timespec="seconds"), child.log_path)

    def _on_exit(self, child, code):
        unit = Unit.objects.filter(pk=child.unit_id).first()
        if unit is None:
            return
        try:
            kind = registry.get(unit.kind)
            if kind.on_exit:
                kind.on_exit(unit, code, child.then in ("stop", "restart", "shutdown"))
        except Exception:
            log.exception("The on_exit hook of unit %s (kind %s) failed.", unit.name, unit.kind)

    def watch(self):
        now = time.time()
        for child in list(self.children.values()):
            if child.stop_deadline is not None or not child.running():
                continue
            age = now - child.started
            if not child.marked_running and age >= settings.SUPERVISOR_START_SECONDS:
                child.marked_running = True
                transitions.running(child.unit_id, self.holder)
            if child.marked_running and child.had_failures and age >= settings.SUPERVISOR_HEALTHY_AFTER:
                child.had_failures = False
                transitions.forget_failures(child.unit_id, self.holder)
            self._check_progress(child)

    def _check_progress(self, child):
        unit = child.unit
        try:
            kind = registry.get(unit.kind)
            stuck = kind.progress(unit, child) if kind.progress else None
        except Exception:
            log.exception("The progress check of unit %s (kind %s) failed.", unit.name, unit.kind)
            return
        if stuck:
            log.warning("Unit %s is alive but %s; stopping it and counting a failure.", unit.name, stuck)
            transitions.stopping(child.unit_id, self.holder, stuck)
            procs.begin_stop(child, "stuck", stuck)

    def reconcile(self):
        stale = leases.stale_before()
        rows = Unit.objects.select_related("lease").filter(
            Q(lease__node=self.node) | Q(lease__heartbeat_at__lt=stale)
            | Q(lease__isnull=True) & (Q(desired=Desired.RUNNING) | ~Q(state=UnitState.STOPPED))
        )
        if self.host:
            rows = rows.filter(kind__in=registry.hosted())
        else:  # the hosted kinds are the hosts'; a node's host is its own supervisor's
            rows = rows.exclude(kind__in=registry.hosted()).exclude(
                Q(kind=hosted.KIND) & ~Q(name=hosted.unit_name(self.node)))
        ours = []
        for unit in rows:
            try:
                lease = unit.lease
            except Lease.DoesNotExist:
                lease = None
            child = self.children.get(unit.pk)
            if child is not None:
                child.unit = unit
            if not self.holder.owns(lease):
                if child is not None or not leases.claim(self.holder, unit, lease):
                    continue
                self.held.add(unit.pk)
            ours.append((unit, child))
        for unit, child in ours:
            self.act(unit, child)

    def clear_strays(self, unit: Unit) -> bool:
        """End this host's processes of `unit` run by another supervisor; True once none is left.

        Their supervisor lost the lease (it stopped beating: frozen, or cut off
        from the database); it fences itself when it can, this makes sure on
        this host before the unit is started here, so two processes of one
        unit never overlap.
        """
        if self._tagged is None:  # one look per tick, however many units start in it
            self._tagged = procs.tagged_processes(self.installation)
        strays = [item for item in self._tagged if item.unit == unit.name and item.supervisor != self.tag]
        for item in strays:
            procs.signal_group(item.pgid, signal.SIGKILL)
            self.report_kill(item.unit, item.pid, f"its lease moved to node {self.node} from supervisor "
                             f"{item.supervisor} of node {item.node or '?'}, which did not renew it")
        deadline = time.monotonic() + STRAY_WAIT
        while any(procs.is_alive(item.pid) for item in strays):
            if time.monotonic() >= deadline:
                log.error("A process of unit %s outlived SIGKILL; not starting the unit until it is gone.",
                          unit.name)
                return False
            time.sleep(0.02)
        return True

    def act(self, unit: Unit, child):
        if unit.desired == Desired.STOPPED:
            if child is not None:
                if child.stop_deadline is None:
                    transitions.stopping(unit.pk, self.holder, "stop requested")
                    procs.begin_stop(child, "stop")
            else:
                if unit.state != UnitState.STOPPED:
                    transitions.stopped(unit.pk, self.holder, "stopped: desired state is stopped")
                leases.release(self.holder, unit.pk)
            return
        if child is not None:
            if unit.restart_requested_at is not None and child.stop_deadline is None \
                    and unit.restart_requested_at.timestamp() > child.started:
                transitions.stopping(unit.pk, self.holder, "restart requested")
                procs.begin_stop(child, "restart")
            return
        if unit.state in (UnitState.BACKOFF, UnitState.FAILED) and unit.next_attempt_at \
                and unit.next_attempt_at > timezone.now():
            return
        if unit.state in (UnitState.BACKOFF, UnitState.FAILED):
            reason = f"retry after {unit.consecutive_failures} failure(s)"
        elif unit.state == UnitState.STOPPED:
            reason = "start requested"
        else:
            reason = f"restored: it was {unit.state} under a supervisor that is gone"
        if not self.remove_orphan(unit):
            self.launch(unit, reason)

    def remove_orphan(self, unit: Unit) -> bool:
        """Delete `unit` instead of starting it when its kind says the row it works for is gone."""
        try:
            kind = registry.get(unit.kind)
            gone = kind.orphaned(unit) if kind.orphaned else None
        except Exception:
            log.exception("The orphan check of unit %s (kind %s) failed; starting it anyway.", unit.name,
                          unit.kind)
            return False
        if not gone:
            return False
        log.warning("Removing unit %s instead of starting it: %s.", unit.name, gone)
        control.delete(None, unit, gone)
        self.held.discard(unit.pk)
        return True

    def launch(self, unit: Unit, reason: str):
        if not self.clear_strays(unit):
            return  # tried again next tick
        try:
            kind = registry.get(unit.kind)
            if kind.prepare:
                kind.prepare(unit)
            start = hosted.create if kind.run is not None else procs.spawn
            child = start(unit, kind, self.installation, self.node, self.tag)
        except Exception as exc:
            log.error("Cannot start unit %s (kind %s): %s. Check that the app declaring the kind is "
                      "installed and its program is on PATH.", unit.name, unit.kind, exc)
            transitions.failure(unit.pk, self.holder, f"could not start: {exc}")
            return
        child.unit = unit
        child.had_failures = unit.consecutive_failures > 0
        self.children[unit.pk] = child
        if transitions.starting(unit.pk, self.holder, child.pid, reason) is None:
            child.then = "lost"
            procs.kill_now(child)
            self.report_kill(unit.name, child.pid, "the unit was deleted or changed hands while it started",
                             child.log_path)
        else:
            if isinstance(child, hosted.Threaded):
                self.waiting.append(child)
            log.info("Unit %s started as pid %s (%s).", unit.name, child.pid, reason)

    def begin_waiting(self):
        """Begin the threads of the hosted units launched in this tick, now that its database work is done.

        Begun one by one as launched, 80 new channels' own queries slowed the
        tick's down to 8 s on SQLite, long enough to look frozen.
        """
        waiting, self.waiting = self.waiting, []
        for child in waiting:
            child.begin()

    def ensure_host(self):
        """This node's unit host runs while a hosted unit wants to run or has yet to be stopped."""
        kinds = registry.hosted()
        if kinds:
            hosted.ensure(self.node, Unit.objects.filter(kind__in=kinds).filter(
                Q(desired=Desired.RUNNING) | ~Q(state=UnitState.STOPPED)).exists())

    def sweep(self):
        if time.monotonic() - self.last_sweep < settings.SUPERVISOR_SWEEP_EVERY:
            return
        self.last_sweep = time.monotonic()
        self.end_leftovers(timeout=2.0)


def default_node_name() -> str:
    return settings.NODE_NAME or socket.gethostname() or f"node-{os.getpid()}"

