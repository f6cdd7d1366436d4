"""YouTube Data API v3 (https://developers.google.com/youtube/v3/docs/search/list): trailer candidates.

One search.list (100 quota units) for "<title> <year> trailer", then one
videos.list (1 unit) for the durations of what it found.
"""

import re

import requests
from django.conf import settings

from mediasuite import config
from mediasuite.clients.connections import not_configured
from mediasuite.clients.http import ServiceError, limiter, request

DURATION = re.compile(r"^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$")


def seconds(iso: str) -> int | None:
    """Seconds of an ISO 8601 duration as YouTube gives it (PT2M30S), None when unreadable."""
    found = DURATION.match(iso or "")
    if not found or not any(found.groups()):
        return None
    days, hours, minutes, secs = (int(part or 0) for part in found.groups())
    return ((days * 24 + hours) * 60 + minutes) * 60 + secs


def watch_url(video_id: str) -> str:
    return f"https://www.youtube.com/watch?v={video_id}"


def _refusal(response) -> ServiceError:
    """What a 400/403 of the Data API means (https://developers.google.com/youtube/v3/docs/errors)."""
    try:
        error = response.json().get("error") or {}
    except (ValueError, AttributeError):
        error = {}
    reasons = {e.get("reason") for e in error.get("errors") or [] if isinstance(e, dict)}
    if reasons & {"quotaExceeded", "dailyLimitExceeded", "rateLimitExceeded"}:
        return ServiceError("YouTube's API quota is used up for today (it resets at midnight Pacific time); "
                            "cached trailers still answer, searches work again then.")
    if reasons & {"keyInvalid", "keyExpired", "forbidden", "accessNotConfigured"} or \
            "API key" in str(error.get("message", "")):
        return ServiceError(f"YouTube refused YOUTUBE_API_KEY ({response.status_code}: "
                            f"{error.get('message', 'no message')}); check the key and that the YouTube "
                            "Data API v3 is enabled for it.")
    message = error.get("message") or response.text[:200]
    return ServiceError(f"YouTube answered {response.status_code}: {message}")


def check() -> str:
    """Whether YouTube takes YOUTUBE_API_KEY: one videos.list (1 quota unit, a search costs 100)."""
    _get("videos", part="id", id="jNQXAC9IVRw")
    return "YouTube accepts the key"


def _get(path: str, **params) -> dict:
    key = config.get("YOUTUBE_API_KEY")
    if not key:
        raise ServiceError(not_configured("youtube"))
    url = f"{config.get('YOUTUBE_API_URL').rstrip('/')}/{path}"
    response = request(requests.Session(), "GET", url, params={**params, "key": key}, what="YouTube",
                       rate=limiter("youtube"), accept=(400, 403))
    if response.status_code in (400, 403):
        raise _refusal(response)
    return response.json()


def _thumbnail(snippet: dict) -> str:
    thumbs = snippet.get("thumbnails") or {}
    for size in ("high", "medium", "default"):
        if (thumbs.get(size) or {}).get("url"):
            return thumbs[size]["url"]
    return ""


def search(query: str, limit: int | None = None) -> list[dict]:
    """Videos for `query`, as candidates {video_id, title, channel, duration, thumbnail, url, source}."""
    limit = limit or settings.TRAILERS_YOUTUBE_RESULTS
    params = {"relevanceLanguage": settings.TRAILERS_LANGUAGE} if settings.TRAILERS_LANGUAGE else {}
    data = _get("search", part="snippet", type="video", q=query, maxResults=limit, **params)
    found = []
    for item in data.get("items") or []:
        video_id = (item.get("id") or {}).get("videoId")
        snippet = item.get("snippet") or {}
        if not video_id:
            continue
        found.append({"video_id": video_id, "title": snippet.get("title", ""),
                      "channel": snippet.get("channelTitle", ""), "duration": None,
                      "thumbnail": _thumbnail(snippet), "url": watch_url(video_id), "source": "youtube"})
    if found:
        details = _get("videos", part="contentDetails", id=",".join(v["video_id"] for v in found))
        durations = {item.get("id"): seconds((item.get("contentDetails") or {}).get("duration", ""))
                     for item in details.get("items") or []}
        for video in found:
            video["duration"] = durations.get(video["video_id"])
    return found
