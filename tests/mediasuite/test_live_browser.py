"""live.js in Debian's Chromium: events appear without reload, the badge follows the connection."""

import re

import pytest
from playwright.sync_api import expect

from ..conftest import free_port, start_web
from .test_live_support import write_in_process

pytestmark = [pytest.mark.browser, pytest.mark.processes]


def test_events_page_shows_an_event_from_another_process_without_reload(page, login, web, spawn, people):
    login(people["super"], "/events/")
    badge = page.locator("#live-badge")
    expect(badge).to_have_text("live")
    expect(badge).to_have_class(re.compile(r"\btext-bg-success\b"))
    page.evaluate("window.reloaded = false")

    [event_id] = write_in_process(spawn, [{"kind": "unit.running", "message": "started by the supervisor"}])

    row = page.locator(f'#event-rows tr[data-event-id="{event_id}"]')
    expect(row).to_contain_text("started by the supervisor")
    expect(page.locator("#event-rows tr").first).to_have_attribute("data-event-id", str(event_id))
    assert page.evaluate("window.reloaded") is False
    assert page.evaluate("window.MediaSuiteLive.lastId") == event_id


def test_a_restarted_server_loses_nothing_and_the_badge_says_so(page, login, spawn, people, club):
    """Stop the web process, record while it is down, start it again: the page catches up by itself."""
    login(people["admin"], "/")  # the session cookie is per host, so it also holds on the other port
    port = free_port()
    proc, base = start_web(spawn, "web-a", port)
    page.goto(f"{base}/events/")
    badge = page.locator("#live-badge")
    expect(badge).to_have_text("live")

    proc.stop()
    expect(badge).to_have_text("reconnecting\u2026")
    expect(badge).to_have_class(re.compile(r"\btext-bg-warning\b"))
    missed = write_in_process(spawn, [
        {"club": club.pk, "message": "while the server was down"},
        {"message": "operator only, not for a club admin"},
        {"club": club.pk, "message": "also while down"},
    ])

    start_web(spawn, "web-b", port)
    expect(badge).to_have_text("live", timeout=20_000)
    expect(page.locator(f'#event-rows tr[data-event-id="{missed[2]}"]')).to_contain_text("also while down")
    expect(page.locator(f'#event-rows tr[data-event-id="{missed[0]}"]')).to_contain_text("server was down")
    expect(page.locator(f'#event-rows tr[data-event-id="{missed[1]}"]')).to_have_count(0)


def test_admin_pages_carry_the_badge(page, login, web, people):
    login(people["super"], "/admin/")
    expect(page.locator("#live-badge")).to_have_text("live")
    page.goto(f"{web}/admin/mediasuite/event/")
    expect(page.locator("#live-badge")).to_have_text("live")


def test_on_a_phone_each_event_reads_as_a_block_without_sideways_scrolling(page, login, people, club):
    from mediasuite import events

    message = "Unit channel-demo-series: stopping -> stopped (supervisor shut down; the unit starts again)"
    events.record("unit.state", club, club=club, message=message)
    page.set_viewport_size({"width": 390, "height": 844})
    login(people["super"], "/events/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    row = page.locator("#event-rows tr").first
    subject, text = row.locator("[data-role=subject]"), row.locator(".event-message")
    expect(text).to_have_text(message)
    row_box, subject_box, text_box = row.bounding_box(), subject.bounding_box(), text.bounding_box()
    below = subject_box["y"] + subject_box["height"] - 1
    assert text_box["y"] >= below, "the message is on a line of its own"
    assert text_box["width"] >= row_box["width"] - 2, "the message has the whole width of the screen"
    assert row.locator(".event-id").is_hidden()
