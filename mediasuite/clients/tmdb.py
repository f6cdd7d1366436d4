"""TMDB v3 (https://developer.themoviedb.org/reference): movie search, and the videos of a movie or series.

Movies are keyed by their TMDB id; a series (keyed by its TVDB id elsewhere)
is found through /find/{tvdb_id}?external_source=tvdb_id first.
"""

import requests

from mediasuite import config
from mediasuite.clients.connections import not_configured
from mediasuite.clients.http import NotConfigured, limiter, request


def _get(path: str, missing_ok: bool = False, **params) -> dict:
    """The JSON answer of GET `path`; with `missing_ok` a 404 (no such movie/series) is an empty answer."""
    key = config.get("TMDB_API_KEY")
    if not key:
        raise NotConfigured(not_configured("tmdb"))
    session = requests.Session()
    if key.startswith("eyJ"):  # a v4 read access token
        session.headers["Authorization"] = f"Bearer {key}"
    else:
        params["api_key"] = key
    url = f"{config.get('TMDB_API_URL').rstrip('/')}{path}"
    response = request(session, "GET", url, params=params, what="TMDB", rate=limiter("tmdb"),
                       key_setting="TMDB_API_KEY", accept=(404,) if missing_ok else ())
    return {} if response.status_code == 404 else response.json()


def check() -> str:
    """Whether TMDB accepts the key (GET /configuration, which every key may read)."""
    _get("/configuration")
    return "TMDB accepts the key"


def search_movies(query: str) -> list[dict]:
    data = _get("/search/movie", query=query, include_adult="false")
    results = []
    for item in data.get("results", []):
        year = (item.get("release_date") or "")[:4]
        results.append({"media_type": "movie", "tmdb_id": item["id"], "tvdb_id": None,
                        "title": item.get("title") or item.get("original_title", ""),
                        "year": int(year) if year.isdigit() else None, "overview": item.get("overview", "")})
    return results


def tv_id_for_tvdb(tvdb_id: int) -> int | None:
    """The TMDB id of the series TVDB knows as `tvdb_id`, or None when TMDB has no such series."""
    data = _get(f"/find/{int(tvdb_id)}", external_source="tvdb_id")
    found = data.get("tv_results") or []
    return found[0]["id"] if found else None


def videos(media_type: str, tmdb_id: int, language: str = "") -> list[dict]:
    """The videos TMDB lists for a movie or a TV series (https://developer.themoviedb.org/reference/movie-videos).

    With `language` (ISO 639-1) those in it come along with the English and untagged ones.
    """
    kind = "movie" if media_type == "movie" else "tv"
    params = {"include_video_language": f"{language},en,null"} if language else {}
    return _get(f"/{kind}/{int(tmdb_id)}/videos", missing_ok=True, **params).get("results") or []
