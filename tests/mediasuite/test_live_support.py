"""Helpers for the live tests: a WebSocket client of the real web process, and a writer process."""

import json
import subprocess
from urllib.parse import urlencode

from django.conf import settings
from django.test import Client
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

WRITER = """
import json, time
from django.db import transaction
from mediasuite import events
from mediasuite.models import Club, User
specs = json.loads({specs!r})
ids = []
for spec in specs:
    with transaction.atomic():
        club = Club.objects.get(pk=spec["club"]) if spec.get("club") else None
        owner = User.objects.get(pk=spec["owner"]) if spec.get("owner") else None
        payload = dict(spec.get("payload") or {{}}, written_at=time.time())
        ids.append(events.record(spec.get("kind", "test.changed"), ("thing", spec.get("subject", "1")),
                                 club=club, owner=owner, message=spec.get("message", ""),
                                 payload=payload).id)
    if spec.get("pause"):
        time.sleep(spec["pause"])
print("IDS=" + json.dumps(ids))
"""


def session_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def start_writer(spawn, specs, name="writer"):
    """A separate `manage.py shell` process recording one event per spec, each in its own transaction."""
    return spawn(name, "shell", "-c", WRITER.format(specs=json.dumps(specs)))


def writer_ids(proc, timeout=60) -> list[int]:
    try:
        proc.popen.wait(timeout)
    except subprocess.TimeoutExpired:
        raise AssertionError(f"writer did not finish:\n{proc.output()}") from None
    output = proc.output()
    assert proc.popen.returncode == 0, output
    line = next(line for line in output.splitlines() if line.startswith("IDS="))
    return json.loads(line[4:])


def write_in_process(spawn, specs, name="writer") -> list[int]:
    return writer_ids(start_writer(spawn, specs, name))


class Feed:
    """A WebSocket client of /ws/events/ signed in as `user` (anonymous when None)."""

    def __init__(self, web, user=None, cookie=None, **params):
        query = urlencode({k: v for k, v in params.items() if v is not None})
        headers = {}
        if user is not None or cookie:
            headers["Cookie"] = cookie or session_cookie(user)
        url = web.replace("http://", "ws://") + "/ws/events/" + (f"?{query}" if query else "")
        self.ws = connect(url, origin=web, additional_headers=headers, open_timeout=10, legacy=True)
        self.hello = None

    def message(self, timeout=10.0) -> dict:
        return json.loads(self.ws.recv(timeout=timeout))

    def wait_hello(self, timeout=10.0) -> list[dict]:
        """Events of the catch-up, up to the hello (kept in .hello)."""
        events = []
        while True:
            data = self.message(timeout)
            if data["type"] == "hello":
                self.hello = data
                return events
            events.append(data["event"])

    def events_until(self, last_id, timeout=10.0) -> list[dict]:
        """Events received until one with id >= last_id arrives."""
        events = []
        while not events or events[-1]["id"] < last_id:
            data = self.message(timeout)
            assert data["type"] == "event", data
            events.append(data["event"])
        return events

    def close_code(self, timeout=10.0) -> int:
        try:
            while True:
                self.ws.recv(timeout=timeout)
        except ConnectionClosed as closed:
            return closed.rcvd.code if closed.rcvd else None

    def close(self):
        self.ws.close()
