"""A small TMDB v3 server for tests (https://developer.themoviedb.org/reference).

GET /3/configuration, GET /3/search/movie, GET /3/movie/{id}/videos,
GET /3/tv/{id}/videos and GET /3/find/{tvdb_id}?external_source=tvdb_id.

    with FakeTmdb() as tmdb:
        tmdb.add_movie(603, "The Matrix", "1999-03-30")
        tmdb.add_video("movie", 603, "vKQi3bBA1y8", "The Matrix (1999) Official Trailer")
        tmdb.add_series(1396, 81189, "Breaking Bad")
        settings.TMDB_API_URL, settings.TMDB_API_KEY = tmdb.api_url, tmdb.api_key
"""

import re

from .base import FakeServer


class FakeTmdb(FakeServer):
    def __init__(self, api_key="fake-tmdb-key"):
        super().__init__()
        self.api_key = api_key
        self.movies = []
        self.series = {}  # tvdb id -> TMDB tv result
        self.videos = {}  # ("movie"|"tv", TMDB id) -> [video]

    @property
    def api_url(self) -> str:
        return f"{self.url}/3"

    def add_movie(self, tmdb_id: int, title: str, release_date: str = "", overview: str = ""):
        self.movies.append({"id": tmdb_id, "title": title, "original_title": title,
                            "release_date": release_date, "overview": overview, "poster_path": None,
                            "adult": False})

    def add_series(self, tmdb_id: int, tvdb_id: int, name: str, first_air_date: str = ""):
        self.series[tvdb_id] = {"id": tmdb_id, "name": name, "original_name": name,
                                "first_air_date": first_air_date, "media_type": "tv", "overview": ""}

    def add_video(self, kind: str, tmdb_id: int, key: str, name: str, video_type: str = "Trailer",
                  site: str = "YouTube", official: bool = True, language: str = "en"):
        """A video of the movie or tv series `tmdb_id` (kind "movie" or "tv"), as /videos lists it."""
        self.videos.setdefault((kind, tmdb_id), []).append({
            "iso_639_1": language, "iso_3166_1": "US", "name": name, "key": key, "site": site, "size": 1080,
            "type": video_type, "official": official, "published_at": "2020-01-01T00:00:00.000Z",
            "id": f"{key}-id"})

    def answer(self, method, path, query, body, headers):
        if query.get("api_key") != self.api_key and headers.get("Authorization") != f"Bearer {self.api_key}":
            return 401, {"status_code": 7, "success": False,
                         "status_message": "Invalid API key: You must be granted a valid key."}
        if method == "GET" and path == "/3/configuration":
            return 200, {"images": {"base_url": "http://image.tmdb.org/t/p/",
                                    "secure_base_url": "https://image.tmdb.org/t/p/",
                                    "poster_sizes": ["w92", "w154", "w185", "w342", "w500", "original"]},
                         "change_keys": ["adult", "title", "videos"]}
        if method == "GET" and path == "/3/search/movie":
            words = query.get("query", "").lower()
            results = [m for m in self.movies if words in m["title"].lower()]
            return 200, {"page": 1, "results": results, "total_pages": 1, "total_results": len(results)}
        videos = re.fullmatch(r"/3/(movie|tv)/(\d+)/videos", path)
        if method == "GET" and videos:
            kind, tmdb_id = videos[1], int(videos[2])
            movies, series = {m["id"] for m in self.movies}, {s["id"] for s in self.series.values()}
            known = movies if kind == "movie" else series
            if tmdb_id in known or (kind, tmdb_id) in self.videos:
                found = self.videos.get((kind, tmdb_id), [])
                languages = query.get("include_video_language")
                if languages:  # without it TMDB answers the default language (en) only
                    found = [v for v in found if v["iso_639_1"] in languages.split(",")]
                else:
                    found = [v for v in found if v["iso_639_1"] == "en"]
                return 200, {"id": tmdb_id, "results": found}
        found = re.fullmatch(r"/3/find/(\d+)", path)
        if method == "GET" and found and query.get("external_source") == "tvdb_id":
            series = self.series.get(int(found[1]))
            return 200, {"movie_results": [], "person_results": [], "tv_episode_results": [],
                         "tv_season_results": [], "tv_results": [series] if series else []}
        return 404, {"status_code": 34, "status_message": "The resource you requested could not be found.",
                     "success": False}
