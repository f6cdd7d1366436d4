"""Preview through the real web process: one upstream connection at the camera, however many viewers."""

import threading

import pytest
import requests

from recorder import recording, sessions
from recorder.tokens import preview_token
from tests.conftest import start_web, wait_for

from .conftest import finished, first_part_written

pytestmark = pytest.mark.processes

VIEWERS = 20


class Viewer(threading.Thread):
    """Reads an MJPEG preview and counts the frames it received; holds the connection until told."""

    def __init__(self, url):
        super().__init__(daemon=True)
        self.url, self.frames, self.status, self.done = url, 0, None, threading.Event()

    def run(self):
        with requests.get(self.url, stream=True, timeout=30) as response:
            self.status = response.status_code
            if response.status_code != 200:
                return
            for chunk in response.iter_content(16384):
                self.frames += chunk.count(b"--proxyframe")
                if self.done.is_set():
                    return


def test_one_recording_and_20_previews_use_one_upstream_connection(spawn, supervisor, court, camera, people):
    _, base = start_web(spawn)
    player = people["player"]
    session = sessions.create(player, court)
    rec = recording.start(player, session, 5)
    first_part_written(rec)
    token = preview_token(player, session.session_id)
    url = f"{base}/api/preview/{session.session_id}/stream.mjpeg?token={token}"
    viewers = [Viewer(url) for _ in range(VIEWERS)]
    for viewer in viewers:
        viewer.start()
    try:
        wait_for(
            lambda: all(v.frames >= 3 for v in viewers),
            timeout=60,
            message=f"{VIEWERS} viewers each receiving frames",
        )
        assert camera.connections_active == 1
        assert camera.connections_total == 1
        snapshot = requests.get(url.replace("stream.mjpeg", "snapshot.jpg"), timeout=10)
        assert snapshot.status_code == 200 and snapshot.content[:2] == b"\xff\xd8"
        info = requests.get(url.replace("stream.mjpeg", "info"), timeout=10).json()
        assert info["proxy"]["connected"] is True and info["proxy"]["upstream_connections"] == 1, info
        assert info["proxy"]["consumers"] >= VIEWERS + 1  # the previews and the recorder
        assert info["recording"]["state"] == "recording"
    finally:
        for viewer in viewers:
            viewer.done.set()
    recording.stop(player, rec)
    assert finished(rec).state == "finalized"
    assert camera.connections_total == 1


def test_a_foreign_token_or_none_cannot_open_the_stream(spawn, court, people):
    _, base = start_web(spawn)
    session = sessions.create(people["player"], court)
    stranger = preview_token(people["other_player"], session.session_id)
    response = requests.get(
        f"{base}/api/preview/{session.session_id}/stream.mjpeg?token={stranger}", timeout=10
    )
    assert response.status_code == 404
    assert requests.get(f"{base}/api/preview/{session.session_id}/stream.mjpeg", timeout=10).status_code in (
        401,
        403,
    )
