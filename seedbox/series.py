"""Series management through Sonarr: a series with its seasons and episodes, and what the dialog does to it.

Every action is one function here that checks the user, asks Sonarr,
records its Event and, for what Sonarr runs as a command (searches,
renames), waits for the command to finish and answers its outcome: the
operator reads "completed" or Sonarr's own failure, not "sent".
"""

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404

from mediasuite import events, media
from mediasuite.clients import arr, plex, tvdb
from mediasuite.clients.http import ServiceError

from . import lifecycle

logger = logging.getLogger("mediasuite.seedbox")

ACTIONS = ("monitor", "unmonitor", "delete_files", "rename", "search")
SCOPES = ("series", "season", "episodes")


def _find(client: arr.Client, tvdb_id: int) -> dict:
    found = client.media(tvdb_id)
    if not found:
        raise Http404(f"Sonarr has no series with TVDB id {tvdb_id}; add it from the search page first.")
    return found


def _poster(series: dict) -> str:
    for image in series.get("images") or []:
        if image.get("coverType") == "poster":
            return image.get("remoteUrl") or image.get("url") or ""
    return series.get("remotePoster") or ""


def details(user, tvdb_id: int) -> dict:
    """The series as Sonarr has it, with its seasons and their episodes (monitored, file, size, air date).

    Name and overview come from TVDB in TVDB_LANGUAGE when TVDB is configured
    (Sonarr's own otherwise, or when TVDB fails); `watched` per episode and
    `watched_count` per season from Plex when it is configured (null otherwise).
    """
    lifecycle.check(user, "view")
    client = arr.client(arr.SONARR)
    series = _find(client, tvdb_id)
    title, overview = localized(tvdb_id, series.get("title", ""), series.get("overview") or "")
    episodes = client.episodes(series["id"])
    watched = _watched(tvdb_id)
    seasons = []
    for season in sorted(series.get("seasons", []), key=lambda s: s["seasonNumber"]):
        number = season["seasonNumber"]
        mine = sorted((e for e in episodes if e["seasonNumber"] == number), key=lambda e: e["episodeNumber"])
        rows = [{"id": e["id"], "number": e["episodeNumber"], "title": e.get("title", ""),
                 "air_date": e.get("airDate") or None, "monitored": bool(e.get("monitored")),
                 "has_file": bool(e.get("hasFile")), "file_id": e.get("episodeFileId") or None,
                 "size": (e.get("episodeFile") or {}).get("size", 0) if e.get("hasFile") else 0,
                 "watched": None if watched is None else watched.get((number, e["episodeNumber"]), False)}
                for e in mine]
        seasons.append({"number": number, "monitored": bool(season.get("monitored")), "episodes": rows,
                        "episode_count": len(rows), "file_count": sum(r["has_file"] for r in rows),
                        "size": sum(r["size"] for r in rows),
                        "watched_count": None if watched is None else sum(bool(r["watched"]) for r in rows)})
    row = {"media_type": "series", "tvdb_id": int(tvdb_id), "tmdb_id": series.get("tmdbId") or None,
           "arr_id": series["id"], "title": title, "year": series.get("year") or None, "overview": overview,
           "poster": _poster(series), "status": series.get("status") or "", "path": series.get("path", ""),
           "monitored": bool(series.get("monitored")), "seasons": seasons}
    return media.decorate([row], user)[0]


def localized(tvdb_id: int, title: str, overview: str) -> tuple[str, str]:
    """(name, overview) from TVDB in TVDB_LANGUAGE when TVDB is configured and answers, else those given."""
    if not settings.TVDB_API_KEY:
        return title, overview
    try:
        found = tvdb.series_details(tvdb_id)
    except ServiceError as exc:
        logger.warning("TVDB details of %s failed (%s); showing Sonarr's", tvdb_id, exc)
        return title, overview
    return found["name"] or title, found["overview"] or overview


def _watched(tvdb_id: int) -> dict | None:
    """{(season, episode): watched} from Plex; None when Plex is not configured, fails or lacks the show."""
    if not plex.configured():
        return None
    try:
        return plex.watched_episodes(tvdb_id)
    except ServiceError as exc:
        logger.warning("Plex watched state of %s failed (%s); showing the series without it", tvdb_id, exc)
        return None


def _episodes(client: arr.Client, series: dict, scope: str, season, episode_ids) -> list[dict]:
    """The episodes an action is about; ValidationError (nothing sent) for a season or episode not there."""
    episodes = client.episodes(series["id"])
    if scope == "series":
        return episodes
    if scope == "season":
        chosen = [e for e in episodes if e["seasonNumber"] == season]
        if season not in [s["seasonNumber"] for s in series.get("seasons", [])]:
            raise ValidationError({"season": [f"{series['title']} has no season {season} in Sonarr."]})
        return chosen
    known = {e["id"]: e for e in episodes}
    unknown = sorted(set(episode_ids) - set(known))
    if not episode_ids or unknown:
        raise ValidationError({"episode_ids": [f"Not episodes of {series['title']}: {unknown}." if unknown
                                               else "Select at least one episode."]})
    return [known[i] for i in episode_ids]


def _record(actor, series: dict, kind: str, message: str, payload: dict):
    with transaction.atomic():
        events.record(f"seedbox.series.{kind}", ("series", series["tvdbId"]), actor=actor, message=message,
                      payload={"series_id": series["id"], **payload})


def _where(scope: str, season, episodes: list[dict]) -> str:
    return {"series": "the series", "season": f"season {season}",
            "episodes": f"{len(episodes)} episode(s)"}[scope]


def _command(client: arr.Client, actor, series: dict, name: str, body: dict, what: str) -> dict:
    command = client.wait(client.run(name, **body), timeout=settings.ARR_COMMAND_TIMEOUT)
    outcome = {"command": name, "status": command.get("status"), "message": command.get("message") or ""}
    _record(actor, series, "command", f"{series['title']}: {what}: Sonarr {name} {outcome['status']}",
            outcome | {"body": body})
    if outcome["status"] != "completed":
        raise arr.ArrError(f"Sonarr's {name} for {series['title']} {outcome['status']}: "
                           f"{outcome['message'] or 'see its System > Tasks'}.")
    return outcome


def act(actor, tvdb_id: int, action: str, scope: str = "series", season: int | None = None,
        episode_ids: list[int] | None = None) -> dict:
    """Do `action` (ACTIONS) on the series, one of its seasons or some episodes; what Sonarr answered."""
    lifecycle.check(actor, "change")
    client = arr.client(arr.SONARR)
    series = _find(client, tvdb_id)
    episodes = _episodes(client, series, scope, season, episode_ids or [])
    where = _where(scope, season, episodes)
    if action in ("monitor", "unmonitor"):
        return _monitor(client, actor, series, scope, season, episodes, action == "monitor", where)
    if action == "delete_files":
        files = sorted({e["episodeFileId"] for e in episodes if e.get("hasFile") and e.get("episodeFileId")})
        if not files:
            raise ValidationError({"scope": [f"{where} of {series['title']} has no file to delete."]})
        client.delete_episode_files(files)
        _record(actor, series, "files_deleted", f"{series['title']}: {len(files)} file(s) of {where} deleted",
                {"episode_file_ids": files})
        return {"status": "completed", "message": f"{len(files)} file(s) deleted", "episode_file_ids": files}
    if action == "rename":
        if scope == "series":
            return _command(client, actor, series, "RenameSeries", {"seriesIds": [series["id"]]}, "rename")
        files = sorted({e["episodeFileId"] for e in episodes if e.get("hasFile") and e.get("episodeFileId")})
        if not files:
            raise ValidationError({"scope": [f"{where} of {series['title']} has no file to rename."]})
        return _command(client, actor, series, "RenameFiles", {"seriesId": series["id"], "files": files},
                        f"rename {where}")
    if scope == "series":
        return _command(client, actor, series, "SeriesSearch", {"seriesId": series["id"]}, "search")
    if scope == "season":
        return _command(client, actor, series, "SeasonSearch",
                        {"seriesId": series["id"], "seasonNumber": season}, f"search {where}")
    return _command(client, actor, series, "EpisodeSearch", {"episodeIds": [e["id"] for e in episodes]},
                    f"search {where}")


def _monitor(client, actor, series, scope, season, episodes, monitored, where) -> dict:
    if scope == "episodes":
        client.monitor_episodes([e["id"] for e in episodes], monitored)
    else:
        changed = dict(series)
        if scope == "series":
            changed["monitored"] = monitored
        else:
            changed["seasons"] = [{**s, "monitored": monitored} if s["seasonNumber"] == season else s
                                  for s in series.get("seasons", [])]
        client.update_series(changed)
    verb = "monitored" if monitored else "unmonitored"
    _record(actor, series, verb, f"{series['title']}: {where} {verb}",
            {"scope": scope, "season": season,
             "episode_ids": [e["id"] for e in episodes] if scope == "episodes" else []})
    return {"status": "completed", "message": f"{where} {verb}"}
