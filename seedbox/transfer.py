"""Bringing a finished download home: seedbox -> staging/.incoming/<hash>/ -> staging/ready/<hash>/.

Each file is pulled as `<name>.part` and resumed from where it ends after
any interruption; its size must be the torrent's (a truncated remote file is
refused), and when the .torrent is known every piece hash is checked. Only
then is the whole folder renamed, in one atomic rename, into `ready/`: an
importer never sees a partial file.
"""

import glob
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


def ranges(size: int, count: int) -> list[tuple[int, int]]:
    """[(start, length)] of the ranges a file of `size` bytes is pulled in.

    When SEEDBOX_SPLIT_MIN is set, a file of that many bytes or more is
    pulled in `count` ranges, each over its own SSH connection into its own
    part file (resumed like any .part), then joined: for seedboxes that cap
    the speed of each connection. Off by default: on an uncapped link the
    join (a local copy) costs more than the extra connections bring.
    """
    split = settings.SEEDBOX_SPLIT_MIN
    if count <= 1 or not split or size < split:
        return [(0, size)]
    step = -(-size // count)
    return [(start, min(step, size - start)) for start in range(0, size, step)]


def range_part(part: Path, count: int, index: int) -> Path:
    return part.with_name(f"{part.name}-{count}-{index}")


def file_tasks(remote: str, part: Path, size: int, parallel: int) -> list[tuple[str, Path, int, int]]:
    """[(remote, local part, start, length)] to pull one file, resuming what its part files hold."""
    part.parent.mkdir(parents=True, exist_ok=True)
    final = part.with_name(part.name.removesuffix(".part"))
    if final.exists() and not part.exists():  # renamed just before a crash: checked again
        os.replace(final, part)
    pieces = ranges(size, parallel)
    wanted = {range_part(part, len(pieces), n) for n in range(len(pieces))} if len(pieces) > 1 else set()
    for leftover in part.parent.glob(f"{glob.escape(part.name)}-*"):
        if leftover not in wanted:  # ranges of another SEEDBOX_TRANSFER_PARALLEL: start them again
            leftover.unlink()
    if len(pieces) == 1 or (part.exists() and part.stat().st_size == size):
        return [(remote, part, 0, size)]
    part.unlink(missing_ok=True)
    return [(remote, range_part(part, len(pieces), n), start, length)
            for n, (start, length) in enumerate(pieces)]


def run_tasks(tasks, parallel: int, progress=None):
    """Pull every task, `parallel` at a time, each over its own SSH connection."""

    def one(task):
        remote, local, start, length = task
        try:
            with sftp_client.Connection() as own:
                sftp_client.pull(own.sftp(), remote, local, length, progress=progress,
                                 limit=settings.SEEDBOX_BANDWIDTH_LIMIT, start=start)
            if progress is not None and progress.lost:
                raise ClaimLost()
            if local.stat().st_size != length:
                raise TransferError(f"{local.name}: got {local.stat().st_size} of {length} bytes")
        finally:
            db.connection.close()  # this thread's own connection (progress beats)

    with ThreadPoolExecutor(max_workers=parallel) as pool:
        for future in [pool.submit(one, task) for task in tasks]:
            future.result()


def join_ranges(part: Path):
    """Join the range files of `part` (if it was pulled in ranges) into `part`."""
    pieces = sorted(part.parent.glob(f"{glob.escape(part.name)}-*"),
                    key=lambda p: int(p.name.rsplit("-", 1)[1]))
    if not pieces:
        return
    with open(part, "wb") as whole:
        for piece in pieces:
            with open(piece, "rb") as chunk:
                shutil.copyfileobj(chunk, whole, 1 << 22)
    for piece in pieces:
        piece.unlink()


def pull_home(torrent: Torrent, worker: str) -> int:
    """Pull every file into .incoming, check it, rename into ready/; the bytes that were already there."""
    ready = ready_dir(torrent)
    if ready.is_dir():
        return 0
    items = plan(torrent)
    incoming = incoming_dir(torrent)
    parallel = max(1, settings.SEEDBOX_TRANSFER_PARALLEL)
    parts = {rel: incoming / f"{rel}.part" for _, rel, _ in items}
    tasks = [task for remote, rel, size in items for task in file_tasks(remote, parts[rel], size, parallel)]
    resumed = sum(t[1].stat().st_size for t in tasks if t[1].exists())
    with sftp_client.Connection() as connection:
        sftp = connection.sftp()
        for remote, _rel, size in items:
            remote_size = sftp_client.size_of(sftp, remote)
            if remote_size is None:
                raise TransferError(f"{remote} is missing on the seedbox")
            if remote_size != size:
                what = "truncated" if remote_size < size else "larger"
                raise TransferError(f"{remote} is {remote_size} bytes on the seedbox but the torrent "
                                    f"says {size}: {what}; refusing to import it")
    run_tasks(tasks, parallel, Progress(torrent, worker, resumed))
    for part in parts.values():
        join_ranges(part)
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
