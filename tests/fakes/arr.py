"""Small Sonarr/Radarr v3 API servers for tests (https://sonarr.tv/docs/api/, https://radarr.video/docs/api/).

    with FakeSonarr(library=tmp_path / "tv") as sonarr:
        sonarr.add_media(81189, "Breaking Bad")
        settings.SONARR_URL, settings.SONARR_API_KEY = sonarr.url, sonarr.api_key

The request and response shapes follow the v3 OpenAPI documents of the two
projects (src/Sonarr.Api.V3/openapi.json, src/Radarr.Api.V3/openapi.json):
system/status; series?tvdbId= / movie?tmdbId=; series/lookup, movie/lookup
(?term= a title, tvdb:<id> or tmdb:<id>); POST series / movie (rootFolderPath,
qualityProfileId, monitored, addOptions; 400 with [{propertyName,
errorMessage}] when the root folder or profile is unknown or the media is
already there); rootfolder; qualityprofile; series/{id} (GET, PUT);
episode?seriesId=; PUT episode/monitor {episodeIds, monitored};
DELETE episodefile/bulk {episodeFileIds}; POST command (Downloaded*Scan,
importMode Move: the video files of the folder are moved into the library and
a downloadFolderImported history record is written for the download id;
SeriesSearch, SeasonSearch, EpisodeSearch, RenameFiles, RenameSeries,
RefreshSeries, MoviesSearch); command/<id>; history?downloadId=; queue
(paged records) and DELETE queue/{id}?removeFromClient=&blocklist=.
For the library app: series / movie list every item with `statistics` counted
from the files on disk (and `status`); PUT series|movie/<id>[?moveFiles=true]
(the folder really moves); tag (GET, POST); episodefile?seriesId= /
moviefile?movieId= (the video files under the item's folder) and DELETE
episodefile|moviefile/<id> (the file is really deleted); `add_root(path)`.
Radarr's add with addOptions.searchForMovie queues a MoviesSearch {movieIds}
of the new movie, as its MovieScannedHandler does (`queued(name)`).
The real server runs a command in the background: here it is "queued" in the
answer to the POST and "completed" when read (`fail_commands(message)`: "failed"
with that message, searches and renames). `reject(reason)` makes every
import candidate carry that rejection (and the scan import nothing), as
Sonarr does for a file that is not an upgrade; `fail_adds(message)` makes
POST series/movie answer 500. Every request is kept in `requests` as
(method, path, query, body).
"""

import itertools
import json
import shutil
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import parse_qs, urlparse

from .base import ServerThread

VIDEO = (".mkv", ".mp4", ".avi", ".m4v", ".ts")


class FakeArr(ServerThread):
    kind = "sonarr"
    app = "Sonarr"
    media_path = "series"
    id_param = "tvdbId"
    scan = "DownloadedEpisodesScan"
    item_key = "series"
    searches = ("SeriesSearch", "SeasonSearch", "EpisodeSearch", "RenameFiles", "RenameSeries",
                "RefreshSeries")

    def __init__(self, library: Path, api_key="fake-arr-key"):
        self.library = Path(library)
        self.api_key = api_key
        self.media = {}
        self.catalog = {}
        self.episodes = {}
        self.queue = {}
        self.commands = {}
        self.history = []
        self.rejection = ""
        self.add_failure = ""
        self.command_failure = ""
        self.failures = []
        self.root_folders = [{"id": 1, "path": str(self.library), "accessible": True, "freeSpace": 10 ** 12,
                              "unmappedFolders": []}]
        self.profiles = [{"id": 1, "name": "Any", "upgradeAllowed": True, "cutoff": 1, "items": []},
                         {"id": 4, "name": "HD-1080p", "upgradeAllowed": True, "cutoff": 7, "items": []}]
        self.requests = []
        self.ids = itertools.count(1)
        self.tags = []
        self.file_ids = {}
        super().__init__()

    # -- what the test controls ---------------------------------------------------------------

    def add_lookup(self, external_id: int, title: str, year: int | None = None, overview: str = "",
                   seasons: dict[int, int] | None = None) -> dict:
        """A media the lookup finds (not in the library until added); `seasons` {number: episode count}."""
        item = {"title": title, "sortTitle": title.lower(), "year": year or 0, "overview": overview,
                self.id_param: external_id, "remotePoster": f"https://img.example/{external_id}.jpg",
                "images": [{"coverType": "poster", "remoteUrl": f"https://img.example/{external_id}.jpg"}],
                "titleSlug": title.lower().replace(" ", "-"), "monitored": False,
                "_seasons": seasons or {}}
        if self.kind == "sonarr":
            item["seasons"] = [{"seasonNumber": n, "monitored": False} for n in sorted(item["_seasons"])]
        self.catalog[external_id] = item
        return item

    def add_media(self, external_id: int, title: str, year: int | None = None,
                  seasons: dict[int, int] | None = None, files: bool = False, root: Path | None = None,
                  **fields) -> dict:
        """A media already in the library, in folder `root/title`, with its episodes (`files`: each one
        has its file); `aired` (Sonarr): monitored episodes aired so far; other `fields` as given."""
        with self.lock:
            found = self.catalog.get(external_id) or self.add_lookup(external_id, title, year,
                                                                     seasons=seasons)
            item = self._create({**found, "rootFolderPath": str(root or self.library), "qualityProfileId": 1,
                                 "monitored": True}, files)
            status = "continuing" if self.kind == "sonarr" else "released"
            item.update({"tags": [], "status": status, **fields})
            if self.kind == "sonarr" and not item["seasons"]:
                item["seasons"] = [{"seasonNumber": 1, "monitored": True}]
            return item

    def add_queue(self, title: str, external_id: int, size: int = 1000, sizeleft: int = 400,
                  status: str = "downloading", messages: list[str] = ()) -> dict:
        media = next((m for m in self.media.values() if m[self.id_param] == external_id), None)
        item = {"id": next(self.ids), "title": title, "status": status, "size": size, "sizeleft": sizeleft,
                "timeleft": "00:05:00", "estimatedCompletionTime": "2026-01-01T00:05:00Z",
                "trackedDownloadStatus": "warning" if messages else "ok",
                "trackedDownloadState": "downloading",
                "statusMessages": [{"title": title, "messages": list(messages)}] if messages else [],
                "errorMessage": "", "downloadId": "AB" * 20, "protocol": "torrent",
                "downloadClient": "rTorrent",
                f"{self.item_key}Id": media["id"] if media else None, self.item_key: media}
        self.queue[item["id"]] = item
        return item

    def add_root(self, path: Path) -> str:
        self.root_folders.append({"id": len(self.root_folders) + 1, "path": str(path), "accessible": True,
                                  "freeSpace": 10 ** 12, "unmappedFolders": []})
        return str(path)

    def tag_label(self, tag_id: int) -> str:
        return next(t["label"] for t in self.tags if t["id"] == tag_id)

    def _with_statistics(self, item):
        files = self._videos(Path(item["path"])) if Path(item["path"]).is_dir() else []
        size = sum(p.stat().st_size for p in files)
        if self.kind == "sonarr":
            stats = {"episodeFileCount": len(files), "episodeCount": item.get("aired", len(files)),
                     "sizeOnDisk": size}
        else:
            stats = {"movieFileCount": len(files), "sizeOnDisk": size}
        return {**{k: v for k, v in item.items() if k != "aired"}, "statistics": stats,
                "sizeOnDisk": size, "hasFile": bool(files)}

    def _files(self, item):
        folder = Path(item["path"])
        found = self._videos(folder) if folder.is_dir() else []
        return [{"id": self.file_ids.setdefault(str(p), next(self.ids)), "path": str(p),
                 "relativePath": str(p.relative_to(folder)), "size": p.stat().st_size,
                 f"{self.item_key}Id": item["id"]} for p in found]

    def reject(self, reason: str):
        self.rejection = reason

    def fail_with(self, status: int, times: int = 1, headers: dict | None = None):
        """Answer the next `times` calls with `status` (429 with a Retry-After header ...)."""
        self.failures += [(status, {"message": "error"}, headers or {})] * times

    def fail_adds(self, message: str):
        self.add_failure = message

    def fail_commands(self, message: str):
        """Searches and renames end `failed` with this message when read (as Sonarr reports an exception)."""
        self.command_failure = message

    def queued(self, name):
        """The bodies of the commands named `name` in the queue: posted, or started by the service itself."""
        return [c["body"] for c in self.commands.values() if c["name"] == name]

    def commands_named(self, name):
        return [body for method, path, _, body in self.requests
                if method == "POST" and path == "/api/v3/command" and body.get("name") == name]

    def calls(self, method, path):
        return [(query, body) for m, p, query, body in self.requests
                if m == method and p == f"/api/v3/{path}"]

    # -- the library --------------------------------------------------------------------------

    def _create(self, resource: dict, files: bool = False) -> dict:
        known = self.catalog.get(resource[self.id_param], {})
        seasons = resource.get("_seasons") or known.get("_seasons", {})
        item = {k: v for k, v in resource.items() if not k.startswith("_")}
        item.update(id=next(self.ids), path=str(Path(resource["rootFolderPath"]) / resource["title"]),
                    added="2026-01-01T00:00:00Z")
        self.media[item["id"]] = item
        if self.kind == "sonarr":
            item["seasons"] = [{"seasonNumber": n, "monitored": item["monitored"]} for n in sorted(seasons)]
            for number, count in seasons.items():
                for episode in range(1, count + 1):
                    file_id = next(self.ids) if files else 0
                    eid = next(self.ids)
                    self.episodes[eid] = {
                        "id": eid, "seriesId": item["id"], "seasonNumber": number, "episodeNumber": episode,
                        "title": f"Episode {episode}", "airDate": f"2008-0{min(number, 9)}-{episode:02d}",
                        "hasFile": files, "monitored": item["monitored"], "episodeFileId": file_id,
                        "episodeFile": {"id": file_id, "size": 1_000_000} if files else None}
        return item

    def _update(self, item: dict, body: dict, query: dict) -> dict:
        """PUT series|movie/<id>: the fields saved (a season's monitoring reaching its episodes, as
        Sonarr's UpdateSeries does); with moveFiles the folder follows a new path."""
        if body.get("path", item["path"]) != item["path"] and query.get("moveFiles") == "true" \
                and Path(item["path"]).exists():
            Path(body["path"]).parent.mkdir(parents=True, exist_ok=True)
            shutil.move(item["path"], body["path"])
        before = {s["seasonNumber"]: s["monitored"] for s in item.get("seasons", [])}
        computed = ("statistics", "sizeOnDisk", "hasFile", "seasons")
        item.update({k: v for k, v in body.items() if k not in computed})
        item["monitored"] = bool(body.get("monitored"))
        wanted = {s["seasonNumber"]: bool(s.get("monitored")) for s in body.get("seasons", [])}
        for season in item.get("seasons", []):
            number = season["seasonNumber"]
            season["monitored"] = wanted.get(number, before[number])
            if season["monitored"] != before[number]:
                for episode in self.episodes.values():
                    if episode["seriesId"] == item["id"] and episode["seasonNumber"] == number:
                        episode["monitored"] = season["monitored"]
        return self._with_statistics(self._series(item))

    def _series(self, item: dict) -> dict:
        if self.kind != "sonarr":
            return item
        episodes = [e for e in self.episodes.values() if e["seriesId"] == item["id"]]
        for season in item["seasons"]:
            mine = [e for e in episodes if e["seasonNumber"] == season["seasonNumber"]]
            with_file = [e for e in mine if e["hasFile"]]
            season["statistics"] = {"episodeCount": len(mine), "totalEpisodeCount": len(mine),
                                    "episodeFileCount": len(with_file),
                                    "sizeOnDisk": sum(e["episodeFile"]["size"] for e in with_file)}
        return item

    def _lookup(self, term: str):
        prefix = "tvdb:" if self.kind == "sonarr" else "tmdb:"
        if term.startswith(prefix):
            wanted = [int(term[len(prefix):])] if term[len(prefix):].isdigit() else []
            found = [self.catalog[w] for w in wanted if w in self.catalog]
        else:
            words = term.lower().split()
            found = [c for c in self.catalog.values() if all(w in c["title"].lower() for w in words)]
        results = []
        for item in found:
            owned = next((m for m in self.media.values() if m[self.id_param] == item[self.id_param]), None)
            results.append(self._series(dict(owned)) if owned else
                           {k: v for k, v in item.items() if not k.startswith("_")})
        return results

    def _add(self, body):
        if self.add_failure:
            return 500, {"message": self.add_failure}
        errors = []
        if body.get("rootFolderPath") not in [r["path"] for r in self.root_folders]:
            errors.append({"propertyName": "RootFolderPath", "errorMessage": "Root folder does not exist"})
        if body.get("qualityProfileId") not in [p["id"] for p in self.profiles]:
            errors.append({"propertyName": "QualityProfileId",
                           "errorMessage": "Quality profile does not exist"})
        if any(m[self.id_param] == body.get(self.id_param) for m in self.media.values()):
            errors.append({"propertyName": self.id_param, "errorMessage": f"This {self.item_key} has already "
                                                                          "been added"})
        if errors:
            return 400, errors
        return 201, self._series(self._create(body))

    def _command(self, body):
        name = body.get("name")
        if name == self.scan:
            return 201, self._run(body)
        if name not in self.searches:
            return 400, [{"propertyName": "name", "errorMessage": "Unknown command"}]
        return 201, self._queue(body)

    def _queue(self, body):
        """A search or rename in the command queue, queued until read (then completed, or failed)."""
        command = {"id": next(self.ids), "name": body["name"], "status": "queued", "message": "",
                   "body": body, "result_message": self.command_failure or "Completed",
                   "result_status": "failed" if self.command_failure else "completed"}
        self.commands[command["id"]] = command
        return {k: v for k, v in command.items() if not k.startswith("result_")}

    # -- import -------------------------------------------------------------------------------

    def _videos(self, folder: Path):
        return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in VIDEO)

    def _match(self, folder: Path):
        """The library item whose title starts the folder's file names (as the parser would)."""
        for item in self.media.values():
            key = item["title"].lower().replace(" ", ".")
            if any(p.name.lower().startswith(key) for p in self._videos(folder)):
                return item
        return None

    def _candidates(self, folder: Path, download_id: str):
        if not folder.is_dir():
            return []
        item = self._match(folder)
        rejections = [{"reason": self.rejection, "type": "permanent"}] if self.rejection else []
        if item is None:
            rejections = [{"reason": "Unknown Series" if self.kind == "sonarr" else "Unknown Movie",
                           "type": "permanent"}]
        return [{"id": n, "path": str(p), "relativePath": str(p.relative_to(folder)),
                 "folderName": folder.name,
                 "name": p.stem, "size": p.stat().st_size, self.item_key: item, "downloadId": download_id,
                 "quality": {"quality": {"name": "WEBDL-1080p"}}, "rejections": rejections}
                for n, p in enumerate(self._videos(folder), 1)]

    def _run(self, body):
        command = {"id": next(self.ids), "name": body.get("name"), "status": "queued", "message": "",
                   "body": body}
        folder = Path(body.get("path", ""))
        download_id = body.get("downloadClientId", "")
        candidates = self._candidates(folder, download_id)
        usable = [c for c in candidates if not c["rejections"]]
        for candidate in usable:
            item = candidate[self.item_key]
            target = Path(item["path"]) / Path(candidate["path"]).name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(candidate["path"], target)
            self.history.append({"id": next(self.ids), "eventType": "downloadFolderImported",
                                 "downloadId": download_id, "sourceTitle": folder.name,
                                 f"{self.item_key}Id": item["id"],
                                 "data": {"droppedPath": candidate["path"], "importedPath": str(target)}})
        command["result_message"] = ("Completed" if usable else
                                     "; ".join(r["reason"] for c in candidates for r in c["rejections"])
                                     or "No files found are eligible for import")
        self.commands[command["id"]] = command
        return {k: v for k, v in command.items() if k not in ("result_message",)}

    # -- the API ------------------------------------------------------------------------------

    def answer(self, method, path, query, body, key=None):
        with self.lock:
            self.requests.append((method, path, query, body))
            if self.api_key not in (query.get("apikey"), key):
                return 401, {"error": "Unauthorized"}
            route = path.removeprefix("/api/v3/")
            if method == "GET" and route == "system/status":
                return 200, {"appName": self.app, "version": "4.0.0.0"}
            if method == "GET" and route == self.media_path:
                wanted = query.get(self.id_param)
                return 200, [self._with_statistics(self._series(m)) for m in self.media.values()
                             if wanted is None or str(m[self.id_param]) == wanted]
            if method == "GET" and route == f"{self.media_path}/lookup":
                return 200, self._lookup(query.get("term", ""))
            if method == "POST" and route == self.media_path:
                return self._add(body)
            if method == "GET" and route == "rootfolder":
                return 200, self.root_folders
            if method == "GET" and route == "qualityprofile":
                return 200, self.profiles
            if route.startswith(f"{self.media_path}/") and route.split("/")[1].isdigit():
                item = self.media.get(int(route.split("/")[1]))
                if item is None:
                    return 404, {"message": "NotFound"}
                if method == "PUT":
                    return 202, self._update(item, body, query)
                return 200, self._with_statistics(self._series(item))
            if method == "GET" and route == "tag":
                return 200, self.tags
            if method == "POST" and route == "tag":
                tag = {"id": next(self.ids), "label": body["label"]}
                self.tags.append(tag)
                return 201, tag
            if method == "GET" and route == "episode" and self.kind == "sonarr":
                series_id = int(query.get("seriesId", 0))
                if series_id not in self.media:
                    return 404, {"message": "Series does not exist"}
                with_file = query.get("includeEpisodeFile") == "true"
                return 200, [{k: v for k, v in e.items() if k != "episodeFile" or with_file}
                             for e in self.episodes.values() if e["seriesId"] == series_id]
            if method == "PUT" and route == "episode/monitor" and self.kind == "sonarr":
                for eid in body.get("episodeIds", []):
                    if eid in self.episodes:
                        self.episodes[eid]["monitored"] = bool(body.get("monitored"))
                return 202, []
            if method == "DELETE" and route == "episodefile/bulk" and self.kind == "sonarr":
                ids = set(body.get("episodeFileIds", []))
                for episode in self.episodes.values():
                    if episode["episodeFileId"] in ids:
                        episode.update(hasFile=False, episodeFileId=0, episodeFile=None)
                return 200, {}
            files_path = "episodefile" if self.kind == "sonarr" else "moviefile"
            if method == "GET" and route == files_path:
                item = self.media.get(int(query.get(f"{self.item_key}Id", 0)))
                return 200, self._files(item) if item else []
            if method == "DELETE" and route.startswith(f"{files_path}/") and route.split("/")[1].isdigit():
                file_id = int(route.split("/")[1])
                found = next((p for p, i in self.file_ids.items() if i == file_id and Path(p).exists()), None)
                if found is None:
                    return 404, {"message": "NotFound"}
                Path(found).unlink()
                return 200, {}
            if method == "GET" and route == "manualimport":
                return 200, self._candidates(Path(query.get("folder", "")), query.get("downloadId", ""))
            if method == "POST" and route == "command":
                return self._command(body)
            if method == "GET" and route.startswith("command/"):
                command = self.commands.get(int(route.rsplit("/", 1)[-1]))
                if command is None:
                    return 404, {"message": "NotFound"}
                command.update(status=command.get("result_status", "completed"),
                               message=command["result_message"])
                return 200, {k: v for k, v in command.items() if not k.startswith("result_")}
            if method == "GET" and route == "history":
                records = [r for r in self.history
                           if not query.get("downloadId") or r["downloadId"] == query["downloadId"]]
                return 200, {"page": 1, "pageSize": 100, "totalRecords": len(records), "records": records}
            if method == "GET" and route == "queue":
                records = list(self.queue.values())
                return 200, {"page": 1, "pageSize": int(query.get("pageSize", 10)), "sortKey": "timeleft",
                             "sortDirection": "ascending", "totalRecords": len(records), "records": records}
            if method == "DELETE" and route.startswith("queue/"):
                if self.queue.pop(int(route.rsplit("/", 1)[-1]), None) is None:
                    return 404, {"message": "NotFound"}
                return 200, {}
            return 404, {"message": "NotFound"}

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self, method):
                url = urlparse(self.path)
                query = {k: v[-1] for k, v in parse_qs(url.query).items()}
                length = int(self.headers.get("Content-Length") or 0)
                try:
                    body = json.loads(self.rfile.read(length)) if length else {}
                except ValueError:
                    body = None
                headers = {}
                if fake.failures:
                    with fake.lock:
                        fake.requests.append((method, url.path, query, body))
                        status, answer, headers = fake.failures.pop(0)
                elif body is None:
                    status, answer = 400, {"message": "Invalid JSON"}
                else:
                    status, answer = fake.answer(method, url.path, query, body, self.headers.get("X-Api-Key"))
                data = json.dumps(answer).encode()
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, str(value))
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                self._serve("GET")

            def do_POST(self):
                self._serve("POST")

            def do_PUT(self):
                self._serve("PUT")

            def do_DELETE(self):
                self._serve("DELETE")

            def log_message(self, *args):
                pass

        return Handler
