"""The only code that writes Unit.state, each change with its Event in one transaction.

Every write is conditional on the caller still holding the unit's lease, so a
supervisor that lost a unit to another node can no longer change its state.
Event: kind "unit.state", subject the Unit, payload
{"state", "previous", "reason", "reason_text", "pid", "exit_code", ...}, club/owner of the unit
("reason" as the supervisor wrote it, "reason_text" the sentence shown to people).
"""

import time
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from .. import events, reasons
from ..models import Unit, UnitState
from . import backoff

KEEP = object()


def _locked(unit_id: int, holder):
    qs = Unit.objects.select_for_update(of=("self",)).select_related("club", "owner")
    if holder is not None:
        qs = qs.filter(lease__node=holder.node, lease__pid=holder.pid)
    return qs.filter(pk=unit_id).first()


def transition(unit_id: int, state: str, holder, *, reason: str = "", pid=KEEP, exit_code=KEEP,
               extra: dict | None = None, **fields) -> Unit | None:
    """Move the unit to `state`; None when the unit is gone or no longer held by `holder`."""
    with transaction.atomic():
        unit = _locked(unit_id, holder)
        if unit is None:
            return None
        previous = unit.state
        unit.state = state
        unit.state_changed_at = timezone.now()
        unit.reason = reason
        if pid is not KEEP:
            unit.pid = pid
        if exit_code is not KEEP:
            unit.exit_code = exit_code
        for name, value in fields.items():
            setattr(unit, name, value)
        unit.save(update_fields=["state", "state_changed_at", "reason", "pid", "exit_code",
                                 "updated_at", *fields])
        payload = {"state": state, "previous": previous, "reason": reason,
                   "reason_text": reasons.for_unit(unit), "pid": unit.pid, "exit_code": unit.exit_code,
                   **(extra or {})}
        short = reasons.split(reason)[0]
        events.record("unit.state", unit, club=unit.club, owner=unit.owner, payload=payload,
                      message=f"Unit {unit.name}: {previous} -> {state}" + (f" ({short})" if short else ""))
    return unit


def starting(unit_id, holder, pid: int, reason: str = ""):
    return transition(unit_id, UnitState.STARTING, holder, reason=reason, pid=pid, exit_code=None,
                      started_at=timezone.now(), restart_requested_at=None, next_attempt_at=None)


def running(unit_id, holder):
    return transition(unit_id, UnitState.RUNNING, holder)


def stopping(unit_id, holder, reason: str):
    return transition(unit_id, UnitState.STOPPING, holder, reason=reason)


def stopped(unit_id, holder, reason: str, exit_code=None):
    return transition(unit_id, UnitState.STOPPED, holder, reason=reason, pid=None, exit_code=exit_code,
                      next_attempt_at=None, consecutive_failures=0, failure_times=[])


def failure(unit_id, holder, reason: str, exit_code=None):
    """An unexpected exit (or a stuck unit): backoff, or failed past the limit; retry scheduled."""
    with transaction.atomic():
        unit = _locked(unit_id, holder)
        if unit is None:
            return None
        now = time.time()
        times = [*backoff.recent(unit.failure_times or [], now), now]
        failed = backoff.is_failed(times)
        count = unit.consecutive_failures + 1
        wait = backoff.delay(count, failed=failed)
        return transition(
            unit_id, UnitState.FAILED if failed else UnitState.BACKOFF, holder, reason=reason, pid=None,
            exit_code=exit_code, consecutive_failures=count, failure_times=times,
            next_attempt_at=timezone.now() + timedelta(seconds=wait),
            extra={"delay": round(wait, 3), "failures": count, "failures_in_window": len(times)},
        )


def note(unit_id, reason: str):
    """Set the reason of a unit that stays in its state: its kind's news while it runs (a proxy's camera
    unreachable), shown where the reason is; no Event (nothing changed state) and no write when unchanged."""
    Unit.objects.filter(pk=unit_id).exclude(reason=reason).update(reason=reason, updated_at=timezone.now())


def forget_failures(unit_id, holder):
    """A unit healthy for a while starts again from the first backoff step (no state change)."""
    qs = Unit.objects.filter(pk=unit_id)
    if holder is not None:
        qs = qs.filter(lease__node=holder.node, lease__pid=holder.pid)
    qs.update(consecutive_failures=0, failure_times=[], updated_at=timezone.now())
