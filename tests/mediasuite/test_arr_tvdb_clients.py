"""The core clients of Sonarr/Radarr and TVDB against their fakes: errors that name the setting,
Retry-After waited out, and TVDB series details in the asked language with the original as fallback."""

import time

import pytest

from mediasuite.clients import arr
from mediasuite.clients import tvdb as tvdb_client
from mediasuite.clients.http import ServiceError


def test_unconfigured_and_refused_name_the_setting(db, sonarr, settings):
    settings.RADARR_URL = ""
    with pytest.raises(arr.ArrError, match=r"Radarr is not configured: set it in Settings → Connections"):
        arr.client(arr.RADARR)
    settings.SONARR_API_KEY = "wrong"
    with pytest.raises(arr.ArrError, match="check SONARR_API_KEY"):
        arr.client(arr.SONARR).root_folders()


def test_a_429_from_sonarr_is_waited_out_for_its_retry_after(sonarr):
    sonarr.fail_with(429, headers={"Retry-After": "1"})
    started = time.monotonic()
    assert [f["path"] for f in arr.client(arr.SONARR).root_folders()] == [str(sonarr.library)]
    assert time.monotonic() - started >= 0.9
    assert len(sonarr.calls("GET", "rootfolder")) == 2


def test_a_command_is_followed_until_sonarr_finishes_it(sonarr):
    sonarr.add_media(81189, "Breaking Bad", 2008, seasons={1: 2})
    client = arr.client(arr.SONARR)
    queued = client.run("SeriesSearch", seriesId=1)
    assert queued["status"] == "queued"
    assert client.wait(queued, timeout=5, every=0.01)["status"] == "completed"
    assert sonarr.commands_named("SeriesSearch") == [{"name": "SeriesSearch", "seriesId": 1}]


@pytest.mark.parametrize("translation", [None, {"name": None, "overview": None}, {"name": "", "overview": ""},
                                         {"name": "  ", "overview": " \n "}],
                         ids=["missing", "fields-missing", "empty", "blank"])
def test_tvdb_details_fall_back_to_the_original_language(translation, tvdb):
    tvdb.add_record(81189, "Breaking Bad", "A chemistry teacher ...", year="2008", status="Ended")
    if translation is not None:
        tvdb.add_translation(81189, "fra", **translation)
    details = tvdb_client.series_details(81189, "fra")
    assert details == {"id": 81189, "name": "Breaking Bad", "overview": "A chemistry teacher ...",
                       "year": 2008, "image": "https://artworks.example/81189.jpg", "status": "Ended"}


def test_tvdb_details_in_the_asked_language_each_field_apart(tvdb, settings):
    tvdb.add_record(81189, "Breaking Bad", "A chemistry teacher ...", year="2008")
    tvdb.add_translation(81189, "fra", name="Breaking Bad : le chimiste", overview=" ")
    settings.TVDB_LANGUAGE = "fra"
    details = tvdb_client.series_details(81189)
    assert (details["id"], details["name"], details["overview"]) == (
        81189, "Breaking Bad : le chimiste", "A chemistry teacher ...")
    asked = [path for _, _, path, _ in tvdb.requests]
    assert "/v4/series/81189/translations/fra" in asked


def test_tvdb_details_of_an_unknown_series_say_so(tvdb):
    with pytest.raises(ServiceError, match="no series with id 999"):
        tvdb_client.series_details(999, "eng")
