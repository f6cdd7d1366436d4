"""Series management through Sonarr (details, every dialog action as the fake receives it) and the queues."""

import pytest

from mediasuite.models import Event


@pytest.fixture
def sonarr(sonarr, settings):
    """Sonarr holding Breaking Bad (two seasons, every episode on disk); no TVDB asked."""
    settings.TVDB_API_KEY = ""
    sonarr.add_media(81189, "Breaking Bad", 2008, seasons={1: 3, 2: 2}, files=True)
    return sonarr


@pytest.fixture
def operator(people, api):
    return api.as_user(people["super"])


def act(operator, body, tvdb_id=81189):
    return operator.post(f"/api/series_details/{tvdb_id}", body, format="json")


def episodes_of(sonarr, season):
    return sorted((e for e in sonarr.episodes.values() if e["seasonNumber"] == season), key=lambda e: e["id"])


def test_details_list_seasons_and_episodes(operator, sonarr):
    answer = operator.get("/api/series_details/81189")
    assert answer.status_code == 200, answer.content
    series = answer.json()
    assert (series["tvdb_id"], series["title"], series["year"], series["monitored"]) == (
        81189, "Breaking Bad", 2008, True)
    assert series["trailer_status"] == "NONE"
    assert [(s["number"], s["episode_count"], s["file_count"], s["size"]) for s in series["seasons"]] == [
        (1, 3, 3, 3_000_000), (2, 2, 2, 2_000_000)]
    episode = series["seasons"][0]["episodes"][0]
    assert (episode["number"], episode["has_file"], episode["monitored"], episode["size"]) == (1, True, True,
                                                                                                1_000_000)
    assert episode["air_date"] == "2008-01-01"
    assert sonarr.calls("GET", "episode")[0][0] == {"seriesId": "1", "includeEpisodeFile": "true"}


def test_details_carry_the_plex_watched_state_when_plex_is_configured(operator, sonarr, plex, settings):
    settings.PLEX_URL = ""  # Plex not configured: no watched state
    series = operator.get("/api/series_details/81189").json()
    first = series["seasons"][0]
    assert first["watched_count"] is None and first["episodes"][0]["watched"] is None
    settings.PLEX_URL = plex.url
    plex.watch(plex.owner, plex.add_show("Another Show", 2010, tvdb_id=12345, seasons={1: 2}))
    show = plex.add_show("Breaking Bad", 2008, tvdb_id=81189, seasons={1: 3, 2: 2})
    first_season = plex.children[show][0]
    for episode in plex.children[first_season][:2]:
        plex.watch(plex.owner, episode)
    series = operator.get("/api/series_details/81189").json()
    assert [s["watched_count"] for s in series["seasons"]] == [2, 0]
    assert [e["watched"] for e in series["seasons"][0]["episodes"]] == [True, True, False]
    settings.PLEX_URL = "http://127.0.0.1:1"  # Plex down: the series is still shown, without watched state
    assert operator.get("/api/series_details/81189").json()["seasons"][1]["watched_count"] is None


def test_unmonitor_a_season_puts_the_series_with_that_season_unmonitored(operator, sonarr):
    answer = act(operator, {"action": "unmonitor", "scope": "season", "season": 2})
    assert answer.status_code == 200, answer.content
    [(_, put)] = sonarr.calls("PUT", "series/1")
    assert put["id"] == 1 and put["monitored"] is True
    assert [(s["seasonNumber"], s["monitored"]) for s in put["seasons"]] == [(1, True), (2, False)]
    assert [e["monitored"] for e in episodes_of(sonarr, 2)] == [False, False]
    assert Event.objects.filter(kind="seedbox.series.unmonitored").get().message == (
        "Breaking Bad: season 2 unmonitored")


def test_monitor_the_series_and_episodes(operator, sonarr):
    act(operator, {"action": "unmonitor", "scope": "series"})
    assert sonarr.calls("PUT", "series/1")[0][1]["monitored"] is False
    ids = [e["id"] for e in episodes_of(sonarr, 1)[:2]]
    assert act(operator, {"action": "unmonitor", "scope": "episodes", "episode_ids": ids}).status_code == 200
    assert sonarr.calls("PUT", "episode/monitor") == [({}, {"episodeIds": ids, "monitored": False})]


def test_delete_the_files_of_a_season_and_of_selected_episodes(operator, sonarr):
    season_files = [e["episodeFileId"] for e in episodes_of(sonarr, 1)]
    answer = act(operator, {"action": "delete_files", "scope": "season", "season": 1})
    assert answer.status_code == 200 and answer.json()["episode_file_ids"] == sorted(season_files)
    assert sonarr.calls("DELETE", "episodefile/bulk") == [({}, {"episodeFileIds": sorted(season_files)})]
    one, file_id = episodes_of(sonarr, 2)[0]["id"], episodes_of(sonarr, 2)[0]["episodeFileId"]
    act(operator, {"action": "delete_files", "scope": "episodes", "episode_ids": [one]})
    assert sonarr.calls("DELETE", "episodefile/bulk")[1][1] == {"episodeFileIds": [file_id]}
    assert [e["hasFile"] for e in episodes_of(sonarr, 2)] == [False, True]
    again = act(operator, {"action": "delete_files", "scope": "season", "season": 1})
    assert again.status_code == 400 and "no file to delete" in again.json()["error"]
    assert len(sonarr.calls("DELETE", "episodefile/bulk")) == 2


@pytest.mark.parametrize("body, command", [
    ({"action": "search", "scope": "series"}, {"name": "SeriesSearch", "seriesId": 1}),
    ({"action": "search", "scope": "season", "season": 2}, {"name": "SeasonSearch", "seriesId": 1,
                                                            "seasonNumber": 2}),
    ({"action": "rename", "scope": "series"}, {"name": "RenameSeries", "seriesIds": [1]}),
])
def test_searches_and_renames_answer_the_outcome_of_sonarrs_command(body, command, operator, sonarr):
    answer = act(operator, body)
    assert answer.status_code == 200, answer.content
    assert answer.json() == {"command": command["name"], "status": "completed", "message": "Completed"}
    assert sonarr.commands_named(command["name"]) == [command]
    assert Event.objects.filter(kind="seedbox.series.command").get().payload["status"] == "completed"


def test_a_command_sonarr_fails_is_a_502_with_its_message(operator, sonarr):
    sonarr.fail_commands("No indexers available")
    answer = act(operator, {"action": "search", "scope": "season", "season": 1})
    assert answer.status_code == 502
    assert answer.json()["error"] == "Sonarr's SeasonSearch for Breaking Bad failed: No indexers available."
    event = Event.objects.get(kind="seedbox.series.command")
    assert event.payload["status"] == "failed" and "failed" in event.message


def test_episode_search_and_season_rename_name_the_episodes_and_files(operator, sonarr):
    ids = [e["id"] for e in episodes_of(sonarr, 1)][:2]
    act(operator, {"action": "search", "scope": "episodes", "episode_ids": ids})
    assert sonarr.commands_named("EpisodeSearch") == [{"name": "EpisodeSearch", "episodeIds": ids}]
    act(operator, {"action": "rename", "scope": "season", "season": 2})
    files = sorted(e["episodeFileId"] for e in episodes_of(sonarr, 2))
    assert sonarr.commands_named("RenameFiles") == [{"name": "RenameFiles", "seriesId": 1, "files": files}]


@pytest.mark.parametrize("tvdb_id, body, status", [
    (999, {"action": "search"}, 404),
    (81189, {"action": "search", "scope": "season", "season": 7}, 400),
    (81189, {"action": "unmonitor", "scope": "episodes", "episode_ids": [99999]}, 400),
    (81189, {"action": "unmonitor", "scope": "season"}, 400),
    (81189, {"action": "explode"}, 400),
])
def test_unknown_series_seasons_episodes_and_actions_are_4xx_with_nothing_sent(tvdb_id, body, status,
                                                                                operator, sonarr):
    answer = act(operator, body, tvdb_id)
    assert answer.status_code == status, answer.content
    assert answer.json()["error"]
    assert not [r for r in sonarr.requests if r[0] != "GET"]
    assert operator.get("/api/series_details/999").status_code == 404


def test_queues_of_both_services_and_remove_with_blocklist(operator, sonarr, radarr, settings):
    sonarr.add_queue("Breaking.Bad.S02E01.1080p", 81189, size=1000, sizeleft=250,
                     messages=["No files found are eligible for import"])
    radarr.add_media(603, "The Matrix", 1999)
    movie = radarr.add_queue("The.Matrix.1999.2160p", 603, size=4000, sizeleft=0, status="completed")
    services = operator.get("/api/seedbox/queue").json()
    assert [(s["label"], s["error"], len(s["items"])) for s in services] == [("Sonarr", "", 1),
                                                                            ("Radarr", "", 1)]
    item = services[0]["items"][0]
    assert (item["title"], item["media"], item["progress"], item["time_left"]) == (
        "Breaking.Bad.S02E01.1080p", "Breaking Bad", 75.0, "00:05:00")
    assert item["warnings"] == ["No files found are eligible for import"]
    answer = operator.delete(f"/api/seedbox/queue/radarr/{movie['id']}?blocklist=true")
    assert answer.status_code == 204
    assert radarr.calls("DELETE", f"queue/{movie['id']}") == [({"removeFromClient": "true",
                                                                "blocklist": "true"}, {})]
    assert radarr.queue == {}
    settings.RADARR_URL = ""
    assert operator.delete("/api/seedbox/queue/sonarr/1?blocklist=maybe").status_code == 400
    assert operator.delete("/api/seedbox/queue/lidarr/1").status_code == 404
    assert sonarr.calls("DELETE", "queue/1") == []


def test_a_queue_that_fails_says_why_beside_the_others(operator, sonarr, settings):
    settings.RADARR_URL, settings.RADARR_API_KEY = "http://127.0.0.1:1", "k"
    services = operator.get("/api/seedbox/queue").json()
    assert services[0]["error"] == "" and "did not answer" in services[1]["error"]


def test_sonarr_not_configured_is_a_503_naming_the_settings(people, api, settings):
    settings.SONARR_URL, settings.SONARR_API_KEY = "", ""
    answer = api.as_user(people["super"]).get("/api/series_details/81189")
    assert answer.status_code == 503
    assert "SONARR_URL" in answer.json()["error"] and "SONARR_API_KEY" in answer.json()["error"]
    schema = api.get("/api/schema/?format=json").json()
    assert "503" in schema["paths"]["/api/series_details/{tvdb_id}"]["get"]["responses"]
