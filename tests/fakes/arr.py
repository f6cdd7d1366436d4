"""Small Sonarr/Radarr v3 API servers for tests (https://sonarr.tv/docs/api/, https://radarr.video/docs/api/).

    with FakeSonarr(library=tmp_path / "tv") as sonarr:
        sonarr.add_media(81189, "Breaking Bad")
        settings.SONARR_URL, settings.SONARR_API_KEY = sonarr.url, sonarr.api_key

What MediaSuite calls: system/status, series?tvdbId= / movie?tmdbId=,
manualimport?folder=&downloadId=, POST command (DownloadedEpisodesScan /
DownloadedMoviesScan, importMode Move: the video files of the folder are
moved into the library and a downloadFolderImported history record is
written for the download id), command/<id>, history?downloadId=.
For the library: series / movie (every item, with `statistics` counted from
the files on disk and `status`), PUT series|movie/<id>[?moveFiles=true] (the
folder really moves), rootfolder, tag (GET, POST), episodefile?seriesId= /
moviefile?movieId= (the video files under the item's folder) and DELETE
episodefile|moviefile/<id> (the file is really deleted).
The real server runs the command in the background: here it is "queued" in
the answer to the POST and "completed" when read. `reject(reason)` makes
every candidate carry that rejection (and the scan import nothing), as
Sonarr does for a file that is not an upgrade. Every request is kept in
`requests` as (method, path, query, body).
"""

import itertools
import json
import shutil
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

VIDEO = (".mkv", ".mp4", ".avi", ".m4v", ".ts")


class FakeArr:
    kind = "sonarr"
    app = "Sonarr"
    media_path = "series"
    id_param = "tvdbId"
    scan = "DownloadedEpisodesScan"
    item_key = "series"

    def __init__(self, library: Path, api_key="fake-arr-key"):
        self.library = Path(library)
        self.api_key = api_key
        self.media = {}
        self.commands = {}
        self.history = []
        self.rejection = ""
        self.requests = []
        self.ids = itertools.count(1)
        self.roots = [str(self.library)]
        self.tags = []
        self.file_ids = {}
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    # -- what the test controls ---------------------------------------------------------------

    def add_media(self, external_id: int, title: str, root: Path | None = None, **fields) -> dict:
        """A series/movie in folder `root/title`; `aired` (Sonarr): monitored episodes aired so far."""
        root = str(root or self.library)
        with self.lock:
            item = {"id": next(self.ids), "title": title, self.id_param: external_id,
                    "path": str(Path(root) / title), "rootFolderPath": root, "monitored": True, "tags": [],
                    "status": "continuing" if self.kind == "sonarr" else "released", **fields}
            if self.kind == "sonarr":
                item.setdefault("seasons", [{"seasonNumber": 1, "monitored": True}])
            self.media[item["id"]] = item
            return item

    def add_root(self, path: Path) -> str:
        self.roots.append(str(path))
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

    def commands_named(self, name):
        return [body for method, path, _, body in self.requests
                if method == "POST" and path == "/api/v3/command" and body.get("name") == name]

    # -- the API ------------------------------------------------------------------------------

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

    def answer(self, method, path, query, body, key=None):
        with self.lock:
            self.requests.append((method, path, query, body))
            if self.api_key not in (query.get("apikey"), key):
                return 401, {"error": "Unauthorized"}
            if method == "GET" and path == "/api/v3/system/status":
                return 200, {"appName": self.app, "version": "4.0.0.0"}
            if method == "GET" and path == f"/api/v3/{self.media_path}":
                wanted = query.get(self.id_param)
                return 200, [self._with_statistics(m) for m in self.media.values()
                             if wanted is None or str(m[self.id_param]) == wanted]
            if method == "PUT" and path.startswith(f"/api/v3/{self.media_path}/"):
                item = self.media.get(int(path.rsplit("/", 1)[-1]))
                if item is None:
                    return 404, {"message": "NotFound"}
                if body.get("path") != item["path"] and query.get("moveFiles") == "true" \
                        and Path(item["path"]).exists():
                    Path(body["path"]).parent.mkdir(parents=True, exist_ok=True)
                    shutil.move(item["path"], body["path"])
                computed = ("statistics", "sizeOnDisk", "hasFile")
                item.update({k: v for k, v in body.items() if k not in computed})
                return 202, self._with_statistics(item)
            if method == "GET" and path == "/api/v3/rootfolder":
                return 200, [{"id": n, "path": root} for n, root in enumerate(self.roots, 1)]
            if method == "GET" and path == "/api/v3/tag":
                return 200, self.tags
            if method == "POST" and path == "/api/v3/tag":
                tag = {"id": next(self.ids), "label": body["label"]}
                self.tags.append(tag)
                return 201, tag
            files_path = "episodefile" if self.kind == "sonarr" else "moviefile"
            if method == "GET" and path == f"/api/v3/{files_path}":
                item = self.media.get(int(query.get(f"{self.item_key}Id", 0)))
                return 200, self._files(item) if item else []
            if method == "DELETE" and path.startswith(f"/api/v3/{files_path}/"):
                file_id = int(path.rsplit("/", 1)[-1])
                found = next((p for p, i in self.file_ids.items() if i == file_id and Path(p).exists()), None)
                if found is None:
                    return 404, {"message": "NotFound"}
                Path(found).unlink()
                return 200, {}
            if method == "GET" and path == "/api/v3/manualimport":
                return 200, self._candidates(Path(query.get("folder", "")), query.get("downloadId", ""))
            if method == "POST" and path == "/api/v3/command":
                if body.get("name") != self.scan:
                    return 400, [{"propertyName": "name", "errorMessage": "Unknown command"}]
                return 201, self._run(body)
            if method == "GET" and path.startswith("/api/v3/command/"):
                command = self.commands.get(int(path.rsplit("/", 1)[-1]))
                if command is None:
                    return 404, {"message": "NotFound"}
                command.update(status="completed", message=command["result_message"])
                return 200, {k: v for k, v in command.items() if k != "result_message"}
            if method == "GET" and path == "/api/v3/history":
                records = [r for r in self.history
                           if not query.get("downloadId") or r["downloadId"] == query["downloadId"]]
                return 200, {"page": 1, "pageSize": 100, "totalRecords": len(records), "records": records}
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
                if body is None:
                    status, answer = 400, {"message": "Invalid JSON"}
                else:
                    status, answer = fake.answer(method, url.path, query, body, self.headers.get("X-Api-Key"))
                data = json.dumps(answer).encode()
                self.send_response(status)
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
