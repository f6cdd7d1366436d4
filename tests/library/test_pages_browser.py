"""Browser: the library page: filter, sort, mark watched, archive a movie (the row changes in place); a bulk
job's progress bar and report follow the worker's pushed events; a series row opens the series dialog."""

from pathlib import Path

import pytest
import requests
from rest_framework.authtoken.models import Token

from mediasuite import accounts
from mediasuite.roles import Role
from tests.conftest import sign_in, start_web


@pytest.mark.browser
def test_filter_mark_watched_and_archive_a_movie(page, spawn, make_user, plex, radarr, movie):
    token = accounts.insert_api_token(Token(user=make_user("operator", Role.SUPER_ADMIN)))
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

    page.wait_for_function("window.MediaSuiteLive && window.MediaSuiteLive.connected")
    elsewhere = requests.post(f"{web}/api/library/items/{alien}/watched",
                              json={"plex_user": 1, "watched": True},
                              headers={"Authorization": f"Token {token}"}, timeout=30)
    assert elsewhere.status_code == 200, elsewhere.text
    page.locator(f'tr[data-rating-key="{alien}"] [data-role=watched]', has_text="watched").wait_for()
    assert page.locator(f'tr[data-rating-key="{alien}"] [data-role=watched]').inner_text() == "watched", (
        "marked watched in another tab: the row follows the event")

    first = "document.querySelector('#library-table tbody tr').getAttribute('data-rating-key') === '{}'"
    page.click("[data-sort=external_id]")
    page.wait_for_function(first.format(alien))
    page.click("[data-sort=external_id]")
    page.wait_for_function(first.format(key))

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


@pytest.mark.browser
def test_a_bulk_archive_is_followed_live_without_polling(page, spawn, make_user, plex, radarr, movie):
    make_user("operator", Role.SUPER_ADMIN)
    made = [movie(f"Movie {n}", 2000 + n, 100 + n, watched_by=[] if n == 2 else [1]) for n in range(4)]
    env = {"PLEX_URL": plex.url, "PLEX_TOKEN": plex.token, "PLEX_TV_URL": plex.url,
           "RADARR_URL": radarr.url, "RADARR_API_KEY": radarr.api_key}
    _, web = start_web(spawn, env=env)
    sign_in(page, web, "operator", "/library/")
    page.locator("#library-table tbody tr").nth(3).wait_for()
    page.wait_for_function("window.MediaSuiteLive && window.MediaSuiteLive.connected")
    page.evaluate("""() => {
        window.seen = [];
        const status = document.getElementById("bulk-status");
        new MutationObserver(() => window.seen.push(status.textContent))
            .observe(status, {childList: true, characterData: true, subtree: true});
    }""")
    polls = []
    page.on("request", lambda r: polls.append(r.url) if "/api/library/bulk/" in r.url else None)

    page.click("#select-all")
    page.click("[data-bulk=archive]")
    page.locator("#action-modal").wait_for(state="visible")
    page.click("#action-confirm")
    page.locator("#bulk-progress").wait_for(state="visible")
    spawn("worker", "qcluster", env={**env, "MEDIASUITE_PROCESS": "worker"})

    page.locator("#bulk-status", has_text="4 of 4 done, 1 failed").wait_for(timeout=60_000)
    seen = page.evaluate("window.seen")
    assert any(text.startswith("archive: 1 of 4") for text in seen), seen
    assert any(text.startswith("archive: 3 of 4") for text in seen), seen
    report = page.locator("#bulk-report li")
    assert report.count() == 4
    assert "Movie 2: " in report.nth(2).inner_text() and "is not watched" in report.nth(2).inner_text()
    assert page.locator(f'tr[data-rating-key="{made[0][0]}"] .badge', has_text="archived").count() == 1
    assert page.locator(f'tr[data-rating-key="{made[2][0]}"] .badge', has_text="archived").count() == 0
    assert len(polls) == 1, f"one GET for what happened before the page listened, then events only: {polls}"
    for n, (_, item) in enumerate(made):
        assert Path(item["path"]).exists() == (n == 2)


@pytest.mark.browser
def test_without_plex_the_page_says_it_once_with_the_way_to_the_form(page, spawn, make_user):
    make_user("operator", Role.SUPER_ADMIN)
    _, web = start_web(spawn, env={"PLEX_URL": "", "PLEX_TOKEN": ""})
    sign_in(page, web, "operator", "/library/")
    page.wait_for_load_state("networkidle")
    banner = page.locator('[data-role="not-configured"]')
    assert banner.is_visible() and "The library needs Plex" in banner.inner_text()
    assert page.locator('a[href="/settings/connections/#plex"]').is_visible()
    assert page.locator("#library-error").is_hidden(), "the same fact is not repeated as an error"


@pytest.mark.browser
def test_a_series_row_opens_the_series_dialog_with_its_seasons(page, spawn, make_user, plex, sonarr, radarr,
                                                               show, movie):
    make_user("operator", Role.SUPER_ADMIN)
    key, _ = show("Breaking Bad", 2008, 81189, seasons={1: 2, 2: 3}, files=True)
    plex.watch(1, plex.children[key][0])
    matrix, _ = movie("The Matrix", 1999, 603)
    env = {"PLEX_URL": plex.url, "PLEX_TOKEN": plex.token, "PLEX_TV_URL": plex.url,
           "SONARR_URL": sonarr.url, "SONARR_API_KEY": sonarr.api_key,
           "RADARR_URL": radarr.url, "RADARR_API_KEY": radarr.api_key}
    _, web = start_web(spawn, env=env)
    sign_in(page, web, "operator", "/library/")
    page.locator("#library-table tbody tr").nth(1).wait_for()
    assert page.locator(f'tr[data-rating-key="{matrix}"] [data-series-tvdb]').count() == 0, "a movie has none"

    row = page.locator(f'tr[data-rating-key="{key}"]')
    row.get_by_role("button", name="Series Breaking Bad in Sonarr").click()
    dialog = page.locator("#series-modal")
    seasons = dialog.locator("[data-role=seasons] .accordion-item")
    seasons.first.wait_for()
    assert dialog.locator("[data-role=title]").inner_text() == "Breaking Bad"
    assert [seasons.nth(i).get_attribute("data-season") for i in range(seasons.count())] == ["1", "2"]
    first, second = seasons.nth(0).inner_text(), seasons.nth(1).inner_text()
    assert "Season 1" in first and "2/2 files" in first and "2 watched" in first
    assert "Season 2" in second and "3/3 files" in second and "0 watched" in second
