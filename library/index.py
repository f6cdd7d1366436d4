"""The index of one listing: every row of a (Plex user, libraries, filters) view, read once, then paged.

Plex sorts and pages only on its own fields, and one library at a time; the
page sorts on every column (size, watched state, Sonarr's status ...) across
several libraries. So the first page of a view reads the whole filtered
listing (one Plex call per library), completes it from Sonarr/Radarr (one
call each, see listing.complete) and keeps it in the cache; every page,
sort and root-folder filter of that view is then cut from it without asking
Plex for rows.

Each MediaSuite operator has one index, of the view they look at (a new view
replaces it), so memory is bounded by the operators, not by the filters tried;
it lives in the process's Django cache (each web process keeps its own).

Freshness: an index is used while (1) it is younger than INDEX_TTL seconds
(what changes in Plex behind MediaSuite's back, a film watched on the TV,
shows within that time), (2) no `library.item.*` event was recorded since it
was built (every action writes one, in the web process or the bulk worker,
so an action is seen at once by every process), and (3) the page does not ask
for `refresh` (the page's Search button does).
"""

import hashlib
import json
import pickle

from django.core.cache import cache

from mediasuite.models import Event

INDEX_TTL = 60
ACTIONS = "library.item."
WATCHED_RANK = {"not_started": 0, "in_progress": 1, "watched": 2}


def _text(field):
    return lambda r: (r[field] or "").lower() or None


def _watched_share(row) -> float:
    """How much of it is watched: a show's episodes, a movie all or nothing."""
    if row["total_episodes"]:
        return (row["watched_episodes"] or 0) / row["total_episodes"]
    return 1.0 if row["watched_state"] == "watched" else 0.0


# The sort key of each column: None sorts last in both directions.
KEYS = {
    "title": lambda r: (r["sort_title"] or r["title"]).lower(),
    "year": lambda r: r["year"],
    "rating": lambda r: r["rating"],
    "added_at": lambda r: r["added_at"],
    "last_viewed_at": lambda r: r["last_viewed_at"],
    "library": _text("library"),
    "size": lambda r: r["size"],
    "watched_state": lambda r: (WATCHED_RANK[r["watched_state"]], _watched_share(r)),
    "incomplete": lambda r: r["incomplete"],
    "production_status": _text("production_status"),
    "external_id": lambda r: r["tmdb_id"] or r["tvdb_id"],
}
# What a view's index is keyed by: everything of the query but the paging, the order and the root folder.
NOT_KEYED = {"sort", "direction", "page", "page_size", "refresh", "root_folder"}


def stamp() -> int:
    """The id of the newest library action event (0: none): an index built before it is stale."""
    newest = Event.objects.filter(kind__startswith=ACTIONS).order_by("-id").values_list("id", flat=True)
    return newest.first() or 0


def view(plex_url: str, plex_user: int, libraries: list[int], data: dict) -> str:
    """What names a view: its Plex server, user, libraries and filters (not the page, order or root)."""
    named = {name: value for name, value in data.items() if name not in NOT_KEYED}
    named.update(plex=plex_url, plex_user=plex_user, libraries=sorted(libraries))
    return hashlib.sha256(json.dumps(named, sort_keys=True, default=str).encode()).hexdigest()


def _key(operator_id: int) -> str:
    return f"library:index:{operator_id}"


class Index:
    """The rows of a view, kept cheap to load and to cut: each row pickled on its own (a page unpickles
    only its own rows), the sort values column by column, the rows in title order (the tie-break)."""

    def __init__(self, view: str, stamp: int, rows: list[dict], warnings: list[str]):
        rows = sorted(rows, key=lambda r: (KEYS["title"](r), r["rating_key"]))
        self.view, self.stamp, self.warnings = view, stamp, warnings
        self.rows = [pickle.dumps(row) for row in rows]
        self.values = {name: [value(row) for row in rows] for name, value in KEYS.items()}
        self.roots = [row["root_folder"] for row in rows]

    def positions(self, sort: str, direction: str, root_folder: str = "") -> list[int]:
        """The rows (positions) in Sonarr/Radarr root folder `root_folder` (all: ""), by column `sort`
        (KEYS), ties by title then rating key, empty values last either way."""
        values = self.values[sort]
        chosen = [i for i, root in enumerate(self.roots) if root == root_folder] if root_folder else range(
            len(values))
        present = [i for i in chosen if values[i] is not None]
        present.sort(key=values.__getitem__, reverse=direction == "desc")
        return present + [i for i in chosen if values[i] is None]

    def rows_at(self, positions: list[int]) -> list[dict]:
        return [pickle.loads(self.rows[i]) for i in positions]


def get(operator_id: int, view: str, refresh: bool = False) -> tuple[Index | None, int]:
    """(the operator's index if it is of `view` and fresh, else None; the stamp to build a new one with)."""
    now = stamp()
    found = None if refresh else cache.get(_key(operator_id))
    if found is not None and (found.view, found.stamp) != (view, now):
        found = None
    return found, now


def put(operator_id: int, view: str, now: int, rows: list[dict], warnings: list[str]) -> Index:
    """Keep the index of `view` as the operator's one (it replaces the one of their previous view)."""
    index = Index(view, now, rows, warnings)
    cache.set(_key(operator_id), index, INDEX_TTL)
    return index
