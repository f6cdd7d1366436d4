"""Download of the locked trailer with the real yt-dlp, from a local HTTP server serving a real MP4."""

import functools
import subprocess
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest

from mediasuite.models import Event
from trailers.models import DownloadState, TrailerEntry

from .conftest import run_queued


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def mp4_server(tmp_path):
    """http://127.0.0.1:<port>/trailer.mp4: one second of ffmpeg's test pattern."""
    served = tmp_path / "served"
    served.mkdir()
    subprocess.run(["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc=duration=1:size=160x120:rate=10",
                    "-pix_fmt", "yuv420p", str(served / "trailer.mp4")], check=True)
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(served)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", served / "trailer.mp4"
    server.shutdown()
    server.server_close()


@pytest.fixture
def library(tmp_path, settings):
    settings.TRAILERS_DOWNLOAD = True
    settings.TRAILERS_MOVIES_ROOT = str(tmp_path / "movies")
    folder = tmp_path / "movies" / "The Matrix (1999)"
    folder.mkdir(parents=True)
    return folder


@pytest.fixture
def radarr_library(tmp_path):
    """Radarr's root folder apart from TRAILERS_MOVIES_ROOT (`library`), where a trailer is not to go."""
    return tmp_path / "radarr-movies"


def lock(client, url, media="movie/603"):
    video = {"video_id": "direct-1", "title": "Trailer", "url": url}
    return client.post(f"/api/trailers/{media}/lock", {"video": video}, format="json")


def test_locking_downloads_the_trailer_next_to_the_movie_with_progress(
        client, mp4_server, library, django_capture_on_commit_callbacks):
    base, original = mp4_server
    TrailerEntry.objects.create(media_type="movie", external_id=603, title="The Matrix", year=1999)
    with django_capture_on_commit_callbacks(execute=True):
        assert lock(client, f"{base}/trailer.mp4").status_code == 200
    assert TrailerEntry.objects.get().download_state == DownloadState.QUEUED

    [written] = run_queued()
    saved = library / "The Matrix (1999)-trailer.mp4"
    assert written == str(saved)
    assert saved.read_bytes() == original.read_bytes()
    entry = TrailerEntry.objects.get()
    assert (entry.download_state, entry.download_progress, entry.download_path) == ("done", 100.0, str(saved))
    progress = [e.payload["download_progress"] for e in Event.objects.filter(kind="trailer.download.progress")
                .order_by("id")]
    assert progress[0] == 0.0 and progress[-1] == 100.0
    assert Event.objects.filter(kind="trailer.downloaded").exists()
    probe = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "stream=codec_type", "-of", "csv=p=0",
                            str(saved)], capture_output=True, text=True, check=True)
    assert "video" in probe.stdout


def test_the_trailer_goes_into_the_folder_radarr_keeps_for_the_movie(
        client, mp4_server, library, radarr, django_capture_on_commit_callbacks):
    base, original = mp4_server
    folder = radarr.library / "Matrix, The (1999) {tmdb-603}"
    folder.mkdir()
    radarr.add_media(603, folder.name)
    TrailerEntry.objects.create(media_type="movie", external_id=603, title="The Matrix", year=1999)
    with django_capture_on_commit_callbacks(execute=True):
        lock(client, f"{base}/trailer.mp4")
    [written] = run_queued()
    assert written == str(folder / "The Matrix (1999)-trailer.mp4")
    assert (folder / "The Matrix (1999)-trailer.mp4").read_bytes() == original.read_bytes()
    assert list(library.iterdir()) == [], "not in the guessed <root>/<Title> (<Year>) folder"


def test_a_missing_media_folder_fails_with_what_to_do(client, mp4_server, library, tmp_path,
                                                       django_capture_on_commit_callbacks):
    base, _ = mp4_server
    TrailerEntry.objects.create(media_type="movie", external_id=604, title="Not Imported", year=2003)
    with django_capture_on_commit_callbacks(execute=True):
        lock(client, f"{base}/trailer.mp4", "movie/604")
    [result] = run_queued()
    entry = TrailerEntry.objects.get()
    assert entry.download_state == DownloadState.FAILED and "does not exist" in entry.download_error
    assert result.startswith("failed")
    assert list((tmp_path / "movies").iterdir()) == [library]


def test_a_dead_url_fails_and_can_be_queued_again(client, library, django_capture_on_commit_callbacks):
    TrailerEntry.objects.create(media_type="movie", external_id=603, title="The Matrix", year=1999)
    with django_capture_on_commit_callbacks(execute=True):
        lock(client, "http://127.0.0.1:9/gone.mp4")
    run_queued()
    entry = TrailerEntry.objects.get()
    assert entry.download_state == DownloadState.FAILED and "yt-dlp" in entry.download_error
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post("/api/trailers/movie/603/download")
    assert again.status_code == 202 and again.json()["download_state"] == "queued"
    assert client.post("/api/trailers/movie/603/download").status_code == 409, "already queued"


def test_download_is_refused_when_off_or_not_locked(client, settings, db):
    settings.TRAILERS_DOWNLOAD = False
    off = client.post("/api/trailers/movie/603/download")
    assert off.status_code == 409 and "TRAILERS_DOWNLOAD" in off.json()["error"]
    settings.TRAILERS_DOWNLOAD = True
    unlocked = client.post("/api/trailers/movie/603/download")
    assert unlocked.status_code == 409 and "Lock a trailer" in unlocked.json()["error"]
    assert not TrailerEntry.objects.exists()


def test_titles_cannot_escape_the_library(db, settings, tmp_path):
    from trailers import download

    entry = TrailerEntry(media_type="movie", external_id=1, title="../../etc/passwd\x00", year=2000)
    assert download.media_name(entry) == "etc passwd (2000)"
    settings.TRAILERS_MOVIES_ROOT = str(tmp_path)
    (tmp_path / "etc passwd (2000)").mkdir()
    assert download.library_folder(entry) == tmp_path / "etc passwd (2000)"


def test_system_checks_name_what_the_download_lacks(settings, tmp_path):
    from trailers.checks import download as check

    settings.TRAILERS_DOWNLOAD = False
    assert check(None) == []
    settings.TRAILERS_DOWNLOAD = True
    settings.TRAILERS_MOVIES_ROOT = str(tmp_path / "missing")
    settings.TRAILERS_SERIES_ROOT = str(tmp_path)
    assert [(p.id, "TRAILERS_MOVIES_ROOT" in p.msg) for p in check(None)] == [("trailers.W001", True)]
