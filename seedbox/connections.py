"""`Test connection` for every configured endpoint (Settings page and API): reachable, and who answers."""

import requests
from django.conf import settings

from mediasuite.clients.http import ServiceError
from mediasuite.clients.http import request as http_request

from .clients import arr, rtorrent, tmdb, torznab, tvdb
from .clients import sftp as sftp_client


def _rtorrent():
    return f"rTorrent {rtorrent.Client(settings.SEEDBOX_RTORRENT_URL, timeout=10).version()}"


def _sftp():
    with sftp_client.Connection(timeout=10) as connection:
        sftp = connection.sftp()
        root = sftp_client.remote_root()
        sftp.stat(root)
        return f"{connection.where}, remote root {root} readable"


def _arr(kind):
    def test():
        url, key = getattr(settings, f"{kind.upper()}_URL"), getattr(settings, f"{kind.upper()}_API_KEY")
        status = arr.Client(kind, url, key, timeout=10).status()
        return f"{status.get('appName', arr.LABEL[kind])} {status.get('version', '')}".strip()
    return test


def _plex():
    if not settings.PLEX_URL:
        raise ServiceError("not configured (PLEX_URL, PLEX_TOKEN); optional")
    http_request(requests.Session(), "GET", f"{settings.PLEX_URL.rstrip('/')}/identity", what="Plex",
                 key_setting="PLEX_TOKEN", timeout=10,
                 headers={"X-Plex-Token": settings.PLEX_TOKEN, "Accept": "application/json"})
    return "Plex answers"


CHECKS = {
    "rtorrent": _rtorrent,
    "sftp": _sftp,
    "sonarr": _arr(arr.SONARR),
    "radarr": _arr(arr.RADARR),
    "plex": _plex,
    "tmdb": tmdb.check,
    "tvdb": tvdb.check,
    "indexer": torznab.check,
}


def register(name: str, check):
    """Add another app's endpoint (trailers: YouTube) to the list; `check()` returns what answered."""
    CHECKS[name] = check


def test_all() -> list[dict]:
    results = []
    for name, check in CHECKS.items():
        try:
            results.append({"name": name, "ok": True, "message": check()})
        except (rtorrent.RtorrentError, sftp_client.SftpError, arr.ArrError, ServiceError, OSError) as exc:
            results.append({"name": name, "ok": False, "message": str(exc)})
    return results
