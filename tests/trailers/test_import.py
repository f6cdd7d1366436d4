"""`manage.py import_mms … trailer_database.json`: the original locks and cached results come in."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from trailers import search
from trailers.models import Status, TrailerEntry

OLD = {
    "movie_603": {"is_locked": True, "last_updated_timestamp": "2025-10-12T10:00:00",
                  "locked_video_data": {"videoId": "vKQi3bBA1y8", "title": "The Matrix - Trailer",
                                        "thumbnail": "https://i.ytimg.com/vi/vKQi3bBA1y8/hq.jpg",
                                        "channel": "Warner Bros."}},
    "tv_81189": {"is_locked": False, "last_search_timestamp": "2025-10-10T08:00:00",
                 "next_page_token": "CAUQAA", "custom": "kept",
                 "search_results": [
                     {"videoId": "HhesaQXLuRY", "title": "Breaking Bad Trailer", "channel": "AMC",
                      "thumbnail": "https://i.ytimg.com/vi/HhesaQXLuRY/hq.jpg"},
                     {"videoId": "XZ8daibM3AE", "title": "Breaking Bad Teaser", "channel": "AMC",
                      "thumbnail": ""}]},
    "movie_604": {"is_locked": False},
    "book_1": {"is_locked": True, "locked_video_data": {"videoId": "x"}},
    "movie_605": {"is_locked": True, "locked_video_data": {"videoId": "bad\u0000id", "title": "?"}},
}


def run(tmp_path, data, *extra) -> str:
    torrents = tmp_path / "pending_torrents_map.json"
    torrents.write_text("{}")
    trailers = tmp_path / "trailer_database.json"
    trailers.write_text(json.dumps(data))
    out = StringIO()
    call_command("import_mms", str(torrents), str(trailers), stdout=out)
    return out.getvalue()


def test_import_brings_locks_and_cached_results(db, tmp_path, youtube, tmdb):
    report = run(tmp_path, OLD)
    assert "5 entries read, 1 locked and 1 with cached results imported, 0 already there, 3 skipped" in report
    assert "movie_604: nothing locked" in report and "book_1" in report and "movie_605" in report
    locked = TrailerEntry.objects.get(media_type="movie", external_id=603)
    assert locked.status == Status.LOCKED and locked.locked_video_id == "vKQi3bBA1y8"
    assert locked.locked_url == "https://www.youtube.com/watch?v=vKQi3bBA1y8"
    assert locked.locked_channel == "Warner Bros."
    assert locked.locked_at.isoformat().startswith("2025-10-12T10:00")
    cached = TrailerEntry.objects.get(media_type="series", external_id=81189)
    assert cached.status == Status.UNLOCKED and cached.extra["mms"] == {"custom": "kept"}
    assert [c["video_id"] for c in cached.candidates] == ["HhesaQXLuRY", "XZ8daibM3AE"]
    assert not cached.fresh, "results searched months ago are stale: the first look searches again"
    search.get_trailer_info("series", 81189, "Breaking Bad", 2008)
    assert len(youtube.searches()) == 1

    again = run(tmp_path, OLD)
    assert "0 locked and 0 with cached results imported, 2 already there" in again
    assert TrailerEntry.objects.count() == 2


def test_a_file_that_is_not_the_database_is_refused(db, tmp_path):
    with pytest.raises(CommandError, match="one JSON object"):
        run(tmp_path, [1, 2])
    assert not TrailerEntry.objects.exists()
