"""Sign-ins throttled per account and per address: one rule for the API token, the site and the admin.

Each failed password is counted twice, under the username and under the
client's address, in the cache for `LOGIN_FAILURE_WINDOW` seconds. Once
either count reaches `LOGIN_FAILURE_LIMIT`, every attempt on that account or
from that address is refused, the right password too, until the oldest
failure leaves the window: guessing gains nothing, and the message says when
to try again. Failures are recorded by the `user_login_failed` signal, so
every caller of `authenticate()` counts; the entry points ask `wait()`
before checking a password.
"""

import logging
import time

from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.dispatch import receiver

log = logging.getLogger("mediasuite.accounts")


def client_address(request) -> str:
    """The peer's address (daphne has already applied the trusted proxies' X-Forwarded-For)."""
    return (request.META.get("REMOTE_ADDR") or "unknown") if request is not None else "unknown"


def _keys(username: str, address: str) -> list[str]:
    return [f"login-failures:user:{(username or '').casefold()[:150]}", f"login-failures:addr:{address}"]


def _recent(key: str, now: float) -> list[float]:
    return [t for t in cache.get(key, []) if t > now - settings.LOGIN_FAILURE_WINDOW]


def wait(username: str, request) -> int:
    """Seconds until `username` may try again from this client; 0 when it may now."""
    now = time.time()
    longest = 0
    for key in _keys(username, client_address(request)):
        failures = _recent(key, now)
        if len(failures) >= settings.LOGIN_FAILURE_LIMIT:
            oldest = failures[-settings.LOGIN_FAILURE_LIMIT]
            longest = max(longest, int(oldest + settings.LOGIN_FAILURE_WINDOW - now) + 1)
    return longest


def refusal(seconds: int) -> str:
    return f"Too many failed sign-ins for this account or from this address; try again in {seconds} s."


@receiver(user_login_failed, dispatch_uid="mediasuite.logins.failed")
def failed(sender, credentials, request=None, **kwargs):
    username, address, now = credentials.get("username", ""), client_address(request), time.time()
    for key in _keys(username, address):
        cache.set(key, [*_recent(key, now), now], timeout=int(settings.LOGIN_FAILURE_WINDOW) + 1)
    log.warning("Failed sign-in for %r from %s.", username, address)


class _Throttled:
    def clean(self):
        seconds = wait(self.data.get("username", ""), self.request)
        if seconds:
            raise ValidationError(refusal(seconds), code="throttled")
        return super().clean()


class LoginForm(_Throttled, AuthenticationForm):
    """The site's sign-in form (/accounts/login/)."""

    error_messages = {**AuthenticationForm.error_messages,
                      "invalid_login": "Your username and password did not match. Try again."}


class AdminLoginForm(_Throttled, AdminAuthenticationForm):
    """The admin's sign-in form (/admin/login/)."""
