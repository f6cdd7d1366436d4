"""Plex Media Server (https://plexapi.dev/api-reference): which episodes of a series were watched.

The series is found by its TVDB id among the shows of the TV libraries
(`/library/sections`, then `/library/sections/{key}/all?type=2&includeGuids=1`,
whose `Guid` list holds `tvdb://<id>`); its episodes come from
`/library/metadata/{ratingKey}/allLeaves`, watched when `viewCount` > 0.
"""

import requests

from mediasuite import config

from .connections import not_configured
from .http import NotConfigured, ServiceError, limiter, request


def configured() -> bool:
    return bool(config.get("PLEX_URL") and config.get("PLEX_TOKEN"))


def _get(path: str, **params) -> dict:
    if not configured():
        raise NotConfigured(not_configured("plex"))
    base = config.get("PLEX_URL").rstrip("/")
    response = request(requests.Session(), "GET", f"{base}{path}", params=params,
                       headers={"X-Plex-Token": config.get("PLEX_TOKEN"), "Accept": "application/json"},
                       what="Plex", key_setting="PLEX_TOKEN", rate=limiter("plex"), timeout=10)
    try:
        return response.json().get("MediaContainer") or {}
    except ValueError as exc:
        raise ServiceError(f"Plex answered {path} with something that is not JSON; check PLEX_URL.") from exc


def watched_episodes(tvdb_id: int) -> dict[tuple[int, int], bool] | None:
    """{(season, episode): watched} of the series Plex knows by this TVDB id; None: Plex has no such show."""
    wanted = f"tvdb://{int(tvdb_id)}"
    for section in _get("/library/sections").get("Directory", []):
        if section.get("type") != "show":
            continue
        shows = _get(f"/library/sections/{section['key']}/all", type=2, includeGuids=1).get("Metadata", [])
        for show in shows:
            if wanted in [guid.get("id") for guid in show.get("Guid", [])]:
                leaves = _get(f"/library/metadata/{show['ratingKey']}/allLeaves").get("Metadata", [])
                return {(int(e.get("parentIndex", 0)), int(e.get("index", 0))): bool(e.get("viewCount"))
                        for e in leaves}
    return None
