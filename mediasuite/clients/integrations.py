"""The hosted services whose clients the core holds, in Settings → Connections (imported by ready())."""

import requests

from .. import config
from . import arr, lastfm, plex, tmdb, tvdb
from .connections import Integration, not_configured, register
from .http import ServiceError
from .http import request as http_request
from .http import said as http_said


def _arr(kind):
    def check():
        status = arr.client(kind, timeout=10).status()
        return f"{status.get('appName', arr.LABEL[kind])} {status.get('version', '')}".strip()
    return check


def _plex():
    return plex.Plex(timeout=10).identity()


def _discord():
    """A GET of the webhook answers its name without posting anything (Discord's Get Webhook with Token)."""
    url = config.get("DISCORD_WEBHOOK_URL")
    if not url:
        raise ServiceError(not_configured("discord"))
    answer = http_request(requests.Session(), "GET", url, what="Discord", key_setting="DISCORD_WEBHOOK_URL",
                          timeout=10, accept=(404,))
    if answer.status_code == 404:
        said = f": {http_said(answer)}" if http_said(answer) else ""
        raise ServiceError(f"Discord does not know this webhook (404{said}): copy its URL again from Server "
                           "Settings > Integrations > Webhooks.")
    return f"Discord webhook {answer.json().get('name', '')}".strip()


def _lastfm():
    try:
        lastfm.Client().recent_tracks(config.get("LASTFM_USER"), limit=1, max_pages=1)
    except lastfm.LastfmError as exc:
        raise ServiceError(str(exc)) from None
    return "Last.fm accepts the key and knows the user"


def _url(name, label, default="", required=True, help=""):
    return config.Field(name, label, config.URL, default=default, required=required, help=help)


def _secret(name, label="API key", required=True, help=""):
    return config.Field(name, label, config.SECRET, required=required, help=help)


for _integration in (
    Integration("sonarr", "Sonarr", _arr(arr.SONARR), errors=(arr.ArrError,),
                description="Imports series into the library.",
                fields=(_url("SONARR_URL", "URL", help="e.g. http://127.0.0.1:8989"),
                        _secret("SONARR_API_KEY", help="Sonarr: Settings > General > API Key"))),
    Integration("radarr", "Radarr", _arr(arr.RADARR), errors=(arr.ArrError,),
                description="Imports movies into the library.",
                fields=(_url("RADARR_URL", "URL", help="e.g. http://127.0.0.1:7878"),
                        _secret("RADARR_API_KEY", help="Radarr: Settings > General > API Key"))),
    Integration("plex", "Plex", _plex,
                description="Scans its libraries after an import; the Library page (optional).",
                fields=(_url("PLEX_URL", "URL", help="e.g. http://127.0.0.1:32400"),
                        _secret("PLEX_TOKEN", "Token", help="the X-Plex-Token of your account"))),
    Integration("tmdb", "TMDB", tmdb.check, description="Finds movies; trailers of movies and series.",
                fields=(_secret("TMDB_API_KEY", help="an API key (v3) or a read access token (v4)"),
                        _url("TMDB_API_URL", "API URL", "https://api.themoviedb.org/3", required=False))),
    Integration("tvdb", "TVDB", tvdb.check, description="Finds series.",
                fields=(_secret("TVDB_API_KEY", help="a v4 project API key"),
                        _url("TVDB_API_URL", "API URL", "https://api4.thetvdb.com/v4", required=False))),
    Integration("discord", "Discord", _discord, description="The notifier posts chosen events to it.",
                fields=(_secret("DISCORD_WEBHOOK_URL", "Webhook URL",
                                help="Server Settings > Integrations > Webhooks > Copy Webhook URL"),)),
    Integration("lastfm", "Last.fm", _lastfm, description="The tracker reads a user's plays from it.",
                fields=(_secret("LASTFM_API_KEY", help="https://www.last.fm/api/account/create"),
                        config.Field("LASTFM_USER", "User", required=True),
                        _url("LASTFM_API_URL", "API URL", "https://ws.audioscrobbler.com/2.0/",
                             required=False))),
):
    register(_integration)
