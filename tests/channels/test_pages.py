"""The channels dashboard and a channel's detail page, server-rendered."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from channels_app import playout, viewers
from channels_app.models import AccessToken

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/channels/", "/channels/news/"])
def test_pages_need_a_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.url == f"/accounts/login/?next={url}"


def test_operator_sees_cards_with_their_actions_and_the_state(people, client, make_channel):
    make_channel("news", display_name="News 24", number=7)
    make_channel("films")
    client.force_login(people["super"])
    page = client.get("/channels/").content.decode()
    for name in ("news", "films"):
        assert f'id="channel-{name}"' in page
    assert "News 24" in page
    assert page.count('data-action="restart"') == 2
    assert page.count('data-action="play"') == 2
    assert 'id="restart-all"' in page and 'id="confirm-modal"' in page
    assert 'data-state="stopped"' in page
    assert 'src="/static/vendor/hls/hls.min.js"' in page


def test_other_users_watch_read_only(people, client, make_channel):
    make_channel("news")
    client.force_login(people["player"])
    response = client.get("/channels/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="channel-news"' in page
    assert 'data-action="restart"' not in page and 'id="restart-all"' not in page
    assert 'id="confirm-modal"' not in page and 'data-can-control="false"' in page


def test_each_user_sees_their_own_m3u_url_with_their_token(people, client):
    client.force_login(people["player"])
    page = client.get("/channels/").content.decode()
    key = AccessToken.objects.get(user=people["player"]).secret()
    assert f"http://testserver/playlist.m3u?token={key}" in page
    assert f"http://testserver/xmltv.xml?token={key}" in page
    other = viewers.token_for(people["admin"]).secret()
    assert other not in page
    # The URL works in a player (no session): the playlist answers to the token.
    client.logout()
    assert client.get(f"/playlist.m3u?token={key}").status_code == 200


def test_nav_links_to_the_channels(people, client):
    client.force_login(people["player"])
    assert 'href="/channels/"' in client.get("/").content.decode()


@pytest.mark.parametrize("name", ["nope", "News", "..", "..%2F..%2Fetc", "a%00b", "%2Fetc", "-x", "a" * 65])
def test_unknown_or_bad_names_are_404(people, client, name):
    client.force_login(people["super"])
    assert client.get(f"/channels/{name}/").status_code == 404


def test_detail_shows_files_with_delivery_and_reason(people, client, make_channel):
    make_channel("mixed", files=("a.mp4", "b.mp4", "broken.mp4"))
    client.force_login(people["player"])
    response = client.get("/channels/mixed/")
    assert response.status_code == 200
    page = response.content.decode()
    rows = re.findall(r'<tr data-file="([^"]+)".*?data-role="delivery">(\w+)</span>', page, re.S)
    assert rows == [("a.mp4", "copy"), ("b.mp4", "copy"), ("broken.mp4", "skip")]
    broken = page[page.index('data-file="broken.mp4"'):]
    reason = re.search(r'data-role="reason">([^<]*)<', broken).group(1)
    assert reason.strip(), "a skipped file shows why"
    key = AccessToken.objects.get(user=people["player"]).secret()
    assert f"http://testserver/hls/mixed/live.m3u8?token={key}" in page


def test_detail_history_is_newest_first_and_only_this_channel(people, client, make_channel):
    news = make_channel("news")
    films = make_channel("films")
    playout.request_restart(people["super"], news)
    playout.request_restart(people["super"], films)
    video = news.files.get(name="b.mp4")
    playout.request_restart(people["super"], news, file=video)
    playout.file_failed(news, news.files.get(name="c.mp4"), "moov atom not found")
    client.force_login(people["super"])
    page = client.get("/channels/news/").content.decode()
    history = page[page.index('id="history-rows"'):]
    kinds = re.findall(r'<tr data-event-id="\d+" data-kind="([\w.]+)"', history)
    assert kinds == ["channel.file_failed", "channel.restart_requested", "channel.restart_requested"]
    assert "moov atom not found" in history and "b.mp4" in history and "root" in history
    assert history.count("<tr data-event-id") == 3  # films' restart is not listed


def test_dashboard_queries_do_not_grow_with_the_channels(people, client, make_channel):
    client.force_login(people["super"])
    make_channel("one")
    make_channel("two")
    client.get("/channels/")  # the user's access token is created on the first visit
    with CaptureQueriesContext(connection) as two:
        assert client.get("/channels/").status_code == 200
    make_channel("three")
    make_channel("four")
    with CaptureQueriesContext(connection) as four:
        page = client.get("/channels/").content.decode()
    assert 'id="channel-four"' in page
    assert len(four) == len(two)
