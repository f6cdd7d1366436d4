"""The core Plex client (python-plexapi) against the fake Plex server and plex.tv."""

import socket
import threading
import time

import pytest

from mediasuite.clients.plex import Plex, PlexError, PlexNotFound, watched_episodes


def test_libraries_are_movie_and_show_sections_minus_the_ignored(plex, settings):
    plex.add_section("Music", "artist")
    plex.add_section("Kids Movies", "movie")
    settings.PLEX_LIBRARIES_TO_IGNORE = ["kids movies"]
    assert [(int(s.key), s.title) for s in Plex().sections()] == [(1, "Movies"), (2, "TV Shows")]


def test_users_are_the_owner_then_home_users_each_acting_with_their_own_token(plex):
    matrix = plex.add_movie("The Matrix", 1999, tmdb_id=603)
    alice = plex.add_user("Alice")
    bob = plex.add_user("Bob", home=False)
    owner = Plex()
    assert [(u["id"], u["title"], u["owner"]) for u in owner.users()] == [
        (1, "owner", True), (alice, "Alice", False), (bob, "Bob", False)]

    owner.as_user(alice).set_watched(matrix, True)

    assert owner.as_user(alice).item_row(matrix)["watched_state"] == "watched"
    assert owner.item_row(matrix)["watched_state"] == "not_started", "the owner's own state is untouched"
    assert owner.as_user(bob).item_row(matrix)["watched_state"] == "not_started"
    with pytest.raises(PlexNotFound, match="no user 99"):
        owner.as_user(99)


def test_a_listing_is_one_call_per_library_whatever_its_size(plex):
    for n in range(250):
        plex.add_movie(f"Movie {n:03d}", 2000 + n % 20, tmdb_id=n + 1)
    plex.add_show("Breaking Bad", 2008, tvdb_id=81189)
    owner = Plex()
    sections = owner.sections()
    before = plex.calls("/library/sections/1/all"), plex.calls("/library/sections/2/all")
    rows = owner.listing(sections, {"year": 2001})
    assert sorted(r["title"] for r in rows) == [f"Movie {n:03d}" for n in range(1, 250, 20)]
    assert len(owner.listing(sections, {})) == 251, "more rows than Plex's default page of 100"
    after = plex.calls("/library/sections/1/all"), plex.calls("/library/sections/2/all")
    assert (after[0] - before[0], after[1] - before[1]) == (2, 2)


def test_history_scan_and_delete(plex):
    matrix = plex.add_movie("The Matrix", 1999, tmdb_id=603)
    owner = Plex()
    owner.set_watched(matrix, True)
    assert [h["rating_key"] for h in owner.history(account_id=1)] == [matrix]
    owner.scan(1)
    owner.scan()
    assert plex.refreshes == ["1", "all"]
    owner.delete(matrix)
    assert plex.deleted == [matrix]
    with pytest.raises(PlexNotFound):
        owner.item(matrix)


def test_watched_episodes_of_a_show_found_by_its_tvdb_id(plex):
    show = plex.add_show("Breaking Bad", 2008, tvdb_id=81189, seasons={1: 2, 2: 1})
    plex.add_show("Another Show", 2010, tvdb_id=12345)
    first_season = plex.children[show][0]
    plex.watch(plex.owner, plex.children[first_season][1])
    assert watched_episodes(81189) == {(1, 1): False, (1, 2): True, (2, 1): False}
    assert watched_episodes(99999) is None


def test_a_refused_token_names_the_setting(plex, settings):
    settings.PLEX_TOKEN = "wrong"
    with pytest.raises(PlexError, match="check PLEX_TOKEN"):
        Plex().sections()


def test_a_silent_server_times_out_with_the_setting_named(settings):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(5)
    held = []
    threading.Thread(target=lambda: held.append(listener.accept()), daemon=True).start()
    settings.PLEX_URL = f"http://127.0.0.1:{listener.getsockname()[1]}"
    settings.PLEX_TOKEN, settings.PLEX_TIMEOUT = "token", 0.5
    started = time.monotonic()
    try:
        with pytest.raises(PlexError, match="did not answer.*check PLEX_URL"):
            Plex().sections()
    finally:
        listener.close()
    assert time.monotonic() - started < 5
