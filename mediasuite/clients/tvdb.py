"""TVDB v4 (https://thetvdb.github.io/v4-api/): login for a token, then series search and series details."""

import requests
from django.conf import settings

from mediasuite import config
from mediasuite.clients.connections import not_configured
from mediasuite.clients.http import NotConfigured, ServiceError, request


def _session() -> tuple[requests.Session, str]:
    """A session logged in with TVDB_API_KEY (POST /login gives the bearer token), and the API base."""
    key = config.get("TVDB_API_KEY")
    if not key:
        raise NotConfigured(not_configured("tvdb"))
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


def _text(value) -> str:
    return value.strip() if isinstance(value, str) else ""


def series_details(tvdb_id: int, language: str = "") -> dict:
    """{id, name, year, overview, image, status} of a series, in `language` where TVDB has it.

    `language` is TVDB's three-letter code (TVDB_LANGUAGE, default eng). The
    name and the overview each come from /series/{id}/translations/{language}
    when that translation has them, else from the series record (its original
    language): a missing, empty or blank translation never blanks them. `id`
    is always the TVDB id asked for (downstream mapping relies on it).
    """
    tvdb_id = int(tvdb_id)
    language = language or settings.TVDB_LANGUAGE
    session, base = _session()
    found = request(session, "GET", f"{base}/series/{tvdb_id}", what="TVDB", accept=(404,))
    if found.status_code == 404:
        raise ServiceError(f"TVDB has no series with id {tvdb_id}.")
    record = found.json().get("data") or {}
    translation = {}
    if language and language != record.get("originalLanguage"):
        answer = request(session, "GET", f"{base}/series/{tvdb_id}/translations/{language}", what="TVDB",
                         accept=(404,))
        if answer.status_code != 404:
            translation = answer.json().get("data") or {}
    year = str(record.get("year") or (record.get("firstAired") or "")[:4])
    status = record.get("status")
    return {
        "id": tvdb_id,
        "name": _text(translation.get("name")) or _text(record.get("name")),
        "overview": _text(translation.get("overview")) or _text(record.get("overview")),
        "year": int(year) if year.isdigit() else None,
        "image": record.get("image") or "",
        "status": (status.get("name") if isinstance(status, dict) else status) or "",
    }
