"""Last.fm API client (https://www.last.fm/api): only what the tracker needs.

The single seam tests replace: they point LASTFM_API_URL at tests/fakes/lastfm.py.
Every failure comes out as a LastfmError whose message an operator can act on;
`retry_later` says whether the next check may simply try again (network,
rate limit, Last.fm down) or whether the configuration must change (bad key,
unknown user).
"""

from dataclasses import dataclass
from datetime import UTC, datetime

import requests

from .. import config
from .connections import not_configured

# https://www.last.fm/api/errorcodes
AUTH_ERRORS = {4, 9, 10, 14, 26}
TRANSIENT_ERRORS = {8, 11, 16, 29}
TIMEOUT = (5, 10)  # connect, read (seconds)
USER_AGENT = "MediaSuite tracker (+https://github.com/)"


class LastfmError(Exception):
    def __init__(self, message: str, retry_later: bool = False):
        super().__init__(message)
        self.retry_later = retry_later


@dataclass(frozen=True)
class Play:
    artist: str
    track: str
    album: str
    played_at: datetime


class Client:
    def __init__(self, api_key: str | None = None, base_url: str | None = None, timeout=TIMEOUT):
        self.api_key = config.get("LASTFM_API_KEY") if api_key is None else api_key
        self.base_url = base_url or config.get("LASTFM_API_URL")
        self.timeout = timeout
        self.session = requests.Session()
        self.session.headers["User-Agent"] = USER_AGENT

    def call(self, method: str, **params) -> dict:
        if not self.api_key:
            raise LastfmError(not_configured("lastfm"))
        query = {"method": method, "api_key": self.api_key, "format": "json", **params}
        try:
            response = self.session.get(self.base_url, params=query, timeout=self.timeout)
        except requests.Timeout:
            raise LastfmError(f"Last.fm did not answer within {self.timeout[1]} s; trying again at the "
                              "next check.", retry_later=True) from None
        except requests.RequestException as exc:
            raise LastfmError(f"Cannot reach Last.fm at {self.base_url} ({type(exc).__name__}); trying "
                              "again at the next check.", retry_later=True) from None
        try:
            body = response.json()
        except ValueError:
            body = None
        if isinstance(body, dict) and "error" in body:
            code = body.get("error")
            message = str(body.get("message") or "no message")
            if code in AUTH_ERRORS:
                raise LastfmError(f"Last.fm rejected the API key (error {code}: {message}). "
                                  "Check LASTFM_API_KEY.")
            if code == 6:
                raise LastfmError(f"Last.fm does not know this user (error 6: {message}). Check LASTFM_USER.")
            if code in TRANSIENT_ERRORS or response.status_code == 429 or response.status_code >= 500:
                raise LastfmError(f"Last.fm is busy or down (error {code}: {message}); trying again at "
                                  "the next check.", retry_later=True)
            raise LastfmError(f"Last.fm answered error {code}: {message}.")
        if response.status_code == 429 or response.status_code >= 500:
            raise LastfmError(f"Last.fm is busy or down (HTTP {response.status_code}); trying again at "
                              "the next check.", retry_later=True)
        if response.status_code != 200 or not isinstance(body, dict):
            raise LastfmError(f"Unexpected answer from Last.fm (HTTP {response.status_code}, "
                              f"{response.headers.get('Content-Type', 'no content type')}).")
        return body

    def recent_tracks(self, user: str, since: int | None = None, limit: int = 200,
                      max_pages: int = 5) -> list[Play]:
        """The scrobbles of `user` since the unix time `since` (all pages, newest first).

        The track playing now (no date, @attr.nowplaying) is not a play yet: it is skipped.
        """
        if not user:
            raise LastfmError(not_configured("lastfm"))
        plays = []
        page = 1
        while True:
            params = {"user": user, "limit": limit, "page": page}
            if since is not None:
                params["from"] = since
            body = self.call("user.getrecenttracks", **params)
            recent = body.get("recenttracks")
            if not isinstance(recent, dict):
                raise LastfmError("Unexpected answer from Last.fm: no 'recenttracks' in it.")
            tracks = recent.get("track") or []
            if isinstance(tracks, dict):  # Last.fm sends a lone track as an object
                tracks = [tracks]
            plays += [play for play in map(parse_track, tracks) if play is not None]
            try:
                pages = int((recent.get("@attr") or {}).get("totalPages") or 1)
            except (TypeError, ValueError):
                pages = 1
            if page >= min(pages, max_pages):
                return plays
            page += 1


def _text(value) -> str:
    if isinstance(value, dict):
        value = value.get("#text") or value.get("name") or ""
    return str(value or "").strip()


def parse_track(item) -> Play | None:
    if not isinstance(item, dict):
        return None
    if str((item.get("@attr") or {}).get("nowplaying", "")).lower() == "true":
        return None
    try:
        uts = int((item.get("date") or {}).get("uts"))
    except (TypeError, ValueError, AttributeError):
        return None
    artist, track = _text(item.get("artist")), _text(item.get("name"))
    if not artist or not track:
        return None
    return Play(artist=artist[:255], track=track[:255], album=_text(item.get("album"))[:255],
                played_at=datetime.fromtimestamp(uts, tz=UTC))
