"""TMDB movie search (https://developer.themoviedb.org/reference/search-movie): results keyed by TMDB id."""

import requests
from django.conf import settings

from .http import ServiceError, request


def search_movies(query: str) -> list[dict]:
    key = settings.TMDB_API_KEY
    if not key:
        raise ServiceError("TMDB is not configured: set TMDB_API_KEY.")
    session = requests.Session()
    params = {"query": query, "include_adult": "false"}
    if key.startswith("eyJ"):  # a v4 read access token
        session.headers["Authorization"] = f"Bearer {key}"
    else:
        params["api_key"] = key
    data = request(session, "GET", f"{settings.TMDB_API_URL.rstrip('/')}/search/movie", params=params,
                   what="TMDB").json()
    results = []
    for item in data.get("results", []):
        year = (item.get("release_date") or "")[:4]
        results.append({"media_type": "movie", "tmdb_id": item["id"], "tvdb_id": None,
                        "title": item.get("title") or item.get("original_title", ""),
                        "year": int(year) if year.isdigit() else None, "overview": item.get("overview", "")})
    return results
