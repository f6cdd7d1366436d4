"""Camera sessions and the camera proxy they keep open (domain: the only code changing them).

A session on a court keeps that court's proxy unit (`cam-<court id>`) wanted
running; the last session closed (with no recording active) lets it stop.
"""

import logging
import time

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from mediasuite import events
from mediasuite.errors import Conflict
from mediasuite.models import Desired, Unit
from mediasuite.policies import policy_for
from mediasuite.supervisor import control

from .models import ACTIVE_STATES, CameraSession, Court, Recording

log = logging.getLogger("mediasuite.recorder")


def _record(kind, session, actor, message, **payload):
    events.record(
        kind,
        session,
        club=session.court.club,
        owner=session.user,
        actor=actor,
        message=message,
        payload={"session_id": session.session_id, "court": session.court_id, **payload},
    )


def ensure_proxy(court: Court) -> Unit:
    """Want the court's proxy unit running (created on first use)."""
    unit = control.ensure_unit(
        court.proxy_unit_name,
        "camera-proxy",
        {"url": court.camera_url, "kind": court.camera_kind, "court": court.pk},
        club=court.club,
    )
    if unit.desired != Desired.RUNNING:
        unit = control.start(None, unit)
    return unit


def release_proxy(court: Court) -> bool:
    """Let the proxy stop when no open session and no active recording needs it; True when stopped."""
    with transaction.atomic():
        in_use = (
            CameraSession.objects.filter(court=court, closed_at__isnull=True).exists()
            or Recording.objects.filter(court=court, state__in=ACTIVE_STATES).exists()
        )
        unit = Unit.objects.filter(name=court.proxy_unit_name).first()
        if in_use or unit is None or unit.desired == Desired.STOPPED:
            return False
        control.stop(None, unit)
    return True


def _new_id(court: Court) -> str:
    """`sess_<court>_<unix>`, with a counter when that second is taken already."""
    base = f"sess_{court.pk}_{int(time.time())}"
    taken = set(
        CameraSession.objects.filter(session_id__startswith=base).values_list("session_id", flat=True)
    )
    if base not in taken:
        return base
    return next(f"{base}_{n}" for n in range(2, len(taken) + 3) if f"{base}_{n}" not in taken)


def create(actor, court: Court) -> CameraSession:
    """Open a session for `actor` on `court` (policy: add)."""
    with transaction.atomic():
        session = CameraSession.objects.create(session_id=_new_id(court), court=court, user=actor)
        if not policy_for(CameraSession).allows(actor, "add", session):
            raise PermissionDenied("You may open camera sessions only on the courts of your clubs.")
        if not court.enabled:
            raise ValidationError({"terrain_id": [f"The court {court.name} is disabled."]})
        _record(
            "recorder.session.opened", session, actor, f"Camera session opened on {court.name} by {actor}"
        )
        ensure_proxy(court)
    return session


def touch(session: CameraSession):
    """Note activity (a preview, a status read), so the idle cleanup leaves the session open."""
    CameraSession.objects.filter(pk=session.pk, closed_at__isnull=True).update(last_activity=timezone.now())


def close(actor, session: CameraSession, reason: str = "closed") -> bool:
    """Close the session (compare-and-set); False when it was already closed.

    A session whose recording is still running stays open: stop the recording first.
    """
    with transaction.atomic():
        if actor is not None and not policy_for(CameraSession).allows(actor, "change", session):
            raise PermissionDenied("You may close only your own sessions.")
        if Recording.objects.filter(session=session, state__in=ACTIVE_STATES).exists():
            raise Conflict("This session is recording; stop the recording before closing the session.")
        done = CameraSession.objects.filter(pk=session.pk, closed_at__isnull=True).update(
            closed_at=timezone.now()
        )
        if not done:
            return False
        session.refresh_from_db()
        by = f" by {actor}" if actor is not None else ""
        _record(
            "recorder.session.closed",
            session,
            actor,
            f"Camera session {session.session_id} {reason}{by}",
            reason=reason,
        )
    release_proxy(session.court)
    return True
