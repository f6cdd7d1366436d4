"""The `notifier` background service (the original's bot): posts chosen events to a Discord webhook.

Each check reads the events after its cursor (NotifierCursor), posts those
matching NOTIFIER_EVENTS to DISCORD_WEBHOOK_URL, one message each, and moves
the cursor past every event it has handled. Patterns: `kind`, `kind*` (a
prefix), `kind:state` (the payload's state, e.g. `unit.state:failed`).

Rate limits, as Discord documents them (https://discord.com/developers/docs/topics/rate-limits):
a 429 answer carries `retry_after` (seconds) in its JSON body and a
Retry-After header: the notifier waits that long and sends again; when
X-RateLimit-Remaining reaches 0 it waits X-RateLimit-Reset-After before the
next message. A check never waits longer than WAIT_BUDGET in all: the rest
goes at the next check, in order, none lost.
"""

import logging
import time

import requests
from django.conf import settings
from django.db.models import Max

from . import config
from .clients.connections import not_configured
from .models import Event, NotifierCursor
from .services.registry import Report

logger = logging.getLogger("mediasuite.notifier")

CURSOR = "notifier"
BATCH = 200  # events read per check
WAIT_BUDGET = 10.0  # seconds a check may spend waiting for rate limits
MAX_CONTENT = 2000  # Discord's limit for `content`


class WebhookError(Exception):
    pass


class RateLimited(Exception):
    """Waiting longer would exceed the check's budget: the rest goes at the next check."""


def matches(event: Event, patterns: list[str]) -> bool:
    for pattern in patterns:
        kind, _, state = pattern.partition(":")
        hit = event.kind.startswith(kind[:-1]) if kind.endswith("*") else event.kind == kind
        if hit and (not state or (event.payload or {}).get("state") == state):
            return True
    return False


def message(event: Event) -> dict:
    """The webhook body for one event (no mentions are ever pinged)."""
    text = event.message or f"{event.kind} {event.subject_type} {event.subject_id}"
    content = f"**{event.kind}** {text}"
    return {"content": content[:MAX_CONTENT], "username": "MediaSuite", "allowed_mentions": {"parse": []}}


class Webhook:
    def __init__(self, url: str):
        self.url = url
        self.session = requests.Session()
        self.waited = 0.0
        self.not_before = 0.0

    def _wait(self, seconds: float):
        if self.waited + seconds > WAIT_BUDGET:
            raise RateLimited(f"Discord asks to wait {seconds:.1f} s; the rest goes at the next check.")
        self.waited += seconds
        time.sleep(seconds)

    def post(self, body: dict):
        for _ in range(5):
            pause = self.not_before - time.monotonic()
            if pause > 0:
                self._wait(pause)
            try:
                answer = self.session.post(self.url, json=body, timeout=10)
            except requests.RequestException as exc:
                raise WebhookError(f"Discord webhook unreachable: {exc}") from None
            headers = answer.headers
            if headers.get("X-RateLimit-Remaining") == "0" and headers.get("X-RateLimit-Reset-After"):
                self.not_before = time.monotonic() + float(headers["X-RateLimit-Reset-After"])
            if answer.status_code == 429:
                try:
                    retry_after = float(answer.json().get("retry_after"))
                except (ValueError, TypeError, AttributeError):
                    retry_after = float(headers.get("Retry-After", 1))
                logger.info("Discord rate limit: waiting %.2f s.", retry_after)
                self._wait(retry_after)
                continue
            if answer.status_code >= 400:
                try:
                    detail = answer.json().get("message", "")
                except ValueError:
                    detail = answer.text[:200]
                raise WebhookError(f"Discord answered HTTP {answer.status_code} ({detail}): check the "
                                   "webhook URL in Settings → Connections.")
            return
        raise WebhookError("Discord kept answering 429 (rate limited); trying again at the next check.")


def _cursor(state) -> NotifierCursor:
    """The cursor; created at the last event before the service was started (no old history is sent)."""
    cursor = NotifierCursor.objects.filter(name=CURSOR).first()
    if cursor is None:
        start = Event.objects.filter(created_at__lt=state.last_updated).aggregate(last=Max("id"))["last"]
        NotifierCursor.objects.bulk_create([NotifierCursor(name=CURSOR, last_event_id=start or 0)],
                                           ignore_conflicts=True)
        cursor = NotifierCursor.objects.get(name=CURSOR)
    return cursor


def check(state) -> Report:
    """Post the new matching events; the cursor moves past each event handled."""
    url = config.get("DISCORD_WEBHOOK_URL")
    if not url:
        return Report(error=not_configured("discord"))
    cursor = _cursor(state)
    webhook = Webhook(url)
    patterns = list(settings.NOTIFIER_EVENTS)
    sent = 0
    error = ""
    for event in Event.objects.filter(id__gt=cursor.last_event_id).order_by("id")[:BATCH]:
        if matches(event, patterns):
            try:
                webhook.post(message(event))
            except RateLimited:
                break
            except WebhookError as exc:
                error = str(exc)
                break
            sent += 1
        # Compare-and-set: a run that lost its lease cannot move the cursor backwards.
        NotifierCursor.objects.filter(name=CURSOR, last_event_id__lt=event.pk).update(last_event_id=event.pk)
    return Report(counters={"messages_sent": sent}, error=error)
