"""Browser: the library page: filter, mark watched, archive a movie; the row changes in place."""

from pathlib import Path

import pytest

from mediasuite.roles import Role
from tests.conftest import sign_in, start_web


@pytest.mark.browser
def test_filter_mark_watched_and_archive_a_movie(page, spawn, make_user, plex, radarr, movie):
    make_user("operator", Role.SUPER_ADMIN)
    key, item = movie("The Matrix", 1999, 603)
    alien, _ = movie("Alien", 1979, 348)
    folder = Path(item["path"])
    env = {"PLEX_URL": plex.url, "PLEX_TOKEN": plex.token, "PLEX_TV_URL": plex.url,
           "RADARR_URL": radarr.url, "RADARR_API_KEY": radarr.api_key}
    _, web = start_web(spawn, env=env)

    sign_in(page, web, "operator", "/library/")
    rows = page.locator("#library-table tbody tr")
    rows.nth(1).wait_for()
    assert rows.count() == 2

    page.click("[data-local-sort=external_id]")
    assert page.locator("#library-table tbody tr").first.get_attribute("data-rating-key") == str(alien)
    page.click("[data-local-sort=external_id]")
    assert page.locator("#library-table tbody tr").first.get_attribute("data-rating-key") == str(key)

    page.fill("#f-title", "matrix")
    page.click("#f-apply")
    page.wait_for_function("document.querySelectorAll('#library-table tbody tr').length === 1")
    row = page.locator(f'tr[data-rating-key="{key}"]')
    assert row.locator("[data-role=watched]").inner_text() == "not started"

    row.get_by_role("button", name="Actions on The Matrix").click()
    row.get_by_role("button", name="Mark watched").click()
    page.locator(f'tr[data-rating-key="{key}"] [data-role=watched]', has_text="watched").first.wait_for()
    assert page.locator(f'tr[data-rating-key="{key}"] [data-role=watched]').inner_text() == "watched"
    assert (1, key) in plex.views

    page.locator(f'tr[data-rating-key="{key}"]').get_by_role("button", name="Actions on The Matrix").click()
    page.locator(f'tr[data-rating-key="{key}"]').get_by_role("button", name="Archive").click()
    page.locator("#action-modal").wait_for(state="visible")
    assert page.locator("#opt-delete-files").is_checked() and page.locator("#opt-tag").is_checked()
    page.click("#action-confirm")
    page.locator("#action-report").wait_for(state="visible")
    assert "Done: The Matrix" in page.locator("#action-report").inner_text()
    assert page.locator(f'tr[data-rating-key="{key}"] .badge', has_text="archived").count() == 1
    assert not folder.exists()
    assert plex.refreshes == ["1"]
