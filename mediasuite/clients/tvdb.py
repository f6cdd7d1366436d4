"""TVDB v4 series search (https://thetvdb.github.io/v4-api/): login for a token, then /search."""

import requests

from mediasuite import config
from mediasuite.clients.connections import not_configured
from mediasuite.clients.http import ServiceError, request


def _session() -> tuple[requests.Session, str]:
    """A session logged in with TVDB_API_KEY (POST /login gives the bearer token), and the API base."""
    key = config.get("TVDB_API_KEY")
    if not key:
        raise ServiceError(not_configured("tvdb"))
    base = config.get("TVDB_API_URL").rstrip("/")
    session = requests.Session()
    login = request(session, "POST", f"{base}/login", json={"apikey": key}, what="TVDB",
                    key_setting="TVDB_API_KEY").json()
    token = (login.get("data") or {}).get("token")
    if not token:
        raise ServiceError("TVDB gave no token for TVDB_API_KEY.")
    session.headers["Authorization"] = f"Bearer {token}"
    return session, base


def check() -> str:
    _session()
    return "TVDB accepts the key"


def search_series(query: str) -> list[dict]:
    session, base = _session()
    data = request(session, "GET", f"{base}/search", params={"query": query, "type": "series"},
                   what="TVDB").json()
    results = []
    for item in data.get("data", []):
        tvdb_id = item.get("tvdb_id") or str(item.get("id", "")).removeprefix("series-")
        year = str(item.get("year") or "")
        results.append({"media_type": "series", "tmdb_id": None, "tvdb_id": int(tvdb_id),
                        "title": item.get("name", ""), "year": int(year) if year.isdigit() else None,
                        "overview": item.get("overview", "")})
    return results
