"""Sonarr and Radarr, v3 API (https://sonarr.tv/docs/api/, https://radarr.video/docs/api/).

The two share the calls MediaSuite uses: look the media up by its external
id, list the import candidates of a folder (`manualimport`), run the
Downloaded*Scan command with the folder and the download id (the infohash),
follow it, and read the history of that download id to confirm the import.
For the library: list every series/movie (with its statistics), the root
folders and tags, change a series/movie (unmonitor, tag, move to another
root folder with its files) and delete its files.
"""

import requests

SONARR, RADARR = "sonarr", "radarr"
SCAN = {SONARR: "DownloadedEpisodesScan", RADARR: "DownloadedMoviesScan"}
MEDIA = {SONARR: "series", RADARR: "movie"}
FILES = {SONARR: ("episodefile", "seriesId"), RADARR: ("moviefile", "movieId")}
LABEL = {SONARR: "Sonarr", RADARR: "Radarr"}


class ArrError(Exception):
    """Sonarr/Radarr could not be reached or refused; the message says which and why."""


def from_settings(kind: str, timeout: float = 30.0) -> "Client":
    """The client of Sonarr or Radarr as configured (SONARR_URL/SONARR_API_KEY, RADARR_...)."""
    from django.conf import settings

    name = kind.upper()
    return Client(kind, getattr(settings, f"{name}_URL"), getattr(settings, f"{name}_API_KEY"), timeout)


class Client:
    def __init__(self, kind: str, url: str, api_key: str, timeout: float = 30.0):
        self.kind, self.label = kind, LABEL[kind]
        if not url or not api_key:
            name = kind.upper()
            raise ArrError(f"{self.label} is not configured: set {name}_URL and {name}_API_KEY.")
        self.base = url.rstrip("/")
        self.session = requests.Session()
        self.session.headers["X-Api-Key"] = api_key
        self.timeout = timeout

    def _call(self, method: str, path: str, **kwargs):
        try:
            response = self.session.request(method, f"{self.base}/api/v3/{path}", timeout=self.timeout,
                                            **kwargs)
        except requests.RequestException as exc:
            raise ArrError(f"{self.label} at {self.base} did not answer: {exc}") from exc
        if response.status_code == 401:
            raise ArrError(f"{self.label} refused the API key; check {self.kind.upper()}_API_KEY.")
        if response.status_code >= 400:
            raise ArrError(f"{self.label} answered {response.status_code} to {method} {path}: "
                           f"{response.text[:200]}")
        if not response.content:
            return None
        try:
            return response.json()
        except ValueError as exc:
            raise ArrError(f"{self.label} answered {method} {path} with something that is not JSON") from exc

    def status(self) -> dict:
        return self._call("GET", "system/status")

    def media(self, external_id: int) -> dict | None:
        """The series (by TVDB id) or movie (by TMDB id) the library has, or None."""
        if self.kind == SONARR:
            found = self._call("GET", "series", params={"tvdbId": external_id})
        else:
            found = self._call("GET", "movie", params={"tmdbId": external_id})
        return found[0] if found else None

    def candidates(self, folder: str, download_id: str) -> list[dict]:
        return self._call("GET", "manualimport", params={"folder": folder, "downloadId": download_id,
                                                         "filterExistingFiles": "false"})

    def scan(self, folder: str, download_id: str) -> dict:
        return self._call("POST", "command", json={"name": SCAN[self.kind], "path": folder,
                                                   "downloadClientId": download_id, "importMode": "Move"})

    def command(self, command_id: int) -> dict:
        return self._call("GET", f"command/{int(command_id)}")

    def imported(self, download_id: str) -> list[dict]:
        """The downloadFolderImported history records of this download id."""
        page = self._call("GET", "history", params={"downloadId": download_id, "page": 1, "pageSize": 100,
                                                    "eventType": 3})
        records = page.get("records", []) if isinstance(page, dict) else page
        return [r for r in records if r.get("eventType") in ("downloadFolderImported", 3)
                and str(r.get("downloadId", "")).upper() == download_id.upper()]

    def all(self) -> list[dict]:
        """Every series or movie of the library, with its statistics, path and tags."""
        return self._call("GET", MEDIA[self.kind])

    def root_folders(self) -> list[str]:
        return [folder["path"] for folder in self._call("GET", "rootfolder")]

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
