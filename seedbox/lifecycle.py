"""The Torrent state machine: the only code that changes `Torrent.state`.

Every transition is a compare-and-set (`UPDATE ... WHERE state=<expected>`)
inside a transaction that also writes the Event, so two workers can never
both move one torrent: the loser's UPDATE touches no row and it stops.
A step that takes time (a transfer, an import) holds a claim: `worker` and
`heartbeat_at`; a claim silent for SEEDBOX_CLAIM_TTL seconds may be taken
over (the worker died), which is how a killed transfer resumes.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from mediasuite import events
from mediasuite.errors import Conflict
from mediasuite.policies import policy_for

from .models import State, Torrent

logger = logging.getLogger("mediasuite.seedbox")

S = State
TRANSITIONS = {
    S.QUEUED: {S.SENT, S.FAILED, S.IGNORED},
    S.SENT: {S.DOWNLOADING, S.REMOTE_COMPLETE, S.FAILED, S.IGNORED},
    S.DOWNLOADING: {S.REMOTE_COMPLETE, S.FAILED, S.IGNORED},
    S.REMOTE_COMPLETE: {S.TRANSFERRING, S.FAILED, S.IGNORED},
    S.TRANSFERRING: {S.TRANSFERRED, S.FAILED},
    S.TRANSFERRED: {S.IMPORT_PENDING, S.FAILED, S.IGNORED},
    S.IMPORT_PENDING: {S.IMPORTING, S.FAILED, S.IGNORED},
    S.IMPORTING: {S.IMPORTED, S.IMPORT_BLOCKED, S.FAILED},
    S.IMPORTED: {S.REMOTE_CLEANED, S.FAILED},
    S.IMPORT_BLOCKED: {S.IMPORT_PENDING, S.IGNORED},
    S.FAILED: {S.QUEUED, S.REMOTE_COMPLETE, S.TRANSFERRED, S.IMPORTED, S.IGNORED},
    S.REMOTE_CLEANED: set(),
    S.IGNORED: set(),
}
# The states in which the seedbox still holds the download (polled, erasable).
ON_SEEDBOX = (S.SENT, S.DOWNLOADING, S.REMOTE_COMPLETE, S.TRANSFERRING, S.TRANSFERRED, S.IMPORT_PENDING,
              S.IMPORTING, S.IMPORTED, S.IMPORT_BLOCKED)


def check(actor, action: str, torrent: Torrent | None = None):
    if actor is not None and not policy_for(Torrent).allows(actor, action, torrent):
        raise PermissionDenied("Only a super admin may drive the seedbox.")


def transition(torrent: Torrent, expected: str, new: str, *, actor=None, message: str = "",
               payload: dict | None = None, where: dict | None = None, **fields) -> bool:
    """Move `torrent` from `expected` to `new` if it still is in `expected`; False when it was not."""
    if new not in TRANSITIONS[expected]:
        raise ValueError(f"no transition {expected} -> {new}")
    now = timezone.now()
    with transaction.atomic():
        changed = Torrent.objects.filter(pk=torrent.pk, state=expected, **(where or {})).update(
            state=new, state_changed_at=now, **fields)
        if not changed:
            return False
        events.record(f"seedbox.torrent.{new}", torrent, actor=actor,
                      message=message or f"{torrent} is {new.replace('_', ' ')}",
                      payload={"state": new, "from": expected, "infohash": torrent.infohash,
                               **(payload or {})})
    torrent.state, torrent.state_changed_at = new, now
    for name, value in fields.items():
        setattr(torrent, name, value)
    logger.info("torrent %s: %s -> %s%s", torrent.infohash, expected, new, f" ({message})" if message else "")
    return True


def claim(torrent: Torrent, expected: str, new: str, worker: str, message: str = "") -> bool:
    """Take a step: `expected` -> `new` held by `worker`, or take over a `new` whose holder went silent."""
    now = timezone.now()
    if transition(torrent, expected, new, message=message, worker=worker, heartbeat_at=now):
        return True
    stale = now - timedelta(seconds=settings.SEEDBOX_CLAIM_TTL)
    with transaction.atomic():
        taken = Torrent.objects.filter(pk=torrent.pk, state=new, heartbeat_at__lt=stale).update(
            worker=worker, heartbeat_at=now)
        if taken:
            events.record(f"seedbox.torrent.{new}", torrent, message=f"{torrent}: {worker} takes over the "
                          f"{new.replace('_', ' ')} step of a silent worker",
                          payload={"state": new, "from": new, "infohash": torrent.infohash, "takeover": True})
    if taken:
        torrent.state, torrent.worker, torrent.heartbeat_at = new, worker, now
    return bool(taken)


def hold(torrent: Torrent, worker: str) -> bool:
    """Hold a step that keeps the state (cleanup): only if nobody holds it, or its holder went silent."""
    now = timezone.now()
    stale = now - timedelta(seconds=settings.SEEDBOX_CLAIM_TTL)
    held = Torrent.objects.filter(Q(worker="") | Q(heartbeat_at__lt=stale), pk=torrent.pk,
                                  state=torrent.state).update(worker=worker, heartbeat_at=now)
    if held:
        torrent.worker, torrent.heartbeat_at = worker, now
    return bool(held)


def release(torrent: Torrent, worker: str):
    Torrent.objects.filter(pk=torrent.pk, worker=worker).update(worker="")
    torrent.worker = ""


def beat(torrent: Torrent, worker: str, progress_event: bool = False, **fields) -> bool:
    """Renew `worker`'s claim and store progress; False when the claim was lost (stop working)."""
    now = timezone.now()
    with transaction.atomic():
        held = Torrent.objects.filter(pk=torrent.pk, state=torrent.state, worker=worker).update(
            heartbeat_at=now, **fields)
        if held and progress_event:
            events.record("seedbox.torrent.progress", torrent, message=f"{torrent}: {torrent.state}",
                          payload={"state": torrent.state, "infohash": torrent.infohash,
                                   **{k: v for k, v in fields.items() if isinstance(v, int | float | str)}})
    for name, value in fields.items():
        setattr(torrent, name, value)
    return bool(held)


def fail(torrent: Torrent, expected: str, reason: str, *, resume: str, actor=None, where=None) -> bool:
    """`expected` -> failed with `reason`; an automatic retry back to `resume` is planned with backoff."""
    attempts = torrent.attempts + 1
    retry_at = None
    if attempts < settings.SEEDBOX_MAX_ATTEMPTS:
        retry_at = timezone.now() + timedelta(seconds=settings.SEEDBOX_RETRY_BASE * 2 ** (attempts - 1))
    logger.warning("torrent %s failed in %s: %s", torrent.infohash, expected, reason)
    return transition(torrent, expected, S.FAILED, actor=actor, message=f"{torrent}: {reason}"[:500],
                      payload={"reason": reason, "attempts": attempts}, where=where, reason=reason,
                      failed_from=resume, attempts=attempts, next_retry_at=retry_at, worker="")


def retry(actor, torrent: Torrent) -> Torrent:
    """Send a failed torrent back to the step that failed, or an import_blocked one back to import."""
    check(actor, "change", torrent)
    if torrent.state == S.IMPORT_BLOCKED:
        ok = transition(torrent, S.IMPORT_BLOCKED, S.IMPORT_PENDING, actor=actor, reason="")
    elif torrent.state == S.FAILED:
        ok = transition(torrent, S.FAILED, torrent.failed_from or S.QUEUED, actor=actor, reason="",
                        next_retry_at=None, **({"attempts": 0} if actor else {}))
    else:
        ok = False
    if not ok:
        raise Conflict(f"Only a failed or import_blocked torrent can be retried; {torrent} is "
                       f"{torrent.state}.")
    return torrent


def ignore(actor, torrent: Torrent) -> Torrent:
    """Stop following a torrent (nothing more is done for it; the seedbox is left as is)."""
    check(actor, "change", torrent)
    if S.IGNORED not in TRANSITIONS[torrent.state] or not transition(
            torrent, torrent.state, S.IGNORED, actor=actor, worker=""):
        raise Conflict(f"{torrent} is {torrent.state} and cannot be ignored now.")
    return torrent


def remove(actor, torrent: Torrent, client=None) -> None:
    """Erase the torrent from rTorrent (d.erase only) and forget it; its data stays on the seedbox.

    rTorrent is asked in every state but remote_cleaned (a failed or even a
    queued add may have reached it); what a transfer left locally is removed.
    """
    from .clients import rtorrent
    from .transfer import discard

    check(actor, "delete", torrent)
    if torrent.state in (S.TRANSFERRING, S.IMPORTING):
        raise Conflict(f"{torrent} is {torrent.state}; wait for the step to end or ignore it first.")
    if torrent.state != S.REMOTE_CLEANED:
        (client or rtorrent.Client()).erase(torrent.infohash)
    discard(torrent)
    with transaction.atomic():
        events.record("seedbox.torrent.removed", torrent, actor=actor, message=f"{torrent} removed",
                      payload={"state": "removed", "from": torrent.state, "infohash": torrent.infohash})
        Torrent.objects.filter(pk=torrent.pk).delete()


def save(actor, torrent: Torrent) -> Torrent:
    """Admin edits of the descriptive fields (title, ids, season); never the state."""
    check(actor, "change", torrent)
    with transaction.atomic():
        Torrent.objects.filter(pk=torrent.pk).update(
            title=torrent.title, year=torrent.year, season=torrent.season, tmdb_id=torrent.tmdb_id,
            tvdb_id=torrent.tvdb_id, media_type=torrent.media_type, label=torrent.label)
        events.record("seedbox.torrent.edited", torrent, actor=actor, message=f"{torrent} edited",
                      payload={"state": torrent.state, "infohash": torrent.infohash})
    return torrent


def delete(actor, torrent: Torrent) -> None:
    remove(actor, torrent)
