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
