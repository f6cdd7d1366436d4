"""What players read: M3U, XMLTV, HLS with access tokens; who watches."""

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from channels_app import playout, viewers
from channels_app.models import AccessToken, ViewerSession
from mediasuite.models import ServiceState
from mediasuite.services import control, runner
from tests.conftest import wait_for

from .conftest import wait_playing


@pytest.fixture
def news(make_channel, db):
    return make_channel("news", series=True, number=5, group="Info", logo="http://logo.example/n.png",
                        display_name="News 24", desired="running")


def test_playlist_needs_a_valid_token(news, people):
    client = Client()
    assert client.get("/playlist.m3u").status_code == 401
    assert client.get("/playlist.m3u?token=nope").status_code == 401
    token = viewers.token_for(people["player"]).secret()
    response = client.get(f"/playlist.m3u?token={token}")
    assert response.status_code == 200 and response["Content-Type"].startswith("audio/x-mpegurl")
    text = response.content.decode()
    assert text.startswith(f'#EXTM3U url-tvg="http://testserver/xmltv.xml?token={token}"')
    assert (f'#EXTINF:-1 tvg-id="news.{news.pk}.mediasuite" tvg-name="News 24" '
            'tvg-logo="http://logo.example/n.png" tvg-chno="5" channel-number="5" '
            'group-title="Info",News 24') in text
    assert f"http://testserver/hls/news/live.m3u8?token={token}" in text
    AccessToken.objects.filter(user=people["player"]).delete()  # revoked in the admin
    assert client.get(f"/playlist.m3u?token={token}").status_code == 401


def test_the_playlist_lists_only_the_channels_meant_to_play(news, make_channel, people):
    quiet = make_channel("quiet")
    client = Client()
    client.force_login(people["player"])
    assert "/hls/quiet/" not in client.get("/playlist.m3u").content.decode()
    playout.start(None, quiet)
    text = client.get("/playlist.m3u").content.decode()
    assert "/hls/quiet/" in text and "/hls/news/" in text
    playout.stop(None, news)
    assert "/hls/news/" not in client.get("/playlist.m3u").content.decode()


def test_a_signed_in_browser_gets_a_playlist_carrying_its_own_token(news, people):
    client = Client()
    client.force_login(people["admin"])
    text = client.get("/playlist.m3u").content.decode()
    assert f"token={AccessToken.objects.get(user=people['admin']).secret()}" in text


@override_settings(CHANNELS_OPEN_ACCESS=True)
def test_open_access_on_a_trusted_lan(news):
    response = Client().get("/playlist.m3u")
    assert response.status_code == 200 and "token=" not in response.content.decode()


def test_xmltv_guide_follows_the_cursor(news, people):
    from django.utils import timezone

    first = news.files.get(name="a.mp4")
    news.current_file, news.started_at = first, timezone.now()
    news.save()
    token = viewers.token_for(people["player"]).secret()
    response = Client().get(f"/xmltv.xml?token={token}")
    assert response.status_code == 200 and response["Content-Type"] == "application/xml"
    root = ET.fromstring(response.content)
    assert root.find("channel").get("id") == f"news.{news.pk}.mediasuite"
    titles = [p.find("title").text for p in root.findall("programme")]
    assert titles[:4] == ["a", "b", "c", "a"]  # series: now, next, and on for 24 h
    assert len(titles) > 1000


def test_hls_urls_refuse_tricks_and_unknown_channels(news, people):
    token = viewers.token_for(people["player"]).secret()
    client = Client()
    for url in ("/hls/nope/live.m3u8", "/hls/../live.m3u8", "/hls/news/..%2Fsecret.ts", "/hls/news/a%00.ts",
                "/hls/news/index.m3u8x", "/hls/NEWS/live.m3u8"):
        assert client.get(f"{url}?token={token}").status_code == 404, url
    assert client.get("/hls/news/live.m3u8").status_code == 401


@pytest.mark.processes
def test_viewers_count_distinct_sessions_and_drop_the_idle(news, people, supervisor):
    from channels_app.playout import start

    start(None, news)
    wait_playing(news, count=2)
    clients = []
    for who in ("player", "admin"):
        token = viewers.token_for(people[who]).secret()
        master = Client().get(f"/hls/news/live.m3u8?token={token}")
        assert master.status_code == 200 and master["Content-Type"] == "application/vnd.apple.mpegurl"
        assert master["Access-Control-Allow-Origin"] == "*"
        media_url = "/hls/news/" + master.content.decode().strip().splitlines()[-1]
        clients.append(media_url)

    def fetch(media_url):
        media = Client().get(media_url)
        assert media.status_code == 200 and media["Cache-Control"].startswith("no-cache")
        lines = media.content.decode().splitlines()
        segment = [line for line in lines if line and not line.startswith("#")][-1]
        response = Client().get(f"/hls/news/{segment}")
        assert response.status_code == 200 and response["Content-Type"] == "video/mp2t"
        b"".join(response.streaming_content)

    def audience():
        for url in clients:
            fetch(url)
        return viewers.counts([news.pk]).get(news.pk)

    assert wait_for(lambda: audience() == (2, 0), message="two viewers")
    assert ViewerSession.objects.filter(channel=news).count() == 2
    clients.pop()  # the second viewer stops watching
    wait_for(lambda: audience() == (1, 0), timeout=30, message="the idle viewer to drop out")


def test_the_scheduler_forgets_viewer_sessions_idle_for_a_day(news, people):
    client = Client()
    token = viewers.token_for(people["player"]).secret()
    for _ in range(3):
        assert client.get(f"/hls/news/live.m3u8?token={token}").status_code == 200
    sessions = list(ViewerSession.objects.order_by("pk"))
    day_ago = timezone.now() - timedelta(hours=25)
    ViewerSession.objects.filter(pk=sessions[0].pk).update(started_at=day_ago, last_seen=None)
    ViewerSession.objects.filter(pk=sessions[1].pk).update(started_at=day_ago, last_seen=day_ago)
    ViewerSession.objects.filter(pk=sessions[2].pk).update(started_at=day_ago, last_seen=timezone.now())
    control.start(None, "scheduler")
    assert runner.run("scheduler") == "1 check(s)"
    assert list(ViewerSession.objects.values_list("pk", flat=True)) == [sessions[2].pk]
    assert ServiceState.objects.get(name="scheduler").counters["items_cleaned"] >= 2


def test_a_stored_name_with_a_line_break_cannot_inject_playlist_entries(news, people):
    """Names stored before the validator (or written by a script) are neutralised on output."""
    from channels_app.models import Channel

    Channel.objects.filter(pk=news.pk).update(display_name="News\n#EXTINF:-1,Evil\nhttp://evil.example/x\x01")
    token = viewers.token_for(people["player"]).secret()
    client = Client()
    lines = client.get(f"/playlist.m3u?token={token}").content.decode().splitlines()
    assert [line for line in lines if line.startswith("#EXTINF")] == [lines[1]]
    assert not any("evil.example" in line and not line.startswith("#EXTINF") for line in lines)
    guide = client.get(f"/xmltv.xml?token={token}").content.decode()
    assert ET.fromstring(guide).find("channel/display-name").text.startswith("News #EXTINF")
