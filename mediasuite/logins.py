"""Sign-ins throttled per account and per address: one rule for the API token, the site and the admin.

Each failed password is counted twice, under the username and under the
client's address, as rows of the database kept for `LOGIN_FAILURE_WINDOW`
seconds: every web process and node of the installation counts together (a
per-process cache would let each of N processes allow its own ten guesses). Once
either count reaches `LOGIN_FAILURE_LIMIT`, every attempt on that account or
from that address is refused, the right password too, until the oldest
failure leaves the window: guessing gains nothing, and the message says when
to try again. Failures are recorded by the `user_login_failed` signal, so
every caller of `authenticate()` counts; the entry points ask `wait()`
before checking a password.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.dispatch import receiver
from django.utils import timezone

from .models import SignInFailure

log = logging.getLogger("mediasuite.accounts")


def client_address(request) -> str:
    """The peer's address (daphne has already applied the trusted proxies' X-Forwarded-For)."""
    return (request.META.get("REMOTE_ADDR") or "unknown") if request is not None else "unknown"


def _keys(username: str, address: str) -> list[str]:
    username = (username or "").replace("\x00", "").casefold()[:150]
    return [f"user:{username}", f"addr:{address[:150]}"]


def _window() -> timedelta:
    return timedelta(seconds=settings.LOGIN_FAILURE_WINDOW)


def wait(username: str, request) -> int:
    """Seconds until `username` may try again from this client; 0 when it may now."""
    now = timezone.now()
    rows = (SignInFailure.objects.filter(scope__in=_keys(username, client_address(request)),
                                         at__gt=now - _window())
            .order_by("at").values_list("scope", "at"))
    failures: dict[str, list] = {}
    for scope, at in rows:
        failures.setdefault(scope, []).append(at)
    longest = 0
    for times in failures.values():
        if len(times) >= settings.LOGIN_FAILURE_LIMIT:
            oldest = times[-settings.LOGIN_FAILURE_LIMIT]
            longest = max(longest, int((oldest + _window() - now).total_seconds()) + 1)
    return longest


def refusal(seconds: int) -> str:
    return f"Too many failed sign-ins for this account or from this address; try again in {seconds} s."


@receiver(user_login_failed, dispatch_uid="mediasuite.logins.failed")
def failed(sender, credentials, request=None, **kwargs):
    username, address, now = credentials.get("username", ""), client_address(request), timezone.now()
    SignInFailure.objects.bulk_create([SignInFailure(scope=key, at=now) for key in _keys(username, address)])
    SignInFailure.objects.filter(at__lt=now - _window()).delete()
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
