"""Plex Media Server and plex.tv, through python-plexapi (https://python-plexapi.readthedocs.io/).

    plex = Plex()                         # PLEX_URL, PLEX_TOKEN (mediasuite.config): the owner
    plex.users()                          # the owner, then home/managed/shared users of the server
    as_alice = plex.as_user(alice_id)     # the same server seen with Alice's own token
    rows = as_alice.listing(plex.sections(), {"unwatched": 1, "addedAt>>": 1700000000})

Every call has PLEX_TIMEOUT; every failure is a PlexError whose message says
what failed and what to do (a refused token names PLEX_TOKEN); PLEX_URL or
PLEX_TOKEN unset is PlexNotConfigured (503, as every service not configured).
Listing is one call per library whatever its size: the rows come from the
library listing (`/library/sections/<key>/all`), never from a call per item. plex.tv
is reached at PLEX_TV_URL (tests point it at a fake); a user's token is kept
in the cache for an hour. `watched_episodes` is the seedbox series dialog's
view of a show, read with the same client.
"""

import contextlib
from datetime import datetime
from urllib.parse import quote

import requests
from django.conf import settings
from django.core.cache import cache
from plexapi import exceptions as plex_errors
from plexapi.myplex import MyPlexAccount
from plexapi.server import PlexServer

from .. import config
from .connections import not_configured
from .http import NotConfigured, ServiceError

PLEX_TV = "https://plex.tv"
KINDS = {"movie": 1, "show": 2}  # Plex's metadata types of the sections listed
TOKEN_TTL = 3600
LISTING_CHUNK = 50_000  # rows of one listing call


class PlexError(ServiceError):
    """Plex could not be reached, refused, or has no such thing; the message says which and what to do."""


class PlexNotConfigured(PlexError, NotConfigured):
    """PLEX_URL or PLEX_TOKEN is not set: the API answers 503, as for every service not configured."""


class PlexNotFound(PlexError):
    """Plex has no item, library or user by that id."""


class _Session(requests.Session):
    """requests for plexapi: plex.tv calls go to PLEX_TV_URL."""

    def request(self, method, url, *args, **kwargs):
        base = settings.PLEX_TV_URL.rstrip("/")
        if base != PLEX_TV and isinstance(url, str) and url.startswith(PLEX_TV):
            url = base + url[len(PLEX_TV):]
        return super().request(method, url, *args, **kwargs)


@contextlib.contextmanager
def _errors(what: str):
    try:
        yield
    except plex_errors.Unauthorized as exc:
        raise PlexError(f"Plex refused the token while {what}; check PLEX_TOKEN.") from exc
    except plex_errors.NotFound as exc:
        raise PlexNotFound(f"Plex has no such item or library ({what}).") from exc
    except plex_errors.PlexApiException as exc:
        raise PlexError(f"Plex failed while {what}: {str(exc)[:200]}") from exc
    except requests.RequestException as exc:
        raise PlexError(f"Plex at {config.get('PLEX_URL')} did not answer while {what}: {exc}; "
                        f"check PLEX_URL.") from exc


def _number(value, kind=int):
    return kind(value) if value not in (None, "") else None


def _external_id(element, scheme: str) -> int | None:
    for guid in element.iter("Guid"):
        value = guid.get("id", "")
        if value.startswith(f"{scheme}://") and value[len(scheme) + 3:].isdigit():
            return int(value[len(scheme) + 3:])
    return None


def query_string(params: dict) -> str:
    """Plex's filter syntax, as plexapi writes it: operators in the key (`addedAt>>=<t>`), values quoted,
    a list repeated (`genre=1&genre=2`: both)."""
    pairs = [(key, value) for key, values in params.items()
             for value in (values if isinstance(values, list) else [values])]
    return "?" + "&".join(f"{key}={quote(str(value), safe='')}" for key, value in pairs)


def row(element, section_title: str) -> dict:
    """What MediaSuite keeps of a movie or show, from its element of Plex's XML (as plexapi received it).

    plexapi's objects cost about 3 ms each to read (lazy properties, and a
    reload from the server for each attribute left empty, such as a rating
    never given): a page reads the listing's XML itself.
    """
    attrs = element.attrib
    is_show = attrs.get("type") == "show"
    parts = [part for media in element.iter("Media") for part in media.iter("Part")]
    media = element.find("Media")
    if is_show:
        total, watched = _number(attrs.get("leafCount")) or 0, _number(attrs.get("viewedLeafCount")) or 0
        state = "watched" if total and watched >= total else "in_progress" if watched else "not_started"
    else:
        viewed = _number(attrs.get("viewCount")) or 0
        state = "watched" if viewed else "in_progress" if _number(attrs.get("viewOffset")) else "not_started"
    return {
        "rating_key": int(attrs["ratingKey"]),
        "media_type": "series" if is_show else "movie",
        "title": attrs.get("title", ""),
        "original_title": attrs.get("originalTitle", ""),
        "sort_title": attrs.get("titleSort", ""),
        "year": _number(attrs.get("year")),
        "rating": _number(attrs.get("userRating"), float),
        "library": attrs.get("librarySectionTitle") or section_title,
        "library_key": _number(attrs.get("librarySectionID")),
        "thumb": attrs.get("thumb", ""),
        "size": sum(_number(part.get("size")) or 0 for part in parts),
        "added_at": _number(attrs.get("addedAt")),
        "last_viewed_at": _number(attrs.get("lastViewedAt")),
        "watched_state": state,
        "watched_episodes": watched if is_show else None,
        "total_episodes": total if is_show else None,
        "resolution": media.get("videoResolution", "") if media is not None else "",
        "genres": [genre.get("tag", "") for genre in element.iter("Genre")],
        "tmdb_id": None if is_show else _external_id(element, "tmdb"),
        "tvdb_id": _external_id(element, "tvdb") if is_show else None,
    }


class Plex:
    """One Plex server as one user (the owner by default)."""

    def __init__(self, url: str | None = None, token: str | None = None, timeout: float | None = None):
        self.url = (url if url is not None else config.get("PLEX_URL")).rstrip("/")
        self.token = token if token is not None else config.get("PLEX_TOKEN")
        self.timeout = timeout or settings.PLEX_TIMEOUT
        if not (self.url and self.token):
            raise PlexNotConfigured(not_configured("plex"))
        self.session = _Session()
        self._server = None

    @property
    def server(self) -> PlexServer:
        if self._server is None:
            with _errors("connecting"):
                self._server = PlexServer(self.url, self.token, session=self.session, timeout=self.timeout)
        return self._server

    def identity(self) -> str:
        return f"{self.server.friendlyName} (Plex {self.server.version})"

    # -- libraries and users --------------------------------------------------------------------

    def sections(self) -> list:
        """The movie and show libraries, minus PLEX_LIBRARIES_TO_IGNORE."""
        ignored = {name.strip().lower() for name in settings.PLEX_LIBRARIES_TO_IGNORE}
        with _errors("listing the libraries"):
            found = self.server.library.sections()
        return [s for s in found if s.type in KINDS and s.title.lower() not in ignored]

    def _account(self) -> MyPlexAccount:
        with _errors("asking plex.tv for the account"):
            return MyPlexAccount(token=self.token, session=self.session, timeout=self.timeout)

    def users(self) -> list[dict]:
        """The owner first, then the users this server is shared with (home, managed, friends)."""
        found = cache.get(self._cache_key("users"))
        if found is None:
            account = self._account()
            with _errors("listing the users"):
                others = account.users()
            found = [{"id": account.id, "title": account.title or account.username, "owner": True},
                     *({"id": u.id, "title": u.title or u.username, "owner": False, "home": bool(u.home)}
                       for u in others)]
            cache.set(self._cache_key("users"), found, TOKEN_TTL)
        return found

    def as_user(self, user_id: int) -> "Plex":
        """This server seen as user `user_id` (with their own token); PlexError if no such user."""
        users = {u["id"]: u for u in self.users()}
        user = users.get(int(user_id))
        if user is None:
            raise PlexNotFound(f"Plex has no user {user_id}; choose one of the server's users.")
        if user["owner"]:
            return self
        key = self._cache_key(f"token:{user['id']}")
        token = cache.get(key)
        if token is None:
            account = self._account()
            with _errors(f"asking plex.tv for the token of {user['title']}"):
                match = next((u for u in account.users() if u.id == user["id"]), None)
                token = match.get_token(self.server.machineIdentifier) if match else None
            if not token:
                raise PlexError(f"plex.tv gives no token of {user['title']} for this server; share the "
                                f"server's libraries with them in Plex.")
            cache.set(key, token, TOKEN_TTL)
        return Plex(self.url, token, self.timeout)

    def _cache_key(self, what: str) -> str:
        return f"plex:{self.url}:{what}"

    # -- items ---------------------------------------------------------------------------------

    def listing(self, sections: list, params: dict) -> list[dict]:
        """Every row of the listing of `sections` that passes Plex filter `params`, in no set order.

        One call per section whatever its size (up to LISTING_CHUNK rows; a larger
        section takes one more call per LISTING_CHUNK): the rows come from the
        listing itself, never from a call per item.
        """
        rows = []
        for section in sections:
            query = query_string({"type": KINDS[section.type], "includeGuids": 1, **params})
            start, total = 0, None
            while total is None or start < total:
                with _errors(f"listing {section.title}"):
                    found = self.server.query(f"/library/sections/{section.key}/all{query}",
                                              headers={"X-Plex-Container-Start": str(start),
                                                       "X-Plex-Container-Size": str(LISTING_CHUNK)})
                total = _number(found.get("totalSize")) or 0
                start += LISTING_CHUNK
                rows += [row(element, section.title) for element in found if element.get("ratingKey")]
        return rows

    def choices(self, sections: list, field: str) -> dict[str, str]:
        """{title: id} of the values of a tag filter (genre, collection ...) of `sections`, one call each."""
        found = {}
        for section in sections:
            with _errors(f"listing the {field} values of {section.title}"):
                data = self.server.query(f"/library/sections/{section.key}/{field}")
            for element in data:
                found.setdefault(element.attrib.get("title", ""), element.attrib.get("key", ""))
        return found

    def item(self, rating_key: int):
        with _errors(f"reading item {rating_key}"):
            return self.server.fetchItem(int(rating_key))

    def item_row(self, rating_key: int) -> dict:
        with _errors(f"reading item {rating_key}"):
            found = self.server.query(f"/library/metadata/{int(rating_key)}")
        return row(found[0], found.get("librarySectionTitle", ""))

    def poster(self, rating_key: int) -> tuple[bytes, str]:
        """The poster image of an item (Plex's /library/metadata/<key>/thumb): (bytes, content type)."""
        with _errors(f"reading the poster of {rating_key}"):
            response = self.session.get(f"{self.url}/library/metadata/{int(rating_key)}/thumb",
                                        headers={"X-Plex-Token": self.token}, timeout=self.timeout)
        if response.status_code == 404:
            raise PlexNotFound(f"Plex has no poster for item {rating_key}.")
        if response.status_code in (401, 403):
            raise PlexError("Plex refused the token while reading a poster; check PLEX_TOKEN.")
        if response.status_code >= 400:
            raise PlexError(f"Plex answered {response.status_code} for the poster of {rating_key}.")
        return response.content, response.headers.get("Content-Type", "image/jpeg")

    def seasons(self, rating_key: int) -> list[dict]:
        """Watched/total episodes of each season of a show."""
        with _errors(f"reading the seasons of {rating_key}"):
            return [{"season": s.index, "watched": s.viewedLeafCount or 0, "total": s.leafCount or 0}
                    for s in self.item(rating_key).seasons()]

    def set_watched(self, rating_key: int, watched: bool) -> dict:
        """Mark a movie or every episode of a show watched or not, as this user; the fresh row."""
        item = self.item(rating_key)
        with _errors(f"marking {item.title} {'watched' if watched else 'not watched'}"):
            item.markPlayed() if watched else item.markUnplayed()
        return self.item_row(rating_key)

    def history(self, rating_key: int | None = None, account_id: int | None = None,
                since: datetime | None = None) -> list[dict]:
        with _errors("reading the watch history"):
            found = self.server.history(ratingKey=rating_key, accountID=account_id, mindate=since)
        return [{"rating_key": int(h.ratingKey) if h.ratingKey else None, "title": h.title,
                 "account_id": h.accountID, "viewed_at": int(h.viewedAt.timestamp()) if h.viewedAt else None}
                for h in found]

    def delete(self, rating_key: int) -> None:
        """Delete the item from Plex (and Plex deletes its files when the server allows it)."""
        item = self.item(rating_key)
        with _errors(f"deleting {item.title}"):
            item.delete()

    def scan(self, section_key: int | None = None) -> None:
        """Ask Plex to scan one library, or all of them."""
        with _errors("asking for a library scan"):
            if section_key is None:
                self.server.library.update()
            else:
                self.server.library.sectionByID(int(section_key)).update()

    def watched_episodes(self, tvdb_id: int) -> dict[tuple[int, int], bool] | None:
        """{(season, episode): watched} of the show whose guids hold tvdb://<id>; None: no such show.

        One listing per show library (with its guids), then the show's episodes.
        """
        wanted = f"tvdb://{int(tvdb_id)}"
        with _errors("listing the libraries"):
            found = [s for s in self.server.library.sections() if s.type == "show"]
        for section in found:
            with _errors(f"listing {section.title}"):
                shows = self.server.query(f"/library/sections/{section.key}/all?type=2&includeGuids=1")
            for show in shows:
                if wanted in [guid.get("id") for guid in show.iter("Guid")]:
                    with _errors(f"reading the episodes of {show.get('title')}"):
                        episodes = self.server.query(f"/library/metadata/{show.get('ratingKey')}/allLeaves")
                    return {(_number(e.get("parentIndex")) or 0, _number(e.get("index")) or 0):
                            bool(_number(e.get("viewCount"))) for e in episodes}
        return None

    def section(self, key: int):
        found = {int(s.key): s for s in self.sections()}
        if int(key) not in found:
            raise PlexNotFound(f"Plex has no library {key} (or it is in PLEX_LIBRARIES_TO_IGNORE).")
        return found[int(key)]


def configured() -> bool:
    return bool(config.get("PLEX_URL") and config.get("PLEX_TOKEN"))


def watched_episodes(tvdb_id: int) -> dict[tuple[int, int], bool] | None:
    """{(season, episode): watched} of the series Plex knows by this TVDB id, as the owner; None: none."""
    return Plex().watched_episodes(tvdb_id)
