"""The HDHomeRun tuner's documents as Plex and Jellyfin read them, its tokens and its tuner limit.

The shapes are those HDHomeRun devices answer (SiliconDust's HTTP API: discover.json, lineup.json,
lineup_status.json; the UPnP device description) and that Plex's and Jellyfin's tuner code parses.
"""

import re
import xml.etree.ElementTree as ET

import pytest
from django.test import Client, override_settings

from channels_app import playout, tuner, viewers
from channels_app.models import ViewerSession

UPNP = "{urn:schemas-upnp-org:device-1-0}"


@pytest.fixture
def news(make_channel, db):
    return make_channel("news", series=True, number=5, display_name="News 24", desired="running")


@pytest.fixture
def token(people):
    return viewers.token_for(people["player"]).secret()


def test_discover_json_has_the_fields_and_types_of_a_device(news, token):
    response = Client().get(f"/hdhr/{token}/discover.json")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    found = response.json()
    base = f"http://testserver/hdhr/{token}"
    assert found == {
        "FriendlyName": "MediaSuite", "Manufacturer": "Silicondust", "ModelNumber": "HDTC-2US",
        "FirmwareName": "hdhomeruntc_atsc", "FirmwareVersion": found["FirmwareVersion"],
        "DeviceID": found["DeviceID"], "DeviceAuth": found["DeviceAuth"], "BaseURL": base,
        "LineupURL": f"{base}/lineup.json", "TunerCount": 2}
    assert re.fullmatch(r"[0-9A-F]{8}", found["DeviceID"])
    assert re.fullmatch(r"\d{8}", found["FirmwareVersion"]) and found["DeviceAuth"]
    assert Client().get(f"/hdhr/{token}/discover.json").json()["DeviceID"] == found["DeviceID"]  # stable


@override_settings(CHANNELS_TUNER_COUNT="3", CHANNELS_TUNER_NAME="Living room")
def test_name_and_tuner_count_come_from_the_settings(news, token):
    found = Client().get(f"/hdhr/{token}/discover.json").json()
    assert (found["FriendlyName"], found["TunerCount"]) == ("Living room", 3)


def test_lineup_status_says_the_lineup_is_ready(news, token):
    assert Client().get(f"/hdhr/{token}/lineup_status.json").json() == {
        "ScanInProgress": 0, "ScanPossible": 1, "Source": "Cable", "SourceList": ["Cable"]}


def test_lineup_lists_the_channels_meant_to_play_by_number(news, make_channel, token):
    quiet = make_channel("quiet", display_name="Quiet")
    sport = make_channel("sport", display_name="Sport", desired="running")
    assert (quiet.number, sport.number) == (6, 7)  # numbered in creation order, after the highest
    client = Client()
    base = f"http://testserver/hdhr/{token}"
    lineup = client.get(f"/hdhr/{token}/lineup.json").json()
    assert lineup == [
        {"GuideNumber": "5", "GuideName": "News 24", "VideoCodec": "H264", "AudioCodec": "AAC", "HD": 1,
         "URL": f"{base}/auto/v5"},
        {"GuideNumber": str(sport.number), "GuideName": "Sport", "VideoCodec": "H264", "AudioCodec": "AAC",
         "HD": 1, "URL": f"{base}/auto/v{sport.number}"}]
    playout.stop(None, news)
    playout.start(None, quiet)
    names = [entry["GuideName"] for entry in client.get(f"/hdhr/{token}/lineup.json").json()]
    assert names == ["Quiet", "Sport"]  # the stopped channel is gone, the started one came
    assert client.get(f"/hdhr/{token}/auto/v5").status_code == 404  # and its stream with it


def test_device_xml_is_a_upnp_device_description(news, token):
    response = Client().get(f"/hdhr/{token}/device.xml")
    assert response.status_code == 200 and response["Content-Type"] == "application/xml"
    root = ET.fromstring(response.content)
    assert root.tag == f"{UPNP}root"
    assert root.findtext(f"{UPNP}specVersion/{UPNP}major") == "1"
    assert root.findtext(f"{UPNP}URLBase") == f"http://testserver/hdhr/{token}"
    device = root.find(f"{UPNP}device")
    assert device.findtext(f"{UPNP}deviceType") == "urn:schemas-upnp-org:device:MediaServer:1"
    assert device.findtext(f"{UPNP}friendlyName") == "MediaSuite"
    assert device.findtext(f"{UPNP}manufacturer") == "Silicondust"
    assert device.findtext(f"{UPNP}modelNumber") == "HDTC-2US"
    assert device.findtext(f"{UPNP}serialNumber") == tuner.device_id()
    assert re.fullmatch(r"uuid:[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}", device.findtext(f"{UPNP}UDN"))


@pytest.mark.parametrize("path", ["discover.json", "lineup.json", "lineup_status.json", "device.xml",
                                  "auto/v5"])
def test_every_tuner_url_needs_a_valid_token(news, token, people, path):
    client = Client()
    assert client.get(f"/{path}").status_code == 401
    assert client.get(f"/hdhr/not-a-token/{path}").status_code == 401
    assert client.get(f"/{path}?token=not-a-token").status_code == 401
    assert not ViewerSession.objects.exists()  # a refused stream holds no tuner


@override_settings(CHANNELS_OPEN_ACCESS=True)
def test_open_access_serves_the_tuner_at_the_root_without_token(news):
    client = Client()
    found = client.get("/discover.json").json()
    assert found["BaseURL"] == "http://testserver" and found["LineupURL"] == "http://testserver/lineup.json"
    assert client.get("/lineup.json").json()[0]["URL"] == "http://testserver/auto/v5"


def test_a_signed_in_browser_is_given_its_own_token_in_the_base_url(news, people):
    client = Client()
    client.force_login(people["admin"])
    found = client.get("/discover.json").json()
    assert found["BaseURL"] == f"http://testserver/hdhr/{viewers.token_for(people['admin']).secret()}"


@override_settings(CHANNELS_TUNER_COUNT="1")
def test_one_stream_more_than_the_tuners_is_refused_as_a_device_refuses_it(news, token):
    client = Client()
    first = client.get(f"/hdhr/{token}/auto/v5")
    assert first.status_code == 200 and first["Content-Type"] == "video/mp2t"
    assert viewers.counts([news.pk])[news.pk] == (1, 0)  # the tuner's reader is a viewer
    second = client.get(f"/hdhr/{token}/auto/v5")
    assert second.status_code == 503
    assert second["X-HDHomeRun-Error"] == "805 All Tuners In Use"
    assert "tuners are in use" in second.content.decode()
    assert ViewerSession.objects.filter(kind="tuner").count() == 1  # the refused one left nothing behind


def test_an_unknown_channel_number_is_refused(news, token):
    response = Client().get(f"/hdhr/{token}/auto/v99")
    assert response.status_code == 404 and response["X-HDHomeRun-Error"] == "801 Unknown Channel"
    assert Client().get(f"/hdhr/{token}/auto/vx").status_code == 404


def test_a_new_reader_starts_at_the_live_edge_then_follows_every_segment():
    listed = [(7, "r7_0.ts"), (8, "r7_1.ts"), (9, "r9_0.ts")]
    assert tuner.following(listed, None) == [(9, "r9_0.ts")]
    assert tuner.following(listed, 7) == [(8, "r7_1.ts"), (9, "r9_0.ts")]
    assert tuner.following(listed, 9) == []
    assert tuner.following([(0, "r0_0.ts")], 9) == [(0, "r0_0.ts")]  # numbered again: the newest
    assert tuner.following([], 9) == []


def test_the_access_log_hides_the_token_in_the_tuner_address():
    from mediasuite.management.commands.runweb import redact

    line = '127.0.0.1 - - [06/Dec/2026] "GET /hdhr/s3cr3t-Key_x/auto/v5 HTTP/1.1" 200 -'
    assert redact(line) == '127.0.0.1 - - [06/Dec/2026] "GET /hdhr/[redacted]/auto/v5 HTTP/1.1" 200 -'
    both = redact("GET /hdhr/abc/discover.json?token=abc")
    assert both == "GET /hdhr/[redacted]/discover.json?token=[redacted]"


@pytest.mark.parametrize("path", ["/hdhr/a%00b/discover.json", "/hdhr/..%2F..%2Fetc/lineup.json",
                                  "/hdhr/" + "x" * 300 + "/discover.json", "/discover.json?token=%00",
                                  "/auto/v99999999999999999999", "/auto/v-1", "/hdhr/{token}/auto/v0",
                                  "/hdhr/{token}/auto/v99999999999999999999", "/hdhr/{token}/../lineup.json"])
def test_tricks_in_tuner_urls_get_a_clear_refusal(news, token, path):
    response = Client().get(path.format(token=token))
    assert response.status_code in (401, 404), (path, response.status_code)
    assert not ViewerSession.objects.exists()


def test_the_tuner_answers_only_get(news, token):
    client = Client()
    assert client.post(f"/hdhr/{token}/lineup.json").status_code == 405
    assert client.delete(f"/hdhr/{token}/auto/v5").status_code == 405


def test_a_channel_scan_asked_by_plex_is_done_at_once(news, token):
    client = Client(enforce_csrf_checks=True)
    assert client.post(f"/hdhr/{token}/lineup.post?scan=start").status_code == 200
    assert client.post(f"/hdhr/{token}/lineup.post?scan=abort").status_code == 200
    assert client.post(f"/hdhr/{token}/lineup.post?scan=sideways").status_code == 400
    assert client.post("/lineup.post?scan=start").status_code == 401
    assert client.get(f"/hdhr/{token}/lineup.post").status_code == 405
    assert client.get(f"/hdhr/{token}/lineup_status.json").json()["ScanInProgress"] == 0
