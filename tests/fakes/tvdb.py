"""A small TVDB v4 server for tests (https://thetvdb.github.io/v4-api/).

POST /v4/login; GET /v4/search; GET /v4/series/{id} (the base record: name and
overview in the original language, image, year, status {name});
GET /v4/series/{id}/translations/{language} (a Translation {name, overview,
language}, 404 when TVDB has none in that language).
"""

from .base import FakeServer


class FakeTvdb(FakeServer):
    def __init__(self, api_key="fake-tvdb-key"):
        super().__init__()
        self.api_key = api_key
        self.token = "fake-tvdb-token"
        self.series = []
        self.records = {}
        self.translations = {}

    @property
    def api_url(self) -> str:
        return f"{self.url}/v4"

    def add_series(self, tvdb_id: int, name: str, year: str = "", overview: str = ""):
        self.series.append({"objectID": f"series-{tvdb_id}", "id": f"series-{tvdb_id}",
                            "tvdb_id": str(tvdb_id), "name": name, "year": year, "overview": overview,
                            "type": "series"})

    def add_record(self, tvdb_id: int, name: str, overview: str = "", year: str = "", language: str = "eng",
                   status: str = "Continuing"):
        self.records[tvdb_id] = {"id": tvdb_id, "name": name, "slug": name.lower().replace(" ", "-"),
                                 "image": f"https://artworks.example/{tvdb_id}.jpg", "overview": overview,
                                 "year": year, "firstAired": f"{year}-01-20" if year else "",
                                 "originalLanguage": language, "status": {"id": 1, "name": status}}

    def add_translation(self, tvdb_id: int, language: str, name, overview):
        """A translation as TVDB stores it: either field may be missing (None), empty or blank."""
        data = {"language": language, "isPrimary": False, "aliases": []}
        for key, value in (("name", name), ("overview", overview)):
            if value is not None:
                data[key] = value
        self.translations[(tvdb_id, language)] = data

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
        parts = path.removeprefix("/v4/").split("/")
        if method == "GET" and parts[0] == "series" and len(parts) in (2, 4) and parts[1].isdigit():
            tvdb_id = int(parts[1])
            found = (self.records.get(tvdb_id) if len(parts) == 2 else
                     self.translations.get((tvdb_id, parts[3])) if parts[2] == "translations" else None)
            if found is not None:
                return 200, {"status": "success", "data": found}
        return 404, {"status": "failure", "message": "NotFound", "data": None}
