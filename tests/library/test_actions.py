"""Row actions: watched, archive, reject, move, delete; files really deleted, folders cleaned, rescans."""

from pathlib import Path

import pytest

from library.models import ArchiveRecord
from mediasuite.models import Event


def post(client, key, action, **body):
    return client.post(f"/api/library/items/{key}/{action}", {"plex_user": 1, **body}, format="json")


def test_toggle_watched_as_the_chosen_user(client, plex, movie):
    alice = plex.add_user("Alice")
    key, _ = movie("The Matrix", 1999, 603)
    answer = post(client, key, "watched", plex_user=alice, watched=True)
    assert answer.status_code == 200, answer.content
    assert answer.json()["row"]["watched_state"] == "watched"
    assert (alice, key) in plex.views and (1, key) not in plex.views, "only Alice's state changed"
    event = Event.objects.get(kind="library.item.watched")
    assert event.subject_id == str(key) and "Alice" in event.message
    assert event.payload["plex_user_id"] == alice and event.payload["watched_state"] == "watched"
    post(client, key, "watched", plex_user=alice, watched=False)
    assert (alice, key) not in plex.views


def test_archive_a_watched_movie(client, plex, radarr, movie, operator):
    plex.add_user("Alice")
    key, item = movie("The Matrix", 1999, 603, watched_by=[1])
    other_key, other = movie("Alien", 1979, 348)
    folder = Path(item["path"])

    answer = post(client, key, "archive")

    assert answer.status_code == 200, answer.content
    report = answer.json()["report"]
    assert report["files"] == [str(folder / "The Matrix (1999).mkv")] and report["freed_bytes"] == 2000
    assert not folder.exists(), "the folder held only leftovers (nfo, jpg) once the movie was deleted"
    assert radarr.library.is_dir(), "never the root folder"
    assert (Path(other["path"]) / "Alien (1979).mkv").exists()
    saved = radarr.media[item["id"]]
    assert saved["monitored"] is False and [radarr.tag_label(t) for t in saved["tags"]] == ["watched"]
    assert plex.refreshes == ["1"]
    record = ArchiveRecord.objects.get()
    assert (record.action, record.title, record.actor, record.tmdb_id) == (
        "archive",
        "The Matrix",
        operator,
        603,
    )
    assert {w["user"]: w["state"] for w in record.watched} == {"owner": "watched", "Alice": "not_started"}
    assert Event.objects.filter(kind="library.item.archive", subject_id=str(key)).exists()
    history = client.get("/api/library/archive?q=matri").json()
    assert [h["title"] for h in history] == ["The Matrix"] and history[0]["actor"] == "operator"
    assert other_key


def test_archive_a_fully_watched_show_cleans_its_seasons(client, plex, sonarr, show):
    key, item = show("Breaking Bad", 2008, 81189, seasons={1: 2, 2: 1}, watched_by=[1])
    answer = post(client, key, "archive")
    assert answer.status_code == 200, answer.content
    assert len(answer.json()["report"]["files"]) == 3
    assert not Path(item["path"]).exists()
    saved = sonarr.media[item["id"]]
    assert saved["monitored"] is False and all(not s["monitored"] for s in saved["seasons"])
    record = ArchiveRecord.objects.get()
    assert record.watched[0]["seasons"] == [
        {"season": 1, "watched": 2, "total": 2},
        {"season": 2, "watched": 1, "total": 1},
    ]


def test_a_folder_with_other_files_is_kept(client, plex, movie):
    key, item = movie("The Matrix", 1999, 603, watched_by=[1])
    (Path(item["path"]) / "extras").mkdir()
    (Path(item["path"]) / "extras" / "commentary.flac").write_bytes(b"x" * 10)
    assert post(client, key, "archive").status_code == 200
    assert (Path(item["path"]) / "extras" / "commentary.flac").exists()
    assert not (Path(item["path"]) / "The Matrix (1999).mkv").exists()


def test_archive_refuses_what_is_not_watched_and_changes_nothing(client, plex, radarr, movie):
    key, item = movie("The Matrix", 1999, 603)
    answer = post(client, key, "archive")
    assert answer.status_code == 409
    assert "not watched" in answer.json()["error"]
    assert Path(item["path"], "The Matrix (1999).mkv").exists()
    assert radarr.media[item["id"]]["monitored"] is True and not ArchiveRecord.objects.exists()


def test_reject_a_show_tags_it_rejected(client, plex, sonarr, show):
    key, item = show("Bad Show", 2020, 1234)
    answer = post(client, key, "reject", unmonitor=False)
    assert answer.status_code == 200, answer.content
    saved = sonarr.media[item["id"]]
    assert saved["monitored"] is True, "unmonitor was turned off"
    assert [sonarr.tag_label(t) for t in saved["tags"]] == ["rejected"]
    assert not Path(item["path"]).exists()


def test_dry_run_deletes_nothing_and_says_what_would_go(client, plex, radarr, movie, settings):
    settings.LIBRARY_DRY_RUN = True
    key, item = movie("The Matrix", 1999, 603, watched_by=[1])
    answer = post(client, key, "archive")
    assert answer.status_code == 200
    report = answer.json()["report"]
    assert report["dry_run"] is True
    assert report["files"] == [str(Path(item["path"]) / "The Matrix (1999).mkv")]
    assert report["folders"] == [str(Path(item["path"]).resolve())]
    assert Path(item["path"], "The Matrix (1999).mkv").exists()
    assert radarr.media[item["id"]]["monitored"] is True and radarr.tags == []
    assert plex.refreshes == [] and not ArchiveRecord.objects.exists()


def test_move_to_another_root_folder(client, plex, radarr, movie, tmp_path):
    other_root = radarr.add_root(tmp_path / "archive-disk")
    Path(other_root).mkdir()
    key, item = movie("The Matrix", 1999, 603)
    before = Path(item["path"])
    answer = post(client, key, "move", root_folder=other_root)
    assert answer.status_code == 200, answer.content
    assert (Path(other_root) / "The Matrix" / "The Matrix (1999).mkv").exists()
    assert not before.exists()
    assert radarr.media[item["id"]]["rootFolderPath"] == other_root
    assert plex.refreshes == ["1"]


@pytest.mark.parametrize("root", ["/etc", "{movies}/../../etc", "relative/path", "{movies}/sub"])
def test_a_foreign_root_folder_is_refused(client, plex, radarr, movie, root):
    key, item = movie("The Matrix", 1999, 603)
    answer = post(client, key, "move", root_folder=root.format(movies=radarr.library))
    assert answer.status_code == 400
    assert "is not a root folder of Radarr" in answer.json()["error"]
    assert Path(item["path"], "The Matrix (1999).mkv").exists() and plex.refreshes == []


def test_a_media_outside_the_roots_is_not_cleaned(client, plex, radarr, movie, tmp_path):
    key, item = movie("The Matrix", 1999, 603, watched_by=[1])
    video = Path(item["path"], "The Matrix (1999).mkv")
    radarr.media[item["id"]]["path"] = str(tmp_path)
    answer = post(client, key, "archive")
    assert answer.status_code == 409 and "not inside a root folder" in answer.json()["error"]
    assert video.exists() and radarr.media[item["id"]]["monitored"] is True


def test_delete_from_plex(client, plex, movie):
    key, _ = movie("The Matrix", 1999, 603)
    answer = post(client, key, "delete")
    assert answer.status_code == 200
    assert plex.deleted == [key]
    assert ArchiveRecord.objects.get().action == "delete"


@pytest.mark.parametrize(
    "path, body, status",
    [
        ("999999/archive", {}, 404),
        ("abc/archive", {}, 404),
        ("{key}/explode", {}, 404),
        ("{key}/archive", {"plex_user": 42}, 400),
        ("{key}/archive", {"delete_files": "maybe"}, 400),
        ("{key}/watched", {"watched": True, "extra": 1}, 400),
    ],
)
def test_bad_requests_are_4xx_and_change_nothing(client, plex, radarr, movie, path, body, status):
    key, item = movie("The Matrix", 1999, 603, watched_by=[1])
    answer = client.post(
        f"/api/library/items/{path.format(key=key)}", {"plex_user": 1, **body}, format="json"
    )
    assert answer.status_code == status
    assert "error" in answer.json()
    assert Path(item["path"], "The Matrix (1999).mkv").exists() and plex.refreshes == []


def test_only_a_super_admin_may_use_the_library(api, people, plex, movie):
    key, _ = movie("The Matrix", 1999, 603)
    for name in ("admin", "player"):
        client = api.as_user(people[name])
        assert client.post("/api/media_items", {}, format="json").status_code == 403
        assert (
            client.post(f"/api/library/items/{key}/delete", {"plex_user": 1}, format="json").status_code
            == 403
        )
        assert client.get("/api/library/archive").status_code == 403
        assert client.post("/api/library/bulk", {}, format="json").status_code == 403
    assert plex.deleted == []


def test_a_title_not_in_plex_shows_the_archive_then_suggestions(client, plex, radarr, movie, tmdb, tvdb):
    key, _ = movie("The Matrix", 1999, 603, watched_by=[1])
    post(client, key, "archive")
    radarr.add_media(604, "The Matrix Reloaded")
    tmdb.add_movie(603, "The Matrix", "1999-03-31")
    tmdb.add_movie(604, "The Matrix Reloaded", "2003-05-15")
    tmdb.add_movie(605, "The Matrix Revolutions", "2003-11-05")
    answer = client.get("/api/library/suggestions?q=matrix")
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert [r["title"] for r in body["archive"]] == ["The Matrix"]
    badges = {s["title"]: s["in_arr"] for s in body["suggestions"]}
    assert badges == {"The Matrix": True, "The Matrix Reloaded": True, "The Matrix Revolutions": False}
    assert client.get("/api/library/suggestions?q=").status_code == 400
