"""Server-rendered lists: the seedbox activity rows carry the trailer button in their status colour."""

import re

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from seedbox.models import Torrent
from trailers.models import Status, TrailerEntry


def test_activity_rows_show_the_trailer_status_with_two_queries_at_most(people):
    for n in range(1, 31):
        Torrent.objects.create(infohash=f"{n:040x}", key=f"k{n}", name=f"Release.{n}", media_type="movie",
                               tmdb_id=n, title=f"Film {n}", year=2000)
    Torrent.objects.create(infohash="f" * 40, key="kf", name="Show", media_type="series", tvdb_id=81189)
    TrailerEntry.objects.create(media_type="movie", external_id=1, status=Status.LOCKED, locked_video_id="v",
                                locked_url="https://example.org/v")
    TrailerEntry.objects.create(media_type="series", external_id=81189, status=Status.UNLOCKED,
                                candidates=[{"video_id": "c"}])
    client = Client()
    client.force_login(people["super"])
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/seedbox/").content.decode()
    assert len([q for q in queries.captured_queries if "trailers_trailerentry" in q["sql"]]) <= 2
    found = re.findall(r'class="btn btn-sm trailer-btn (btn-outline-\w+)" data-trailer-key="([^"]+)"', page)
    colours = {key: colour for colour, key in found}
    assert len(colours) == 31
    assert colours["movie:1"] == "btn-outline-success"
    assert colours["series:81189"] == "btn-outline-primary"
    assert colours["movie:2"] == "btn-outline-danger"
    assert 'class="bi bi-film"' in page
    assert 'id="trailer-modal"' in page and 'id="nav-trailers"' in page


def test_other_roles_get_no_trailer_dialog(people):
    client = Client()
    client.force_login(people["admin"])
    page = client.get("/").content.decode()
    assert "trailer-modal" not in page and "nav-trailers" not in page


def test_trailers_page_lists_entries_by_status_for_the_operator_only(people):
    TrailerEntry.objects.create(media_type="movie", external_id=603, title="The Matrix", year=1999,
                                status=Status.LOCKED, locked_video_id="v", locked_title="Official trailer",
                                locked_url="https://example.org/v")
    TrailerEntry.objects.create(media_type="series", external_id=81189, title="Breaking Bad",
                                status=Status.UNLOCKED, candidates=[{"video_id": "c"}])
    TrailerEntry.objects.create(media_type="movie", external_id=604, title="Nothing Found")
    for who in ("admin", "player"):
        client = Client()
        client.force_login(people[who])
        assert client.get("/trailers/").status_code == 403
    assert Client().get("/trailers/").status_code == 302
    client = Client()
    client.force_login(people["super"])
    page = client.get("/trailers/").content.decode()
    assert "LOCKED (1)" in page and "UNLOCKED (1)" in page and "NONE (1)" in page
    assert page.count('data-trailer-key="') == 3 and "Official trailer" in page
    locked = client.get("/trailers/?status=LOCKED").content.decode()
    assert 'data-trailer-key="movie:603"' in locked and "Breaking Bad" not in locked
    series = client.get("/trailers/?media_type=series").content.decode()
    assert 'data-trailer-key="series:81189"' in series and "The Matrix" not in series
    for bad in ("?status=BROKEN", "?media_type=music", "?status=%00"):
        answer = client.get(f"/trailers/{bad}")
        assert answer.status_code == 400 and b"LOCKED, UNLOCKED or NONE" in answer.content
    assert client.get("/trailers/?page=999").status_code == 200
