"""A small TMDB v3 server for tests: GET /3/search/movie (https://developer.themoviedb.org/reference/search-movie).

    with FakeTmdb() as tmdb:
        tmdb.add_movie(603, "The Matrix", "1999-03-30")
        settings.TMDB_API_URL, settings.TMDB_API_KEY = tmdb.api_url, tmdb.api_key
"""

from .base import FakeServer


class FakeTmdb(FakeServer):
    def __init__(self, api_key="fake-tmdb-key"):
        super().__init__()
        self.api_key = api_key
        self.movies = []

    @property
    def api_url(self) -> str:
        return f"{self.url}/3"

    def add_movie(self, tmdb_id: int, title: str, release_date: str = "", overview: str = ""):
        self.movies.append({"id": tmdb_id, "title": title, "original_title": title,
                            "release_date": release_date, "overview": overview, "poster_path": None,
                            "adult": False})

    def answer(self, method, path, query, body, headers):
        if query.get("api_key") != self.api_key and headers.get("Authorization") != f"Bearer {self.api_key}":
            return 401, {"status_code": 7, "success": False,
                         "status_message": "Invalid API key: You must be granted a valid key."}
        if method == "GET" and path == "/3/search/movie":
            words = query.get("query", "").lower()
            results = [m for m in self.movies if words in m["title"].lower()]
            return 200, {"page": 1, "results": results, "total_pages": 1, "total_results": len(results)}
        return 404, {"status_code": 34, "status_message": "The resource you requested could not be found.",
                     "success": False}
