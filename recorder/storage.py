"""Club storage settings (domain): saved by the admin through here, policy-checked, with an Event."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from mediasuite import events
from mediasuite.policies import policy_for

from .models import ClubStorage


def save(actor, storage: ClubStorage) -> ClubStorage:
    storage.full_clean()
    with transaction.atomic():
        adding = storage._state.adding
        storage.save()
        if actor is not None and not policy_for(ClubStorage).allows(
            actor, "add" if adding else "change", storage
        ):
            raise PermissionDenied("You may set the storage of your own clubs only.")
        events.record(
            "recorder.storage.changed",
            storage,
            club=storage.club,
            actor=actor,
            message=f"Recording storage of {storage.club}: {storage.days()} days, {storage.quota():g} GB",
            payload={"retention_days": storage.retention_days, "quota_gb": storage.quota_gb},
        )
    return storage


def delete(actor, storage: ClubStorage):
    with transaction.atomic():
        if actor is not None and not policy_for(ClubStorage).allows(actor, "delete", storage):
            raise PermissionDenied("You may set the storage of your own clubs only.")
        events.record(
            "recorder.storage.changed",
            storage,
            club=storage.club,
            actor=actor,
            message=f"Recording storage of {storage.club}: back to the server defaults",
        )
        storage.delete()
