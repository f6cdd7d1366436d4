"""A small Last.fm API server for tests: user.getRecentTracks, as https://www.last.fm/api documents it.

    with FakeLastfm(api_key="k", users=["alice"]) as fake:
        fake.add_play("alice", "Daft Punk", "One More Time", album="Discovery", uts=1700000000)
        fake.now_playing("alice", "Air", "La femme d'argent")
        settings.LASTFM_API_URL = fake.url

A real HTTP server on 127.0.0.1 (a thread), so child processes can use it too.
Plays can be added while it runs. `fail_with(status, times)` answers the next
calls with an HTTP error (429, 503, ...). Every request's query is kept in
`requests`.
"""

import json
import time
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, urlparse

from .base import ServerThread

INVALID_KEY = {"error": 10, "message": "Invalid API key - You must be granted a valid key by last.fm"}
NO_USER = {"error": 6, "message": "User not found"}
NO_METHOD = {"error": 3, "message": "Invalid Method - No method with that name in this package"}


class FakeLastfm(ServerThread):
    def __init__(self, api_key="test-key", users=("alice",)):
        self.api_key = api_key
        self.plays = {user: [] for user in users}
        self.playing = {}
        self.requests = []
        self.failures = []
        super().__init__()

    @property
    def url(self) -> str:
        return f"{super().url}/2.0/"

    # -- what the test controls ---------------------------------------------------------------

    def add_play(self, user, artist, track, album="", uts=None) -> int:
        """Scrobble one play (at `uts`, default now); returns its unix time."""
        with self.lock:
            uts = int(uts if uts is not None else time.time())
            self.plays.setdefault(user, []).append({"artist": artist, "track": track, "album": album,
                                                    "uts": uts})
            return uts

    def now_playing(self, user, artist, track, album=""):
        with self.lock:
            self.playing[user] = {"artist": artist, "track": track, "album": album}

    def fail_with(self, status: int, times: int = 1, body: dict | None = None):
        with self.lock:
            self.failures += [(status, body)] * times

    # -- the API ------------------------------------------------------------------------------

    @staticmethod
    def _track(artist, track, album, uts=None):
        item = {
            "artist": {"mbid": "", "#text": artist},
            "streamable": "0",
            "image": [{"size": "small", "#text": ""}],
            "mbid": "",
            "album": {"mbid": "", "#text": album},
            "name": track,
            "url": f"https://www.last.fm/music/{artist}/_/{track}".replace(" ", "+"),
        }
        if uts is None:
            item["@attr"] = {"nowplaying": "true"}
        else:
            when = datetime.fromtimestamp(uts, tz=UTC).strftime("%d %b %Y, %H:%M")
            item["date"] = {"uts": str(uts), "#text": when}
        return item

    def answer(self, query: dict) -> tuple[int, dict]:
        with self.lock:
            self.requests.append(query)
            if self.failures:
                status, body = self.failures.pop(0)
                return status, body or {"error": 29 if status == 429 else 16,
                                        "message": "Rate Limit Exceeded" if status == 429
                                        else "There was a temporary error processing your request."}
            if query.get("api_key") != self.api_key:
                return 403, INVALID_KEY
            if query.get("method", "").lower() != "user.getrecenttracks":
                return 400, NO_METHOD
            user = query.get("user", "")
            if user not in self.plays:
                return 404, NO_USER
            since = int(query.get("from") or 0)
            limit = max(1, min(int(query.get("limit") or 50), 200))
            page = max(1, int(query.get("page") or 1))
            plays = sorted((p for p in self.plays[user] if p["uts"] >= since), key=lambda p: -p["uts"])
            pages = max(1, -(-len(plays) // limit))
            chunk = plays[(page - 1) * limit: page * limit]
            tracks = [self._track(p["artist"], p["track"], p["album"], p["uts"]) for p in chunk]
            if page == 1 and user in self.playing:
                playing = self.playing[user]
                tracks.insert(0, self._track(playing["artist"], playing["track"], playing["album"]))
            return 200, {"recenttracks": {
                # Last.fm sends a lone track as an object, not a list of one.
                "track": tracks[0] if len(tracks) == 1 else tracks,
                "@attr": {"user": user, "totalPages": str(pages), "page": str(page),
                          "perPage": str(limit), "total": str(len(plays))},
            }}

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                query = {k: v[-1] for k, v in parse_qs(urlparse(self.path).query).items()}
                try:
                    status, body = fake.answer(query)
                except ValueError:
                    status, body = 400, {"error": 6, "message": "Invalid parameters"}
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        return Handler
