"""What the admin, the API and other apps call to drive units.

These write the desired state (never Unit.state: that is the supervisor's,
see transitions.py) in one transaction with an Event; the supervisor loop
notices within a tick and acts.

    ensure_unit(name, kind, config, club=None, owner=None, desired=None) -> Unit  (apps; no actor;
        a changed kind or config restarts a running unit)
    start(actor, unit) / stop(actor, unit) / restart(actor, unit) -> Unit
    save(actor, unit) / delete(actor, unit)   (admin forms)

`actor=None` means the system itself (an app's domain code); a user actor is
checked against the Unit policy ("change"; "delete" for delete), and a start
or restart by a person also against the unit kind's `may_start` (the owning
app decides: a finished recording's unit stays stopped).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from .. import events
from ..errors import Conflict
from ..models import Desired, Unit, UnitState
from ..policies import policy_for
from . import registry


def _check(actor, action, unit):
    if actor is not None and not policy_for(Unit).allows(actor, action, unit):
        raise PermissionDenied(f"{actor} may not {action} unit {unit.name}.")


def _record(kind, unit, actor, message, **payload):
    events.record(kind, unit, club=unit.club, owner=unit.owner, actor=actor, message=message,
                  payload={"desired": unit.desired, "state": unit.state, **payload})


def validate(name: str, kind: str, config):
    if not isinstance(name, str) or not registry.NAME_RE.match(name):
        raise ValidationError({"name": ["A unit name is 1 to 128 letters, digits, '.', '_' or '-', "
                                        "starting with a letter or digit."]})
    try:
        registry.get(kind)
    except LookupError as exc:
        raise ValidationError({"kind": [str(exc)]}) from None
    if not isinstance(config, dict):
        raise ValidationError({"config": ["The config of a unit is a JSON object."]})


def ensure_unit(name: str, kind: str, config: dict | None = None, club=None, owner=None,
                desired: str | None = None) -> Unit:
    """Create the unit or bring its kind, config, club and owner up to date (desired kept unless given)."""
    config = {} if config is None else config
    validate(name, kind, config)
    with transaction.atomic():
        unit = Unit.objects.select_for_update().filter(name=name).first()
        created = unit is None
        if created:
            unit = Unit(name=name)
        wanted = {"kind": kind, "config": config, "club_id": getattr(club, "pk", club),
                  "owner_id": getattr(owner, "pk", owner)}
        if desired is not None:
            wanted["desired"] = Desired(desired)
        changed = [field for field, value in wanted.items() if getattr(unit, field) != value]
        if not created and not changed:
            return unit
        for field, value in wanted.items():
            setattr(unit, field, value)
        if not created and ("kind" in changed or "config" in changed):
            unit.restart_requested_at = timezone.now()  # a running process picks up the new config
        unit.save()
        unit = Unit.objects.select_related("club", "owner").get(pk=unit.pk)
        _record("unit.created" if created else "unit.changed", unit, None,
                f"Unit {name} ({kind}) {'created' if created else 'changed'}", changed=changed)
    return unit


def refusal(unit: Unit) -> str | None:
    """Why a person may not start `unit` (its kind's `may_start` answer), None when they may."""
    try:
        kind = registry.get(unit.kind)
    except LookupError:
        return None
    return kind.may_start(unit) if kind.may_start else None


def _set_desired(actor, unit: Unit, desired: str, *, restart=False) -> Unit:
    with transaction.atomic():
        locked = Unit.objects.select_for_update(of=("self",)).select_related("club", "owner").get(pk=unit.pk)
        _check(actor, "change", locked)
        if actor is not None and desired == Desired.RUNNING and (why := refusal(locked)):
            raise Conflict(why)
        previous = locked.desired
        locked.desired = desired
        fields = ["desired", "updated_at"]
        if restart:
            locked.restart_requested_at = timezone.now()
            fields.append("restart_requested_at")
        if desired == Desired.RUNNING and locked.state in (UnitState.BACKOFF, UnitState.FAILED) and (
                restart or previous != Desired.RUNNING):
            # An explicit start or restart of a failing unit tries again now, from the first step.
            locked.next_attempt_at = timezone.now()
            locked.consecutive_failures = 0
            locked.failure_times = []
            fields += ["next_attempt_at", "consecutive_failures", "failure_times"]
        locked.save(update_fields=fields)
        verb = "restart requested" if restart else ("start requested" if desired == Desired.RUNNING
                                                    else "stop requested")
        by = f" by {actor}" if actor is not None else ""
        _record("unit.restart" if restart else "unit.desired", locked, actor,
                f"Unit {locked.name}: {verb}{by}", previous_desired=previous)
    return locked


def start(actor, unit: Unit) -> Unit:
    return _set_desired(actor, unit, Desired.RUNNING)


def stop(actor, unit: Unit) -> Unit:
    return _set_desired(actor, unit, Desired.STOPPED)


def restart(actor, unit: Unit) -> Unit:
    """Stop and start again (a unit that is not running just starts)."""
    return _set_desired(actor, unit, Desired.RUNNING, restart=True)


def save(actor, unit: Unit) -> Unit:
    """Admin form save: only the desired state is editable there."""
    if unit._state.adding:
        raise PermissionDenied("Units are created by the apps that own them, not by hand.")
    return _set_desired(actor, unit, unit.desired)


def delete(actor, unit: Unit, reason: str = ""):
    """Remove a unit; its lease goes with it and the supervisor holding it ends the process."""
    with transaction.atomic():
        _check(actor, "delete", unit)
        _record("unit.deleted", unit, actor, f"Unit {unit.name} deleted" + (f": {reason}" if reason else ""),
                reason=reason)
        unit.delete()
