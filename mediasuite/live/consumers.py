"""`ws://…/ws/events/`: the live event feed of one signed-in user.

Protocol (server to client, JSON text frames):

    {"type": "event", "event": {...}}        one event (wire.event_data), ids increasing
    {"type": "hello", "last_id": N}          after the catch-up: everything <= N was sent
    {"type": "error", "error": "..."}        before a close 4400 (bad query parameter)

Close codes: 4401 not signed in (or, since the socket opened, signed out,
deactivated or the password changed), 4403 the user's access changed (a
membership or the role: reconnect with `?after=` to listen with the new
access), 4400 bad query parameter, 4008 the client read too slowly
(reconnect with `?after=`; nothing is lost).

Each event is checked against the Event policy in Python, from an
`Audience` snapshot of the user. A watcher re-checks the user's access every
ACCESS_RECHECK_SECONDS (`mediasuite.access`, as every long-lived stream
does) and closes the socket once it changed, events or not.
"""

import asyncio
import logging

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from .. import access
from ..models import Event, User
from ..policies import policy_for
from .follower import get_follower
from .wire import BadFilter, Filters, message_texts

log = logging.getLogger("mediasuite.live")

CATCHUP_CHUNK = 500
CLOSE_UNAUTHENTICATED = 4401
CLOSE_BAD_REQUEST = 4400
CLOSE_TOO_SLOW = 4008
CLOSE_ACCESS_CHANGED = 4403


class EventConsumer(AsyncJsonWebsocketConsumer):
    sub = None
    pump = None
    watch = None

    async def connect(self):
        user = self.scope.get("user")
        await self.accept()
        if not (user is not None and user.is_authenticated and user.is_active):
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        try:
            self.filters = Filters.parse(self.scope.get("query_string", b""))
        except BadFilter as exc:
            await self.send_json({"type": "error", "error": str(exc)})
            await self.close(code=CLOSE_BAD_REQUEST)
            return
        self.user = user
        self.grant = access.grant(user, credential=self._session_lasts())
        self.policy = policy_for(Event)
        self.audience = await self._audience()
        if self.audience is None:
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        follower = get_follower()
        self.follower = follower
        self.sub, start = await follower.subscribe()
        after = self.filters.after
        if after is not None and after < start:
            await self._catch_up(after, start)
        self.position = start if after is None else max(after, start)
        await self.send_json({"type": "hello", "last_id": self.position})
        self.pump = asyncio.get_running_loop().create_task(self._pump())
        self.watch = asyncio.get_running_loop().create_task(self._watch())

    async def disconnect(self, code):
        if self.sub is not None:
            self.follower.unsubscribe(self.sub)
        for task in (self.pump, self.watch):
            if task is not None and task is not asyncio.current_task():
                task.cancel()

    async def receive(self, text_data=None, bytes_data=None):
        """Clients have nothing to say; a ping keeps proxies from closing the socket."""

    # -- catch-up and live ------------------------------------------------

    async def _catch_up(self, after: int, upto: int) -> None:
        """Send the visible events in (after, upto] from the table, in order."""
        while after < upto:
            texts, after = await self._read_chunk(after, upto)
            for text in texts:
                await self.send(text_data=text)
            if not texts:
                break

    @database_sync_to_async
    def _read_chunk(self, after: int, upto: int) -> tuple[list[str], int]:
        query = (self.policy.queryset(self.user, "view")
                 .filter(self.filters.q(), id__gt=after, id__lte=upto)
                 .select_related("club", "actor").order_by("id"))
        rows = list(query[:CATCHUP_CHUNK])
        last = rows[-1].id if len(rows) == CATCHUP_CHUNK else upto
        return message_texts(rows), last

    async def _pump(self) -> None:
        try:
            await self._forward()
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("live feed of %s failed; closing it (the client reconnects)", self.user)
            await self.close(code=1011)

    async def _forward(self) -> None:
        queue = self.sub.queue
        while True:
            item = await queue.get()
            if self.sub.overflowed:
                await self.close(code=CLOSE_TOO_SLOW)
                return
            if item.id <= self.position:
                continue
            self.position = item.id
            if not self.filters.matches(item):
                continue
            if self.policy.sees(self.audience, item.club_id, item.owner_id):
                await self.send(text_data=item.text)

    async def _watch(self) -> None:
        """Close the socket within ACCESS_RECHECK_SECONDS of the user's access going or changing."""
        while True:
            await asyncio.sleep(access.every())
            # The audience first: an account ended between the two reads then fails the grant (4401),
            # instead of showing as an access change (4403).
            audience = await self._audience()
            if audience is None or not await database_sync_to_async(self.grant.holds)():
                await self.close(code=CLOSE_UNAUTHENTICATED)
                return
            if audience != self.audience:
                await self.close(code=CLOSE_ACCESS_CHANGED)
                return

    @database_sync_to_async
    def _audience(self):
        """The user's role and clubs as they are now; None once the account is gone."""
        user = User.objects.filter(pk=self.user.pk).first()
        return self.policy.audience(user) if user is not None else None

    def _session_lasts(self):
        """The check that the browser session this socket was opened with still exists (not signed out)."""
        session = self.scope.get("session")
        key = getattr(session, "session_key", None)
        return (lambda: session.exists(key)) if key else None
