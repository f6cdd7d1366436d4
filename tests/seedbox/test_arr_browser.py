"""Browser: mapping dialog adds a missing series; series dialog unmonitors a season; queue; add and retry."""

import hashlib
import os

import pytest

from mediasuite.roles import Role
from seedbox.models import Torrent
from tests.conftest import sign_in, start_web, wait_for

TRACKER = "&tr=http%3A%2F%2F127.0.0.1%3A1%2Fannounce"
SHOTS = os.environ.get("MEDIASUITE_SCREENSHOTS", "")


def shoot(page, name):
    """Screenshots at 1280 and 390 px wide when MEDIASUITE_SCREENSHOTS names a folder (to look at them)."""
    if not SHOTS:
        return
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=f"{SHOTS}/{name}-{width}.png")
    page.set_viewport_size({"width": 1280, "height": 720})


@pytest.mark.browser
def test_mapping_dialog_adds_the_missing_series_then_sends(page, spawn, make_user, seedbox, tmp_path, indexer,
                                                           sonarr):
    operator = make_user("operator", Role.SUPER_ADMIN)
    for n in (1, 2):
        infohash = hashlib.sha1(f"bb-add{n}".encode()).hexdigest()
        indexer.add_release(f"Breaking.Bad.2008.S01E0{n}.1080p.WEB-DL-GRP",
                            magnet=f"magnet:?xt=urn:btih:{infohash}&dn=BB{n}{TRACKER}")
    sonarr.add_lookup(2, "Breaking Bad: Original Minisodes", 2009)
    sonarr.add_lookup(81189, "Breaking Bad", 2008, overview="A chemistry teacher turns to crime.",
                      seasons={1: 7})
    env = {**seedbox.env(tmp_path / "staging"), "TORZNAB_URL": indexer.api_url,
           "TORZNAB_API_KEY": indexer.api_key, "SONARR_URL": sonarr.url, "SONARR_API_KEY": sonarr.api_key,
           "SONARR_QUALITY_PROFILE": "HD-1080p", "SEEDBOX_BATCH_THROTTLE": "0.1"}
    _, web = start_web(spawn, env=env)
    sign_in(page, web, operator.username, "/search/")

    page.fill("#release-query", "breaking bad")
    page.click("#release-search button[type=submit]")
    boxes = page.locator(".release-checkbox")
    boxes.first.wait_for()
    boxes.nth(0).check()
    boxes.nth(1).check()
    page.click("#batch-map-btn")

    choices = page.locator("#media-results .media-choice")
    choices.first.wait_for()
    assert "Breaking Bad (2008)" in choices.first.inner_text()  # exact title and year first
    assert "not in Sonarr" in choices.first.inner_text()
    choices.first.click()
    fields = page.locator("#map-add [data-role=add-fields]")
    fields.wait_for(state="visible")
    wait_for(lambda: page.locator("#map-root option").count() == 1, message="the root folders")
    assert page.locator("#map-profile").evaluate("s => s.options[s.selectedIndex].text") == "HD-1080p"
    page.check("#map-search")
    confirm = page.locator("#map-confirm")
    wait_for(confirm.is_enabled, message="the confirm button")
    assert confirm.inner_text() == "Add to Sonarr and send"
    shoot(page, "mapping-dialog")
    confirm.click()

    page.locator("#batch-report").wait_for(state="visible")
    assert page.locator("#batch-added").inner_text() == "Added Breaking Bad to Sonarr."
    assert page.locator("#batch-ok li").count() == 2
    [(_, posted)] = sonarr.calls("POST", "series")
    assert (posted["tvdbId"], posted["qualityProfileId"], posted["rootFolderPath"]) == (
        81189, 4, str(sonarr.library))
    assert posted["addOptions"]["searchForMissingEpisodes"] is True
    assert Torrent.objects.filter(tvdb_id=81189).count() == 2


@pytest.mark.browser
def test_series_dialog_queue_and_add_and_retry_on_the_activity_page(page, spawn, make_user, sonarr):
    operator = make_user("operator", Role.SUPER_ADMIN)
    torrent = Torrent.objects.create(infohash="b" * 40, key="k-b", name="Breaking.Bad.S02E01",
                                     title="Breaking Bad", media_type="series", tvdb_id=81189,
                                     state="downloading")
    blocked = Torrent.objects.create(infohash="c" * 40, key="k-c", name="Game.of.Thrones.S01E01", title="GoT",
                                     media_type="series", tvdb_id=121361, state="import_blocked",
                                     reason="Sonarr has no series with TVDB id 121361")
    sonarr.add_media(81189, "Breaking Bad", 2008, seasons={1: 3, 2: 2}, files=True)
    sonarr.add_lookup(121361, "Game of Thrones", 2011, seasons={1: 10})
    queued = sonarr.add_queue("Breaking.Bad.S02E02.1080p", 81189, messages=["Not an upgrade"])
    _, web = start_web(spawn, env={"SONARR_URL": sonarr.url, "SONARR_API_KEY": sonarr.api_key})
    sign_in(page, web, operator.username, "/seedbox/")

    page.locator(f'tr[data-torrent="{torrent.pk}"] [data-series-tvdb="81189"]').click()
    dialog = page.locator("#series-modal")
    dialog.locator("[data-role=seasons] .accordion-item").first.wait_for()
    assert dialog.locator("[data-role=title]").inner_text() == "Breaking Bad (2008)"
    season = dialog.locator('.accordion-item[data-season="2"]')
    assert season.locator("[data-role=season-monitored]").inner_text() == "monitored"
    assert "2/2 files" in season.inner_text()
    shoot(page, "series-dialog")
    season.locator('[data-series-action="unmonitor"]').click()
    wait_for(lambda: season.locator("[data-role=season-monitored]").inner_text() == "unmonitored",
             message="season 2 to show unmonitored")
    assert dialog.locator("[data-role=outcome]").inner_text() == "season 2 unmonitored"
    [(_, put)] = sonarr.calls("PUT", "series/1")
    assert [(s["seasonNumber"], s["monitored"]) for s in put["seasons"]] == [(1, True), (2, False)]
    season.locator("[data-bs-toggle=collapse]").click()
    episodes = season.locator("tr[data-episode]")
    episodes.first.wait_for()
    assert [episodes.nth(i).locator(".badge").first.inner_text() for i in range(2)] == ["unmonitored"] * 2
    page.keyboard.press("Escape")
    dialog.wait_for(state="hidden")

    item = page.locator(f'#arr-queues tr[data-queue="sonarr/{queued["id"]}"]')
    item.wait_for()
    assert "Not an upgrade" in item.inner_text() and "60%" in item.inner_text()
    page.once("dialog", lambda d: d.accept())
    item.locator('[data-remove="1"]').click()
    item.wait_for(state="detached")
    assert sonarr.calls("DELETE", f"queue/{queued['id']}") == [({"removeFromClient": "true",
                                                                 "blocklist": "true"}, {})]

    # An import_blocked series missing from Sonarr: added from its row, then back to import.
    row = page.locator(f'tr[data-torrent="{blocked.pk}"]')
    row.locator("[data-action=resolve]").click()
    resolve = page.locator("#resolve-modal")
    resolve.wait_for(state="visible")
    confirm = resolve.locator("[data-role=confirm]")
    wait_for(confirm.is_enabled, message="the root folders and profiles")
    confirm.click()
    wait_for(lambda: row.locator("[data-role=state]").inner_text() == "import_pending", timeout=20,
             message="the resolved row to show import_pending")
    assert row.locator("[data-action=resolve]").is_hidden()
    [(_, posted)] = sonarr.calls("POST", "series")
    assert (posted["tvdbId"], posted["rootFolderPath"]) == (121361, str(sonarr.library))
