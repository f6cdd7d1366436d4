"""The domain module of background services: the only code that starts and stops them.

    start(actor, name) / stop(actor, name)   -> ServiceState
    set_interval(actor, name, seconds)       -> ServiceState
    status(name) / status_all()              (re-exported from .status)
    restore()                                 make the world match ServiceState; run at worker start

Each change persists the wish (ServiceState.is_active), the means (the django-q2
Schedule of a periodic service, or the desired state of a supervised unit) and
an Event in one transaction. `actor=None` is the system itself; a user actor
is checked against the ServiceState policy ("change").
"""

import logging
import math
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django_q.models import Schedule

from .. import events
from ..models import Desired, ServiceState
from ..policies import policy_for
from ..supervisor import control as supervisor
from . import registry
from .status import default_state, status, status_all, status_of

__all__ = ["ensure_states", "kick", "restore", "set_interval", "start", "status", "status_all", "stop"]

logger = logging.getLogger("mediasuite.services")

RUN_TASK = "mediasuite.services.tasks.run_service"
MAX_INTERVAL = 86400


def schedule_name(name: str) -> str:
    return f"mediasuite.service:{name}"


def _check(actor):
    if actor is not None and not policy_for(ServiceState).allows(actor, "change"):
        raise PermissionDenied("Only a super admin may start, stop or change background services.")


def ensure_states() -> dict[str, ServiceState]:
    """Create the missing ServiceState rows (one per registered service); return them all by name."""
    services = registry.services()
    existing = set(ServiceState.objects.values_list("name", flat=True))
    missing = [default_state(s) for s in services if s.name not in existing]
    if missing:
        ServiceState.objects.bulk_create(missing, ignore_conflicts=True)
    return {state.name: state for state in ServiceState.objects.all()}


def _locked(service: registry.Service) -> ServiceState:
    ServiceState.objects.bulk_create([default_state(service)], ignore_conflicts=True)
    return ServiceState.objects.select_for_update().get(name=service.name)


def _apply(service: registry.Service, state: ServiceState):
    """Make the means of running the service match `state.is_active` (inside the caller's transaction)."""
    if service.kind == registry.UNIT:
        supervisor.ensure_unit(service.unit_name, service.unit_kind, dict(service.unit_config),
                               desired=Desired.RUNNING if state.is_active else Desired.STOPPED)
        return
    schedules = Schedule.objects.filter(name=schedule_name(service.name))
    if not state.is_active:
        schedules.delete()
        return
    wanted = {
        "func": RUN_TASK,
        "args": repr(service.name),
        "kwargs": repr({"q_options": {"save": False}}),
        "schedule_type": Schedule.MINUTES,
        # The watchdog cadence: a run moves next_run to the exact next check (runner.py).
        "minutes": max(1, min(math.ceil(state.interval / 60), 60)),
        "repeats": -1,
    }
    schedule = schedules.order_by("pk").first()
    if schedule is None:
        Schedule.objects.create(name=schedule_name(service.name),
                                next_run=timezone.now() + timedelta(minutes=1), **wanted)
        return
    schedules.exclude(pk=schedule.pk).delete()
    if any(getattr(schedule, key) != value for key, value in wanted.items()):
        Schedule.objects.filter(pk=schedule.pk).update(**wanted)


def kick(name: str, wait: bool = False):
    """Enqueue a run of a periodic service now (after commit when inside a transaction).

    `wait=True` lets the run wait for a lease left by a worker that died (restore).
    """

    def enqueue():
        from django_q.tasks import async_task

        try:
            async_task(RUN_TASK, name, wait, q_options={"group": schedule_name(name), "save": False})
        except Exception as exc:  # the broker is down: the Schedule still fires within a minute or two
            logger.warning("Could not enqueue a run of service %s now (%s); its schedule will start it.",
                           name, exc)

    transaction.on_commit(enqueue)


def _change(actor, name: str, active: bool) -> ServiceState:
    service = registry.get(name)
    _check(actor)
    with transaction.atomic():
        state = _locked(service)
        changed = state.is_active != active
        state.is_active = active
        state.last_updated = timezone.now()
        state.save(update_fields=["is_active", "last_updated"])
        _apply(service, state)
        if changed:
            verb = "started" if active else "stopped"
            by = f" by {actor}" if actor is not None else ""
            events.record(f"service.{verb}", ("service", name), actor=actor,
                          message=f"Service {service.label} {verb}{by}", payload=status_of(service, state))
            logger.info("Service %s %s%s.", name, verb, by)
        if active and service.kind == registry.PERIODIC:
            kick(name)
    return state


def start(actor, name: str) -> ServiceState:
    """Mark the service active and run it now; it keeps running across restarts until stopped."""
    return _change(actor, name, True)


def stop(actor, name: str) -> ServiceState:
    """Mark the service stopped; a run in progress ends after its current check."""
    return _change(actor, name, False)


def validate_interval(value) -> int:
    low = settings.SERVICES_MIN_INTERVAL
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= MAX_INTERVAL:
        raise ValidationError({"interval": [f"The interval is a whole number of seconds from {low} "
                                            f"to {MAX_INTERVAL}."]})
    return value


def set_interval(actor, name: str, interval) -> ServiceState:
    service = registry.get(name)
    _check(actor)
    if service.kind != registry.PERIODIC:
        raise ValidationError({"interval": [f"Service {name} is a supervised process: it has no interval."]})
    interval = validate_interval(interval)
    with transaction.atomic():
        state = _locked(service)
        if state.interval == interval:
            return state
        previous = state.interval
        state.interval = interval
        state.last_updated = timezone.now()
        state.save(update_fields=["interval", "last_updated"])
        _apply(service, state)
        events.record("service.changed", ("service", name), actor=actor,
                      message=f"Service {service.label}: interval {previous} s -> {interval} s",
                      payload=status_of(service, state))
        if state.is_active:
            kick(name)
    return state


def restore(kick_runs: bool = True) -> list[str]:
    """Make schedules and units match ServiceState after any restart; run the active services now.

    Idempotent and safe to call from several processes at once (every worker
    of every cluster calls it when it starts: mediasuite.services.signals).
    """
    states = ensure_states()
    restored = []
    for service in registry.services():
        try:
            with transaction.atomic():
                state = _locked(service)
                _apply(service, state)
                if state.is_active:
                    restored.append(service.name)
                    if kick_runs and service.kind == registry.PERIODIC:
                        kick(service.name, wait=True)
        except Exception:
            logger.exception("Could not restore service %s; the others go on.", service.name)
    unknown = sorted(set(states) - set(registry.names()))
    if unknown:
        Schedule.objects.filter(name__in=[schedule_name(n) for n in unknown]).delete()
        logger.warning("ServiceState rows without a registered service (left as they are): %s",
                       ", ".join(unknown))
    if restored:
        logger.info("Restored active services: %s.", ", ".join(restored))
    return restored
