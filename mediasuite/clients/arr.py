"""Sonarr and Radarr, v3 API (https://sonarr.tv/docs/api/, https://radarr.video/docs/api/).

The calls MediaSuite makes, in the shapes of the services' v3 OpenAPI
documents: look media up (`series/lookup`, `movie/lookup`) and add it with
its root folder, quality profile and `addOptions`; read the library
(`series?tvdbId=`, `movie?tmdbId=`, `episode?seriesId=`); monitor
(`PUT series/{id}`, `PUT episode/monitor`); delete files
(`DELETE episodefile/bulk`); run commands (Downloaded*Scan, SeriesSearch,
SeasonSearch, EpisodeSearch, RenameFiles, RenameSeries ...) and follow them;
the download queue (`GET queue`, `DELETE queue/{id}?removeFromClient&blocklist`);
the history of a download id to confirm an import. For the library app:
every series/movie with its statistics, tags, a changed series/movie saved
(unmonitor, tag, move to another root folder with its files), its files
listed and deleted.

Requests-based rather than pyarr: pyarr (last release 5.2.0, 2023) has
neither the shared Retry-After handling of mediasuite/clients/http.py nor
errors naming the setting, and covers no more than these few calls.
"""

import time

import requests

from .. import config
from . import http
from .connections import not_configured

SONARR, RADARR = "sonarr", "radarr"
SCAN = {SONARR: "DownloadedEpisodesScan", RADARR: "DownloadedMoviesScan"}
MEDIA = {SONARR: "series", RADARR: "movie"}
FILES = {SONARR: ("episodefile", "seriesId"), RADARR: ("moviefile", "movieId")}
LABEL = {SONARR: "Sonarr", RADARR: "Radarr"}
EXTERNAL = {SONARR: "tvdbId", RADARR: "tmdbId"}
DONE = ("completed", "failed", "aborted", "cancelled", "orphaned")


class ArrError(http.ServiceError):
    """Sonarr/Radarr could not be reached or refused; the message says which and why."""


class ArrNotConfigured(ArrError, http.NotConfigured):
    """SONARR_URL/SONARR_API_KEY (or RADARR_...) are not set: 503."""


def configured(kind: str) -> bool:
    return bool(config.get(f"{kind.upper()}_URL") and config.get(f"{kind.upper()}_API_KEY"))


def client(kind: str, timeout: float = 30.0) -> "Client":
    """The client of Sonarr or Radarr with the settings in force (mediasuite.config)."""
    return Client(kind, config.get(f"{kind.upper()}_URL"), config.get(f"{kind.upper()}_API_KEY"), timeout)


class Client:
    def __init__(self, kind: str, url: str, api_key: str, timeout: float = 30.0):
        self.kind, self.label = kind, LABEL[kind]
        if not url or not api_key:
            raise ArrNotConfigured(not_configured(kind))
        self.base = url.rstrip("/")
        self.session = requests.Session()
        self.session.headers["X-Api-Key"] = api_key
        self.timeout = timeout

    def _call(self, method: str, path: str, **kwargs):
        try:
            response = http.request(self.session, method, f"{self.base}/api/v3/{path}", timeout=self.timeout,
                                    what=f"{self.label} at {self.base} ({method} {path})",
                                    key_setting=f"{self.kind.upper()}_API_KEY",
                                    rate=http.limiter(self.kind), **kwargs)
        except http.ServiceError as exc:
            raise ArrError(str(exc)) from exc
        if not response.content:
            return None
        try:
            return response.json()
        except ValueError as exc:
            raise ArrError(f"{self.label} answered {method} {path} with something that is not JSON") from exc

    def status(self) -> dict:
        return self._call("GET", "system/status")

    # -- the library ---------------------------------------------------------------------------

    def media(self, external_id: int) -> dict | None:
        """The series (by TVDB id) or movie (by TMDB id) the library has, or None."""
        found = self._call("GET", MEDIA[self.kind], params={EXTERNAL[self.kind]: external_id})
        return found[0] if found else None

    def lookup(self, term: str) -> list[dict]:
        """Sonarr's `series/lookup` / Radarr's `movie/lookup` (term: a title, `tvdb:<id>` or `tmdb:<id>`)."""
        return self._call("GET", f"{MEDIA[self.kind]}/lookup", params={"term": term}) or []

    def root_folders(self) -> list[dict]:
        return self._call("GET", "rootfolder") or []

    def quality_profiles(self) -> list[dict]:
        return self._call("GET", "qualityprofile") or []

    def add(self, resource: dict) -> dict:
        """POST series / movie: `resource` is the looked-up one with rootFolderPath, qualityProfileId,
        monitored and addOptions set."""
        return self._call("POST", MEDIA[self.kind], json=resource)

    def series(self, series_id: int) -> dict:
        return self._call("GET", f"series/{int(series_id)}")

    def update_series(self, series: dict) -> dict:
        return self._call("PUT", f"series/{int(series['id'])}", json=series)

    def episodes(self, series_id: int) -> list[dict]:
        """Every episode of the series, each with its `episodeFile` (size) when it has one."""
        params = {"seriesId": int(series_id), "includeEpisodeFile": "true"}
        return self._call("GET", "episode", params=params) or []

    def monitor_episodes(self, episode_ids: list[int], monitored: bool) -> None:
        self._call("PUT", "episode/monitor", json={"episodeIds": list(episode_ids), "monitored": monitored})

    def delete_episode_files(self, file_ids: list[int]) -> None:
        self._call("DELETE", "episodefile/bulk", json={"episodeFileIds": list(file_ids)})

    # -- commands ------------------------------------------------------------------------------

    def run(self, name: str, **body) -> dict:
        """POST command {name, ...body}; the command as queued (follow it with `command` or `wait`)."""
        return self._call("POST", "command", json={"name": name, **body})

    def command(self, command_id: int) -> dict:
        return self._call("GET", f"command/{int(command_id)}")

    def wait(self, command: dict, timeout: float, every: float = 0.5) -> dict:
        """The command once Sonarr/Radarr has finished it (completed, failed ...); ArrError on timeout."""
        deadline = time.monotonic() + timeout
        while command.get("status") not in DONE:
            if time.monotonic() > deadline:
                raise ArrError(f"{self.label} command {command.get('name')} ({command.get('id')}) is still "
                               f"{command.get('status')} after {timeout:.0f} s; see its System > Tasks.")
            time.sleep(every)
            command = self.command(command["id"])
        return command

    def scan(self, folder: str, download_id: str) -> dict:
        return self.run(SCAN[self.kind], path=folder, downloadClientId=download_id, importMode="Move")

    # -- import --------------------------------------------------------------------------------

    def candidates(self, folder: str, download_id: str) -> list[dict]:
        return self._call("GET", "manualimport", params={"folder": folder, "downloadId": download_id,
                                                         "filterExistingFiles": "false"})

    def imported(self, download_id: str) -> list[dict]:
        """The downloadFolderImported history records of this download id."""
        page = self._call("GET", "history", params={"downloadId": download_id, "page": 1, "pageSize": 100,
                                                    "eventType": 3})
        records = page.get("records", []) if isinstance(page, dict) else page
        return [r for r in records if r.get("eventType") in ("downloadFolderImported", 3)
                and str(r.get("downloadId", "")).upper() == download_id.upper()]

    # -- queue ---------------------------------------------------------------------------------

    def queue(self) -> list[dict]:
        """Every item of the download queue (one page of up to 200, the media included)."""
        include = "includeSeries" if self.kind == SONARR else "includeMovie"
        page = self._call("GET", "queue", params={"page": 1, "pageSize": 200, include: "true"}) or {}
        return page.get("records", [])

    def remove_queued(self, item_id: int, blocklist: bool) -> None:
        self._call("DELETE", f"queue/{int(item_id)}", params={"removeFromClient": "true",
                                                              "blocklist": str(bool(blocklist)).lower()})

    # -- library -------------------------------------------------------------------------------

    def all(self) -> list[dict]:
        """Every series or movie of the library, with its statistics, path and tags."""
        return self._call("GET", MEDIA[self.kind])

    def root_paths(self) -> list[str]:
        """The paths of the root folders."""
        return [folder["path"] for folder in self.root_folders()]

    def tag_id(self, label: str) -> int:
        """The id of tag `label`, created when missing."""
        for tag in self._call("GET", "tag"):
            if tag["label"].lower() == label.lower():
                return tag["id"]
        return self._call("POST", "tag", json={"label": label})["id"]

    def update(self, item: dict, move_files: bool = False) -> dict:
        """Save a changed series/movie; with `move_files` its files follow a new path."""
        return self._call("PUT", f"{MEDIA[self.kind]}/{int(item['id'])}", json=item,
                          params={"moveFiles": "true"} if move_files else None)

    def files(self, media_id: int) -> list[dict]:
        """The episode files of a series or the movie file of a movie (path, size, id)."""
        path, param = FILES[self.kind]
        return self._call("GET", path, params={param: int(media_id)})

    def delete_file(self, file_id: int) -> None:
        self._call("DELETE", f"{FILES[self.kind][0]}/{int(file_id)}")
