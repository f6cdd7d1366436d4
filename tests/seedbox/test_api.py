"""Seedbox API: operator only, torrents, search (TMDB/TVDB/Torznab with rate limits), batch with a report."""

import base64
import hashlib
import os
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from seedbox.models import State, Torrent

TRACKER = "&tr=http%3A%2F%2F127.0.0.1%3A1%2Fannounce"


def magnet(n: int, name="Release") -> str:
    return f"magnet:?xt=urn:btih:{hashlib.sha1(f'{name}{n}'.encode()).hexdigest()}&dn={name}.{n}{TRACKER}"


@pytest.mark.parametrize("who", ["admin", "player", "other_admin"])
def test_only_the_operator_uses_the_seedbox(who, people, api):
    Torrent.objects.create(infohash="a" * 40, key="k", media_type="movie", tmdb_id=603)
    client = api.as_user(people[who])
    for method, url, body in (("get", "/api/seedbox/torrents", None),
                              ("get", "/api/media/search?q=x&type=movie", None),
                              ("get", "/api/seedbox/releases?q=x&type=movie", None),
                              ("post", "/api/seedbox/batch-download-and-map", {"media_type": "movie"}),
                              ("post", "/api/seedbox/torrents", {"media_type": "movie"})):
        response = getattr(client, method)(url, body, format="json")
        assert response.status_code == 403, (url, response.content)
    assert client.get(f"/api/seedbox/torrents/{Torrent.objects.get().pk}").status_code == 404
    assert Torrent.objects.count() == 1


def test_add_twice_is_one_torrent_and_remove_erases_only(people, api, seedbox, seedbox_settings,
                                                         transactional_db):
    data, infohash = seedbox.seed("Movie.2001.mkv", {"Movie.2001.mkv": os.urandom(20_000)})
    client = api.as_user(people["super"])
    body = {"media_type": "movie", "tmdb_id": 603, "title": "The Matrix",
            "torrent_file": base64.b64encode(data).decode()}
    first = client.post("/api/seedbox/torrents", body, format="json")
    again = client.post("/api/seedbox/torrents", body, format="json")
    assert first.status_code == 201 and again.status_code == 200
    assert first.json()["id"] == again.json()["id"] and first.json()["state"] == "sent"
    assert infohash in seedbox.client.hashes()

    torrent_id = first.json()["id"]
    conflict = client.post(f"/api/seedbox/torrents/{torrent_id}/retry")
    assert conflict.status_code == 409 and "sent" in conflict.json()["error"]

    assert client.delete(f"/api/seedbox/torrents/{torrent_id}").status_code == 204
    assert infohash not in seedbox.client.hashes()
    assert (seedbox.remote_root / "Movie.2001.mkv").exists()
    assert not Torrent.objects.filter(pk=torrent_id).exists()


def test_list_answers_in_a_constant_number_of_queries(people, api):
    client = api.as_user(people["super"])
    counts = []
    for size in (2, 12):
        Torrent.objects.all().delete()
        for n in range(size):
            Torrent.objects.create(infohash=f"{n:040x}", key=f"k{n}", media_type="series", tvdb_id=n + 1)
        with CaptureQueriesContext(connection) as queries:
            assert len(client.get("/api/seedbox/torrents").json()["results"]) == size
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_bad_magnet_and_missing_ids_are_400_and_change_nothing(people, api):
    client = api.as_user(people["super"])
    for body, field in (({"media_type": "movie", "tmdb_id": 603, "magnet": "magnet:?dn=x"}, "magnet"),
                        ({"media_type": "movie", "magnet": magnet(1)}, "tmdb_id"),
                        ({"media_type": "series", "tmdb_id": 3, "magnet": magnet(1)}, "tvdb_id"),
                        ({"media_type": "movie", "tmdb_id": 603, "torrent_file": "%%%"}, "torrent_file"),
                        ({"media_type": "movie", "tmdb_id": 603, "torrent_file": "aGVsbG8="},
                         "torrent_file")):
        response = client.post("/api/seedbox/torrents", body, format="json")
        assert response.status_code == 400, response.content
        assert field in response.json()["fields"], response.json()
    assert Torrent.objects.count() == 0


def test_batch_of_ten_with_two_failures_reports_every_item(people, api, seedbox, seedbox_settings, indexer,
                                                           transactional_db):
    seedbox_settings.SEEDBOX_BATCH_THROTTLE = 0.05
    releases = [{"title": f"Show.S01E0{n}", "magnet": magnet(n)} for n in range(1, 9)]
    releases.insert(3, {"title": "Broken.Magnet", "magnet": "magnet:?dn=no-hash"})
    gone = indexer.add_release("Gone.Release")  # no file at its link: the indexer answers 404
    releases.insert(6, {"title": "Gone.Release", "link": gone["link"]})

    response = api.as_user(people["super"]).post(
        "/api/seedbox/batch-download-and-map",
        {"media_type": "series", "tvdb_id": 81189, "title": "Breaking Bad", "season": 1,
         "releases": releases},
        format="json")

    assert response.status_code == 200, response.content
    report = response.json()
    assert (report["ok"], report["failed"]) == (8, 2)
    assert [item["title"] for item in report["items"]] == [r["title"] for r in releases]
    failed = {item["title"]: item["message"] for item in report["items"] if item["status"] == "failed"}
    assert set(failed) == {"Broken.Magnet", "Gone.Release"}
    assert "btih" in failed["Broken.Magnet"]
    assert "404" in failed["Gone.Release"]
    assert Torrent.objects.filter(state=State.SENT, tvdb_id=81189, season=1).count() == 8
    assert len(seedbox.client.hashes()) == 8


def test_batch_downloads_a_torrent_file_from_the_indexer(people, api, seedbox, seedbox_settings, indexer,
                                                         transactional_db):
    data, infohash = seedbox.seed("Film.mkv", {"Film.mkv": os.urandom(10_000)})
    one = indexer.add_release("Film.2020.1080p", torrent=data, category="2000")
    two = indexer.add_release("Film.2020.720p", magnet=magnet(5, "Film"), category="2000")
    found = api.as_user(people["super"]).get("/api/seedbox/releases?q=film 2020&type=movie").json()
    assert [r["title"] for r in found] == ["Film.2020.1080p", "Film.2020.720p"]
    assert found[1]["magnet"] == two["magnet"] and found[0]["link"] == one["link"]

    response = api.post("/api/seedbox/batch-download-and-map",
                        {"media_type": "movie", "tmdb_id": 1, "releases": found}, format="json")
    assert response.json()["ok"] == 2, response.json()
    assert infohash in seedbox.client.hashes()


def test_media_search_gives_external_ids(people, api, tmdb, tvdb):
    tmdb.add_movie(603, "The Matrix", "1999-03-30")
    tvdb.add_series(81189, "Breaking Bad", "2008")
    client = api.as_user(people["super"])
    movies = client.get("/api/media/search?q=matrix&type=movie").json()
    assert movies == [{"media_type": "movie", "tmdb_id": 603, "tvdb_id": None, "title": "The Matrix",
                       "year": 1999, "overview": "", "trailer_status": "NONE"}]
    series = client.get("/api/media/search?q=breaking&type=series").json()
    assert series[0]["tvdb_id"] == 81189 and series[0]["year"] == 2008
    assert series[0]["trailer_status"] == "NONE"
    bad = client.get("/api/media/search?q=x&type=music")
    assert bad.status_code == 400 and "type" in bad.json()["fields"]
    assert client.get("/api/media/search?q=x&type=movie&page=abc").status_code == 400


def test_a_429_is_waited_out_for_its_retry_after(people, api, tmdb):
    tmdb.add_movie(603, "The Matrix", "1999-03-30")
    tmdb.fail_with(429, headers={"Retry-After": "2"}, body={"status_code": 25, "status_message": "Too many"})
    response = api.as_user(people["super"]).get("/api/media/search?q=matrix&type=movie")
    assert response.status_code == 200 and response.json()[0]["tmdb_id"] == 603
    assert len(tmdb.requests) == 2
    assert tmdb.requests[1][0] - tmdb.requests[0][0] >= 1.9, "the retry came before Retry-After"


def test_unreachable_indexer_is_a_502_with_the_reason(people, api, settings):
    settings.TORZNAB_URL = "http://127.0.0.1:9/api"
    response = api.as_user(people["super"]).get("/api/seedbox/releases?q=x&type=movie")
    assert response.status_code == 502 and "indexer" in response.json()["error"].lower()


def test_unreachable_rtorrent_is_a_502_and_the_torrent_waits_for_a_retry(people, api, settings):
    from tests.conftest import free_port

    settings.SEEDBOX_RTORRENT_URL = f"scgi://127.0.0.1:{free_port()}"
    response = api.as_user(people["super"]).post(
        "/api/seedbox/torrents", {"media_type": "movie", "tmdb_id": 603, "magnet": magnet(9)}, format="json")
    assert response.status_code == 502 and "retried" in response.json()["error"]
    torrent = Torrent.objects.get()
    assert torrent.state == State.FAILED and torrent.failed_from == State.QUEUED
    assert torrent.next_retry_at is not None and "did not answer" in torrent.reason


def test_connection_tests_try_each_hosted_service_with_its_key(people, api, tmdb, tvdb, indexer, settings):
    operator = api.as_user(people["super"])

    def results():
        return {c["name"]: c for c in operator.get("/api/seedbox/connections").json()}

    found = results()
    assert all(found[name]["ok"] for name in ("tmdb", "tvdb", "indexer")), found
    assert "Fake Torznab" in found["indexer"]["message"]
    assert [q["t"] for _, _, path, q in indexer.requests if path == "/api"] == ["caps"]
    settings.TMDB_API_KEY = settings.TVDB_API_KEY = settings.TORZNAB_API_KEY = "a-wrong-key"
    found = results()
    assert not found["tmdb"]["ok"] and "TMDB_API_KEY" in found["tmdb"]["message"]
    assert not found["tvdb"]["ok"] and "TVDB_API_KEY" in found["tvdb"]["message"]
    assert not found["indexer"]["ok"] and "Invalid API Key" in found["indexer"]["message"]


def test_a_batch_of_invalid_releases_answers_at_once_without_calling_the_seedbox(people, api, settings):
    """100 releases that cannot be sent: no pause between them, and rTorrent is never asked."""
    settings.SEEDBOX_BATCH_THROTTLE = 1.0
    settings.SEEDBOX_RTORRENT_URL = "scgi://127.0.0.1:9"  # nothing listens: a call would fail the item
    releases = [{"title": f"Bad.{n}", "magnet": "magnet:?dn=no-hash"} for n in range(50)]
    releases += [{"title": f"Empty.{n}"} for n in range(50)]
    started = time.monotonic()
    response = api.as_user(people["super"]).post(
        "/api/seedbox/batch-download-and-map",
        {"media_type": "movie", "tmdb_id": 1, "releases": releases}, format="json")
    assert time.monotonic() - started < 3
    report = response.json()
    assert (report["ok"], report["failed"]) == (0, 100)
    assert "btih" in report["items"][0]["message"] and "neither" in report["items"][99]["message"]
