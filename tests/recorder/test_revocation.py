"""An open MJPEG preview ends within 5 s of its viewer's access going, whatever took it away."""

import threading

import pytest
import requests
from rest_framework.authtoken.models import Token

from mediasuite import accounts
from mediasuite.models import Membership
from mediasuite.roles import Role
from recorder import sessions
from recorder.tokens import preview_token
from tests.conftest import start_web, wait_for
from tests.mediasuite.test_live_support import session_cookie

pytestmark = pytest.mark.processes

CUT_WITHIN = 5.0


class Viewer(threading.Thread):
    """An <img> reading the preview until the server ends it; `ended` is set when the bytes stop."""

    def __init__(self, url, headers=None):
        super().__init__(daemon=True)
        self.url, self.headers = url, headers or {}
        self.status, self.frames, self.ended = None, 0, threading.Event()

    def run(self):
        try:
            with requests.get(self.url, headers=self.headers, stream=True, timeout=30) as response:
                self.status = response.status_code
                for chunk in response.iter_content(16384):
                    self.frames += chunk.count(b"--proxyframe")
        finally:
            self.ended.set()


def _cut(viewer: Viewer, what: str):
    assert viewer.ended.wait(CUT_WITHIN), f"the preview kept streaming after {what}"


def test_revocation_cuts_open_previews(spawn, supervisor, court, club, people, make_user):
    _, base = start_web(spawn)
    player = people["player"]
    session = sessions.create(player, court)
    url = f"{base}/api/preview/{session.session_id}/stream.mjpeg"
    probe = url.replace("stream.mjpeg", f"snapshot.jpg?token={preview_token(player, session.session_id)}")
    wait_for(lambda: requests.get(probe, timeout=10).status_code == 200, timeout=60,
             message="the court's camera proxy to serve frames")
    second_admin = make_user("bea", Role.CLUB_ADMIN, [club])
    api_token = accounts.api_token(people["super"], people["super"])
    watchers = {
        "membership": Viewer(f"{url}?token={preview_token(people['admin'], session.session_id)}"),
        "deactivated": Viewer(f"{url}?token={preview_token(player, session.session_id)}"),
        "password": Viewer(url, {"Cookie": session_cookie(second_admin)}),
        "token": Viewer(url, {"Authorization": f"Token {api_token}"}),
        "closed": Viewer(url, {"Cookie": session_cookie(people["super"])}),
    }
    for viewer in watchers.values():
        viewer.start()
    wait_for(lambda: all(v.frames >= 2 for v in watchers.values()), timeout=60,
             message="every viewer receiving frames")

    Membership.objects.filter(user=people["admin"], club=club).delete()
    _cut(watchers["membership"], "the club admin's membership was deleted")
    second_admin.set_password("another-password-1")
    second_admin.save()
    _cut(watchers["password"], "the viewer's password changed")
    accounts.delete(people["super"], Token.objects.get(user=people["super"]))
    _cut(watchers["token"], "the API token was revoked")
    assert not watchers["closed"].ended.is_set() and not watchers["deactivated"].ended.is_set()
    player.is_active = False
    player.save()
    _cut(watchers["deactivated"], "the player was deactivated")
    sessions.close(people["super"], session)
    _cut(watchers["closed"], "the camera session was closed")
    assert {v.status for v in watchers.values()} == {200}
    again = requests.get(f"{url}?token={preview_token(people['admin'], session.session_id)}", timeout=10)
    assert again.status_code == 404
