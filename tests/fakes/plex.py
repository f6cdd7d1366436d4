"""A small Plex Media Server API for tests (https://plexapi.dev/api-reference); every call needs X-Plex-Token.

GET /identity; GET /library/sections/all/refresh (`refreshes` counts them); GET /library/sections (one
TV library, key 2); GET /library/sections/2/all?type=2&includeGuids=1 (the shows, each with its Guid
list: tvdb://<id>); GET /library/metadata/<ratingKey>/allLeaves (the episodes: parentIndex, index,
viewCount when watched). `add_show(tvdb_id, title, {season: episodes}, watched={(season, episode)})`.
"""

from .base import FakeServer


class FakePlex(FakeServer):
    def __init__(self, token="fake-plex-token"):
        super().__init__()
        self.token = token
        self.refreshes = 0
        self.shows = {}

    def add_show(self, tvdb_id: int, title: str, seasons: dict[int, int], watched=()):
        key = str(1000 + len(self.shows))
        episodes = [{"ratingKey": f"{key}{s:02d}{e:03d}", "type": "episode", "parentIndex": s, "index": e,
                     "title": f"Episode {e}", **({"viewCount": 1} if (s, e) in set(watched) else {})}
                    for s, count in seasons.items() for e in range(1, count + 1)]
        self.shows[key] = {"show": {"ratingKey": key, "type": "show", "title": title,
                                    "Guid": [{"id": f"tvdb://{tvdb_id}"}, {"id": f"imdb://tt{tvdb_id}"}]},
                           "episodes": episodes}

    def answer(self, method, path, query, body, headers):
        if self.token not in (headers.get("X-Plex-Token"), query.get("X-Plex-Token")):
            return 401, "<html><head><title>Unauthorized</title></head></html>", {"Content-Type": "text/html"}
        if method == "GET" and path == "/identity":
            return 200, {"MediaContainer": {"size": 0, "claimed": True, "machineIdentifier": "fake",
                                            "version": "1.40.0.0"}}
        if method == "GET" and path == "/library/sections/all/refresh":
            self.refreshes += 1
            return 200, b"", {"Content-Type": "text/plain"}
        if method == "GET" and path == "/library/sections":
            return 200, {"MediaContainer": {"size": 2, "Directory": [
                {"key": "1", "type": "movie", "title": "Movies"},
                {"key": "2", "type": "show", "title": "TV Shows"}]}}
        if method == "GET" and path == "/library/sections/2/all":
            shows = [dict(s["show"]) for s in self.shows.values()]
            if query.get("includeGuids") != "1":
                shows = [{k: v for k, v in show.items() if k != "Guid"} for show in shows]
            return 200, {"MediaContainer": {"size": len(shows), "Metadata": shows}}
        parts = path.split("/")
        if method == "GET" and len(parts) == 5 and parts[1:3] == ["library", "metadata"] \
                and parts[4] == "allLeaves":
            show = self.shows.get(parts[3])
            if show is not None:
                return 200, {"MediaContainer": {"size": len(show["episodes"]), "Metadata": show["episodes"]}}
        return 404, "Not found", {"Content-Type": "text/plain"}
