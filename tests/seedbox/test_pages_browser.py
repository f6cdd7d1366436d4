"""Browser: search releases, batch 3 into the mapping dialog, see the report, then the activity page live."""

import hashlib

import pytest

from mediasuite.roles import Role
from seedbox.models import Torrent
from tests.conftest import sign_in, start_web, wait_for

TRACKER = "&tr=http%3A%2F%2F127.0.0.1%3A1%2Fannounce"


@pytest.mark.browser
def test_batch_three_releases_from_the_search_page(page, spawn, make_user, seedbox, tmp_path, indexer,
                                                   sonarr):
    operator = make_user("operator", Role.SUPER_ADMIN)
    sonarr.add_media(81189, "Breaking Bad", 2008)
    for n in (1, 2, 3, 4):
        infohash = hashlib.sha1(f"bb{n}".encode()).hexdigest()
        indexer.add_release(f"Breaking.Bad.S01E0{n}.1080p",
                            magnet=f"magnet:?xt=urn:btih:{infohash}&dn=BB{n}{TRACKER}")
    gone = indexer.add_release("Breaking.Bad.S01E05.1080p")  # its .torrent link answers 404
    env = {**seedbox.env(tmp_path / "staging"), "TORZNAB_URL": indexer.api_url,
           "TORZNAB_API_KEY": indexer.api_key, "SONARR_URL": sonarr.url, "SONARR_API_KEY": sonarr.api_key,
           "SEEDBOX_BATCH_THROTTLE": "0.1"}
    _, web = start_web(spawn, env=env)

    sign_in(page, web, operator.username, "/search/")

    page.fill("#release-query", "breaking bad")
    page.click("#release-search button[type=submit]")
    boxes = page.locator(".release-checkbox")
    boxes.first.wait_for()
    assert boxes.count() == 5
    assert page.locator("#batch-map-btn").is_hidden()
    boxes.nth(0).check()
    assert page.locator("#batch-map-btn").is_hidden(), "the batch button appears from 2 selections"
    boxes.nth(1).check()
    page.locator("#batch-map-btn").wait_for(state="visible")
    boxes.nth(4).check()  # the release whose download fails
    assert page.locator("#batch-map-btn [data-role=count]").inner_text() == "3"
    page.click("#batch-map-btn")

    page.locator("#map-modal").wait_for(state="visible")  # it asks Sonarr as it opens
    page.locator("#media-results .media-choice", has_text="TVDB 81189").click()
    assert page.locator("#map-add [data-role=add-fields]").is_hidden(), "in Sonarr: nothing to add"
    page.click("#map-confirm")

    page.locator("#batch-report").wait_for(state="visible")
    assert page.locator("#batch-ok li").count() == 2
    failed = page.locator("#batch-failed li")
    assert failed.count() == 1
    assert gone["title"] in failed.inner_text() and "404" in failed.inner_text()
    assert Torrent.objects.filter(tvdb_id=81189).count() == 2

    page.click("text=Open the activity page")
    page.wait_for_url(f"{web}/seedbox/")
    assert page.locator("tr[data-torrent]").count() == 2
    assert page.locator("text=Breaking.Bad.S01E01.1080p").count() + page.locator("text=BB1").count() >= 1

    # A change made elsewhere shows up without a reload (live events).
    page.locator("#live-badge[data-state=live]").wait_for()
    torrent = Torrent.objects.filter(tvdb_id=81189).first()
    from seedbox import lifecycle

    lifecycle.ignore(operator, torrent)
    row = page.locator(f'tr[data-torrent="{torrent.pk}"] [data-role=state]')
    wait_for(lambda: row.inner_text() == "ignored", timeout=20, message="the row to show ignored")


@pytest.mark.browser
def test_activity_page_buttons(page, spawn, make_user):
    operator = make_user("operator", Role.SUPER_ADMIN)
    torrent = Torrent.objects.create(infohash="e" * 40, key="k-e", name="Stuck.Release", media_type="movie",
                                     tmdb_id=603, state="import_blocked", reason="Unknown Movie")
    other = Torrent.objects.create(infohash="f" * 40, key="k-f", name="Other.Release", media_type="movie",
                                   tmdb_id=604, state="import_pending")
    _, web = start_web(spawn)
    sign_in(page, web, operator.username, "/seedbox/")

    row = page.locator(f'tr[data-torrent="{torrent.pk}"]')
    assert "Unknown Movie" in row.locator("[data-role=reason]").inner_text()
    assert page.locator(f'tr[data-torrent="{other.pk}"] [data-action=retry]').is_hidden()
    row.locator("[data-action=retry]").click()
    wait_for(lambda: row.locator("[data-role=state]").inner_text() == "import_pending", timeout=20,
             message="the retried row to show import_pending")
    assert row.locator("[data-action=retry]").is_hidden()
    torrent.refresh_from_db()
    assert torrent.state == "import_pending"

    row.locator("[data-action=retry]").evaluate("b => b.hidden = false")
    row.locator("[data-action=retry]").click()  # not retryable any more: the API's 409 is shown
    page.locator("#action-error").wait_for(state="visible")
    assert "import_pending" in page.locator("#action-error").inner_text()

    page.click("#test-connections")
    page.locator('[data-connection="rtorrent"]').wait_for()
    assert "Settings → Connections" in page.locator('[data-connection="rtorrent"]').inner_text()
