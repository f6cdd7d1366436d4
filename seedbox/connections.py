"""The seedbox's integrations in Settings → Connections: rTorrent, SFTP and the Torznab indexer."""

from mediasuite import config
from mediasuite.clients import connections
from mediasuite.clients.connections import Integration

from .clients import rtorrent, torznab
from .clients import sftp as sftp_client


def _rtorrent():
    return f"rTorrent {rtorrent.Client(timeout=10).version()}"


def _sftp():
    with sftp_client.Connection(timeout=10) as connection:
        sftp = connection.sftp()
        root = sftp_client.remote_root()
        sftp.stat(root)
        return f"{connection.where}, remote root {root} readable"


def register():
    connections.register(Integration(
        "rtorrent", "rTorrent", _rtorrent, errors=(rtorrent.RtorrentError,),
        description="The seedbox's torrent client, over XML-RPC.",
        fields=(config.Field("SEEDBOX_RTORRENT_URL", "XML-RPC URL", config.SECRET, required=True,
                             help="scgi://host:port, or http(s)://user:pass@host/RPC2 (ruTorrent's httprpc)"),
                config.Field("SEEDBOX_LABEL", "Label", default="mediasuite",
                             help="the label given to the torrents MediaSuite sends"))))
    connections.register(Integration(
        "sftp", "SFTP", _sftp, errors=(sftp_client.SftpError,),
        description="Brings finished downloads home from the seedbox.",
        fields=(config.Field("SEEDBOX_SFTP_HOST", "Host", required=True),
                config.Field("SEEDBOX_SFTP_PORT", "Port", config.NUMBER, default="22"),
                config.Field("SEEDBOX_SFTP_USER", "User", required=True),
                config.Field("SEEDBOX_SFTP_KEY", "Private key", config.KEY,
                             help="an unencrypted OpenSSH private key; or a password below"),
                config.Field("SEEDBOX_SFTP_PASSWORD", "Password", config.SECRET),
                config.Field("SEEDBOX_SFTP_KEY_FILE", "Private key file",
                             help="a key file on this machine, in place of the key above"),
                config.Field("SEEDBOX_SFTP_KNOWN_HOSTS", "known_hosts file",
                             help="holds the seedbox's host key; empty: ~/.ssh/known_hosts"),
                config.Field("SEEDBOX_REMOTE_ROOT", "Remote root", required=True,
                             help="the seedbox folder rTorrent downloads into; nothing outside it is "
                                  "read or deleted"))))
    connections.register(Integration(
        "indexer", "Indexer", torznab.check, description="Finds releases (Torznab: Prowlarr, Jackett).",
        fields=(config.Field("TORZNAB_URL", "Torznab URL", config.URL, required=True,
                             help="e.g. http://127.0.0.1:9696/1/api"),
                config.Field("TORZNAB_API_KEY", "API key", config.SECRET))))
