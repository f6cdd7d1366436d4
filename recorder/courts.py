"""Courts (domain): saved by the admin through here, validated, policy-checked, with an Event."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from mediasuite import events
from mediasuite.models import Unit
from mediasuite.policies import policy_for
from mediasuite.supervisor import control

from .models import Court


def save(actor, court: Court) -> Court:
    """Create or update a court; a camera URL with an unsupported scheme is refused (ValidationError)."""
    court.full_clean()
    with transaction.atomic():
        adding = court._state.adding
        court.save()
        if actor is not None and not policy_for(Court).allows(actor, "add" if adding else "change", court):
            raise PermissionDenied("You may manage only the courts of your clubs.")
        kind = "recorder.court.created" if adding else "recorder.court.changed"
        verb = "created" if adding else "changed"
        events.record(kind, court, club=court.club, actor=actor, message=f"Court {court.name} {verb}",
                      payload={"camera_kind": court.camera_kind, "enabled": court.enabled})
    return court


def delete(actor, court: Court):
    with transaction.atomic():
        if actor is not None and not policy_for(Court).allows(actor, "delete", court):
            raise PermissionDenied("You may delete only the courts of your clubs.")
        events.record("recorder.court.deleted", court, club=court.club, actor=actor,
                      message=f"Court {court.name} deleted")
        proxy = Unit.objects.filter(name=court.proxy_unit_name).first()
        if proxy is not None:
            control.delete(None, proxy)  # its supervisor ends the process
        court.delete()
