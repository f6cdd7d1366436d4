"""The guide: numbers, logos and groups in the M3U and XMLTV, 24 h of true titles for series and random
channels (a random channel keeps to its plan), validated by xmltv-util, and the /guide/ page's data."""

import io
import os
import subprocess
import xml.etree.ElementTree as ET

import pytest
from django.test import Client
from PIL import Image
from rest_framework.test import APIClient

from channels_app import catalog, logos, paths, playout, viewers
from channels_app.models import Channel
from mediasuite.models import Event
from tests.conftest import wait_for

from .conftest import started


def png(size=(64, 64), colour="red", kind="PNG") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, kind)
    return out.getvalue()


def playing(channel, name):
    """Put the channel's cursor on `name` from now, as the playout process does when it begins a file."""
    video = channel.files.get(name=name)
    playout.begin(channel, video, 0.0, 0)
    return Channel.objects.get(pk=channel.pk)


def xmltv(token) -> ET.Element:
    response = Client().get(f"/xmltv.xml?token={token}")
    assert response.status_code == 200
    return ET.fromstring(response.content)


def titles(root, name) -> list[str]:
    return [p.findtext("title") for p in root.findall("programme") if p.get("channel").startswith(f"{name}.")]


@pytest.fixture
def token(people):
    return viewers.token_for(people["player"]).secret()


def test_channels_are_numbered_in_creation_order_and_a_taken_number_is_refused(make_channel, people, api):
    first, second = make_channel("one"), make_channel("two")
    assert (first.number, second.number) == (1, 2)
    client = api.as_user(people["super"])
    response = client.patch("/api/channels/two", {"number": 1}, format="json")
    assert response.status_code == 400 and "is taken" in response.json()["fields"]["number"][0]
    for bad in (0, -3, 100000, "seven", None):
        response = client.patch("/api/channels/two", {"number": bad}, format="json")
        assert response.status_code == 400, bad
    assert Channel.objects.get(pk=second.pk).number == 2  # nothing changed
    assert client.patch("/api/channels/two", {"number": 42}, format="json").json()["number"] == 42
    assert make_channel("three").number == 43


def test_logo_upload_is_checked_stored_as_png_and_given_to_players(make_channel, people, api, token):
    news = make_channel("news", display_name="News", group="Info", desired="running")
    client = api.as_user(people["super"])
    before = Event.objects.count()
    for data, why in ((b"", "empty"), (b"GIF89a not really", "not an image"),
                      (png(kind="BMP"), "BMP image is not taken"), (b"\x89PNG" + b"0" * (3 << 20), "MiB")):
        response = client.post("/api/channels/news/logo", {"logo": io.BytesIO(data)}, format="multipart")
        assert response.status_code == 400 and why in str(response.json()), (why, response.json())
    assert client.post("/api/channels/news/logo", {"logo": "text"}, format="multipart").status_code == 400
    assert Event.objects.count() == before and not Channel.objects.get(pk=news.pk).logo_image

    response = client.post("/api/channels/news/logo", {"logo": io.BytesIO(png((1024, 512), kind="JPEG"))},
                           format="multipart")
    assert response.status_code == 200
    logo_url = response.json()["logo_image"]
    assert logo_url.startswith("/channels/news/logo/news-") and logo_url.endswith(".png")
    image = Client().get(f"{logo_url}?token={token}")
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    stored = Image.open(io.BytesIO(b"".join(image.streaming_content)))
    assert (stored.format, stored.size) == ("PNG", (256, 128))
    assert Client().get(logo_url).status_code == 401
    assert Client().get(f"/channels/news/logo/news-000000000000.png?token={token}").status_code == 404

    playlist = Client().get(f"/playlist.m3u?token={token}").content.decode()
    assert f'tvg-logo="http://testserver{logo_url}?token={token}"' in playlist
    assert 'tvg-chno="1"' in playlist and 'group-title="Info"' in playlist
    channel = xmltv(token).find("channel")
    assert channel.find("icon").get("src") == f"http://testserver{logo_url}?token={token}"
    assert [n.text for n in channel.findall("display-name")] == ["News", "1 News", "1"]

    assert client.delete("/api/channels/news/logo").json()["logo_image"] is None
    assert not logos.logo_dir().joinpath(logo_url.rsplit("/", 1)[1]).exists()
    assert api.as_user(people["player"]).post("/api/channels/news/logo", {"logo": io.BytesIO(png())},
                                              format="multipart").status_code == 403


def test_demo_logos_are_generated_with_the_channel_number(make_channel, db):
    channel = logos.generate(make_channel("demo-like"))
    with Image.open(logos.path(channel)) as image:
        assert image.size == (logos.SIDE, logos.SIDE)
        assert image.getpixel((2, 2))[:3] != (255, 255, 255)


def test_a_random_channel_keeps_to_its_plan_so_its_guide_is_true(make_channel, token):
    mixed = playing(make_channel("mixed", files=("a.mp4", "b.mp4", "c.mp4", "long.mp4"), desired="running"),
                    "a.mp4")
    planned = titles(xmltv(token), "mixed")
    assert planned[0] == "a" and len(planned) > 1000  # 24 h of real titles, not the channel's name
    assert titles(xmltv(token), "mixed") == planned  # asked again: the same future
    for expected in planned[1:8]:
        video, _ = playout.choose_next(mixed)  # what the playout process plays next
        assert video.name.rsplit(".", 1)[0] == expected
        playout.begin(mixed, video, 0.0, 0)
        mixed = Channel.objects.get(pk=mixed.pk)
    assert titles(xmltv(token), "mixed")[:20] == planned[7:27]


def test_a_file_gone_from_the_plan_is_skipped_and_the_rest_keeps_its_place(make_channel, token):
    mixed = playing(make_channel("mixed", files=("a.mp4", "b.mp4", "c.mp4", "long.mp4"), desired="running"),
                    "a.mp4")
    planned = titles(xmltv(token), "mixed")[1:12]
    gone = planned[0]
    (paths.folder_path(mixed) / f"{gone}.mp4").unlink()
    catalog.sync_files(mixed)
    assert titles(xmltv(token), "mixed")[1:6] == [t for t in planned if t != gone][:5]


def test_the_xmltv_is_valid_for_xmltv_util(make_channel, token, tmp_path):
    series = playing(make_channel("series", series=True, desired="running", display_name="Séries & <Co>"),
                     "b.mp4")
    playing(make_channel("mixed", desired="running", logo="http://logo.example/m.png"), "c.mp4")
    make_channel("idle")  # nothing played yet: the channel's name fills the day
    logos.generate(series)
    guide = tmp_path / "guide.xml"
    guide.write_bytes(Client().get(f"/xmltv.xml?token={token}").content)
    checked = subprocess.run(["tv_validate_file", str(guide)], capture_output=True, text=True,
                             env={**os.environ, "XMLTV_SUPPLEMENT": "/usr/share/xmltv"})  # its DTD, offline
    assert checked.returncode == 0, checked.stdout + checked.stderr
    root = ET.parse(guide).getroot()
    assert titles(root, "series")[:4] == ["b", "c", "a", "b"]
    assert titles(root, "idle") == ["idle"]


def test_the_guide_api_gives_every_channel_from_now(make_channel, people, api):
    playing(make_channel("series", series=True, desired="running"), "a.mp4")
    client = api.as_user(people["player"])
    data = client.get("/api/channels/guide?hours=1").json()
    assert data["hours"] == 1 and [c["name"] for c in data["channels"]] == ["series"]
    first = data["channels"][0]["programmes"][0]
    assert (first["title"], first["file"]) == ("a", "a.mp4")
    assert first["url"].startswith("/channels/series/#file-")
    for bad in ("0", "25", "soon"):
        assert client.get(f"/api/channels/guide?hours={bad}").status_code == 400
    assert APIClient().get("/api/channels/guide").status_code in (401, 403)


@pytest.mark.processes
def test_the_xmltv_tells_what_the_next_files_of_a_series_and_a_random_channel_are(make_channel, supervisor,
                                                                                  token):
    series = make_channel("series", series=True, desired="running")
    mixed = make_channel("mixed", desired="running")
    started(series)
    started(mixed)
    changes = ("channel.file", "channel.restarted")

    def last_id():
        return Event.objects.order_by("-id").values_list("id", flat=True).first()

    while True:  # a guide read while no channel changed file, so that its first programmes are the current
        before = last_id()
        root = xmltv(token)
        after = last_id()
        if not Event.objects.filter(id__gt=before, id__lte=after, kind__in=changes).exists():
            break
    promised = {name: titles(root, name)[:4] for name in ("series", "mixed")}

    def played(channel):
        return [e.payload["file"].rsplit(".", 1)[0] for e in
                Event.objects.filter(subject_id=str(channel.pk), id__gt=after,
                                     kind__in=changes).order_by("id")]

    for channel in (series, mixed):
        found = wait_for(lambda c=channel: len(played(c)) >= 3 and played(c), timeout=60,
                         message=f"three more files of {channel.name}")
        assert found[:3] == promised[channel.name][1:4], (channel.name, promised, found)


def test_the_guide_api_reads_a_constant_number_of_queries(make_channel, people, api):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = api.as_user(people["player"])

    def queries():
        client.get("/api/channels/guide?hours=3")  # plans what is missing (a write per random channel)
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/api/channels/guide?hours=3").status_code == 200
        return len(captured)

    playing(make_channel("one", series=True, desired="running"), "a.mp4")
    playing(make_channel("two", desired="running"), "b.mp4")
    few = queries()
    for name in ("three", "four", "five"):
        playing(make_channel(name, desired="running"), "c.mp4")
    assert queries() == few
