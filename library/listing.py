"""One page of the library as one Plex user: filters turned into Plex's, rows completed from Sonarr/Radarr.

A page is cut from the view's index (index.py): sorted on any column, at any
depth, without asking Plex for rows. Building the index costs one Plex call
per chosen library (plus one per library and tag filter, for the ids of the
genre, collection or person names) and one Sonarr and one Radarr call (kept
for a minute); every page then costs the check of the user and libraries
(three Plex calls: server, library, sections), one query for the index's
freshness and the media decorators' bulk lookups (trailer status).
"""

import calendar
from datetime import datetime, time, timedelta

from django.core.cache import cache
from django.utils import timezone

from mediasuite import config, media
from mediasuite.clients import arr, tmdb, tvdb
from mediasuite.clients.http import ServiceError

from . import index
from .models import Preference

WATCHED = {"not_started": {"unwatched": 1, "inProgress": 0}, "in_progress": {"inProgress": 1},
           "watched": {"unwatched": 0}}
# Filters on Plex tags: the API's field -> Plex's filter (its values are named; Plex wants their ids).
TAG_FILTERS = {"genres": "genre", "collections": "collection", "actor": "actor", "director": "director",
               "writer": "writer"}
UPCOMING = {"tba", "announced", "inCinemas", "upcoming"}
ARR_TTL = 60


class BadFilter(Exception):
    """A filter names something the chosen libraries do not have."""


def _day(value, end=False) -> int:
    moment = datetime.combine(value, time.max if end else time.min)
    return int(timezone.make_aware(moment).timestamp())


def period(name: str, date_from=None, date_to=None) -> tuple[int, int | None]:
    """(start, end or None) in Unix seconds of today, 7d, 30d, this_month, last_month or range."""
    today = timezone.localdate()
    if name == "today":
        return _day(today), None
    if name in ("7d", "30d"):
        return _day(today - timedelta(days=int(name[:-1]))), None
    if name == "this_month":
        return _day(today.replace(day=1)), None
    if name == "last_month":
        last = today.replace(day=1) - timedelta(days=1)
        days = calendar.monthrange(last.year, last.month)[1]
        return _day(last.replace(day=1)), _day(last.replace(day=days), end=True)
    return (_day(date_from) if date_from else 0), (_day(date_to, end=True) if date_to else None)


def plex_filters(data: dict, plex, sections) -> dict:
    """The Plex query parameters of the page's filters (validated data of the API)."""
    params = {}
    for name in ("title", "year", "resolution", "studio"):
        if data.get(name):
            params[name] = data[name]
    params.update(WATCHED.get(data.get("watched", "all"), {}))
    if data.get("date"):
        field = "lastViewedAt" if data.get("date_field") == "viewed" else "addedAt"
        start, end = period(data["date"], data.get("date_from"), data.get("date_to"))
        params[f"{field}>>"] = start
        if end is not None:
            params[f"{field}<<"] = end
    for name, field in TAG_FILTERS.items():
        wanted = data.get(name) or []
        if not wanted:
            continue
        wanted = wanted if isinstance(wanted, list) else [wanted]
        known = plex.choices(sections, field)
        missing = [value for value in wanted if value not in known]
        if missing:
            raise BadFilter(f"No {field} {', '.join(missing)} in the chosen libraries.")
        ids = [known[value] for value in wanted]
        every = name == "genres" and data.get("genres_mode") == "all"
        params[field] = ids if every else ",".join(ids)
    rating = data.get("rating")
    if rating == "rated":
        params["userRating>>"] = 1
    elif rating == "not_rated":
        params["userRating<<"] = 0
    elif rating in ("gte", "lte", "eq"):
        operator = {"gte": "userRating>>", "lte": "userRating<<", "eq": "userRating"}[rating]
        params[operator] = data["rating_value"]
    return params


def blank(row: dict) -> dict:
    row.update(in_arr=None, arr_id=None, root_folder="", incomplete=None, production_status="")
    return row


def _arr_key(kind: str) -> str:
    return f"library:arr:{kind}:{config.get(f'{kind.upper()}_URL')}"


def arr_columns(kind: str) -> dict:
    """{external id: what the rows show} of every series or movie of Sonarr/Radarr: one call, then kept
    ARR_TTL seconds (a whole library's JSON is large; the actions forget it when they change it)."""
    found = cache.get(_arr_key(kind))
    if found is None:
        id_param = "tvdbId" if kind == arr.SONARR else "tmdbId"
        found = {}
        for item in arr.client(kind, timeout=15).all():
            stats = item.get("statistics") or {}
            status = item.get("status", "")
            found[item.get(id_param)] = {
                "arr_id": item["id"], "root_folder": item.get("rootFolderPath", ""),
                "production_status": "upcoming" if status in UPCOMING else status,
                "size": stats.get("sizeOnDisk", 0),
                "incomplete": stats.get("episodeFileCount", 0) < stats.get("episodeCount", 0)}
        cache.set(_arr_key(kind), found, ARR_TTL)
    return found


def forget(kind: str) -> None:
    cache.delete(_arr_key(kind))


ARR_KINDS = ((arr.SONARR, "series", "tvdb_id"), (arr.RADARR, "movie", "tmdb_id"))


def _in_arr(rows: list[dict], warnings: list[str]):
    """(row, its Sonarr/Radarr columns or None) of each row with the id its service knows it by: one call
    per service at most; a service that fails adds its warning and says nothing of its rows."""
    for kind, media_type, field in ARR_KINDS:
        wanted = [r for r in rows if r["media_type"] == media_type and r.get(field)]
        if not wanted or not arr.configured(kind):
            continue
        try:
            found = arr_columns(kind)
        except arr.ArrError as exc:
            warnings.append(str(exc))
            continue
        for row in wanted:
            yield row, found.get(row[field])


def complete(rows: list[dict]) -> list[str]:
    """Add Sonarr/Radarr's view of each row; the warnings of the services that failed."""
    warnings = []
    for row, columns in _in_arr(rows, warnings):
        row["in_arr"] = columns is not None
        if columns is None:
            continue
        row.update(arr_id=columns["arr_id"], root_folder=columns["root_folder"],
                   production_status=columns["production_status"])
        if row["media_type"] == "series":
            row.update(size=columns["size"], incomplete=columns["incomplete"])
    return warnings


def check_root(root: str) -> None:
    """BadFilter unless `root` is a root folder of Sonarr or Radarr."""
    roots = [path for kind in (arr.SONARR, arr.RADARR) if arr.configured(kind)
             for path in arr.client(kind, timeout=15).root_paths()]
    if root not in roots:
        raise BadFilter(f"{root} is not a root folder of Sonarr or Radarr ({', '.join(roots) or 'none'}).")


def _view(user, owner, plex_user: int, sections: list, data: dict) -> index.Index:
    """The index of the view (index.py): the operator's while fresh, else read from Plex now."""
    view = index.view(owner.url, plex_user, [int(s.key) for s in sections], data)
    found, stamp = index.get(user.pk, view, refresh=data.get("refresh", False))
    if found is not None:
        return found
    viewer = owner.as_user(plex_user)
    rows = [blank(row) for row in viewer.listing(sections, plex_filters(data, viewer, sections))]
    warnings = complete(rows)
    return index.put(user.pk, view, stamp, rows, warnings)


def page(user, owner, data: dict) -> dict:
    """The rows of one page for `user` (a MediaSuite operator) as the Plex user and libraries chosen."""
    users = owner.users()
    plex_user = data.get("plex_user") or users[0]["id"]
    if plex_user not in {u["id"] for u in users}:
        raise BadFilter(f"Plex has no user {plex_user}; choose one of the server's users.")
    sections = owner.sections()
    by_key = {int(s.key): s for s in sections}
    chosen = data.get("libraries") or list(by_key)
    unknown = [k for k in chosen if k not in by_key]
    if unknown:
        raise BadFilter(f"Plex has no library {', '.join(map(str, unknown))} (or it is ignored).")
    if data.get("root_folder"):
        check_root(data["root_folder"])
    view = _view(user, owner, plex_user, [by_key[k] for k in chosen], data)
    positions = view.positions(data.get("sort", "title"), data.get("direction", "asc"),
                               data.get("root_folder", ""))
    size, number = data.get("page_size", 100), data.get("page", 1)
    start = (number - 1) * size
    results = media.decorate(view.rows_at(positions[start:start + size]), user)
    Preference.objects.update_or_create(user=user, defaults={"plex_user": plex_user,
                                                             "libraries": data.get("libraries") or []})
    return {"count": len(positions), "page": number, "page_size": size, "plex_user": plex_user,
            "libraries": chosen, "warnings": view.warnings, "results": results}


def suggestions(user, query: str) -> tuple[list[dict], list[str]]:
    """Movies (TMDB) and series (TVDB) named like `query`, each saying whether Sonarr/Radarr has it:
    what the page offers when a title is not in Plex. The warnings of the services that failed."""
    found, warnings = [], []
    for search in (tmdb.search_movies, tvdb.search_series):
        try:
            found += search(query)[:10]
        except ServiceError as exc:
            warnings.append(str(exc))
    for row, columns in _in_arr(found, warnings):
        row["in_arr"] = columns is not None
    return media.decorate(found, user), warnings
