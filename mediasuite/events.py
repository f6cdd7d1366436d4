"""The one helper that domain code calls to write an Event (docs/ARCHITECTURE.md, Live status).

Call it inside the transaction that makes the change, so that the change and
its event commit together or not at all. On PostgreSQL a NOTIFY goes out with
the commit and wakes the web processes at once; elsewhere they poll (every
100 ms, mediasuite.live.follower). When the writer is a web process, its own
follower is also woken right after the commit.
"""

from django.db import connection, models, transaction

from .models import Event

NOTIFY_CHANNEL = "mediasuite_events"


def subject_of(subject) -> tuple[str, str]:
    """(type, id) of a model instance, or the pair as given."""
    if isinstance(subject, models.Model):
        return subject._meta.model_name, str(subject.pk)
    kind, ident = subject
    return str(kind), str(ident)


def record(kind: str, subject, *, club=None, owner=None, actor=None, message: str = "",
           payload: dict | None = None) -> Event:
    """Write one Event about `subject` (a model instance or a (type, id) pair)."""
    subject_type, subject_id = subject_of(subject)
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    event = Event.objects.create(
        kind=kind,
        subject_type=subject_type,
        subject_id=subject_id,
        club=club,
        owner=owner,
        actor=actor,
        message=message[:500],
        payload=payload or {},
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_notify(%s, %s)", [NOTIFY_CHANNEL, str(event.pk)])
    transaction.on_commit(_wake_local_follower)
    return event


def _wake_local_follower():
    from .live.follower import wake_local

    wake_local()
