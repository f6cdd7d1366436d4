"""Mapping releases to a movie or series of Sonarr/Radarr: lookup, ranking, and adding it when missing.

The lookup asks Sonarr's `series/lookup` or Radarr's `movie/lookup` and
ranks what they find against the release name (cleaned of its quality,
group and episode tags): the exact title with the release's year first, then
the exact title, then titles that contain the release's. Adding runs before
any release is sent: an add that fails sends nothing; a send that fails
after the add leaves the media added and the report says so.
"""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from mediasuite import events, media
from mediasuite.clients import arr
from mediasuite.errors import Conflict

from . import batch, lifecycle, series
from .models import MediaType, State, Torrent

KIND = {MediaType.SERIES: arr.SONARR, MediaType.MOVIE: arr.RADARR}
ID_TERM = re.compile(r"^(tvdb|tmdb):(\d+)$")
YEAR = re.compile(r"^(19\d\d|20\d\d)$")
# A token from which on the rest of a release name is no longer its title.
TAG = re.compile(r"^(s\d{1,2}(e\d{1,3})*|\d{1,2}x\d{1,3}|season|saison|complete|integrale|\d{3,4}p|4k|uhd|"
                 r"x26[45]|h26[45]|hevc|avc|web(-?dl|rip)?|blu-?ray|bdrip|brrip|dvdrip|hdtv|hdrip|remux|"
                 r"multi|vostfr|french|truefrench|proper|repack|10bit|hdr|dts|aac|ac3|ddp?5\.1)$", re.I)


def clean(release: str) -> tuple[str, int | None]:
    """(title, year) of a release name: `Breaking.Bad.2008.S01.1080p.WEB-DL-GRP` -> ("breaking bad", 2008)."""
    words = re.sub(r"[._\[\]()]+", " ", release).split()
    title, year = [], None
    for word in words:
        if YEAR.match(word) and title:
            year = int(word)
            break
        if TAG.match(word) or TAG.match(word.split("-")[0]):
            break
        title.append(word)
    return " ".join(title).lower().strip(" -"), year


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", (text or "").lower()).strip()


def rank(rows: list[dict], release: str) -> list[dict]:
    """`rows` ordered by how well each fits `release`: exact title and year, exact title, title contained."""
    title, year = clean(release)
    title = _norm(title)

    def score(row):
        name = _norm(row["title"])
        exact = name == title
        return (not (exact and year is not None and row["year"] == year), not exact,
                not (title and title in name), abs((row["year"] or 0) - (year or row["year"] or 0)))

    return sorted(rows, key=score)


def _poster(item: dict) -> str:
    for image in item.get("images") or []:
        if image.get("coverType") == "poster":
            return image.get("remoteUrl") or image.get("url") or ""
    return item.get("remotePoster") or ""


def _row(media_type: str, item: dict) -> dict:
    return {"media_type": media_type, "tmdb_id": item.get("tmdbId") or None,
            "tvdb_id": item.get("tvdbId") or None,
            "title": item.get("title", ""), "year": item.get("year") or None,
            "overview": item.get("overview") or "", "poster": _poster(item),
            "in_library": bool(item.get("id")), "arr_id": item.get("id") or None}


def lookup(user, media_type: str, term: str, release: str = "") -> list[dict]:
    """What Sonarr/Radarr find for `term` (a title, tvdb:<id> or tmdb:<id>), ranked against `release`."""
    lifecycle.check(user, "add")
    client = arr.client(KIND[media_type])
    rows = [_row(media_type, item) for item in client.lookup(term.strip())]
    if media_type == MediaType.SERIES:
        rows = [r for r in rows if r["tvdb_id"]]
        by_id = ID_TERM.match(term.strip())
        if by_id and rows:
            first = rows[0]
            first["title"], first["overview"] = series.localized(first["tvdb_id"], first["title"],
                                                                 first["overview"])
    else:
        rows = [r for r in rows if r["tmdb_id"]]
    return media.decorate(rank(rows, release or term), user)


def options(user, media_type: str) -> dict:
    """The root folders and quality profiles of Sonarr/Radarr, and the defaults from the settings."""
    lifecycle.check(user, "add")
    kind = KIND[media_type]
    client = arr.client(kind)
    folders = [{"path": f["path"], "free_space": f.get("freeSpace")} for f in client.root_folders()]
    profiles = [{"id": p["id"], "name": p["name"]} for p in client.quality_profiles()]
    wanted_folder = getattr(settings, f"{kind.upper()}_ROOT_FOLDER")
    wanted_profile = getattr(settings, f"{kind.upper()}_QUALITY_PROFILE")
    folder = next((f["path"] for f in folders if f["path"].rstrip("/") == wanted_folder.rstrip("/")),
                  folders[0]["path"] if folders else "")
    profile = next((p["id"] for p in profiles if p["name"] == wanted_profile),
                   profiles[0]["id"] if profiles else None)
    return {"root_folders": folders, "quality_profiles": profiles, "root_folder": folder,
            "quality_profile_id": profile}


def add(actor, media_type: str, external_id: int, *, root_folder: str, quality_profile_id: int,
        monitored: bool = True, search: bool = False) -> dict:
    """Add the movie/series to Radarr/Sonarr (nothing done when it is there already); the library item.

    ValidationError (nothing sent to Sonarr/Radarr) for a root folder or a
    profile they do not list, or an id their lookup does not know.
    """
    lifecycle.check(actor, "add")
    kind = KIND[media_type]
    client = arr.client(kind)
    which = "TVDB" if kind == arr.SONARR else "TMDB"
    existing = client.media(external_id)
    if existing:
        return existing
    folders = client.root_paths()
    if root_folder not in folders:
        raise ValidationError({"root_folder": [
            f"{client.label} has no root folder {root_folder!r}; use one of: "
            f"{', '.join(folders) or 'none (add one in its settings)'}."]})
    if quality_profile_id not in [p["id"] for p in client.quality_profiles()]:
        raise ValidationError({"quality_profile_id": [f"{client.label} has no quality profile "
                                                      f"{quality_profile_id}."]})
    found = [item for item in client.lookup(f"{which.lower()}:{int(external_id)}")
             if item.get(arr.EXTERNAL[kind]) == int(external_id)]
    if not found:
        raise ValidationError({f"{which.lower()}_id": [
            f"{client.label} finds no {media_type} with {which} id {external_id}."]})
    if kind == arr.SONARR:
        add_options = {"monitor": "all" if monitored else "none", "searchForMissingEpisodes": search,
                    "searchForCutoffUnmetEpisodes": False}
    else:
        add_options = {"monitor": "movieOnly" if monitored else "none", "searchForMovie": search}
    resource = {**found[0], "rootFolderPath": root_folder, "qualityProfileId": quality_profile_id,
                "monitored": monitored, "addOptions": add_options}
    if kind == arr.SONARR:
        resource.update(seasonFolder=True, seasons=[{**s, "monitored": monitored}
                                                    for s in found[0].get("seasons", [])])
    added = client.add(resource)
    with transaction.atomic():
        events.record("seedbox.media.added", (media_type, int(external_id)), actor=actor,
                      message=f"{added.get('title')} added to {client.label} in {root_folder}"
                              f"{' and searched' if search else ''}",
                      payload={"kind": kind, "id": added.get("id"), "root_folder": root_folder,
                               "quality_profile_id": quality_profile_id, "monitored": monitored,
                               "search": search})
    return added


def add_and_send(actor, releases: list[dict], target: dict, adding: dict | None) -> dict:
    """Add the media when `adding` ({root_folder, quality_profile_id, monitored, search}) is given, then send.

    An add that fails raises before anything is sent. The answer is the
    batch's items with `added`: the library item, or None when nothing was added.
    """
    added = None
    if adding:
        external = target["tvdb_id"] if target["media_type"] == MediaType.SERIES else target["tmdb_id"]
        added = add(actor, target["media_type"], external, **adding)
    items = batch.download_and_map(actor, releases, target)
    summary = {"id": added.get("id"), "title": added.get("title")} if added else None
    return {"added": summary, "items": items}


def resolve_blocked(actor, torrent: Torrent, adding: dict) -> Torrent:
    """An import_blocked torrent whose media is missing: add the media, then send it back to import."""
    lifecycle.check(actor, "change", torrent)
    if torrent.state != State.IMPORT_BLOCKED:
        raise Conflict(f"{torrent} is {torrent.state}; only an import_blocked torrent is resolved "
                                 "by adding its media.")
    external = torrent.tvdb_id if torrent.media_type == MediaType.SERIES else torrent.tmdb_id
    add(actor, torrent.media_type, external, **adding)
    return lifecycle.retry(actor, torrent)
