"""Seedbox pages and admin: operator only; the admin's actions go through the domain module."""

import pytest
from django.test import Client

from mediasuite.models import Event
from seedbox.models import State, Torrent


@pytest.mark.parametrize("url", ["/seedbox/", "/search/", "/admin/seedbox/torrent/"])
def test_pages_are_for_the_operator_only(url, people):
    Torrent.objects.create(infohash="b" * 40, key="k", name="Some.Release", media_type="movie", tmdb_id=1)
    for who in ("admin", "player"):
        client = Client()
        client.force_login(people[who])
        assert client.get(url).status_code in (302, 403), who
    client = Client()
    client.force_login(people["super"])
    response = client.get(url)
    assert response.status_code == 200
    if url != "/search/":
        assert b"Some.Release" in response.content


def test_admin_retry_action_sends_a_blocked_import_back(people):
    torrent = Torrent.objects.create(infohash="c" * 40, key="k", media_type="series", tvdb_id=1,
                                     state=State.IMPORT_BLOCKED, reason="Unknown Series")
    client = Client()
    client.force_login(people["super"])
    response = client.post("/admin/seedbox/torrent/",
                           {"action": "retry_torrents", "_selected_action": [torrent.pk]})
    assert response.status_code == 302
    torrent.refresh_from_db()
    assert torrent.state == State.IMPORT_PENDING and torrent.reason == ""
    event = Event.objects.get(kind="seedbox.torrent.import_pending")
    assert event.actor == people["super"]
