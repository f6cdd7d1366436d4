"""Access that lasts: long-lived responses re-check, every few seconds, that their viewer may still watch.

A request is checked when it opens, but an MJPEG preview, a channel's
continuous stream or a WebSocket stays open for hours. When it opens, the
view takes a `Grant`: the user, their password hash (a password change ends
what was opened before it, as it ends the browser sessions), a `credential`
check (the token it was opened with still exists) and a `resource` check
(the user may still see what is streamed: a membership deleted, a session
closed). `until_revoked()` relays a stream and ends it at the first check
that fails; `revoked()` is the same check for a WebSocket consumer.

Why polling rather than events on membership, user and token changes: those
rows change through several doors (the admin, the API, `manage.py`, a
deleted club cascading to memberships, a password set in a shell) and a
stream may be served by another web process than the one that saw the
change; one indexed query per open stream every ACCESS_RECHECK_SECONDS
catches all of them, on every node, with nothing to keep in step.
"""

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

from channels.db import database_sync_to_async
from django.conf import settings
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token


@dataclass(frozen=True)
class Grant:
    """What a stream was opened with; `holds()` answers whether it is still good."""

    user_id: int | None
    password: str | None = None
    credential: Callable[[], bool] | None = None
    resource: Callable[[object], bool] | None = None

    def holds(self) -> bool:
        """True while the user is active, their password unchanged, the credential and the resource there."""
        user = None
        if self.user_id is not None:
            user = get_user_model().objects.filter(pk=self.user_id, is_active=True).first()
            if user is None or (self.password is not None and user.password != self.password):
                return False
        if self.credential is not None and not self.credential():
            return False
        return self.resource is None or self.resource(user)


def grant(user, *, password: bool = True, credential=None, resource=None) -> Grant:
    """The grant of a stream opened by `user` (None or anonymous: open access, only `resource` is checked).

    `password=False` for credentials that live apart from the password (a
    channel access token outlives a password change; its revocation is the
    `credential` check).
    """
    signed_in = user is not None and getattr(user, "is_authenticated", False)
    return Grant(user_id=user.pk if signed_in else None,
                 password=user.password if signed_in and password else None,
                 credential=credential, resource=resource)


def of_request(request, resource=None) -> Grant:
    """The grant of a stream opened by an API request: its API token, or its browser session, must last.

    A signed preview link (`request.auth` a dict) expires on its own; the
    user, password and resource checks still apply to what it opened.
    """
    auth, credential = getattr(request, "auth", None), None
    if isinstance(auth, Token):
        key = auth.pk
        credential = Token.objects.filter(pk=key).exists
    elif auth is None and getattr(request, "session", None) is not None and request.session.session_key:
        session, key = request.session, request.session.session_key
        credential = lambda: session.exists(key)  # noqa: E731  (signed out elsewhere: the session is gone)
    return grant(request.user, credential=credential, resource=resource)


def every() -> float:
    return settings.ACCESS_RECHECK_SECONDS


async def revoked(grant: Grant) -> None:
    """Return once `grant` no longer holds (checked every ACCESS_RECHECK_SECONDS)."""
    check = database_sync_to_async(grant.holds)
    while await check():
        await asyncio.sleep(every())


async def until_revoked(chunks: AsyncIterator[bytes], grant: Grant) -> AsyncIterator[bytes]:
    """Relay `chunks` until they end or `grant` stops holding, whichever comes first.

    The check runs between chunks and also while the source is silent (a
    camera that sends nothing still has its viewer cut on time).
    """
    check = database_sync_to_async(grant.holds)
    source = aiter(chunks)
    pending = None
    due = time.monotonic() + every()
    try:
        while True:
            if pending is None:
                pending = asyncio.ensure_future(anext(source))
            done, _ = await asyncio.wait({pending}, timeout=max(0.0, due - time.monotonic()))
            if done:
                try:
                    chunk = pending.result()
                except StopAsyncIteration:
                    return
                pending = None
                yield chunk
            if time.monotonic() >= due:
                if not await check():
                    return
                due = time.monotonic() + every()
    finally:
        if pending is not None:
            pending.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await pending
        aclose = getattr(source, "aclose", None)
        if aclose is not None:
            await aclose()
