"""`manage.py import_mms`: the original JSON brain becomes Torrents; unknown fields kept; a report."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from seedbox.models import State, Torrent

OLD_MAP = {
    "A" * 40: {"app_type": "sonarr", "target_id": 12, "tvdb_id": 81189, "label": "tv-sonarr",
               "original_torrent_name": "Breaking.Bad.S01E01.1080p", "season_number": 1,
               "seedbox_download_path": "/home/user/downloads/Breaking.Bad.S01E01.1080p",
               "status": "pending_download", "added_at": "2025-10-01T10:00:00", "custom_note": "keep me"},
    "b" * 40: {"app_type": "radarr", "target_id": 7, "tmdb_id": 603,
               "original_torrent_name": "The.Matrix.1999", "status": "imported"},
    "c" * 40: {"app_type": "radarr", "tmdb_id": 604, "status": "error_sftp_failed",
               "error_message": "SFTP: permission denied"},
    "d" * 40: {"app_type": "sonarr", "status": "pending_download"},
    "not-a-hash": {"app_type": "radarr", "tmdb_id": 1},
}


def test_import_mms_loads_the_old_map_and_reports(db, tmp_path):
    path = tmp_path / "pending_torrents_map.json"
    path.write_text(json.dumps(OLD_MAP))
    trailers = tmp_path / "trailer_database.json"
    trailers.write_text(json.dumps({"movie_603": {"locked": True}}))
    out = StringIO()
    call_command("import_mms", str(path), str(trailers), stdout=out)

    report = out.getvalue()
    assert "3 imported, 0 already there, 2 skipped" in report
    assert "d" * 40 in report and "tvdb_id" in report and "not-a-hash" in report
    assert "Trailers: 1 entries read" in report
    series = Torrent.objects.get(infohash="a" * 40)
    assert (series.state, series.media_type, series.tvdb_id, series.season) == \
        (State.SENT, "series", 81189, 1)
    assert series.label == "tv-sonarr" and series.name == "Breaking.Bad.S01E01.1080p"
    assert series.extra["mms"] == {"target_id": 12, "custom_note": "keep me"}
    assert Torrent.objects.get(infohash="b" * 40).state == State.IMPORTED
    failed = Torrent.objects.get(infohash="c" * 40)
    assert failed.state == State.FAILED and failed.reason == "SFTP: permission denied"

    again = StringIO()
    call_command("import_mms", str(path), stdout=again)
    assert "0 imported, 3 already there" in again.getvalue()
    assert Torrent.objects.count() == 3


def test_import_mms_refuses_a_file_that_is_not_the_map(db, tmp_path):
    path = tmp_path / "broken.json"
    path.write_text("[1, 2")
    with pytest.raises(CommandError, match="not valid JSON"):
        call_command("import_mms", str(path))
    path.write_text("[1, 2]")
    with pytest.raises(CommandError, match="one JSON object"):
        call_command("import_mms", str(path))
    assert Torrent.objects.count() == 0
