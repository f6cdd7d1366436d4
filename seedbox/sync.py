"""Following the seedbox: one d.multicall2 for every tracked torrent, then the transitions it implies.

sent -> downloading when rTorrent lists it unfinished; sent/downloading ->
remote_complete when it is complete (with its file list, which the transfer
needs). Progress numbers (size, bytes left, rate, ratio, data path) are
stored for every torrent still on the seedbox; a change of them writes one
`seedbox.torrent.progress` event so the pages follow live.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from mediasuite import events

from . import lifecycle
from .clients import rtorrent
from .models import State, Torrent

logger = logging.getLogger("mediasuite.seedbox")

METRICS = ("size_bytes", "left_bytes", "down_rate", "ratio", "base_path")
# Without rTorrent these cannot go on; later states have their data at home already.
BEFORE_HOME = (State.SENT, State.DOWNLOADING, State.REMOTE_COMPLETE)


def poll(client=None) -> dict:
    """Read rTorrent once and apply what it says; counts of what changed."""
    client = client or rtorrent.Client()
    items = client.poll()
    counts = {"polled": len(items), "completed": 0, "missing": 0}
    tracked = Torrent.objects.filter(state__in=lifecycle.ON_SEEDBOX)
    lost_before = timezone.now() - timedelta(seconds=settings.SEEDBOX_CLAIM_TTL)
    for torrent in tracked:
        item = items.get(torrent.infohash)
        if item is None:
            counts["missing"] += 1
            if torrent.state in BEFORE_HOME and torrent.state_changed_at < lost_before:
                lifecycle.fail(torrent, torrent.state, "rTorrent does not list this torrent (any more): it "
                               "dropped the add or it was removed outside MediaSuite; it will be added again",
                               resume=State.QUEUED)
            continue
        update_metrics(torrent, item)
        if torrent.state == State.SENT and not item.complete:
            lifecycle.transition(torrent, State.SENT, State.DOWNLOADING, name=item.name or torrent.name)
        if torrent.state in (State.SENT, State.DOWNLOADING) and item.complete:
            files = client.files(torrent.infohash)
            if lifecycle.transition(torrent, torrent.state, State.REMOTE_COMPLETE,
                                    name=item.name or torrent.name, files=files,
                                    remote_finished_at=item.finished_at, base_path=item.base_path,
                                    message=f"{item.name} finished on the seedbox"):
                counts["completed"] += 1
    return counts


def update_metrics(torrent: Torrent, item: rtorrent.Item):
    values = {name: getattr(item, name) for name in METRICS}
    if item.finished_at and not torrent.remote_finished_at:
        values["remote_finished_at"] = item.finished_at
    changed = {k: v for k, v in values.items() if getattr(torrent, k) != v}
    if not changed:
        return
    with transaction.atomic():
        Torrent.objects.filter(pk=torrent.pk).update(**changed)
        if torrent.state in (State.SENT, State.DOWNLOADING) or {"ratio"} & set(changed):
            events.record("seedbox.torrent.progress", torrent, message=f"{torrent}: {torrent.state}",
                          payload={"state": torrent.state, "infohash": torrent.infohash,
                                   "size_bytes": item.size_bytes, "left_bytes": item.left_bytes,
                                   "down_rate": item.down_rate, "ratio": item.ratio})
    for name, value in changed.items():
        setattr(torrent, name, value)
