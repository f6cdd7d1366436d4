"""Bringing a finished download home: seedbox -> staging/.incoming/<hash>/ -> staging/ready/<hash>/.

Each file is pulled as `<name>.part` and resumed from where it ends after
any interruption; its size must be the torrent's (a truncated remote file is
refused), and when the .torrent is known every piece hash is checked. Only
then is the whole folder renamed, in one atomic rename, into `ready/`: an
importer never sees a partial file.
"""

import hashlib
import logging
import os
import posixpath
import shutil
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from django import db
from django.conf import settings

from . import lifecycle
from .bencode import TorrentFile
from .clients import sftp as sftp_client
from .models import State, Torrent

logger = logging.getLogger("mediasuite.seedbox")

BEAT_EVERY = 1.0


class TransferError(Exception):
    """The transfer cannot complete as things are; the torrent fails with this reason."""


class ClaimLost(Exception):
    """Another worker took the step over; this one stops without touching the state."""


def staging() -> Path:
    return Path(settings.SEEDBOX_STAGING_DIR)


def incoming_dir(torrent: Torrent) -> Path:
    return staging() / ".incoming" / torrent.infohash


def ready_dir(torrent: Torrent) -> Path:
    return staging() / "ready" / torrent.infohash


def safe_relative(path: str) -> str:
    """A torrent's file path, refused if it could escape its folder."""
    parts = path.replace("\\", "/").split("/")
    if not path or "\x00" in path or path.startswith("/") or any(p in ("", ".", "..") for p in parts):
        raise TransferError(f"the torrent lists an unsafe file path {path!r}; refusing to write it")
    return "/".join(parts)


def plan(torrent: Torrent) -> list[tuple[str, str, int]]:
    """[(remote path, local relative path, size)] for every file of the torrent."""
    if not torrent.files:
        raise TransferError("rTorrent gave no file list for this torrent")
    base = sftp_client.confined(torrent.base_path)
    multi = len(torrent.files) > 1 or posixpath.basename(base) != torrent.files[0]["path"]
    items = []
    for entry in torrent.files:
        rel = safe_relative(entry["path"])
        remote = posixpath.join(base, rel) if multi else base
        items.append((sftp_client.confined(remote), rel, int(entry["size"])))
    return items


def verify_pieces(torrent: Torrent, parts: dict[str, Path]):
    """Check every piece hash of the .torrent over the pulled files, in the torrent's file order."""
    meta = TorrentFile(bytes(torrent.torrent_file))
    sha, filled, index = hashlib.sha1(), 0, 0
    for rel, _size in meta.files:
        with open(parts[safe_relative(rel)], "rb") as handle:
            while block := handle.read(min(1 << 20, meta.piece_length - filled)):
                sha.update(block)
                filled += len(block)
                if filled == meta.piece_length:
                    if sha.digest() != meta.pieces[index]:
                        raise TransferError(f"piece {index} does not match the .torrent's hash; "
                                            "the file will be pulled again")
                    sha, filled, index = hashlib.sha1(), 0, index + 1
    if filled and sha.digest() != meta.pieces[index]:
        raise TransferError(f"piece {index} does not match the .torrent's hash; the file will be pulled "
                            "again")


class Progress:
    """Counts bytes across threads, renews the claim and stores bytes/speed about once a second."""

    def __init__(self, torrent: Torrent, worker: str, done: int):
        self.torrent, self.worker = torrent, worker
        self.total = done
        self.lock = threading.Lock()
        self.window_start, self.window_bytes = time.monotonic(), 0
        self.last = 0.0
        self.lost = False

    def __call__(self, n: int) -> bool:
        with self.lock:
            self.total += n
            self.window_bytes += n
            now = time.monotonic()
            if now - self.last < BEAT_EVERY:
                return not self.lost
            rate = int(self.window_bytes / max(now - self.window_start, 1e-3))
            self.window_start, self.window_bytes, self.last = now, 0, now
            total = self.total
        if not lifecycle.beat(self.torrent, self.worker, progress_event=True, transferred_bytes=total,
                              transfer_rate=rate):
            self.lost = True
        return not self.lost


def run(torrent_id: int, worker: str) -> str:
    """Claim and transfer one torrent; returns what happened (for the job's result)."""
    torrent = Torrent.objects.get(pk=torrent_id)
    if not lifecycle.claim(torrent, State.REMOTE_COMPLETE, State.TRANSFERRING, worker,
                           message=f"{torrent}: transfer started by {worker}"):
        return f"{torrent.infohash}: not claimed (state {torrent.state}, held by another worker)"
    try:
        resumed = pull_home(torrent, worker)
    except ClaimLost:
        return f"{torrent.infohash}: claim lost to another worker"
    except (TransferError, sftp_client.SftpError, OSError) as exc:
        lifecycle.fail(torrent, State.TRANSFERRING, f"transfer failed: {exc}", resume=State.REMOTE_COMPLETE,
                       where={"worker": worker})
        return f"{torrent.infohash}: failed: {exc}"
    lifecycle.transition(torrent, State.TRANSFERRING, State.TRANSFERRED, where={"worker": worker},
                         message=f"{torrent}: transferred to {ready_dir(torrent)}",
                         payload={"ready_path": str(ready_dir(torrent)), "resumed_from": resumed},
                         worker="", transferred_bytes=torrent.size_bytes, transfer_rate=0, attempts=0)
    return f"{torrent.infohash}: transferred (resumed from {resumed} bytes)"


def pull_home(torrent: Torrent, worker: str) -> int:
    """Pull every file into .incoming, check it, rename into ready/; the bytes that were already there."""
    ready = ready_dir(torrent)
    if ready.is_dir():
        return 0
    items = plan(torrent)
    incoming = incoming_dir(torrent)
    incoming.mkdir(parents=True, exist_ok=True)
    parts = {rel: incoming / f"{rel}.part" for _, rel, _ in items}
    for rel, part in parts.items():
        part.parent.mkdir(parents=True, exist_ok=True)
        if (incoming / rel).exists() and not part.exists():  # renamed just before a crash: checked again
            os.replace(incoming / rel, part)
    resumed = sum(p.stat().st_size for p in parts.values() if p.exists())
    progress = Progress(torrent, worker, resumed)
    with sftp_client.Connection() as connection:
        def one(item):
            remote, rel, size = item
            sftp = connection.sftp()
            try:
                remote_size = sftp_client.size_of(sftp, remote)
                if remote_size is None:
                    raise TransferError(f"{remote} is missing on the seedbox")
                if remote_size != size:
                    what = "truncated" if remote_size < size else "larger"
                    raise TransferError(f"{remote} is {remote_size} bytes on the seedbox but the torrent "
                                        f"says {size}: {what}; refusing to import it")
                sftp_client.pull(sftp, remote, parts[rel], size, progress=progress,
                                 limit=settings.SEEDBOX_BANDWIDTH_LIMIT)
                if progress.lost:
                    raise ClaimLost()
                if parts[rel].stat().st_size != size:
                    raise TransferError(f"{rel}: got {parts[rel].stat().st_size} of {size} bytes")
            finally:
                sftp.close()
                db.connection.close()  # this thread's own connection (progress beats)

        with ThreadPoolExecutor(max_workers=max(1, settings.SEEDBOX_TRANSFER_PARALLEL)) as pool:
            for future in [pool.submit(one, item) for item in items]:
                future.result()
    if torrent.torrent_file:
        try:
            verify_pieces(torrent, parts)
        except TransferError:
            for part in parts.values():
                part.unlink(missing_ok=True)
            raise
    for rel, part in parts.items():
        with open(part, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(part, incoming / rel)
    ready.parent.mkdir(parents=True, exist_ok=True)
    os.replace(incoming, ready)
    return resumed


def discard(torrent: Torrent):
    """Remove what a transfer left locally (used when a torrent is removed)."""
    shutil.rmtree(incoming_dir(torrent), ignore_errors=True)
    shutil.rmtree(ready_dir(torrent), ignore_errors=True)
