"""HTTP for the hosted services (TMDB, TVDB, Torznab indexers): rate limits respected.

A 429 is waited out for its `Retry-After` (seconds or an HTTP date, capped)
before the one retry, never retried at once.
"""

import email.utils
import logging
import time
from datetime import UTC, datetime

import requests

logger = logging.getLogger("mediasuite.seedbox")

MAX_WAIT = 60.0
RETRIES = 3


class ServiceError(Exception):
    """A hosted service failed or refused; the message names it and says what to check."""


def retry_after(value: str | None, default: float = 1.0) -> float:
    if not value:
        return default
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return default
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def request(session: requests.Session, method: str, url: str, *, what: str, timeout: float = 20.0,
            **kwargs) -> requests.Response:
    for attempt in range(RETRIES + 1):
        try:
            response = session.request(method, url, timeout=timeout, **kwargs)
        except requests.RequestException as exc:
            raise ServiceError(f"{what} did not answer: {exc}") from exc
        if response.status_code == 429 and attempt < RETRIES:
            wait = min(retry_after(response.headers.get("Retry-After")), MAX_WAIT)
            logger.info("%s rate limit: waiting %.1f s as Retry-After asks", what, wait)
            time.sleep(wait)
            continue
        if response.status_code in (401, 403):
            raise ServiceError(f"{what} refused the API key ({response.status_code}); check its setting.")
        if response.status_code >= 400:
            raise ServiceError(f"{what} answered {response.status_code}: {response.text[:200]}")
        return response
    raise ServiceError(f"{what} still rate-limits after {RETRIES} waits; try again later.")
