"""Trailers API: operator only, the dialog's calls, the original agent route, trailer_status in lists."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mediasuite.models import Event
from trailers.models import Status, TrailerEntry

URL = "/api/trailers/movie/603"
AGENT = "/api/agent/get_locked_trailer_id"


@pytest.mark.parametrize("who", ["admin", "player", "other_admin"])
def test_only_the_operator_manages_trailers(who, people, api):
    TrailerEntry.objects.create(media_type="movie", external_id=603, status=Status.LOCKED,
                                locked_video_id="x", locked_url="https://example.org/x.mp4")
    client = api.as_user(people[who])
    for method, url, body in (("get", URL, None), ("post", f"{URL}/search", {}),
                              ("post", f"{URL}/lock", {"video_id": "x"}), ("post", f"{URL}/unlock", None),
                              ("post", f"{URL}/download", None), ("get", "/api/trailers", None),
                              ("post", "/api/trailers/refresh", {"media": []}),
                              ("get", f"{AGENT}?media_type=movie&external_id=603", None)):
        response = getattr(client, method)(url, body, format="json")
        assert response.status_code == 403, (url, response.content)
        assert "super admin" in response.json()["error"]
    assert TrailerEntry.objects.get().status == Status.LOCKED


def test_signed_out_is_401(api, db):
    assert api.get(URL).status_code == 401


def test_the_dialog_flow_through_the_api(client, tmdb, youtube):
    fresh = client.get(URL)
    assert fresh.status_code == 200 and fresh.json()["status"] == "NONE" and fresh.json()["candidates"] == []
    assert tmdb.requests == [] and youtube.requests == [], "GET never calls out"

    found = client.post(f"{URL}/search", {"title": "The Matrix", "year": 1999, "force": False}, format="json")
    assert found.status_code == 200 and found.json()["status"] == "UNLOCKED"
    assert len(found.json()["candidates"]) == 3
    cached = client.post(f"{URL}/search", {"force": False}, format="json")
    assert cached.json()["candidates"] == found.json()["candidates"] and len(youtube.searches()) == 1

    locked = client.post(f"{URL}/lock", {"video_id": "Zq6xV8bq6CE"}, format="json")
    assert locked.status_code == 200 and locked.json()["status"] == "LOCKED"
    assert locked.json()["locked"]["video_id"] == "Zq6xV8bq6CE" and locked.json()["candidates"] == []
    agent = client.get("/api/agent/get_locked_trailer_id?media_type=movie&external_id=603")
    assert agent.json() == {"video_id": "Zq6xV8bq6CE", "url": "https://www.youtube.com/watch?v=Zq6xV8bq6CE"}

    again = client.post(f"{URL}/lock", {"video_id": "vKQi3bBA1y8"}, format="json")
    assert again.status_code == 409 and "unlock it first" in again.json()["error"]
    refused = client.post(f"{URL}/search", {}, format="json")
    assert refused.status_code == 409 and "unlock" in refused.json()["error"]

    unlocked = client.post(f"{URL}/unlock")
    assert unlocked.status_code == 200 and unlocked.json()["status"] == "UNLOCKED"
    assert client.post(f"{URL}/unlock").status_code == 409
    gone = client.get("/api/agent/get_locked_trailer_id?media_type=movie&external_id=603")
    assert gone.status_code == 404 and "No trailer is locked" in gone.json()["error"]
    assert Event.objects.filter(kind__startswith="trailer.").count() == 3


def test_lock_a_video_given_whole(client, db):
    video = {"video_id": "local-1", "title": "Director's cut trailer", "url": "http://nas.lan/t.mp4",
             "duration": 90}
    locked = client.post("/api/trailers/series/81189/lock", {"video": video}, format="json")
    assert locked.status_code == 200 and locked.json()["locked"]["url"] == "http://nas.lan/t.mp4"
    assert TrailerEntry.objects.get(media_type="series", external_id=81189).locked_duration == 90


def test_search_with_services_down_is_502(client, settings, db):
    settings.TMDB_API_KEY = settings.YOUTUBE_API_KEY = ""
    answer = client.post(f"{URL}/search", {"title": "The Matrix"}, format="json")
    assert answer.status_code == 502 and "/settings/connections/#tmdb" in answer.json()["error"]
    assert not TrailerEntry.objects.exists()


BAD = [
    ("get", "/api/trailers/film/603", None, "media_type"),
    ("post", "/api/trailers/film/603/unlock", None, "media_type"),
    ("post", "/api/trailers/series/1.5/download", None, "external_id"),
    ("post", "/api/trailers/movie/0/search", {}, "external_id"),
    ("get", "/api/trailers/movie/abc", None, "external_id"),
    ("get", "/api/trailers/movie/-4", None, "external_id"),
    ("get", "/api/trailers/movie/99999999999", None, "external_id"),
    ("get", "/api/trailers/movie/%00", None, "external_id"),
    ("get", "/api/trailers/mov%00ie/603", None, "media_type"),
    ("post", "/api/trailers/movie/603/search", {"year": "nineteen"}, "year"),
    ("post", "/api/trailers/movie/603/search", {"title": ["x"]}, "title"),
    ("post", "/api/trailers/movie/603/search", {"force": "perhaps"}, "force"),
    ("post", "/api/trailers/movie/603/lock", {}, "video_id"),
    ("post", "/api/trailers/movie/603/lock", {"video_id": 12}, "video_id"),
    ("post", "/api/trailers/movie/603/lock", {"video": {"video_id": "x", "url": "ftp://a/b"}}, "url"),
    ("post", "/api/trailers/movie/603/lock", {"video": {"video_id": "not a youtube id"}}, "url"),
    ("post", f"{URL}/lock", {"video": {"video_id": "a\x00b", "url": "http://a/b"}}, "video_id"),
    ("post", "/api/trailers/movie/603/lock", {"video": "x"}, "video"),
    ("post", "/api/trailers/refresh", {}, "media"),
    ("post", "/api/trailers/refresh", {"media": "all"}, "media"),
    ("post", "/api/trailers/refresh", {"media": [{"media_type": "movie"}]}, "media"),
    ("post", "/api/trailers/refresh", {"media": [{"media_type": "tv", "external_id": 1}]}, "media"),
    ("get", "/api/agent/get_locked_trailer_id?media_type=movie", None, "external_id"),
    ("get", "/api/agent/get_locked_trailer_id?media_type=../&external_id=1", None, "media_type"),
    ("get", "/api/agent/get_locked_trailer_id?media_type=movie&external_id=1&x=1", None, "x"),
    ("get", "/api/trailers?status=BROKEN", None, "status"),
]


@pytest.mark.parametrize("method,url,body,field", BAD, ids=[f"{b[0]}-{b[1]}-{b[3]}" for b in BAD])
def test_bad_input_is_a_clear_400_and_changes_nothing(client, method, url, body, field):
    response = getattr(client, method)(url, body, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()["error"] or field in response.json().get("fields", {})
    assert not TrailerEntry.objects.exists() and not Event.objects.exists()


@pytest.mark.parametrize("url", ["/api/trailers/movie/../603", "/api/trailers/movie/603/../../x",
                                 "/api/trailers/movie/603/erase", "/api/trailers/movie/603/lock/../unlock"])
def test_path_tricks_are_json_4xx(client, url):
    for method in ("get", "post"):
        response = getattr(client, method)(url)
        assert 400 <= response.status_code < 500, (url, response.status_code)
        assert response["Content-Type"].startswith("application/json")
    assert not TrailerEntry.objects.exists()


def test_unknown_media_locked_by_id_or_unlocked_is_409_and_creates_nothing(client):
    answer = client.post(f"{URL}/lock", {"video_id": "vKQi3bBA1y8"}, format="json")
    assert answer.status_code == 409 and "search again first" in answer.json()["error"]
    unlock = client.post(f"{URL}/unlock")
    assert unlock.status_code == 409 and "no locked trailer" in unlock.json()["error"]
    assert not TrailerEntry.objects.exists() and not Event.objects.exists()


def test_media_search_carries_trailer_status_in_at_most_2_queries(client, tmdb):
    for n in range(2, 40):
        tmdb.add_movie(700 + n, f"The Matrix Part {n}", "2003-01-01")
    TrailerEntry.objects.create(media_type="movie", external_id=603, status=Status.LOCKED,
                                locked_video_id="x", locked_url="https://example.org/x")
    TrailerEntry.objects.create(media_type="movie", external_id=705, status=Status.UNLOCKED,
                                candidates=[{"video_id": "y"}])
    with CaptureQueriesContext(connection) as queries:
        answer = client.get("/api/media/search?q=matrix&type=movie")
    assert answer.status_code == 200
    trailer_queries = [q for q in queries.captured_queries if "trailers_trailerentry" in q["sql"]]
    assert len(trailer_queries) <= 2
    statuses = {m["tmdb_id"]: m["trailer_status"] for m in answer.json()}
    assert len(statuses) == 39
    assert statuses[603] == "LOCKED" and statuses[705] == "UNLOCKED" and statuses[710] == "NONE"


def test_entries_list_filters_by_status(client):
    TrailerEntry.objects.create(media_type="movie", external_id=1, title="A", status=Status.LOCKED,
                                locked_video_id="x", locked_url="https://example.org/x")
    TrailerEntry.objects.create(media_type="series", external_id=2, title="B", status=Status.UNLOCKED,
                                candidates=[{"video_id": "y"}])
    answer = client.get("/api/trailers?status=LOCKED")
    assert answer.status_code == 200
    assert [e["title"] for e in answer.json()["results"]] == ["A"]
    assert answer.json()["results"][0]["locked_video_id"] == "x"
