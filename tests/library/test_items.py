"""POST /api/media_items: one page of the Plex libraries as one Plex user, filtered, sorted, remembered."""

import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from library import index
from library.models import Preference
from mediasuite.roles import Role
from trailers.models import TrailerEntry


def titles(answer):
    return [r["title"] for r in answer.json()["results"]]


@pytest.fixture
def catalog(plex, radarr, sonarr):
    now = int(time.time())
    alice = plex.add_user("Alice")
    keys = {
        "matrix": plex.add_movie(
            "The Matrix",
            1999,
            tmdb_id=603,
            genres=["Action", "Science Fiction"],
            collections=["The Matrix Collection"],
            directors=["Lana Wachowski"],
            actors=["Keanu Reeves"],
            writers=["Lilly Wachowski"],
            userRating=9,
            addedAt=now - 40 * 86400,
            studio="Warner Bros.",
        ),
        "amelie": plex.add_movie(
            "Amélie",
            2001,
            tmdb_id=194,
            originalTitle="Le Fabuleux Destin d'Amélie Poulain",
            genres=["Comedy"],
            resolution="720",
            addedAt=now - 3 * 86400,
            size=3_000_000,
        ),
        "alien": plex.add_movie(
            "Alien",
            1979,
            tmdb_id=348,
            genres=["Science Fiction", "Horror"],
            viewOffset=60_000,
            addedAt=now - 400 * 86400,
            resolution="4k",
            size=2_000_000,
        ),
        "bb": plex.add_show("Breaking Bad", 2008, tvdb_id=81189, seasons={1: 3, 2: 2}, genres=["Drama"]),
    }
    plex.watch(alice, keys["matrix"])
    plex.watch(alice, keys["bb"])
    radarr.add_media(603, "The Matrix")
    sonarr.add_media(81189, "Breaking Bad", aired=5, status="ended")
    return alice, keys


def test_rows_of_every_library_with_their_columns(client, catalog):
    alice, keys = catalog
    answer = client.post("/api/media_items", {"plex_user": alice}, format="json")
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["count"] == 4
    assert titles(answer) == ["Alien", "Amélie", "Breaking Bad", "The Matrix"]
    rows = {r["title"]: r for r in body["results"]}
    assert rows["The Matrix"]["watched_state"] == "watched"
    assert rows["Alien"]["watched_state"] == "in_progress"
    assert rows["Amélie"]["watched_state"] == "not_started"
    assert rows["Breaking Bad"]["watched_episodes"] == 5 and rows["Breaking Bad"]["total_episodes"] == 5
    assert rows["Breaking Bad"]["tvdb_id"] == 81189 and rows["The Matrix"]["tmdb_id"] == 603
    assert rows["Breaking Bad"]["production_status"] == "ended"
    assert rows["Breaking Bad"]["incomplete"] is True, "5 aired episodes, no file on disk"
    assert rows["The Matrix"]["in_arr"] is True and rows["Alien"]["in_arr"] is False
    assert rows["Amélie"]["original_title"].startswith("Le Fabuleux")
    assert rows["The Matrix"]["trailer_status"] == "NONE"


@pytest.mark.parametrize(
    "filters, expected",
    [
        ({"title": "fabuleux"}, ["Amélie"]),
        ({"year": 1999}, ["The Matrix"]),
        ({"watched": "watched"}, ["Breaking Bad", "The Matrix"]),
        ({"watched": "not_started"}, ["Amélie"]),
        ({"watched": "in_progress"}, ["Alien"]),
        ({"genres": ["Science Fiction", "Horror"], "genres_mode": "all"}, ["Alien"]),
        ({"genres": ["Comedy", "Horror"], "genres_mode": "any"}, ["Alien", "Amélie"]),
        ({"resolution": "4k"}, ["Alien"]),
        ({"studio": "warner"}, ["The Matrix"]),
        ({"collections": ["The Matrix Collection"]}, ["The Matrix"]),
        ({"actor": "Keanu Reeves"}, ["The Matrix"]),
        ({"director": "Lana Wachowski", "writer": "Lilly Wachowski"}, ["The Matrix"]),
        ({"rating": "gte", "rating_value": 8}, ["The Matrix"]),
        ({"rating": "not_rated", "libraries": [1]}, ["Alien", "Amélie"]),
        ({"date": "7d", "libraries": [1]}, ["Amélie"]),
        ({"date": "30d", "date_field": "viewed"}, ["Breaking Bad", "The Matrix"]),
        ({"libraries": [2]}, ["Breaking Bad"]),
    ],
)
def test_filters(client, catalog, filters, expected):
    alice, _ = catalog
    answer = client.post("/api/media_items", {"plex_user": alice, **filters}, format="json")
    assert answer.status_code == 200, answer.content
    assert titles(answer) == expected


def test_sorting_and_pages(client, catalog):
    alice, _ = catalog
    answer = client.post(
        "/api/media_items",
        {"plex_user": alice, "sort": "year", "direction": "desc", "page_size": 2, "page": 2},
        format="json",
    )
    assert titles(answer) == ["The Matrix", "Alien"]
    assert answer.json()["count"] == 4


@pytest.mark.parametrize(
    "sort, direction, expected",
    [
        ("size", "desc", ["Amélie", "Alien", "The Matrix", "Breaking Bad"]),
        ("external_id", "asc", ["Amélie", "Alien", "The Matrix", "Breaking Bad"]),
        ("library", "desc", ["Breaking Bad", "Alien", "Amélie", "The Matrix"]),
        ("watched_state", "desc", ["Breaking Bad", "The Matrix", "Alien", "Amélie"]),
        ("production_status", "asc", ["Breaking Bad", "The Matrix", "Alien", "Amélie"]),
        ("incomplete", "desc", ["Breaking Bad", "Alien", "Amélie", "The Matrix"]),
        ("rating", "desc", ["The Matrix", "Alien", "Amélie", "Breaking Bad"]),
        ("title", "desc", ["The Matrix", "Breaking Bad", "Amélie", "Alien"]),
    ],
)
def test_every_column_sorts_across_pages_without_reading_plex_again(client, catalog, plex, sort, direction,
                                                                     expected):
    alice, _ = catalog
    walked, listings = [], []
    for number in range(1, 5):
        before = plex.calls("/library/sections/1/all") + plex.calls("/library/sections/2/all")
        answer = client.post("/api/media_items", {"plex_user": alice, "sort": sort, "direction": direction,
                                                  "page_size": 1, "page": number}, format="json")
        assert answer.status_code == 200, answer.content
        assert answer.json()["count"] == 4
        walked += titles(answer)
        after = plex.calls("/library/sections/1/all") + plex.calls("/library/sections/2/all")
        listings.append(after - before)
    assert walked == expected
    assert listings == [2, 0, 0, 0], "the first page reads each library once, the next ones cut the index"


def test_the_index_follows_the_actions_at_once_and_plex_on_refresh(client, catalog, plex):
    alice, keys = catalog
    query = {"plex_user": alice, "watched": "watched"}
    assert titles(client.post("/api/media_items", query, format="json")) == ["Breaking Bad", "The Matrix"]
    plex.watch(alice, keys["amelie"])  # on Alice's TV, behind MediaSuite's back
    assert titles(client.post("/api/media_items", query, format="json")) == ["Breaking Bad", "The Matrix"], (
        "within the index's minute")
    assert titles(client.post("/api/media_items", {**query, "refresh": True}, format="json")) == [
        "Amélie", "Breaking Bad", "The Matrix"]
    answer = client.post(f"/api/library/items/{keys['matrix']}/watched",
                         {"plex_user": alice, "watched": False}, format="json")
    assert answer.status_code == 200, answer.content
    assert titles(client.post("/api/media_items", query, format="json")) == ["Amélie", "Breaking Bad"], (
        "an action's event makes the next page read Plex again")


def test_each_operator_keeps_the_index_of_the_view_they_look_at(client, catalog, plex, make_user):
    alice, _ = catalog
    other = APIClient()
    other.force_authenticate(make_user("second", Role.SUPER_ADMIN))

    def listings():
        return plex.calls("/library/sections/1/all") + plex.calls("/library/sections/2/all")

    client.post("/api/media_items", {"plex_user": alice}, format="json")
    other.post("/api/media_items", {"plex_user": alice, "watched": "watched"}, format="json")
    before = listings()
    client.post("/api/media_items", {"plex_user": alice, "sort": "size"}, format="json")
    assert listings() == before, "the other operator's view did not push this one out"
    client.post("/api/media_items", {"plex_user": alice, "year": 1999}, format="json")
    client.post("/api/media_items", {"plex_user": alice}, format="json")
    assert listings() == before + 4, "a new view replaces the operator's index: going back reads Plex"


def test_empty_values_sort_last_both_ways_and_ties_by_title():
    fields = dict.fromkeys(("original_title", "sort_title", "library", "production_status"), "")
    fields.update(dict.fromkeys(("year", "rating", "added_at", "last_viewed_at", "watched_episodes",
                                 "total_episodes", "incomplete", "tmdb_id", "tvdb_id"), None))
    rows = [{**fields, "title": title, "rating_key": n, "size": size, "watched_state": "not_started",
             "root_folder": "/tv" if title == "B" else "/movies"}
            for n, (title, size) in enumerate([("D", None), ("C", 7), ("A", None), ("E", 7), ("B", 5)])]
    view = index.Index("view", 0, rows, [])

    def order(sort, direction, root=""):
        return [r["title"] for r in view.rows_at(view.positions(sort, direction, root))]

    assert order("size", "asc") == ["B", "C", "E", "A", "D"]
    assert order("size", "desc") == ["C", "E", "B", "A", "D"]
    assert order("title", "desc") == ["E", "D", "C", "B", "A"]
    assert order("size", "desc", "/movies") == ["C", "E", "A", "D"]


def test_the_chosen_user_and_libraries_are_remembered(client, catalog, operator):
    alice, _ = catalog
    client.post("/api/media_items", {"plex_user": alice, "libraries": [1]}, format="json")
    assert Preference.objects.get(user=operator).plex_user == alice
    again = client.post("/api/media_items", {"watched": "watched"}, format="json")
    assert titles(again) == ["The Matrix"], "as Alice, over Movies only"
    options = client.get("/api/library/options").json()
    assert options["plex_user"] == alice and options["chosen_libraries"] == [1]


def test_a_page_costs_constant_plex_calls_and_two_queries_for_trailers(
    client, plex, radarr, sonarr, operator
):
    for n in range(300):
        plex.add_movie(f"Movie {n:03d}", 2000, tmdb_id=n + 1)
    TrailerEntry.objects.create(
        media_type="movie", external_id=5, title="Movie 004", status="LOCKED", locked_video_id="dQw4w9WgXcQ"
    )
    client.post("/api/media_items", {"page_size": 10}, format="json")
    before = len(plex.requests)
    small = client.post("/api/media_items", {"page_size": 10}, format="json")
    small_calls = len(plex.requests) - before
    before = len(plex.requests)
    with CaptureQueriesContext(connection) as queries:
        big = client.post("/api/media_items", {"page_size": 200}, format="json")
    assert len(plex.requests) - before == small_calls
    assert len(big.json()["results"]) == 200 and small.json()["count"] == 300
    trailer_queries = [q for q in queries.captured_queries if "trailers_" in q["sql"]]
    assert len(trailer_queries) <= 2
    assert {r["title"]: r["trailer_status"] for r in big.json()["results"]}["Movie 004"] == "LOCKED"


@pytest.mark.parametrize(
    "body, message",
    [
        ({"plex_user": 99}, "no user 99"),
        ({"libraries": [7]}, "no library 7"),
        ({"genres": ["Nope"]}, "No genre Nope"),
        ({"sort": "size; drop"}, "sort"),
        ({"rating": "gte"}, "rating_value"),
        ({"page_size": 5000}, "page_size"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_filters_are_400(client, catalog, body, message):
    answer = client.post("/api/media_items", body, format="json")
    assert answer.status_code == 400
    assert message in answer.json()["error"]


@pytest.mark.parametrize(
    "method, url, body",
    [
        ("post", "/api/media_items", {}),
        ("get", "/api/library/options", None),
        ("post", "/api/library/items/1/watched", {"plex_user": 1, "watched": True}),
    ],
)
def test_without_plex_the_library_is_unavailable_and_says_what_to_set(client, settings, method, url, body):
    settings.PLEX_URL = ""
    answer = getattr(client, method)(url, body, format="json")
    assert answer.status_code == 503, "like every service not configured"
    assert answer.json()["error"].startswith("Plex is not configured: set it in Settings → Connections")


def test_filter_on_a_radarr_root_folder(client, plex, radarr, movie, tmp_path):
    other = radarr.add_root(tmp_path / "archive-disk")
    movie("The Matrix", 1999, 603)
    movie("Alien", 1979, 348)
    radarr.add_media(680, "Pulp Fiction", root=other)
    plex.add_movie("Pulp Fiction", 1994, tmdb_id=680)
    answer = client.post("/api/media_items", {"root_folder": other}, format="json")
    assert answer.status_code == 200, answer.content
    assert titles(answer) == ["Pulp Fiction"] and answer.json()["count"] == 1
    assert titles(client.post("/api/media_items", {"root_folder": str(radarr.library)}, format="json")) == [
        "Alien", "The Matrix"]
    refused = client.post("/api/media_items", {"root_folder": "/etc"}, format="json")
    assert refused.status_code == 400 and "not a root folder" in refused.json()["error"]
