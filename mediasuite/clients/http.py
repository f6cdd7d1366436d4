"""HTTP for the hosted services (TMDB, TVDB, YouTube, Torznab indexers): rate limits respected.

A 429 is waited out for its `Retry-After` (seconds or an HTTP date, capped)
before the retry, never retried at once. With a `RateLimiter` shared by every
caller of one service in this process (`limiter("youtube")`), a Retry-After
seen by one caller holds back all of them, so that a bulk job and a page
click do not both hammer a service that said stop.
"""

import email.utils
import logging
import threading
import time
from datetime import UTC, datetime

import requests

from ..errors import Unavailable

logger = logging.getLogger("mediasuite.clients")

MAX_WAIT = 60.0
RETRIES = 3


class ServiceError(Exception):
    """A hosted service failed or refused; the message names it and says what to check."""


class NotConfigured(ServiceError, Unavailable):
    """The service's settings are missing; the message names them. The API answers 503, not 502:
    nothing was asked of the service, this server cannot do it until the operator sets them."""


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


class RateLimiter:
    """The moment before which one service must not be called, for every thread of this process."""

    def __init__(self):
        self._until = 0.0
        self._lock = threading.Lock()

    def wait(self) -> None:
        """Block until any hold has passed."""
        with self._lock:
            delay = self._until - time.monotonic()
        if delay > 0:
            time.sleep(delay)

    def hold(self, seconds: float) -> None:
        """No call before `seconds` from now (the service sent Retry-After)."""
        with self._lock:
            self._until = max(self._until, time.monotonic() + seconds)


_limiters: dict[str, RateLimiter] = {}
_limiters_lock = threading.Lock()


def limiter(name: str) -> RateLimiter:
    """The limiter of service `name` (one per process)."""
    with _limiters_lock:
        return _limiters.setdefault(name, RateLimiter())


def said(response: requests.Response) -> str:
    """The service's own words in an error answer (`status_message`, `message` or `error`), if any."""
    try:
        body = response.json()
    except ValueError:
        return ""
    if not isinstance(body, dict):
        return ""
    said = body.get("status_message") or body.get("message") or body.get("error") or ""
    return str(said)[:200] if isinstance(said, (str, int)) else ""


def request(session: requests.Session, method: str, url: str, *, what: str, timeout: float = 20.0,
            rate: RateLimiter | None = None, accept: tuple[int, ...] = (), key_setting: str = "",
            **kwargs) -> requests.Response:
    """One call, 429s waited out; an error status raises ServiceError unless listed in `accept`.

    `key_setting` names the setting that holds the credentials, for the message of a 401/403.
    """
    for attempt in range(RETRIES + 1):
        if rate is not None:
            rate.wait()
        try:
            response = session.request(method, url, timeout=timeout, **kwargs)
        except requests.RequestException as exc:
            raise ServiceError(f"{what} did not answer: {exc}") from exc
        if response.status_code == 429 and attempt < RETRIES:
            wait = min(retry_after(response.headers.get("Retry-After")), MAX_WAIT)
            logger.info("%s rate limit: waiting %.1f s as Retry-After asks", what, wait)
            if rate is not None:
                rate.hold(wait)
            else:
                time.sleep(wait)
            continue
        if response.status_code in accept:
            return response
        if response.status_code in (401, 403):
            words = f": {said(response)}" if said(response) else ""
            raise ServiceError(f"{what} refused the API key ({response.status_code}{words}); check "
                               f"{key_setting or 'its setting'}.")
        if response.status_code >= 400:
            raise ServiceError(f"{what} answered {response.status_code}: {response.text[:200]}")
        return response
    raise ServiceError(f"{what} still rate-limits after {RETRIES} waits; try again later.")
