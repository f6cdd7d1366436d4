"""Series management through Sonarr: a series with its seasons and episodes, and what the dialog does to it.

Every action is one function here (`act` checks the user and finds what
it is about) that asks Sonarr, records its Event and, for what Sonarr runs
as a command (searches, renames), waits for the command to finish and
answers its outcome: the operator reads "completed" or Sonarr's own
failure, not "sent".
"""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404

from mediasuite import config, events, media
from mediasuite.clients import arr, plex, tvdb
from mediasuite.clients.http import ServiceError

from . import lifecycle

logger = logging.getLogger("mediasuite.seedbox")

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
    if not config.get("TVDB_API_KEY"):
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


@dataclass(frozen=True)
class Target:
    """What an action is about: the series, and the season or episodes chosen (all of them for the series)."""

    client: arr.Client
    actor: object
    series: dict
    scope: str
    season: int | None
    episodes: list[dict]

    @property
    def where(self) -> str:
        return {"series": "the series", "season": f"season {self.season}",
                "episodes": f"{len(self.episodes)} episode(s)"}[self.scope]

    def files(self, doing: str) -> list[int]:
        """The episode file ids of the chosen episodes; ValidationError when they have none."""
        files = sorted({e["episodeFileId"] for e in self.episodes
                        if e.get("hasFile") and e.get("episodeFileId")})
        if not files:
            raise ValidationError({"scope": [
                f"{self.where} of {self.series['title']} has no file to {doing}."]})
        return files

    def record(self, kind: str, message: str, payload: dict):
        with transaction.atomic():
            events.record(f"seedbox.series.{kind}", ("series", self.series["tvdbId"]), actor=self.actor,
                          message=f"{self.series['title']}: {message}",
                          payload={"series_id": self.series["id"], "scope": self.scope, "season": self.season,
                                   **payload})

    def command(self, name: str, body: dict, what: str) -> dict:
        """Run Sonarr's command `name`; its outcome once Sonarr finished it (ArrError when it failed)."""
        command = self.client.wait(self.client.run(name, **body), timeout=settings.ARR_COMMAND_TIMEOUT)
        outcome = {"command": name, "status": command.get("status"), "message": command.get("message") or ""}
        self.record("command", f"{what} {self.where}: Sonarr {name} {outcome['status']}",
                    outcome | {"body": body})
        if outcome["status"] != "completed":
            raise arr.ArrError(f"Sonarr's {name} for {self.series['title']} {outcome['status']}: "
                               f"{outcome['message'] or 'see its System > Tasks'}.")
        return outcome


def monitor(target: Target, monitored: bool) -> dict:
    """Monitor or unmonitor the series (PUT series), a season (PUT series, Sonarr follows with its episodes)
    or episodes (PUT episode/monitor)."""
    if target.scope == "episodes":
        target.client.monitor_episodes([e["id"] for e in target.episodes], monitored)
    else:
        changed = dict(target.series)
        if target.scope == "series":
            changed["monitored"] = monitored
        else:
            changed["seasons"] = [{**s, "monitored": monitored} if s["seasonNumber"] == target.season else s
                                  for s in target.series.get("seasons", [])]
        target.client.update_series(changed)
    verb = "monitored" if monitored else "unmonitored"
    target.record(verb, f"{target.where} {verb}",
                  {"episode_ids": [e["id"] for e in target.episodes] if target.scope == "episodes" else []})
    return {"status": "completed", "message": f"{target.where} {verb}"}


def delete_files(target: Target) -> dict:
    """Delete the files of the chosen episodes (DELETE episodefile/bulk)."""
    files = target.files("delete")
    target.client.delete_episode_files(files)
    target.record("files_deleted", f"{len(files)} file(s) of {target.where} deleted",
                  {"episode_file_ids": files})
    return {"status": "completed", "message": f"{len(files)} file(s) deleted", "episode_file_ids": files}


def rename(target: Target) -> dict:
    """RenameSeries for the series, RenameFiles with the files of a season or of episodes."""
    if target.scope == "series":
        return target.command("RenameSeries", {"seriesIds": [target.series["id"]]}, "rename")
    return target.command("RenameFiles", {"seriesId": target.series["id"], "files": target.files("rename")},
                          "rename")


def search(target: Target) -> dict:
    """Sonarr's own search of what is missing: SeriesSearch, SeasonSearch or EpisodeSearch."""
    series_id = target.series["id"]
    if target.scope == "series":
        return target.command("SeriesSearch", {"seriesId": series_id}, "search")
    if target.scope == "season":
        return target.command("SeasonSearch", {"seriesId": series_id, "seasonNumber": target.season},
                              "search")
    return target.command("EpisodeSearch", {"episodeIds": [e["id"] for e in target.episodes]}, "search")


ACTIONS = {
    "monitor": lambda target: monitor(target, True),
    "unmonitor": lambda target: monitor(target, False),
    "delete_files": delete_files,
    "rename": rename,
    "search": search,
}


def act(actor, tvdb_id: int, action: str, scope: str = "series", season: int | None = None,
        episode_ids: list[int] | None = None) -> dict:
    """Do `action` (ACTIONS) on the series, one of its seasons or some episodes; what Sonarr answered."""
    lifecycle.check(actor, "change")
    client = arr.client(arr.SONARR)
    series = _find(client, tvdb_id)
    episodes = _episodes(client, series, scope, season, episode_ids or [])
    return ACTIONS[action](Target(client, actor, series, scope, season, episodes))
