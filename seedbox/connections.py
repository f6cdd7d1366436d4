"""The seedbox's endpoints in the core's `Test connection` list: rTorrent, SFTP and the Torznab indexer."""

from django.conf import settings

from mediasuite.clients import connections

from .clients import rtorrent, torznab
from .clients import sftp as sftp_client


def _rtorrent():
    return f"rTorrent {rtorrent.Client(settings.SEEDBOX_RTORRENT_URL, timeout=10).version()}"


def _sftp():
    with sftp_client.Connection(timeout=10) as connection:
        sftp = connection.sftp()
        root = sftp_client.remote_root()
        sftp.stat(root)
        return f"{connection.where}, remote root {root} readable"


def register():
    connections.register("rtorrent", _rtorrent, errors=(rtorrent.RtorrentError,))
    connections.register("sftp", _sftp, errors=(sftp_client.SftpError,))
    connections.register("indexer", torznab.check)
