"""Real rTorrent and a real OpenSSH sshd, started per test on loopback ports in temp dirs."""

import os
import shutil
import subprocess
import uuid

import pytest

from seedbox.bencode import make_torrent
from seedbox.clients import rtorrent
from tests.conftest import Process, free_port, wait_for

SSHD = shutil.which("sshd") or "/usr/sbin/sshd"


class Seedbox:
    """rTorrent whose download dir is `remote_root`, and sshd serving it to the key `client_key`."""

    def __init__(self, root):
        self.root = root
        self.remote_root = root / "remote"
        self.remote_root.mkdir(parents=True)
        self.scgi_port = free_port()
        self.ssh_port = free_port()
        self.url = f"scgi://127.0.0.1:{self.scgi_port}"
        self.processes = []

    def start_rtorrent(self):
        session = self.root / "session"
        session.mkdir()
        config = self.root / "rtorrent.rc"
        low = free_port()
        config.write_text("\n".join([
            f"directory.default.set = {self.remote_root}",
            f"session.path.set = {session}",
            f"network.scgi.open_port = 127.0.0.1:{self.scgi_port}",
            f"network.port_range.set = {low}-{low}",
            "network.port_random.set = no",
            "dht.mode.set = disable",
            "protocol.pex.set = no",
            "trackers.use_udp.set = no",
            "system.daemon.set = true",
            "",
        ]))
        proc = Process(["rtorrent", "-n", "-o", f"import={config}"], dict(os.environ),
                       self.root / "rtorrent.log")
        self.processes.append(proc)
        client = rtorrent.Client(self.url, timeout=5)

        def up():
            if proc.popen.poll() is not None:
                raise AssertionError(f"rtorrent exited:\n{proc.output()}")
            try:
                return client.version()
            except rtorrent.RtorrentError:
                return False

        wait_for(up, timeout=30, message="rtorrent to answer on SCGI")
        self.client = client

    def start_sshd(self):
        host_key = self.root / "host_key"
        self.client_key = self.root / "client_key"
        for key in (host_key, self.client_key):
            subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True)
        authorized = self.root / "authorized_keys"
        authorized.write_text((self.root / "client_key.pub").read_text())
        authorized.chmod(0o600)
        self.known_hosts = self.root / "known_hosts"
        self.known_hosts.write_text(f"[127.0.0.1]:{self.ssh_port} {(self.root / 'host_key.pub').read_text()}")
        config = self.root / "sshd_config"
        config.write_text("\n".join([
            f"Port {self.ssh_port}", "ListenAddress 127.0.0.1", f"HostKey {host_key}",
            f"PidFile {self.root / 'sshd.pid'}", f"AuthorizedKeysFile {authorized}", "StrictModes no",
            "UsePAM no", "PasswordAuthentication no", "KbdInteractiveAuthentication no",
            "PubkeyAuthentication yes", "PermitRootLogin prohibit-password", "Subsystem sftp internal-sftp",
            "MaxStartups 50", "LogLevel ERROR", "",
        ]))
        if os.geteuid() == 0:
            # sshd started by root wants its privilege separation directory (systemd creates it).
            os.makedirs("/run/sshd", mode=0o755, exist_ok=True)
        proc = Process([SSHD, "-D", "-e", "-f", str(config)], dict(os.environ), self.root / "sshd.log")
        self.processes.append(proc)
        import socket

        def up():
            if proc.popen.poll() is not None:
                raise AssertionError(f"sshd exited:\n{proc.output()}")
            try:
                with socket.create_connection(("127.0.0.1", self.ssh_port), timeout=1) as sock:
                    return sock.recv(4).startswith(b"SSH-")
            except OSError:
                return False

        wait_for(up, timeout=30, message="sshd to answer")

    @property
    def user(self):
        import pwd

        return pwd.getpwuid(os.geteuid()).pw_name

    def env(self, staging) -> dict:
        """The MediaSuite settings pointing at this seedbox (for child processes)."""
        return {
            "SEEDBOX_RTORRENT_URL": self.url,
            "SEEDBOX_SFTP_HOST": "127.0.0.1",
            "SEEDBOX_SFTP_PORT": str(self.ssh_port),
            "SEEDBOX_SFTP_USER": self.user,
            "SEEDBOX_SFTP_KEY_FILE": str(self.client_key),
            "SEEDBOX_SFTP_KNOWN_HOSTS": str(self.known_hosts),
            "SEEDBOX_REMOTE_ROOT": str(self.remote_root),
            "SEEDBOX_STAGING_DIR": str(staging),
        }

    def seed(self, name: str, files: dict[str, bytes]) -> tuple[bytes, str]:
        """Write `files` under the download dir and return (.torrent bytes, infohash) for them."""
        from seedbox.bencode import TorrentFile

        single = list(files) == [name]
        for rel, content in files.items():
            path = self.remote_root / (rel if single else f"{name}/{rel}")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
        data = make_torrent(list(files.items()), name)
        return data, TorrentFile(data).infohash

    def stop(self):
        for proc in reversed(self.processes):
            proc.stop()


@pytest.fixture
def seedbox(tmp_path):
    box = Seedbox(tmp_path / f"seedbox-{uuid.uuid4().hex[:6]}")
    try:
        box.start_rtorrent()
        box.start_sshd()
        yield box
    finally:
        box.stop()


@pytest.fixture
def seedbox_settings(seedbox, settings, tmp_path):
    """Django settings of the test process pointed at the real seedbox."""
    staging = tmp_path / "staging"
    for name, value in seedbox.env(staging).items():
        setattr(settings, name, int(value) if name.endswith("_PORT") else value)
    settings.SEEDBOX_SEED_RATIO = 0
    settings.SEEDBOX_SEED_TIME = 0
    return settings


@pytest.fixture
def finished(seedbox, seedbox_settings, transactional_db):
    """finished(name, files, **media) -> a Torrent sent to the real rTorrent and polled to remote_complete."""
    from seedbox import sending, sync
    from seedbox.models import State

    def make(name, files, media_type="series", **media):
        data, infohash = seedbox.seed(name, files)
        if media_type == "series":
            media.setdefault("tvdb_id", 81189)
        else:
            media.setdefault("tmdb_id", 603)
        torrent, _ = sending.add(None, media_type=media_type, torrent_file=data, title=name, **media)

        def complete():
            sync.poll()
            torrent.refresh_from_db()
            return torrent.state == State.REMOTE_COMPLETE

        wait_for(complete, timeout=60, message=f"{name} to be remote_complete")
        return torrent

    return make
