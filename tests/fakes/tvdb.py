"""A small TVDB v4 server for tests: POST /v4/login, GET /v4/search (https://thetvdb.github.io/v4-api/)."""

from .base import FakeServer


class FakeTvdb(FakeServer):
    def __init__(self, api_key="fake-tvdb-key"):
        super().__init__()
        self.api_key = api_key
        self.token = "fake-tvdb-token"
        self.series = []

    @property
    def api_url(self) -> str:
        return f"{self.url}/v4"

    def add_series(self, tvdb_id: int, name: str, year: str = "", overview: str = ""):
        self.series.append({"objectID": f"series-{tvdb_id}", "id": f"series-{tvdb_id}",
                            "tvdb_id": str(tvdb_id), "name": name, "year": year, "overview": overview,
                            "type": "series"})

    def answer(self, method, path, query, body, headers):
        if method == "POST" and path == "/v4/login":
            if (body or {}).get("apikey") != self.api_key:
                return 401, {"status": "failure", "message": "Unauthorized", "data": None}
            return 200, {"status": "success", "data": {"token": self.token}}
        if headers.get("Authorization") != f"Bearer {self.token}":
            return 401, {"status": "failure", "message": "Unauthorized", "data": None}
        if method == "GET" and path == "/v4/search":
            words = query.get("query", "").lower()
            return 200, {"status": "success", "data": [s for s in self.series if words in s["name"].lower()]}
        return 404, {"status": "failure", "message": "NotFound", "data": None}
