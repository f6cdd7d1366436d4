"""Runs periodic services in django-q2 workers, at the granularity of seconds.

Why more than one django-q2 Schedule per service: django-q2's scheduler reads
the Schedule table about every 30 s (Sentinel.guard, hard-coded) and its
smallest repeat is one minute, so a Schedule alone can neither check every
10 s nor run a service promptly after a start or a restart. Therefore:

- start(), set_interval() and restore() enqueue a run at once (control.kick);
- a run first takes the service's lease (ServiceState.runner/runner_until, a
  conditional UPDATE, renewed every few seconds while it lives), so exactly
  one run works on a service at a time, whoever enqueued it;
- a run checks when due; when the next check is at most SLEEP_LIMIT away it
  waits for it in the worker, but never past WINDOW seconds from its start:
  then it hands over to a fresh task, so no task runs long (qcluster timeout,
  and a clean shutdown waits at most a window and one check);
- when the next check is further away, the run ends and sets the service's
  Schedule.next_run to that moment: the django-q2 scheduler fires it (within
  its 30 s poll), and no worker is held in between;
- the Schedule also is the watchdog: if a worker dies, it fires again and
  the next run takes the lease once it has expired (LEASE_TTL).

Cost: an active service whose interval is under SLEEP_LIMIT keeps one worker
slot busy (sleeping). Stopping: a clean qcluster stop (SIGTERM to its main
process) lets the current run finish its window, hand over (the successor
waits in the broker for the next start) and release the lease; a worker that
gets SIGTERM itself releases the lease at once; after a SIGKILL the next run
takes over once the lease has expired (LEASE_TTL). In every case a restarted
cluster resumes the service by itself (signals.py).
"""

import contextlib
import logging
import os
import signal
import threading
import time
import uuid
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_q.models import Schedule

from .. import events
from ..models import ServiceState
from . import registry
from .control import kick, schedule_name
from .status import status_of

logger = logging.getLogger("mediasuite.services")

SLEEP_LIMIT = 30.0  # waits up to this long happen in the worker; longer ones go back to the Schedule
WINDOW = 10.0  # a run hands over to a fresh task after this long (a clean qcluster stop waits for it)
LEASE_TTL = 20.0  # a lease not renewed for this long is free again (longer than one check may take)
RENEW_EVERY = 5.0
STEP = 0.25  # sleep granularity: how fast a run notices SIGTERM


class StopSignal:
    """Catch SIGTERM during a run so the lease is released before the worker dies as asked."""

    def __init__(self):
        self.requested = False
        self.previous = None

    def _handle(self, signum, frame):
        self.requested = True

    def __enter__(self):
        if threading.current_thread() is threading.main_thread():
            self.previous = signal.signal(signal.SIGTERM, self._handle)
        return self

    def __exit__(self, *exc):
        if self.previous is not None:
            signal.signal(signal.SIGTERM, self.previous)
            if self.requested:
                os.kill(os.getpid(), signal.SIGTERM)
        return False


def _claim_once(name: str, token: str) -> bool:
    now = timezone.now()
    free = Q(runner_until__isnull=True) | Q(runner_until__lt=now)
    return bool(ServiceState.objects.filter(free, name=name, is_active=True)
                .update(runner=token, runner_until=now + timedelta(seconds=LEASE_TTL)))


def claim(name: str, token: str, wait: bool = False) -> bool:
    """Take the lease of `name`; with `wait`, wait for a lease whose holder stopped renewing it."""
    if _claim_once(name, token):
        return True
    if not wait:
        return False
    lease = ServiceState.objects.filter(name=name)
    seen = lease.values_list("is_active", "runner", "runner_until").first()
    deadline = time.monotonic() + LEASE_TTL + 1
    while seen and seen[0] and time.monotonic() < deadline:
        time.sleep(0.5)
        if _claim_once(name, token):
            return True
        if lease.values_list("is_active", "runner", "runner_until").first() != seen:
            return False  # renewed or taken: a live run has it
    return False


def renew(name: str, token: str) -> bool:
    """Extend the lease; False when the service was stopped or the lease lost."""
    until = timezone.now() + timedelta(seconds=LEASE_TTL)
    return bool(ServiceState.objects.filter(name=name, runner=token, is_active=True)
                .update(runner_until=until))


def release(name: str, token: str):
    ServiceState.objects.filter(name=name, runner=token).update(runner="", runner_until=None)


def _next_due(state: ServiceState):
    if state.last_check is None:
        return timezone.now()
    return state.last_check + timedelta(seconds=state.interval)


def _sleep(name: str, token: str, seconds: float, stop: StopSignal) -> bool:
    """Sleep while renewing the lease; False when the run must end (SIGTERM, stopped, lease lost)."""
    end = time.monotonic() + seconds
    renewed = time.monotonic()
    while not stop.requested:
        left = end - time.monotonic()
        if left <= 0:
            return True
        time.sleep(min(STEP, left))
        if time.monotonic() - renewed >= RENEW_EVERY:
            if not renew(name, token):
                return False
            renewed = time.monotonic()
    return False


def check_once(service: registry.Service, token: str) -> bool:
    """Run one check and save what it reports; False when the lease was lost meanwhile."""
    state = ServiceState.objects.get(name=service.name)
    started = timezone.now()
    try:
        report = service.check_function()(state)
    except Exception as exc:
        logger.exception("The check of service %s failed.", service.name)
        report = registry.Report(error=f"The check failed unexpectedly: {type(exc).__name__}: {exc}")
    with transaction.atomic():
        locked = ServiceState.objects.select_for_update().get(name=service.name)
        if locked.runner != token:
            return False
        error = report.error
        if report.write is not None:
            try:
                with transaction.atomic():
                    report.write()
            except Exception as exc:
                logger.exception("Saving the results of service %s failed.", service.name)
                error = f"Saving the results failed: {type(exc).__name__}: {exc}"
                report = registry.Report(error=error)
        counters = dict(locked.counters or {})
        for key, value in report.counters.items():
            counters[key] = counters.get(key, 0) + value
        changed = counters != locked.counters or error != locked.last_error
        locked.counters = counters
        locked.last_error = error[:2000]
        locked.last_check = started
        locked.save(update_fields=["counters", "last_error", "last_check"])
        if error and error != state.last_error:
            logger.warning("Service %s: %s", service.name, error)
        if changed:
            # Only checks that found something or changed the error make an event: idle
            # checks every few seconds would drown the history.
            events.record("service.checked", ("service", service.name),
                          message=f"Service {service.label}: {error or 'check done'}"[:500],
                          payload=status_of(service, locked))
    return True


def run(name: str, wait: bool = False) -> str:
    """One run of a periodic service (the body of the django-q2 task); returns what it did."""
    try:
        service = registry.get(name)
    except LookupError as exc:
        logger.warning("%s Nothing to run.", exc)
        return "unknown"
    if service.kind != registry.PERIODIC:
        return "not periodic"
    token = uuid.uuid4().hex
    if not claim(name, token, wait):
        return "busy or stopped"
    checks = 0
    handoff = False
    with StopSignal() as stop:
        started = time.monotonic()
        try:
            while not stop.requested:
                state = ServiceState.objects.filter(name=name, runner=token, is_active=True).first()
                if state is None:
                    break
                wait_s = (_next_due(state) - timezone.now()).total_seconds()
                if wait_s > SLEEP_LIMIT:
                    Schedule.objects.filter(name=schedule_name(name)).update(next_run=_next_due(state))
                    break
                left = WINDOW - (time.monotonic() - started)
                if left <= 0:
                    handoff = True
                    break
                if wait_s <= 0:
                    if not renew(name, token) or not check_once(service, token):
                        break
                    checks += 1
                    continue
                if not _sleep(name, token, min(wait_s, left), stop):
                    break
        finally:
            with contextlib.suppress(Exception):
                release(name, token)
        if handoff and not stop.requested:
            kick(name)
    return f"{checks} check(s)" + (", handed over" if handoff else "")
