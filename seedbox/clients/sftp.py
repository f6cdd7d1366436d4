"""SFTP to the seedbox (paramiko), tuned for throughput, confined to the remote root.

paramiko's own reads are either one request at a time or a prefetch that
slows down as it buffers; here reads are pipelined by hand (a fixed number
of requests in flight over a large channel window) and each file gets its
own channel so several files move in parallel (bench/sftp_throughput.py).
Remote paths are POSIX whatever the local OS (`posixpath`).
"""

import io
import logging
import posixpath
import stat
import time
from collections import deque
from collections.abc import Callable
from pathlib import Path

import paramiko
from paramiko.buffered_pipe import BufferedPipe
from paramiko.sftp import CMD_DATA, CMD_READ, CMD_STATUS, int64

from mediasuite import config
from mediasuite.clients.connections import not_configured

logger = logging.getLogger("mediasuite.seedbox")

WINDOW = 1 << 25          # 32 MiB channel window: far above what is in flight, never waited for
MAX_PACKET = 1 << 18      # 256 KiB SSH packets: far fewer per-packet Python round trips than 32 KiB
# AES-GCM first: one pass for cipher and integrity (no separate HMAC); the rest as paramiko orders them.
CIPHERS = ("aes128-gcm@openssh.com", "aes256-gcm@openssh.com", "aes128-ctr", "aes192-ctr", "aes256-ctr")
REQUEST_SIZE = 1 << 17    # 128 KiB reads (OpenSSH's sftp-server answers up to 255 KiB); measured best
IN_FLIGHT = 64            # concurrent read requests per file


class SftpError(Exception):
    """The seedbox's SFTP refused or failed; the message says what and what to check."""


class PathOutsideRoot(SftpError):
    pass


def remote_root(root: str | None = None) -> str:
    """SEEDBOX_REMOTE_ROOT normalised; refused unless it is an absolute folder other than /."""
    given = root if root is not None else config.get("SEEDBOX_REMOTE_ROOT")
    normal = posixpath.normpath(given) if given else ""
    if not normal.startswith("/") or normal == "/":
        raise PathOutsideRoot("SEEDBOX_REMOTE_ROOT must be an absolute folder (not /) on the seedbox.")
    return normal


def confined(path: str, root: str | None = None) -> str:
    """`path` normalised, refused unless it lies strictly inside the remote root."""
    root = remote_root(root)
    if "\x00" in path:
        raise PathOutsideRoot(f"remote path {path!r} contains a NUL byte")
    normal = posixpath.normpath(posixpath.join(root, path))
    if not normal.startswith(root + "/"):
        raise PathOutsideRoot(f"remote path {path!r} is outside SEEDBOX_REMOTE_ROOT ({root})")
    return normal


class _ByteArrayPipe(BufferedPipe):
    """paramiko's channel input buffer on a bytearray instead of an array.array.

    paramiko's buffer drops what was read with `del buffer[:n]`, which moves
    every byte still buffered: with megabytes of pipelined answers waiting
    that is most of a transfer's CPU. A bytearray drops its head without
    moving the rest.
    """

    def __init__(self):
        super().__init__()
        self._buffer = bytearray()

    def _buffer_frombytes(self, data):
        self._buffer.extend(data)

    def _buffer_tobytes(self, limit=None):
        return bytes(self._buffer[:limit])


def private_key(text: str) -> paramiko.PKey:
    """An OpenSSH or PEM private key (Ed25519, ECDSA or RSA) as text, as Settings → Connections keeps it."""
    for kind in (paramiko.Ed25519Key, paramiko.ECDSAKey, paramiko.RSAKey):
        try:
            return kind.from_private_key(io.StringIO(text.strip() + "\n"))
        except paramiko.SSHException:
            continue
    raise SftpError("The SFTP private key is not an unencrypted Ed25519, ECDSA or RSA private key.")


class Connection:
    """One SSH transport; `sftp()` opens a channel (one per thread)."""

    def __init__(self, host=None, port=None, user=None, key_file=None, password=None, known_hosts=None,
                 timeout: float = 30.0):
        host = host or config.get("SEEDBOX_SFTP_HOST")
        port = int(port or config.get("SEEDBOX_SFTP_PORT"))
        user = user or config.get("SEEDBOX_SFTP_USER")
        key_file = key_file if key_file is not None else config.get("SEEDBOX_SFTP_KEY_FILE")
        password = password if password is not None else config.get("SEEDBOX_SFTP_PASSWORD")
        known_hosts = known_hosts if known_hosts is not None else config.get("SEEDBOX_SFTP_KNOWN_HOSTS")
        key_text = config.get("SEEDBOX_SFTP_KEY") if key_file is None else ""
        if not host or not user:
            raise SftpError(not_configured("sftp"))
        self.where = f"{user}@{host}:{port}"
        try:
            self.transport = paramiko.Transport((host, port), default_window_size=WINDOW,
                                                default_max_packet_size=MAX_PACKET)
            self.transport.banner_timeout = timeout
            options = self.transport.get_security_options()
            options.ciphers = [c for c in CIPHERS if c in options.ciphers] or options.ciphers
            self.transport.start_client(timeout=timeout)
            self._check_host_key(host, port, known_hosts)
            if key_text or key_file:
                self.transport.auth_publickey(user, private_key(key_text) if key_text
                                              else paramiko.PKey.from_path(key_file))
            elif password:
                self.transport.auth_password(user, password)
            else:
                raise SftpError("SFTP needs a private key or a password: set one in Settings → Connections.")
        except (OSError, paramiko.SSHException) as exc:
            self.close()
            raise SftpError(f"SFTP to {self.where} failed: {exc}. Check the SFTP connection in Settings "
                            "→ Connections.") from exc
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
        """A new SFTP channel (what SFTPClient.from_transport does, with the faster input buffer)."""
        try:
            channel = self.transport.open_session(window_size=WINDOW, max_packet_size=MAX_PACKET)
            channel.in_buffer = _ByteArrayPipe()
            channel.invoke_subsystem("sftp")
            return paramiko.SFTPClient(channel)
        except (OSError, paramiko.SSHException) as exc:
            raise SftpError(f"SFTP to {self.where} failed: {exc}. Check the SEEDBOX_SFTP_* settings.") \
                from exc

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


class _Responses:
    """Collects the answers to our pipelined reads (paramiko calls `_async_response` per packet)."""

    def __init__(self):
        self.done = {}

    def _async_response(self, t, msg, num):
        self.done[num] = (t, msg)


def _answer(sftp: paramiko.SFTPClient, responses: _Responses, num: int):
    while num not in responses.done:
        sftp._read_response()
    t, msg = responses.done.pop(num)
    if t == CMD_STATUS:
        sftp._convert_status(msg)  # raises EOFError / IOError with the server's message
    if t != CMD_DATA:
        raise SftpError(f"unexpected SFTP answer type {t} to a read")
    return msg.get_string()


def pull(sftp: paramiko.SFTPClient, remote: str, local: Path, size: int,
         progress: Callable[[int], bool] | None = None, limit: int = 0, start: int = 0) -> int:
    """Append `remote` bytes [start, start + size) to `local` from where `local` ends; the bytes read.

    Reads are pipelined by hand (IN_FLIGHT requests of REQUEST_SIZE in
    flight, answers written in order): paramiko's own prefetch buffers the
    whole file in a dict scanned on every read and polls with 10 ms sleeps
    when bounded, which is what keeps it far below OpenSSH.
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
    responses = _Responses()
    pending = deque()
    with sftp.open(remote, "rb") as source, open(local, "ab") as target:
        handle = source.handle
        next_offset = offset
        try:
            while True:
                while len(pending) < IN_FLIGHT and next_offset < size:
                    length = min(REQUEST_SIZE, size - next_offset)
                    num = sftp._async_request(responses, CMD_READ, handle, int64(start + next_offset),
                                              int(length))
                    pending.append((num, next_offset, length))
                    next_offset += length
                if not pending:
                    break
                num, at, length = pending.popleft()
                data = _answer(sftp, responses, num)
                while len(data) < length:  # a short read: fetch the gap before what follows
                    gap = len(data)
                    _, answer = sftp._request(CMD_READ, handle, int64(start + at + gap), int(length - gap))
                    extra = answer.get_string()
                    if not extra:
                        raise SftpError(f"{remote} ended at {start + at + gap} bytes, expected more")
                    data += extra
                target.write(data)
                read += len(data)
                if progress is not None and progress(len(data)) is False:
                    break
                if limit:
                    ahead = read / limit - (time.monotonic() - started)
                    if ahead > 0:
                        time.sleep(ahead)
        finally:
            for num, _, _ in pending:  # leave no answer unread on the channel
                while num not in responses.done:
                    sftp._read_response()
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
