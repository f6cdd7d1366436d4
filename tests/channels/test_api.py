"""Channels API: permissions, bad input, restart answers, constant query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from channels_app import catalog
from channels_app.models import Channel
from mediasuite.models import Event


@pytest.fixture
def channel(make_channel, db):
    return make_channel("news", series=True)


def test_list_and_status_for_every_signed_in_user(channel, people, api):
    for who in ("super", "admin", "player"):
        client = api.as_user(people[who])
        listed = client.get("/api/channels")
        assert listed.status_code == 200 and [c["name"] for c in listed.json()] == ["news"]
        status = client.get("/api/channels/news/status").json()
        for field in ("is_live", "viewers", "watchers", "last_updated", "state", "current_file",
                      "current_index", "offset", "mode", "pid", "last_restart", "last_error"):
            assert field in status
        assert status["mode"] == "series" and status["state"] == "stopped" and status["viewers"] == 0


def test_anonymous_is_refused(channel, api):
    assert api.get("/api/channels").status_code == 401
    assert api.post("/api/channels/news/restart").status_code == 401


@pytest.mark.parametrize("who", ["admin", "player", "other_admin"])
def test_only_the_super_admin_drives_channels(channel, people, api, who):
    client = api.as_user(people[who])
    before = Event.objects.count()
    for url in ("/api/channels/news/restart", "/api/channels/restart", "/api/channels/news/stop",
                "/api/channels/news/start"):
        response = client.post(url)
        assert response.status_code == 403 and "error" in response.json(), url
    assert client.post("/api/channels", {"name": "x", "folder": "news"}, format="json").status_code == 403
    assert client.delete("/api/channels/news").status_code == 403
    assert Event.objects.count() == before


def test_restart_answers_202_and_records_the_request(channel, people, api):
    response = api.as_user(people["super"]).post("/api/channels/news/restart")
    assert response.status_code == 202
    assert response.json()["status"] == "restarting" and response.json()["channel"] == "news"
    channel.refresh_from_db()
    assert channel.restart_requested_at is not None and channel.restart_trigger == "manual"
    event = Event.objects.filter(kind="channel.restart_requested").latest("id")
    assert event.actor == people["super"] and event.payload["trigger"] == "manual"
    assert channel.unit.desired == "running"


@pytest.mark.parametrize("name", ["nope", "..", "a..b", "%2e%2e", "a%00b", "a%2Fb", "NEWS"])
def test_unknown_or_tricky_names_are_404_json(channel, people, api, name):
    response = api.as_user(people["super"]).get(f"/api/channels/{name}/status")
    assert response.status_code == 404
    assert "error" in response.json()


def test_restart_without_videos_is_409_and_changes_nothing(make_channel, channel_folder, people, api):
    channel_folder("empty", files=())
    empty = catalog.create(None, name="empty", folder="empty", desired="stopped")
    response = api.as_user(people["super"]).post("/api/channels/empty/restart")
    assert response.status_code == 409 and "no playable video" in response.json()["error"]
    empty.refresh_from_db()
    assert empty.restart_requested_at is None and empty.unit.desired == "stopped"


def test_play_a_chosen_file(channel, people, api):
    client = api.as_user(people["super"])
    files = client.get("/api/channels/news/files").json()
    assert [f["name"] for f in files] == ["a.mp4", "b.mp4", "c.mp4"]
    assert all(f["delivery"] == "copy" for f in files)
    response = client.post("/api/channels/news/play", {"file": "c.mp4"}, format="json")
    assert response.status_code == 202
    channel.refresh_from_db()
    assert channel.restart_file.name == "c.mp4"
    for bad in ({"file": "../a.mp4"}, {"file": "zzz.mp4"}, {"file": "/etc/passwd"}, {}, {"file": ["a.mp4"]}):
        response = client.post("/api/channels/news/play", bad, format="json")
        assert response.status_code == 400 and "error" in response.json(), bad


@pytest.mark.parametrize("folder", ["../outside", "/etc", "news/../../x", "a\x00b", "", "."])
def test_a_folder_outside_the_channels_root_is_refused(channel, people, api, folder):
    response = api.as_user(people["super"]).post("/api/channels", {"name": "evil", "folder": folder},
                                                 format="json")
    assert response.status_code == 400 and "folder" in response.json()["fields"]
    assert not Channel.objects.filter(name="evil").exists()


def test_create_edit_delete(channel_folder, people, api):
    channel_folder("Movies Night")
    client = api.as_user(people["super"])
    created = client.post("/api/channels", {"name": "movies", "folder": "Movies Night", "number": 7,
                                            "group": "Films"}, format="json")
    assert created.status_code == 201 and created.json()["mode"] == "random"
    assert client.post("/api/channels", {"name": "movies", "folder": "Movies Night"},
                       format="json").status_code == 400
    changed = client.patch("/api/channels/movies", {"display_name": "Movie night", "number": "x"},
                           format="json")
    assert changed.status_code == 400 and "number" in changed.json()["fields"]
    changed = client.patch("/api/channels/movies", {"display_name": "Movie night", "mode": "series"},
                           format="json")
    assert changed.status_code == 200 and changed.json()["display_name"] == "Movie night"
    assert changed.json()["mode"] == "series"
    assert client.delete("/api/channels/movies").status_code == 204
    assert not Channel.objects.filter(name="movies").exists()


def test_list_query_count_is_constant(make_channel, people, api):
    client = api.as_user(people["super"])
    make_channel("one", files=("a.mp4",))
    with CaptureQueriesContext(connection) as few:
        assert len(client.get("/api/channels").json()) == 1
    make_channel("two")
    make_channel("three", files=("b.mp4", "c.mp4"))
    with CaptureQueriesContext(connection) as many:
        assert len(client.get("/api/channels").json()) == 3
    assert len(many) == len(few)


def test_a_folder_that_does_not_exist_is_refused_on_create_and_on_edit(channel, people, api):
    client = api.as_user(people["super"])
    created = client.post("/api/channels", {"name": "ghost", "folder": "nowhere"}, format="json")
    assert created.status_code == 400 and "nowhere" in created.json()["fields"]["folder"][0]
    assert not Channel.objects.filter(name="ghost").exists()
    events = Event.objects.count()
    changed = client.patch("/api/channels/news", {"folder": "nowhere", "display_name": "Renamed"},
                           format="json")
    assert changed.status_code == 400 and "folder" in changed.json()["fields"]
    channel.refresh_from_db()
    assert (channel.folder, channel.display_name) == ("news", "")
    assert Event.objects.count() == events


def test_an_edit_to_a_folder_without_playable_video_saves_nothing(channel, channel_folder, people, api):
    channel_folder("broken", files=("broken.mp4",))
    response = api.as_user(people["super"]).patch("/api/channels/news", {"folder": "broken", "number": 9},
                                                  format="json")
    assert response.status_code == 400 and "no playable video" in response.json()["fields"]["folder"][0]
    channel.refresh_from_db()
    assert (channel.folder, channel.number, channel.restart_requested_at) == ("news", 1, None)
    assert sorted(channel.files.filter(present=True).values_list("name", flat=True)) == \
        ["a.mp4", "b.mp4", "c.mp4"]


@pytest.mark.parametrize("field", ["display_name", "group"])
def test_control_characters_in_names_are_refused(channel, people, api, field):
    response = api.as_user(people["super"]).patch(
        "/api/channels/news", {field: "News\n#EXTINF:-1,Injected\nhttp://evil.example/x.m3u8"}, format="json")
    assert response.status_code == 400 and field in response.json()["fields"]
    channel.refresh_from_db()
    assert getattr(channel, field) == ""
