"""Remote cleanup after import: once seeded enough, erase from rTorrent and delete the data over SFTP.

Only `d.stop`, `d.close`, `d.erase` go to rTorrent (never `d.delete_tied`,
which the provider forbids); the data is deleted with a recursive SFTP
delete confined to SEEDBOX_REMOTE_ROOT. The bytes freed are recorded.
"""

from django.conf import settings
from django.utils import timezone

from . import lifecycle
from .clients import rtorrent
from .clients import sftp as sftp_client
from .models import State, Torrent


def seeded_enough(torrent: Torrent) -> bool:
    """The seeding policy: ratio reached, or seeded for SEEDBOX_SEED_TIME seconds since it finished."""
    if torrent.ratio >= settings.SEEDBOX_SEED_RATIO:
        return True
    finished = torrent.remote_finished_at
    return bool(finished) and (timezone.now() - finished).total_seconds() >= settings.SEEDBOX_SEED_TIME


def run(torrent_id: int, worker: str) -> str:
    torrent = Torrent.objects.get(pk=torrent_id)
    if torrent.state != State.IMPORTED or not lifecycle.hold(torrent, worker):
        return f"{torrent.infohash}: not claimed (state {torrent.state})"
    if not seeded_enough(torrent):
        lifecycle.release(torrent, worker)
        return f"{torrent.infohash}: still seeding (ratio {torrent.ratio:.2f})"
    try:
        rtorrent.Client().erase(torrent.infohash)
        with sftp_client.Connection() as connection:
            sftp = connection.sftp()
            freed = sftp_client.delete_tree(sftp, torrent.base_path) if torrent.base_path else 0
    except (rtorrent.RtorrentError, sftp_client.SftpError, OSError) as exc:
        lifecycle.fail(torrent, State.IMPORTED, f"remote cleanup failed: {exc}", resume=State.IMPORTED,
                       where={"worker": worker})
        return f"{torrent.infohash}: cleanup failed: {exc}"
    lifecycle.transition(torrent, State.IMPORTED, State.REMOTE_CLEANED, where={"worker": worker}, worker="",
                         bytes_freed=freed, message=f"{torrent}: erased from rTorrent, {freed} bytes freed "
                         "on the seedbox", payload={"bytes_freed": freed})
    return f"{torrent.infohash}: cleaned, {freed} bytes freed"
