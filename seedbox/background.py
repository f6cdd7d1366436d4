"""The `seedbox` background service: one pipeline tick (poll rTorrent, queue the next steps) per interval.

It is offered once the seedbox is configured (SEEDBOX_RTORRENT_URL set when
the processes start): an installation without a seedbox has nothing to poll.
"""

from django.conf import settings

from mediasuite.services.registry import Report, Service, register

from . import pipeline
from .clients.rtorrent import RtorrentError

SERVICE = Service(
    name="seedbox",
    label="Seedbox",
    description="Polls rTorrent (one d.multicall2), then queues transfers home, Sonarr/Radarr imports and "
                "remote cleanups.",
    check="seedbox.background.check",
    interval=30,
    counters=("polled", "completed", "dispatched", "retried", "errors"),
)
if settings.SEEDBOX_RTORRENT_URL:
    register(SERVICE)


def check(state) -> Report:
    try:
        counts = pipeline.tick()
    except RtorrentError as exc:
        return Report(counters={"errors": 1}, error=str(exc))
    return Report(counters=counts)
