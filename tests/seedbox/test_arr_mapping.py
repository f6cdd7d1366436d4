"""Mapping releases through Sonarr/Radarr: ranked lookup, add when missing then send, blocked resolved."""

import hashlib
import os

import pytest

from mediasuite.models import Event
from seedbox import mapping, pipeline
from seedbox.models import State, Torrent
from tests.conftest import wait_for

TRACKER = "&tr=http%3A%2F%2F127.0.0.1%3A1%2Fannounce"


def release(n: int, name="Breaking.Bad.S01") -> dict:
    infohash = hashlib.sha1(f"{name}{n}".encode()).hexdigest()
    return {"title": f"{name}E0{n}.1080p", "magnet": f"magnet:?xt=urn:btih:{infohash}&dn={name}{n}{TRACKER}"}


@pytest.fixture(autouse=True)
def no_tvdb(settings):
    """Series are looked up in Sonarr alone, unless a test asks for the fake `tvdb`."""
    settings.TVDB_API_KEY = ""


@pytest.fixture
def operator(people, api):
    return api.as_user(people["super"])


def test_release_names_are_cleaned_of_tags():
    assert mapping.clean("Breaking.Bad.2008.S01E01.1080p.WEB-DL.x264-GRP") == ("breaking bad", 2008)
    assert mapping.clean("The.Office.US.S02.COMPLETE.720p") == ("the office us", None)
    assert mapping.clean("Dune.Part.Two.2024.2160p.UHD.BluRay-FGT") == ("dune part two", 2024)


def test_lookup_ranks_exact_title_and_year_first(operator, sonarr):
    sonarr.add_lookup(1, "Breaking Bad: Original Minisodes", 2009)
    sonarr.add_lookup(2, "Breaking Bad", 1999)
    sonarr.add_lookup(81189, "Breaking Bad", 2008, overview="A teacher.", seasons={1: 7})
    sonarr.add_lookup(3, "Breaking", 2008)
    sonarr.add_media(2, "Breaking Bad")
    answer = operator.get("/api/search/lookup", {"type": "series", "term": "breaking",
                                                 "release": "Breaking.Bad.2008.S01E01.1080p.WEB-DL-GRP"})
    assert answer.status_code == 200, answer.content
    rows = answer.json()
    assert [(r["title"], r["year"]) for r in rows] == [
        ("Breaking Bad", 2008), ("Breaking Bad", 1999), ("Breaking Bad: Original Minisodes", 2009),
        ("Breaking", 2008)]
    first = rows[0]
    assert first["tvdb_id"] == 81189 and first["overview"] == "A teacher." and first["poster"]
    assert first["in_library"] is False and first["arr_id"] is None
    assert first["trailer_status"] == "NONE"
    assert rows[1]["in_library"] is True and rows[1]["arr_id"]
    assert sonarr.calls("GET", "series/lookup") == [({"term": "breaking"}, {})]


def test_lookup_by_id_uses_tvdb_details_in_the_language(operator, sonarr, tvdb, settings):
    sonarr.add_lookup(81189, "Breaking Bad", 2008, overview="A teacher.")
    settings.TVDB_LANGUAGE = "fra"
    tvdb.add_record(81189, "Breaking Bad", "A teacher.", year="2008")
    tvdb.add_translation(81189, "fra", name="Breaking Bad (VF)", overview="")
    rows = operator.get("/api/search/lookup", {"type": "series", "term": "tvdb:81189"}).json()
    assert [(r["tvdb_id"], r["title"], r["overview"]) for r in rows] == [
        (81189, "Breaking Bad (VF)", "A teacher.")]


def test_movie_lookup_asks_radarr(operator, radarr):
    radarr.add_lookup(603, "The Matrix", 1999)
    rows = operator.get("/api/search/lookup", {"type": "movie", "term": "tmdb:603"}).json()
    assert [(r["tmdb_id"], r["title"], r["media_type"]) for r in rows] == [(603, "The Matrix", "movie")]


def test_add_options_list_sonarr_folders_and_profiles_with_the_defaults(operator, sonarr, settings):
    settings.SONARR_QUALITY_PROFILE = "HD-1080p"
    answer = operator.get("/api/seedbox/arr-options", {"type": "series"}).json()
    assert answer["root_folder"] == str(sonarr.library)
    assert answer["quality_profile_id"] == 4
    assert [p["name"] for p in answer["quality_profiles"]] == ["Any", "HD-1080p"]


def test_batch_adds_the_missing_series_with_search_then_sends(operator, sonarr, seedbox, seedbox_settings,
                                                              transactional_db, settings):
    settings.SEEDBOX_BATCH_THROTTLE = 0
    sonarr.add_lookup(81189, "Breaking Bad", 2008, seasons={1: 7, 2: 13})
    body = {"media_type": "series", "tvdb_id": 81189, "title": "Breaking Bad", "year": 2008,
            "releases": [release(1), release(2)],
            "add": {"root_folder": str(sonarr.library), "quality_profile_id": 4, "monitored": True,
                    "search": True}}
    answer = operator.post("/api/seedbox/batch-download-and-map", body, format="json")
    assert answer.status_code == 200, answer.content
    assert answer.json()["added"]["title"] == "Breaking Bad" and answer.json()["ok"] == 2
    [(_, posted)] = sonarr.calls("POST", "series")
    assert posted["tvdbId"] == 81189 and posted["rootFolderPath"] == str(sonarr.library)
    assert posted["qualityProfileId"] == 4 and posted["monitored"] is True
    assert posted["addOptions"] == {"monitor": "all", "searchForMissingEpisodes": True,
                                    "searchForCutoffUnmetEpisodes": False}
    assert [s["monitored"] for s in posted["seasons"]] == [True, True]
    assert Torrent.objects.filter(tvdb_id=81189, state=State.SENT).count() == 2
    assert Event.objects.filter(kind="seedbox.media.added").count() == 1


def test_batch_adds_the_missing_movie_with_search_then_sends(operator, radarr, seedbox, seedbox_settings,
                                                             transactional_db, settings, tmp_path):
    settings.SEEDBOX_BATCH_THROTTLE = 0
    radarr.add_lookup(603, "The Matrix", 1999)
    chosen = radarr.add_root(tmp_path / "movies-4k")
    releases = [{**release(n, "The.Matrix.1999"), "title": f"The.Matrix.1999.2160p.UHD.BluRay-GRP{n}"}
                for n in (1, 2)]
    body = {"media_type": "movie", "tmdb_id": 603, "title": "The Matrix", "year": 1999, "releases": releases,
            "add": {"root_folder": chosen, "quality_profile_id": 4, "monitored": True, "search": True}}
    answer = operator.post("/api/seedbox/batch-download-and-map", body, format="json")
    assert answer.status_code == 200, answer.content
    assert answer.json()["added"]["title"] == "The Matrix" and answer.json()["ok"] == 2
    [(_, posted)] = radarr.calls("POST", "movie")
    assert posted["tmdbId"] == 603 and posted["title"] == "The Matrix" and posted["year"] == 1999
    assert posted["rootFolderPath"] == chosen and posted["qualityProfileId"] == 4
    assert posted["monitored"] is True
    assert posted["addOptions"] == {"monitor": "movieOnly", "searchForMovie": True}
    [movie] = radarr.media.values()
    assert (movie["tmdbId"], movie["rootFolderPath"], movie["qualityProfileId"]) == (603, chosen, 4)
    assert radarr.queued("MoviesSearch") == [{"name": "MoviesSearch", "movieIds": [movie["id"]],
                                              "trigger": "unspecified"}]
    sent = Torrent.objects.filter(tmdb_id=603, media_type="movie", state=State.SENT)
    assert {t.infohash for t in sent} == {hashlib.sha1(f"The.Matrix.1999{n}".encode()).hexdigest()
                                          for n in (1, 2)}
    [added] = Event.objects.filter(kind="seedbox.media.added")
    assert "The Matrix added to Radarr in " + chosen + " and searched" == added.message


def test_a_batch_whose_add_fails_sends_nothing(operator, sonarr, settings):
    settings.SEEDBOX_RTORRENT_URL = "scgi://127.0.0.1:1"
    sonarr.add_lookup(81189, "Breaking Bad", 2008)
    sonarr.fail_adds("Disk full")
    body = {"media_type": "series", "tvdb_id": 81189, "releases": [release(1), release(2)],
            "add": {"root_folder": str(sonarr.library), "quality_profile_id": 1}}
    answer = operator.post("/api/seedbox/batch-download-and-map", body, format="json")
    assert answer.status_code == 502
    assert "Sonarr" in answer.json()["error"] and "Disk full" in answer.json()["error"]
    assert Torrent.objects.count() == 0
    assert not Event.objects.filter(kind__startswith="seedbox.").exists()


def test_sends_that_fail_after_the_add_leave_the_series_added_and_say_so(operator, sonarr, settings):
    settings.SEEDBOX_RTORRENT_URL, settings.SEEDBOX_BATCH_THROTTLE = "scgi://127.0.0.1:1", 0
    sonarr.add_lookup(81189, "Breaking Bad", 2008)
    body = {"media_type": "series", "tvdb_id": 81189, "releases": [release(1), release(2)],
            "add": {"root_folder": str(sonarr.library), "quality_profile_id": 1}}
    answer = operator.post("/api/seedbox/batch-download-and-map", body, format="json").json()
    assert answer["added"]["title"] == "Breaking Bad"
    assert (answer["ok"], answer["failed"]) == (0, 2)
    assert all("127.0.0.1:1" in item["message"] for item in answer["items"])
    assert [m["tvdbId"] for m in sonarr.media.values()] == [81189]


@pytest.mark.parametrize("add, field", [
    ({"root_folder": "/not/there", "quality_profile_id": 1}, "root_folder"),
    ({"root_folder": "LIBRARY", "quality_profile_id": 99}, "quality_profile_id"),
])
def test_a_root_folder_or_profile_sonarr_does_not_list_is_400_with_nothing_sent(add, field, operator, sonarr):
    sonarr.add_lookup(81189, "Breaking Bad", 2008)
    add = {**add, "root_folder": add["root_folder"].replace("LIBRARY", str(sonarr.library))}
    body = {"media_type": "series", "tvdb_id": 81189, "releases": [release(1)], "add": add}
    answer = operator.post("/api/seedbox/batch-download-and-map", body, format="json")
    assert answer.status_code == 400, answer.content
    assert field in answer.json()["fields"]
    assert sonarr.calls("POST", "series") == [] and Torrent.objects.count() == 0


def test_an_id_sonarr_cannot_find_is_400_with_nothing_sent(operator, sonarr):
    body = {"media_type": "series", "tvdb_id": 424242, "releases": [release(1)],
            "add": {"root_folder": str(sonarr.library), "quality_profile_id": 1}}
    answer = operator.post("/api/seedbox/batch-download-and-map", body, format="json")
    assert answer.status_code == 400
    assert "TVDB id 424242" in answer.json()["error"]
    assert sonarr.calls("POST", "series") == [] and Torrent.objects.count() == 0


def test_bad_lookup_queries_are_400(operator, sonarr):
    assert operator.get("/api/search/lookup", {"type": "book", "term": "x"}).status_code == 400
    assert operator.get("/api/search/lookup", {"type": "series"}).status_code == 400
    assert operator.get("/api/search/lookup", {"type": "series", "term": "x", "page": 2}).status_code == 400
    assert sonarr.calls("GET", "series/lookup") == []


def test_only_the_operator_looks_up_and_resolves(people, api, sonarr):
    torrent = Torrent.objects.create(infohash="c" * 40, key="k-c", media_type="series", tvdb_id=81189,
                                     state=State.IMPORT_BLOCKED)
    client = api.as_user(people["admin"])
    assert client.get("/api/search/lookup", {"type": "series", "term": "x"}).status_code == 403
    assert client.get("/api/series_details/81189").status_code == 403
    assert client.get("/api/seedbox/queue").status_code == 403
    assert client.post(f"/api/seedbox/torrents/{torrent.pk}/resolve", {}, format="json").status_code == 404
    assert sonarr.requests == []


def test_import_blocked_series_resolved_by_adding_it_then_imported(operator, sonarr, finished, settings):
    name = "Breaking.Bad.S01E01.mkv"
    torrent = finished(name, {name: os.urandom(40_000)}, tvdb_id=81189)
    sonarr.add_lookup(81189, "Breaking Bad", 2008, seasons={1: 7})

    def tick_until(*states):
        def reached():
            pipeline.tick(inline=True)
            torrent.refresh_from_db()
            return torrent.state in states
        wait_for(reached, timeout=90, interval=0.2, message=f"{torrent} to reach {states}")

    tick_until(State.IMPORT_BLOCKED)
    assert "no series with TVDB id 81189" in torrent.reason
    other = Torrent.objects.create(infohash="d" * 40, key="k-d", media_type="series", tvdb_id=81189)
    assert operator.post(f"/api/seedbox/torrents/{other.pk}/resolve",
                         {"root_folder": str(sonarr.library), "quality_profile_id": 1},
                         format="json").status_code == 409
    answer = operator.post(f"/api/seedbox/torrents/{torrent.pk}/resolve",
                           {"root_folder": str(sonarr.library), "quality_profile_id": 1, "search": False},
                           format="json")
    assert answer.status_code == 200, answer.content
    assert answer.json()["state"] == State.IMPORT_PENDING
    [(_, posted)] = sonarr.calls("POST", "series")
    assert posted["addOptions"]["searchForMissingEpisodes"] is False
    other.delete()
    tick_until(State.IMPORTED, State.REMOTE_CLEANED)
    assert (sonarr.library / "Breaking Bad" / name).exists()
