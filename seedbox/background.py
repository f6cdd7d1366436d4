"""The `seedbox` background service: one pipeline tick (poll rTorrent, queue the next steps) per interval."""

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
    needs=("rtorrent", "sftp"),
)
register(SERVICE)


def check(state) -> Report:
    try:
        counts = pipeline.tick()
    except RtorrentError as exc:
        return Report(counters={"errors": 1}, error=str(exc))
    return Report(counters=counts)
