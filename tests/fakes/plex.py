"""A small Plex Media Server API for tests: GET /identity and GET /library/sections/all/refresh.

(https://plexapi.dev/api-reference/library/refresh-all-libraries); every call needs X-Plex-Token.
`refreshes` counts the library refreshes asked for.
"""

from .base import FakeServer


class FakePlex(FakeServer):
    def __init__(self, token="fake-plex-token"):
        super().__init__()
        self.token = token
        self.refreshes = 0

    def answer(self, method, path, query, body, headers):
        if self.token not in (headers.get("X-Plex-Token"), query.get("X-Plex-Token")):
            return 401, "<html><head><title>Unauthorized</title></head></html>", {"Content-Type": "text/html"}
        if method == "GET" and path == "/identity":
            return 200, {"MediaContainer": {"size": 0, "claimed": True, "machineIdentifier": "fake",
                                            "version": "1.40.0.0"}}
        if method == "GET" and path == "/library/sections/all/refresh":
            self.refreshes += 1
            return 200, b"", {"Content-Type": "text/plain"}
        return 404, "Not found", {"Content-Type": "text/plain"}
