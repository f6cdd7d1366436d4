"""The YouTube client against the fake Data API: durations, and refusals an operator can act on."""

import pytest

from mediasuite.clients.http import ServiceError
from trailers.clients import youtube as client

QUOTA = {"error": {"code": 403, "message": "The request cannot be completed: you have exceeded your quota.",
                   "errors": [{"message": "quota", "domain": "youtube.quota", "reason": "quotaExceeded"}]}}


def test_search_gives_candidates_with_durations(youtube):
    found = client.search("the matrix 1999 trailer")
    assert [v["video_id"] for v in found][:2] == ["vKQi3bBA1y8", "m8e-FF8MsqU"]
    assert found[0] == {"video_id": "vKQi3bBA1y8", "title": "The Matrix - Trailer (HD)",
                        "channel": "Warner Bros.", "duration": 146, "thumbnail": "https://i.ytimg.com/vi/vKQi3bBA1y8/hqdefault.jpg",
                        "url": "https://www.youtube.com/watch?v=vKQi3bBA1y8", "source": "youtube"}
    assert [r[2] for r in youtube.requests] == ["/youtube/v3/search", "/youtube/v3/videos"]


def test_quota_exceeded_is_said_plainly(youtube):
    youtube.fail_with(403, body=QUOTA)
    with pytest.raises(ServiceError, match="quota is used up"):
        client.search("the matrix trailer")


def test_a_bad_key_names_the_setting(youtube, settings):
    settings.YOUTUBE_API_KEY = "wrong"
    with pytest.raises(ServiceError, match="YOUTUBE_API_KEY"):
        client.search("the matrix trailer")


@pytest.mark.parametrize("iso,seconds", [("PT2M30S", 150), ("PT1H", 3600), ("P1DT1S", 86401), ("PT0S", 0),
                                         ("", None), ("soon", None), ("P", None)])
def test_iso_durations(iso, seconds):
    assert client.seconds(iso) == seconds


def test_the_connection_test_asks_youtube_with_the_key(youtube, settings, people, api):
    operator = api.as_user(people["super"])
    found = {c["name"]: c for c in operator.get("/api/seedbox/connections").json()}
    assert found["youtube"] == {"name": "youtube", "ok": True, "message": "YouTube accepts the key"}
    settings.YOUTUBE_API_KEY = "a-wrong-key"
    found = {c["name"]: c for c in operator.get("/api/seedbox/connections").json()}
    assert not found["youtube"]["ok"] and "YOUTUBE_API_KEY" in found["youtube"]["message"]
