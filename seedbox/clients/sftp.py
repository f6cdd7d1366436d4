"""SFTP to the seedbox (paramiko), tuned for throughput, confined to the remote root.

paramiko's defaults (2 MiB window, 32 KiB requests, one request in flight)
reach about a quarter of OpenSSH's `sftp`; here the channel window is large,
reads are prefetched with many requests in flight and big request sizes,
and each file gets its own channel so several files move in parallel.
Remote paths are POSIX whatever the local OS (`posixpath`).
"""

import logging
import posixpath
import stat
import time
from collections.abc import Callable
from pathlib import Path

import paramiko
from django.conf import settings

logger = logging.getLogger("mediasuite.seedbox")

WINDOW = 1 << 27          # 128 MiB channel window: the sender is never waiting for window adjusts
MAX_PACKET = 1 << 15      # what OpenSSH's sftp-server sends per SSH packet anyway
REQUEST_SIZE = 1 << 18    # 256 KiB reads (OpenSSH's sftp-server answers up to 255 KiB)
IN_FLIGHT = 64            # concurrent read requests per file
CHUNK = 1 << 20


class SftpError(Exception):
    """The seedbox's SFTP refused or failed; the message says what and what to check."""


class PathOutsideRoot(SftpError):
    pass


def confined(path: str, root: str | None = None) -> str:
    """`path` normalised, refused unless it lies strictly inside the remote root."""
    root = posixpath.normpath(root if root is not None else settings.SEEDBOX_REMOTE_ROOT)
    if not root or root == "/" or not root.startswith("/"):
        raise PathOutsideRoot("SEEDBOX_REMOTE_ROOT must be an absolute folder (not /) on the seedbox.")
    if "\x00" in path:
        raise PathOutsideRoot(f"remote path {path!r} contains a NUL byte")
    normal = posixpath.normpath(posixpath.join(root, path))
    if not normal.startswith(root + "/"):
        raise PathOutsideRoot(f"remote path {path!r} is outside SEEDBOX_REMOTE_ROOT ({root})")
    return normal


class Connection:
    """One SSH transport; `sftp()` opens a channel (one per thread)."""

    def __init__(self, host=None, port=None, user=None, key_file=None, password=None, known_hosts=None,
                 timeout: float = 30.0):
        host = host or settings.SEEDBOX_SFTP_HOST
        port = port or settings.SEEDBOX_SFTP_PORT
        user = user or settings.SEEDBOX_SFTP_USER
        key_file = key_file if key_file is not None else settings.SEEDBOX_SFTP_KEY_FILE
        password = password if password is not None else settings.SEEDBOX_SFTP_PASSWORD
        known_hosts = known_hosts if known_hosts is not None else settings.SEEDBOX_SFTP_KNOWN_HOSTS
        if not host or not user:
            raise SftpError("SFTP is not configured: set SEEDBOX_SFTP_HOST and SEEDBOX_SFTP_USER.")
        self.where = f"{user}@{host}:{port}"
        try:
            self.transport = paramiko.Transport((host, port), default_window_size=WINDOW,
                                                default_max_packet_size=MAX_PACKET)
            self.transport.banner_timeout = timeout
            self.transport.start_client(timeout=timeout)
            self._check_host_key(host, port, known_hosts)
            if key_file:
                self.transport.auth_publickey(user, paramiko.PKey.from_path(key_file))
            elif password:
                self.transport.auth_password(user, password)
            else:
                raise SftpError("SFTP needs SEEDBOX_SFTP_KEY_FILE or SEEDBOX_SFTP_PASSWORD.")
        except (OSError, paramiko.SSHException) as exc:
            self.close()
            raise SftpError(f"SFTP to {self.where} failed: {exc}. Check the SEEDBOX_SFTP_* settings.") \
                from exc
        self.transport.set_keepalive(30)

    def _check_host_key(self, host, port, known_hosts):
        keys = paramiko.HostKeys()
        path = Path(known_hosts) if known_hosts else Path.home() / ".ssh" / "known_hosts"
        if path.is_file():
            keys.load(str(path))
        server = self.transport.get_remote_server_key()
        name = host if port == 22 else f"[{host}]:{port}"
        if not keys.check(name, server):
            raise SftpError(f"the host key of {name} is not in {path}; add it (ssh-keyscan -p {port} {host}) "
                            "or set SEEDBOX_SFTP_KNOWN_HOSTS")

    def sftp(self) -> paramiko.SFTPClient:
        return paramiko.SFTPClient.from_transport(self.transport, window_size=WINDOW,
                                                  max_packet_size=MAX_PACKET)

    def close(self):
        transport = getattr(self, "transport", None)
        if transport is not None:
            transport.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def size_of(sftp: paramiko.SFTPClient, remote: str) -> int | None:
    try:
        return sftp.stat(remote).st_size
    except FileNotFoundError:
        return None


def pull(sftp: paramiko.SFTPClient, remote: str, local: Path, size: int,
         progress: Callable[[int], bool] | None = None, limit: int = 0) -> int:
    """Append `remote` to `local` from where `local` ends, up to `size` bytes; returns the bytes read.

    `progress(n)` is called with each chunk's size and may return False to
    stop (the claim was lost). `limit` caps the rate in bytes per second.
    """
    offset = local.stat().st_size if local.exists() else 0
    if offset > size:
        local.unlink()
        offset = 0
    if offset == size:
        return 0
    read = 0
    started = time.monotonic()
    with sftp.open(remote, "rb") as source, open(local, "ab") as target:
        source.MAX_REQUEST_SIZE = REQUEST_SIZE
        source.seek(offset)
        source.prefetch(size, max_concurrent_requests=IN_FLIGHT)
        while offset + read < size:
            data = source.read(min(CHUNK, size - offset - read))
            if not data:
                break
            target.write(data)
            read += len(data)
            if progress is not None and progress(len(data)) is False:
                break
            if limit:
                ahead = read / limit - (time.monotonic() - started)
                if ahead > 0:
                    time.sleep(ahead)
        target.flush()
    return read


def walk_size(sftp: paramiko.SFTPClient, path: str) -> int:
    attrs = sftp.lstat(path)
    if not stat.S_ISDIR(attrs.st_mode):
        return attrs.st_size or 0
    return sum(walk_size(sftp, posixpath.join(path, entry.filename)) for entry in sftp.listdir_attr(path))


def delete_tree(sftp: paramiko.SFTPClient, path: str) -> int:
    """Delete a file or a folder recursively, confined to the remote root; the bytes freed."""
    path = confined(path)
    try:
        attrs = sftp.lstat(path)
    except FileNotFoundError:
        return 0
    if not stat.S_ISDIR(attrs.st_mode):
        sftp.remove(path)
        return attrs.st_size or 0
    freed = 0
    for entry in sftp.listdir_attr(path):
        freed += delete_tree(sftp, posixpath.join(path, entry.filename))
    sftp.rmdir(path)
    return freed
