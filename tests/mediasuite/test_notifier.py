"""The Discord notifier against the fake webhook: chosen events, once each, rate limits honoured."""

import pytest
from django.db import transaction

from mediasuite import events, notifier
from mediasuite.models import NotifierCursor, ServiceState
from mediasuite.services import control, runner
from tests.fakes.discord import FakeDiscord


@pytest.fixture
def discord(settings):
    with FakeDiscord(limit=50) as fake:
        settings.DISCORD_WEBHOOK_URL = fake.webhook_url
        yield fake


def record(kind, message, **payload):
    with transaction.atomic():
        return events.record(kind, ("thing", "1"), message=message, payload=payload)


def check_now():
    """One check through the real runner (the check is due at once)."""
    ServiceState.objects.filter(name="notifier").update(last_check=None)
    result = runner.run("notifier")
    assert result.startswith("1 check"), result
    return ServiceState.objects.get(name="notifier")


def test_posts_the_chosen_events_once_each(discord, db):
    record("update.done", "before the notifier was started")
    control.start(None, "notifier")
    record("update.done", "Updated to abc123")
    record("service.checked", "not chosen")
    record("unit.state", "Unit channel-1 failed: exit code 1", state="failed")
    record("unit.state", "Unit channel-1 running", state="running")
    record("update.rolled_back", "Rolled back to 0ff1ce")

    state = check_now()
    assert discord.contents() == ["**update.done** Updated to abc123",
                                  "**unit.state** Unit channel-1 failed: exit code 1",
                                  "**update.rolled_back** Rolled back to 0ff1ce"]
    assert all(m["allowed_mentions"] == {"parse": []} for m in discord.messages)
    assert state.counters["messages_sent"] == 3 and state.last_error == ""

    check_now()
    assert len(discord.messages) == 3
    record("update.failed", "Update failed")
    check_now()
    assert discord.contents()[-1] == "**update.failed** Update failed" and len(discord.messages) == 4


def test_a_429_is_answered_by_waiting_retry_after(discord, db):
    control.start(None, "notifier")
    record("update.done", "first")
    record("update.done", "second")
    discord.rate_limit(times=1, retry_after=0.4)
    check_now()
    assert discord.contents() == ["**update.done** first", "**update.done** second"]
    (limited_at, _), (retried_at, body) = discord.requests[0], discord.requests[1]
    assert body["content"] == "**update.done** first"
    assert retried_at - limited_at >= 0.4


def test_the_bucket_limit_is_respected_without_losing_messages(settings, db):
    with FakeDiscord(limit=2, window=1.0) as fake:
        settings.DISCORD_WEBHOOK_URL = fake.webhook_url
        control.start(None, "notifier")
        for n in range(5):
            record("update.done", f"message {n}")
        check_now()
        assert fake.contents() == [f"**update.done** message {n}" for n in range(5)]
        # The notifier waits for X-RateLimit-Reset-After instead of running into 429s.
        assert len(fake.requests) == 5


def test_a_wrong_webhook_is_reported_and_nothing_is_lost(discord, settings, db):
    control.start(None, "notifier")
    record("update.done", "kept for later")
    settings.DISCORD_WEBHOOK_URL = discord.webhook_url.replace("fake-token", "wrong")
    state = check_now()
    assert "HTTP 404 (Unknown Webhook)" in state.last_error and discord.messages == []

    settings.DISCORD_WEBHOOK_URL = discord.webhook_url
    state = check_now()
    assert discord.contents() == ["**update.done** kept for later"] and state.last_error == ""


def test_without_a_webhook_the_check_says_what_to_set(settings, db):
    settings.DISCORD_WEBHOOK_URL = ""
    control.start(None, "notifier")
    state = check_now()
    assert "Discord is not configured: set it in Settings → Connections (/settings/connections/#discord)" \
        in state.last_error
    assert not NotifierCursor.objects.exists()


def test_patterns(db):
    event = events.record("import.blocked", ("torrent", "9"), message="x", payload={"state": "blocked"})
    assert notifier.matches(event, ["import.*"]) and notifier.matches(event, ["import.blocked:blocked"])
    assert not notifier.matches(event, ["import.blocked:done"]) and not notifier.matches(event, ["import"])
