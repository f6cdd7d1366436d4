"""The follower: one per web process, reads new events and fans them out.

The event table is the truth. The follower keeps a cursor `position`: every
event with id <= position is committed and has been handed to the
subscribers that were connected at the time. A consumer that subscribes gets
the current position together with its queue, so "catch up from the table up
to position, then read the queue" has no gap and no duplicate.

Ids are handed out before commit, so a reader can see id 11 while id 10 is
still in flight (PostgreSQL) and must not move past 10 until 10 is either
visible or known never to come. The rules per database:

- SQLite: writers are serialised (IMMEDIATE transactions) and a rolled-back
  AUTOINCREMENT id is reused, so a visible id means every lower id is final.
- PostgreSQL: every poll also reads `pg_current_snapshot()` in the same
  statement. A hole is final once none of the transactions that were in
  flight shortly after the hole was first seen are still in flight (a
  transaction that drew the id already has its xid by then). A hole that
  stays open longer than LIVE_HOLE_TIMEOUT is skipped with a warning.
- Anything else: a hole is waited for one second.

Polls run every LIVE_POLL_INTERVAL seconds in a dedicated thread with its own
connection; on PostgreSQL a LISTEN connection wakes the loop at once, and an
event recorded by this very process wakes it through `wake_local()`.
"""

import asyncio
import contextlib
import logging
import time
import weakref
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection
from django.db.models import Max
from django.db.models.expressions import RawSQL

from ..models import Event
from .wire import Item, item_of, message_texts

log = logging.getLogger("mediasuite.live")

BATCH = 500
HOLE_GRACE = 0.05
FALLBACK_HOLE_WAIT = 1.0
START_TIMEOUT = 3.0
# Events a client may lag behind before it is closed (4008) and reconnects with `after=`.
QUEUE_SIZE = 5000


@dataclass(frozen=True)
class Snapshot:
    """A PostgreSQL snapshot: in-flight transaction ids at one instant."""

    xmin: int
    xmax: int
    xip: frozenset[int]

    @classmethod
    def parse(cls, text: str) -> "Snapshot":
        xmin, xmax, xip = text.split(":")
        return cls(int(xmin), int(xmax), frozenset(int(x) for x in xip.split(",") if x))


@dataclass
class Hole:
    start: int
    seen_at: float
    watch: frozenset[int] | None = None


@dataclass(eq=False)
class Subscription:
    queue: asyncio.Queue
    overflowed: bool = False


@dataclass
class PollResult:
    items: list[Item] = field(default_factory=list)
    position: int = 0
    more: bool = False


class Follower:
    """Follows the event table for the consumers of one event loop."""

    def __init__(self, loop: asyncio.AbstractEventLoop):
        self.loop = loop
        self.position = 0
        self.started = False
        self.subscriptions: set[Subscription] = set()
        self._wake = asyncio.Event()
        self._start_lock = asyncio.Lock()
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="live-follower")
        self._hole: Hole | None = None
        self._tasks: list[asyncio.Task] = []
        self.vendor = connection.vendor

    # -- public -----------------------------------------------------------

    async def subscribe(self) -> tuple[Subscription, int]:
        """A new subscription and the position it starts after."""
        await self.start()
        sub = Subscription(asyncio.Queue(QUEUE_SIZE))
        self.subscriptions.add(sub)
        return sub, self.position

    def unsubscribe(self, sub: Subscription) -> None:
        self.subscriptions.discard(sub)

    def wake(self) -> None:
        self._wake.set()

    async def start(self) -> None:
        async with self._start_lock:
            if self.started:
                return
            self.position = await self._in_thread(self._initial_position)
            # Settle the tail (in-flight holes) before anyone subscribes, so that
            # the first clients do not receive old events as new ones.
            deadline = time.monotonic() + START_TIMEOUT
            while time.monotonic() < deadline:
                result = await self._in_thread(self._poll, self.position)
                self.position = result.position
                if not result.more and self._hole is None:
                    break
                await asyncio.sleep(settings.LIVE_POLL_INTERVAL / 2)
            self._tasks.append(self.loop.create_task(self._run(), name="live-follower"))
            if self.vendor == "postgresql":
                self._tasks.append(self.loop.create_task(self._listen(), name="live-listen"))
            self.started = True
            log.info("event follower started at event %s (%s)", self.position, self.vendor)

    # -- loop -------------------------------------------------------------

    async def _in_thread(self, fn, *args):
        return await self.loop.run_in_executor(self._executor, fn, *args)

    async def _run(self) -> None:
        failures = 0
        while True:
            if not self._wake.is_set():
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), timeout=settings.LIVE_POLL_INTERVAL)
            self._wake.clear()
            try:
                result = await self._in_thread(self._poll, self.position)
                self._publish(result)
            except Exception:
                failures += 1
                log.exception("event follower: reading events failed (attempt %s)", failures)
                await self._in_thread(connection.close)
                await asyncio.sleep(min(0.5 * 2 ** failures, 10.0))
                continue
            failures = 0
            if result.more:
                self._wake.set()

    def _publish(self, result: PollResult) -> None:
        """Hand items to every subscription and advance, with no await in between."""
        for item in result.items:
            for sub in self.subscriptions:
                if sub.overflowed:
                    continue
                try:
                    sub.queue.put_nowait(item)
                except asyncio.QueueFull:
                    sub.overflowed = True
                    log.warning("a live client is too slow; it will be told to reconnect")
        self.position = result.position

    async def _listen(self) -> None:
        """PostgreSQL: wake the poll loop on NOTIFY; polling goes on if this fails."""
        import psycopg

        from ..events import NOTIFY_CHANNEL

        params = {key: value for key, value in connection.get_connection_params().items()
                  if key not in ("cursor_factory", "context", "prepare_threshold")}
        delay = 0.5
        while True:
            try:
                aconn = await psycopg.AsyncConnection.connect(autocommit=True, **params)
                async with aconn:
                    await aconn.execute(f"LISTEN {NOTIFY_CHANNEL}")
                    delay = 0.5
                    self._wake.set()
                    async for _notify in aconn.notifies():
                        self._wake.set()
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.warning("event follower: LISTEN connection lost (%s); retrying in %.1fs", exc, delay)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 10.0)

    # -- database (runs in the follower thread) ----------------------------

    def _initial_position(self) -> int:
        if self.vendor == "sqlite":
            return Event.objects.aggregate(top=Max("id"))["top"] or 0
        # Start below the lowest hole of the recent tail; _poll settles it.
        tail = sorted(Event.objects.order_by("-id").values_list("id", flat=True)[:200])
        if not tail:
            return 0
        for before, after in zip(tail, tail[1:], strict=False):
            if after != before + 1:
                return before
        return tail[-1]

    def _poll(self, after: int) -> PollResult:
        query = Event.objects.filter(id__gt=after).select_related("club", "actor").order_by("id")
        if self.vendor == "postgresql":
            query = query.annotate(live_snapshot=RawSQL("pg_current_snapshot()::text", ()))
        rows = list(query[:BATCH])
        result = PollResult(position=after, more=len(rows) == BATCH)
        now = time.monotonic()
        texts = message_texts(rows)
        for row, text in zip(rows, texts, strict=True):
            expected = result.position + 1
            if row.id != expected and not self._hole_is_final(expected, row, now):
                result.more = False
                return result
            result.items.append(item_of(row, text))
            result.position = row.id
        self._hole = None
        return result

    def _hole_is_final(self, start: int, row: Event, now: float) -> bool:
        """Whether ids from `start` up to `row.id` - 1 can no longer appear."""
        if self.vendor == "sqlite":
            return True
        hole = self._hole
        if hole is None or hole.start != start:
            hole = self._hole = Hole(start, now)
        if now - hole.seen_at >= settings.LIVE_HOLE_TIMEOUT:
            log.warning("event follower: events %s..%s stayed invisible for %.0fs; moving on",
                        start, row.id - 1, settings.LIVE_HOLE_TIMEOUT)
            return True
        if self.vendor != "postgresql":
            return now - hole.seen_at >= FALLBACK_HOLE_WAIT
        if now - hole.seen_at < HOLE_GRACE:
            return False
        snapshot = Snapshot.parse(row.live_snapshot)
        if hole.watch is None:
            hole.watch = snapshot.xip
        return not (hole.watch & snapshot.xip)


_followers: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Follower]" = weakref.WeakKeyDictionary()
_latest: Follower | None = None


def get_follower() -> Follower:
    """The follower of the running event loop, created on first use."""
    global _latest
    loop = asyncio.get_running_loop()
    follower = _followers.get(loop)
    if follower is None:
        follower = _followers[loop] = Follower(loop)
        _latest = follower
    return follower


def wake_local() -> None:
    """Wake this process's follower (after a commit here); safe from any thread."""
    follower = _latest
    if follower is not None and follower.started:
        with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
            follower.loop.call_soon_threadsafe(follower.wake)


def safe_cursor() -> int:
    """An event id a page can render as `data-live-after`: nothing above it is lost.

    The follower's position when it runs here; otherwise the newest id on
    SQLite (final by construction) or, elsewhere, the newest id older than
    a few seconds, so that a transaction still in flight is not skipped
    (the client may then receive a few events twice; pages dedupe by id).
    """
    follower = _latest
    if follower is not None and follower.started and follower.loop.is_running():
        return follower.position
    if connection.vendor == "sqlite":
        return Event.objects.aggregate(top=Max("id"))["top"] or 0
    from datetime import timedelta

    from django.utils import timezone

    older = timezone.now() - timedelta(seconds=settings.LIVE_HOLE_TIMEOUT)
    return Event.objects.filter(created_at__lt=older).aggregate(top=Max("id"))["top"] or 0
