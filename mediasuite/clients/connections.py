"""`Test connection` for every configured endpoint (Settings page and API): reachable, and who answers.

The core tests the hosted services whose clients it holds (Sonarr, Radarr,
Plex, TMDB, TVDB); an app adds its own endpoints from its AppConfig.ready():

    connections.register("rtorrent", rtorrent_check, errors=(RtorrentError,))

`check()` returns one line saying who answered; raising ServiceError, OSError
or one of the exceptions the app registered with it is a failed test, and its
message is what the operator reads.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings

from . import arr, plex, tmdb, tvdb
from .http import ServiceError


@dataclass(frozen=True)
class Check:
    name: str
    check: Callable[[], str]
    errors: tuple[type[Exception], ...] = ()


def _arr(kind):
    def test():
        url, key = getattr(settings, f"{kind.upper()}_URL"), getattr(settings, f"{kind.upper()}_API_KEY")
        status = arr.Client(kind, url, key, timeout=10).status()
        return f"{status.get('appName', arr.LABEL[kind])} {status.get('version', '')}".strip()
    return test


def _plex():
    if not settings.PLEX_URL:
        raise ServiceError("not configured (PLEX_URL, PLEX_TOKEN); optional")
    return plex.Plex(timeout=10).identity()


_checks: dict[str, Check] = {}


def register(name: str, check: Callable[[], str], errors: tuple[type[Exception], ...] = ()):
    """Add an endpoint to the list (an app's own: rTorrent, SFTP, YouTube ...), after those already there."""
    _checks[name] = Check(name, check, errors)


register("sonarr", _arr(arr.SONARR), errors=(arr.ArrError,))
register("radarr", _arr(arr.RADARR), errors=(arr.ArrError,))
register("plex", _plex)
register("tmdb", tmdb.check)
register("tvdb", tvdb.check)


def test_all() -> list[dict]:
    results = []
    for item in _checks.values():
        try:
            results.append({"name": item.name, "ok": True, "message": item.check()})
        except (ServiceError, OSError, *item.errors) as exc:
            results.append({"name": item.name, "ok": False, "message": str(exc)})
    return results
