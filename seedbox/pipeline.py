"""One tick of the seedbox pipeline: poll rTorrent, then hand each torrent to its next step.

Run by the `seedbox` background service (seedbox/background.py) in a
django-q2 worker; the slow steps (transfer, import, cleanup) are queued as
their own django-q2 jobs. A torrent is dispatched at most once per
SEEDBOX_CLAIM_TTL (compare-and-set on `heartbeat_at`), and the step itself
claims the torrent, so a job queued twice still runs once.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from mediasuite.errors import Conflict

from . import cleanup, lifecycle, sending, sync
from .clients import rtorrent
from .models import State, Torrent

logger = logging.getLogger("mediasuite.seedbox")

STEPS = {
    State.REMOTE_COMPLETE: "seedbox.tasks.transfer",
    State.IMPORT_PENDING: "seedbox.tasks.import_torrent",
    State.IMPORTED: "seedbox.tasks.cleanup",
}
# A step whose worker went silent (killed mid-transfer): queued again, the job takes the claim over.
ABANDONED = {
    State.TRANSFERRING: "seedbox.tasks.transfer",
    State.IMPORTING: "seedbox.tasks.import_torrent",
}


def _run(func: str, torrent: Torrent, inline: bool):
    if inline:
        from django.utils.module_loading import import_string

        import_string(func)(torrent.pk)
    else:
        from django_q.tasks import async_task

        async_task(func, torrent.pk, task_name=f"{func.rsplit('.', 1)[-1]}-{torrent.infohash[:12]}",
                   q_options={"group": "seedbox"})


def _dispatch(torrent: Torrent, inline: bool) -> bool:
    """Queue the step of `torrent`'s state, unless it was queued or held within the claim TTL."""
    now = timezone.now()
    stale = now - timedelta(seconds=settings.SEEDBOX_CLAIM_TTL)
    taken = Torrent.objects.filter(Q(heartbeat_at__isnull=True) | Q(heartbeat_at__lt=stale), pk=torrent.pk,
                                   state=torrent.state).update(heartbeat_at=now)
    if not taken and not inline:
        return False
    if inline and taken:
        Torrent.objects.filter(pk=torrent.pk).update(heartbeat_at=None)
    _run(STEPS[torrent.state], torrent, inline)
    return True


def tick(inline: bool = False) -> dict:
    """Advance every torrent one step; `inline` runs the steps here instead of queueing them."""
    counts = {"polled": 0, "completed": 0, "dispatched": 0, "retried": 0, "errors": 0}
    client = rtorrent.Client()
    for torrent in Torrent.objects.filter(state=State.FAILED, next_retry_at__lte=timezone.now()):
        try:
            lifecycle.retry(None, torrent)
            counts["retried"] += 1
        except Conflict:
            continue
    for torrent in Torrent.objects.filter(state=State.QUEUED):
        try:
            sending.send(torrent, client=client)
        except rtorrent.RtorrentError:
            counts["errors"] += 1
    polled = sync.poll(client)
    counts["polled"], counts["completed"] = polled["polled"], polled["completed"]
    for torrent in Torrent.objects.filter(state=State.TRANSFERRED):
        lifecycle.transition(torrent, State.TRANSFERRED, State.IMPORT_PENDING, heartbeat_at=None,
                             message=f"{torrent}: waiting for import")
    for torrent in Torrent.objects.filter(state__in=list(STEPS)).order_by("state_changed_at"):
        if torrent.state == State.IMPORTED and not cleanup.seeded_enough(torrent):
            continue
        if _dispatch(torrent, inline):
            counts["dispatched"] += 1
    stale = timezone.now() - timedelta(seconds=settings.SEEDBOX_CLAIM_TTL)
    for torrent in Torrent.objects.filter(state__in=list(ABANDONED), heartbeat_at__lt=stale):
        logger.warning("torrent %s: %s by %s went silent; queueing it again to be taken over",
                       torrent.infohash, torrent.state, torrent.worker)
        _run(ABANDONED[torrent.state], torrent, inline)
        counts["dispatched"] += 1
    return counts
