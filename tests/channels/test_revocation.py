"""HLS playback through the real web process ends within 5 s of its viewer's access going."""

import re
import threading

import pytest
import requests

from channels_app import playout, tokens, viewers
from tests.conftest import start_web, wait_for

from .conftest import wait_playing

pytestmark = pytest.mark.processes

CUT_WITHIN = 5.0


class Player(threading.Thread):
    """A player of live.m3u8: reloads the media playlist and fetches the new segments until refused."""

    def __init__(self, base, name, token):
        super().__init__(daemon=True)
        self.base, self.name, self.token = base, name, token
        self.segments, self.refused, self.ended, self.leave = 0, None, threading.Event(), threading.Event()

    def _get(self, path):
        response = requests.get(f"{self.base}/hls/{self.name}/{path}", timeout=10)
        if response.status_code != 200:
            self.refused = response.status_code
        return response

    def run(self):
        try:
            master = self._get(f"live.m3u8?token={self.token}")
            media = master.text.strip().splitlines()[-1]
            fetched = set()
            while not self.leave.is_set() and self.refused is None:
                playlist = self._get(media)
                if self.refused is not None:
                    return
                for line in playlist.text.splitlines():
                    if line and not line.startswith("#") and line not in fetched and self._get(line).ok:
                        fetched.add(line)
                        self.segments += 1
                target = float(re.search(r"#EXT-X-TARGETDURATION:(\d+)", playlist.text).group(1))
                self.leave.wait(target)  # a player reloads the playlist once per target duration (RFC 8216)
        finally:
            self.ended.set()


def test_revocation_ends_hls_playback(make_channel, people, supervisor, spawn):
    news = make_channel("news", desired="running")
    playout.start(None, news)
    wait_playing(news, count=2)
    _, base = start_web(spawn)
    player, admin = people["player"], people["admin"]
    watching = {"deactivated": Player(base, "news", viewers.token_for(player).secret()),
                "revoked": Player(base, "news", viewers.token_for(admin).secret())}
    for one in watching.values():
        one.start()
    try:
        wait_for(lambda: all(p.segments >= 2 for p in watching.values()), timeout=60,
                 message="both players fetching segments")
        player.is_active = False
        player.save()
        assert watching["deactivated"].ended.wait(CUT_WITHIN), "playback went on after the deactivation"
        assert watching["deactivated"].refused == 401
        assert not watching["revoked"].ended.is_set()
        tokens.revoke(people["super"], viewers.token_for(admin))
        assert watching["revoked"].ended.wait(CUT_WITHIN), "playback went on after the token was revoked"
        assert watching["revoked"].refused == 401
    finally:
        for one in watching.values():
            one.leave.set()
