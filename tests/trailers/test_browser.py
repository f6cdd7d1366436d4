"""Browser: the Trailers dialog shows the three colours; a lock turns the button green without a reload."""

import pytest
from django.utils import timezone

from mediasuite.roles import Role
from tests.conftest import sign_in, start_web
from tests.fakes.tmdb import FakeTmdb
from trailers import locks
from trailers.models import Status, TrailerEntry

from .conftest import take_queued

CANDIDATES = [{"video_id": "aaaaaaaaaaa", "title": "Reloaded trailer", "channel": "Warner Bros.",
               "duration": 150,
               "thumbnail": "", "url": "https://www.youtube.com/watch?v=aaaaaaaaaaa", "source": "youtube"},
              {"video_id": "bbbbbbbbbbb", "title": "Reloaded teaser", "channel": "Fans", "duration": 60,
               "thumbnail": "", "url": "https://www.youtube.com/watch?v=bbbbbbbbbbb", "source": "youtube"}]


def button(page, key):
    return page.locator(f'#trailer-search-results .trailer-btn[data-trailer-key="{key}"]')


@pytest.mark.browser
def test_trailer_buttons_colours_lock_and_live(page, spawn, make_user):
    operator = make_user("operator", Role.SUPER_ADMIN)
    locks.lock_trailer("movie", 603, {"video_id": "vKQi3bBA1y8", "title": "The Matrix trailer"})
    TrailerEntry.objects.create(media_type="movie", external_id=604, title="The Matrix Reloaded", year=2003,
                                status=Status.UNLOCKED, candidates=CANDIDATES, fetched_at=timezone.now())
    with FakeTmdb() as tmdb:
        tmdb.add_movie(603, "The Matrix", "1999-03-30")
        tmdb.add_movie(604, "The Matrix Reloaded", "2003-05-15")
        tmdb.add_movie(605, "The Matrix Revolutions", "2003-11-05")
        _, web = start_web(spawn, env={"TMDB_API_URL": tmdb.api_url, "TMDB_API_KEY": tmdb.api_key})
        sign_in(page, web, operator.username, "/")
        page.locator("#live-badge[data-state=live]").wait_for()

        page.click("#nav-trailers")
        page.locator("#trailer-search-modal").wait_for(state="visible")
        page.fill("#trailer-search-query", "matrix")
        page.click("#trailer-search-form button[type=submit]")
        button(page, "movie:605").wait_for()
        for key, colour in (("movie:603", "btn-outline-success"), ("movie:604", "btn-outline-primary"),
                            ("movie:605", "btn-outline-danger")):
            classes = button(page, key).get_attribute("class").split()
            assert colour in classes, (key, classes)
            assert button(page, key).locator("i.bi.bi-film").count() == 1

        button(page, "movie:604").click()
        page.locator("#trailer-modal").wait_for(state="visible")
        rows = page.locator("#trailer-candidates .trailer-candidate")
        rows.nth(1).wait_for()
        assert rows.count() == 2 and page.locator("#trailer-status").inner_text() == "UNLOCKED"
        rows.nth(1).locator("[data-action=lock]").click()
        page.locator("#trailer-status[data-status=LOCKED]").wait_for()
        page.locator('#trailer-player iframe[data-video-id="bbbbbbbbbbb"]').wait_for(state="attached")
        assert page.locator("#trailer-candidates .trailer-candidate").count() == 0, "the others are purged"
        entry = TrailerEntry.objects.get(external_id=604)
        assert entry.status == Status.LOCKED and entry.locked_video_id == "bbbbbbbbbbb"

        page.click("#trailer-modal .btn-close")
        page.locator("#trailer-search-modal").wait_for(state="visible")
        assert "btn-outline-success" in button(page, "movie:604").get_attribute("class").split()

        # A lock made elsewhere (another tab, the API, the admin) repaints the button live.
        locks.lock_trailer("movie", 605, {"video_id": "ccccccccccc", "title": "Revolutions trailer"})
        page.locator('#trailer-search-results [data-trailer-key="movie:605"].btn-outline-success').wait_for()

        # A locked trailer plays at once.
        button(page, "movie:603").click()
        page.locator('#trailer-player iframe[data-video-id="vKQi3bBA1y8"]').wait_for(state="attached")
        src = page.locator("#trailer-player iframe").get_attribute("src")
        assert src.startswith("https://www.youtube-nocookie.com/embed/vKQi3bBA1y8")
        page.locator("#trailer-unlock").wait_for(state="visible")

        # Search again for every listed media: one background job is queued.
        page.click("#trailer-modal .btn-close")
        page.locator("#trailer-search-modal").wait_for(state="visible")
        page.click("#trailer-refresh-all")
        page.locator("#trailer-refresh-note").wait_for(state="visible")
        assert "3 media" in page.locator("#trailer-refresh-note").inner_text()
        [job] = take_queued()
        assert job["func"] == "trailers.tasks.refresh" and len(job["args"][0]) == 3


@pytest.mark.browser
def test_trailers_page_bulk_search_and_live_buttons(page, spawn, make_user):
    operator = make_user("operator", Role.SUPER_ADMIN)
    TrailerEntry.objects.create(media_type="movie", external_id=604, title="The Matrix Reloaded", year=2003,
                                status=Status.UNLOCKED, candidates=CANDIDATES, fetched_at=timezone.now())
    TrailerEntry.objects.create(media_type="series", external_id=81189, title="Breaking Bad", year=2008)
    _, web = start_web(spawn)
    sign_in(page, web, operator.username, "/trailers/")
    page.locator("#live-badge[data-state=live]").wait_for()
    none = page.locator('#trailer-library [data-trailer-key="series:81189"]')
    assert "btn-outline-danger" in none.get_attribute("class").split()

    page.click("#library-refresh")
    page.locator("#library-note").wait_for(state="visible")
    [job] = take_queued()
    assert [m["external_id"] for m in job["args"][0]] == [81189, 604]

    locks.lock_trailer("series", 81189, {"video_id": "HhesaQXLuRY", "title": "Breaking Bad trailer"})
    page.locator('#trailer-library [data-trailer-key="series:81189"].btn-outline-success').wait_for()
    page.locator('#trailer-library [data-trailer-key="movie:604"]').click()
    page.locator("#trailer-candidates .trailer-candidate").nth(1).wait_for()


@pytest.mark.browser
def test_trailer_dialog_says_in_a_sentence_when_the_server_fails_without_json_or_does_not_answer(
        page, spawn, make_user):
    operator = make_user("operator", Role.SUPER_ADMIN)
    TrailerEntry.objects.create(media_type="movie", external_id=604, title="The Matrix Reloaded", year=2003,
                                status=Status.UNLOCKED, candidates=CANDIDATES, fetched_at=timezone.now())
    _, web = start_web(spawn)
    sign_in(page, web, operator.username, "/trailers/")
    page.locator('#trailer-library [data-trailer-key="movie:604"]').click()
    lock = page.locator("#trailer-candidates .trailer-candidate [data-action=lock]").first
    error = page.locator("#trailer-error")

    # A reverse proxy in front of MediaSuite answers with its own HTML error page.
    page.route("**/api/trailers/movie/604/lock", lambda route: route.fulfill(
        status=502, content_type="text/html", body="<html><body><h1>502 Bad Gateway</h1></body></html>"))
    lock.click()
    error.wait_for(state="visible")
    assert error.inner_text() == ("The server failed (HTTP 502) without saying why; try again, and look at "
                                  "the server log if it goes on.")

    # The server never answers: after 5 s the dialog says so.
    page.unroute("**/api/trailers/movie/604/lock")
    held = []
    page.route("**/api/trailers/movie/604/lock", lambda route: held.append(route))
    lock.click()
    page.locator("#trailer-error", has_text="did not answer within 5 s").wait_for(timeout=10_000)
    assert error.inner_text() == "The server did not answer within 5 s; try again in a moment."
    assert TrailerEntry.objects.get(external_id=604).status == Status.UNLOCKED
    for route in held:
        route.abort()
