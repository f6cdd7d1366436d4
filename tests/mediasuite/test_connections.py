"""Settings → Connections: saved in the database, secrets encrypted, the environment wins, every process
sees a change at once (a real qcluster worker and a long-lived manage.py process), page, API and admin."""

import stat
import textwrap

import pytest
from django.conf import settings
from django.db import connection

from mediasuite import config
from mediasuite.models import Connection, Event, ServiceState, TrackPlay
from mediasuite.services import control
from tests.conftest import wait_for
from tests.fakes.lastfm import FakeLastfm
from tests.fakes.tmdb import FakeTmdb

SECRET = "sonarr-key-0123456789abcdef"


@pytest.fixture
def sonarr(sonarr, settings):
    """The fake Sonarr, taking the key SECRET, left out of the settings: the tests save it as a Connection."""
    sonarr.api_key = SECRET
    settings.SONARR_URL = settings.SONARR_API_KEY = ""
    return sonarr


@pytest.fixture
def root(api, people):
    return api.as_user(people["super"])


def save(client, name, values, clear=()):
    return client.put(f"/api/connections/{name}", {"values": values, "clear": list(clear)}, format="json")


def raw_values(name) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT \"values\" FROM mediasuite_connection WHERE name = %s", [name])
        return str(cursor.fetchone()[0])


def test_a_saved_key_is_encrypted_at_rest_and_never_returned(root, sonarr, client, people):
    answer = save(root, "sonarr", {"SONARR_URL": sonarr.url, "SONARR_API_KEY": SECRET})
    assert answer.status_code == 200, answer.content
    assert config.get("SONARR_API_KEY") == SECRET and config.source("SONARR_API_KEY") == config.DATABASE

    raw = raw_values("sonarr")
    assert SECRET not in raw and sonarr.url in raw  # the URL is no secret; the key is a Fernet token
    key_file = settings.DATA_DIR / "settings_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600

    for path in ("/api/connections", "/api/connections/sonarr"):
        assert SECRET.encode() not in root.get(path).content
    assert SECRET.encode() not in answer.content
    key = next(f for f in answer.json()["fields"] if f["name"] == "SONARR_API_KEY")
    assert key == {**key, "set": True, "last4": "cdef", "source": "database"} and "value" not in key
    client.force_login(people["super"])
    page = client.get("/settings/connections/").content.decode()
    assert SECRET not in page and "ends in cdef" in page

    event = Event.objects.get(kind="connection.changed")
    assert event.payload == {"fields": ["SONARR_URL", "SONARR_API_KEY"]} and SECRET not in event.message

    # An empty secret keeps the saved one; "clear" removes it.
    assert save(root, "sonarr", {"SONARR_API_KEY": ""}).status_code == 200
    assert config.get("SONARR_API_KEY") == SECRET
    assert save(root, "sonarr", {}, clear=["SONARR_API_KEY"]).status_code == 200
    assert config.get("SONARR_API_KEY") == "" and not root.get("/api/connections/sonarr").json()["configured"]


def test_the_environment_wins_and_its_fields_are_read_only(root, sonarr, settings, client, people):
    assert save(root, "sonarr", {"SONARR_URL": sonarr.url, "SONARR_API_KEY": SECRET}).status_code == 200
    settings.SONARR_API_KEY = "from-the-environment-key"  # what settings.py reads from SONARR_API_KEY
    assert config.get("SONARR_API_KEY") == "from-the-environment-key"
    fields = root.get("/api/connections/sonarr").json()["fields"]
    key = next(f for f in fields if f["name"] == "SONARR_API_KEY")
    assert key["source"] == "environment" and key["last4"] == "-key"

    refused = save(root, "sonarr", {"SONARR_API_KEY": "another-key-0000"})
    assert refused.status_code == 400
    assert "SONARR_API_KEY is set by the environment; change it there" in refused.json()["error"]
    client.force_login(people["super"])
    page = client.get("/settings/connections/").content.decode()
    assert 'id="f-SONARR_API_KEY" name="SONARR_API_KEY" readonly disabled' in page
    assert "set by the environment" in page


def test_a_real_environment_variable_wins_in_a_process(spawn, root, sonarr):
    assert save(root, "sonarr", {"SONARR_URL": sonarr.url, "SONARR_API_KEY": SECRET}).status_code == 200
    code = "from mediasuite import config as c; print(c.get('SONARR_API_KEY'), c.source('SONARR_API_KEY'))"
    shell = spawn("shell", "shell", "-c", code, env={"SONARR_API_KEY": "env-key"})
    assert shell.popen.wait(60) == 0, shell.output()
    assert "env-key environment" in shell.output()


def test_a_wrong_key_fails_its_test_with_the_service_message(root, sonarr, settings):
    wrong = {"SONARR_URL": sonarr.url, "SONARR_API_KEY": "a-wrong-key-123"}
    assert save(root, "sonarr", wrong).status_code == 200
    result = root.post("/api/connections/sonarr/test", {}, format="json").json()
    assert result == {"name": "sonarr", "ok": False,
                      "message": f"Sonarr at {sonarr.url} (GET system/status) refused the API key "
                                 "(401: Unauthorized); check SONARR_API_KEY."}
    assert root.get("/api/connections/sonarr").json()["test"]["ok"] is False

    # The form's values are tried before they are saved, and the saved ones stay.
    tried = root.post("/api/connections/sonarr/test", {"values": {"SONARR_API_KEY": SECRET}}, format="json")
    assert tried.json()["ok"] and tried.json()["message"].startswith("Sonarr")
    assert config.get("SONARR_API_KEY") == "a-wrong-key-123"

    with FakeTmdb() as tmdb:
        settings.TMDB_API_URL = tmdb.api_url
        save(root, "tmdb", {"TMDB_API_KEY": "not-the-tmdb-key"})
        result = root.post("/api/connections/tmdb/test", {}, format="json").json()
    assert not result["ok"]
    assert "Invalid API key: You must be granted a valid key." in result["message"]


def test_bad_input_is_a_clear_400_and_only_a_super_admin_may(root, api, people):
    assert save(root, "sonarr", {"SONARR_URL": "no-scheme"}).json()["error"] == \
        "SONARR_URL: URL is a URL, e.g. http://host:port."
    assert save(root, "sonarr", {"PLEX_TOKEN": "x"}).status_code == 400
    assert save(root, "sftp", {"SEEDBOX_SFTP_PORT": "99999"}).status_code == 400
    assert root.put("/api/connections/sonarr", {"values": ["x"]}, format="json").status_code == 400
    assert root.get("/api/connections/nothing").status_code == 404
    admin = api.as_user(people["admin"])
    assert admin.get("/api/connections").status_code == 403
    assert save(admin, "sonarr", {"SONARR_URL": "http://x"}).status_code == 403
    assert not Connection.objects.filter(name="sonarr").exists()


def test_the_admin_saves_through_the_same_rules(client, people, sonarr):
    client.force_login(people["super"])
    listing = client.get("/admin/mediasuite/connection/")
    assert listing.status_code == 200 and b"sonarr" in listing.content
    row = Connection.objects.get(name="sonarr")
    answer = client.post(f"/admin/mediasuite/connection/{row.pk}/change/",
                         {"SONARR_URL": sonarr.url, "SONARR_API_KEY": SECRET})
    assert answer.status_code == 302
    assert config.get("SONARR_API_KEY") == SECRET and SECRET not in raw_values("sonarr")
    form = client.get(f"/admin/mediasuite/connection/{row.pk}/change/").content.decode()
    assert SECRET not in form and "ends in cdef" in form
    client.force_login(people["admin"])
    assert client.get("/admin/mediasuite/connection/").status_code == 403


@pytest.mark.processes
def test_a_key_saved_in_the_ui_is_used_by_the_next_call_of_every_process(spawn, root, settings):
    """A worker (real qcluster) and a long-lived process started before the save use the new key at once."""
    settings.SERVICES_MIN_INTERVAL = 1
    with FakeLastfm(api_key="the-right-key-42", users=["alice"]) as fake:
        fake.add_play("alice", "Air", "Sexy Boy", "Moon Safari", uts=1_700_000_000)
        save(root, "lastfm", {"LASTFM_API_URL": fake.url, "LASTFM_USER": "alice",
                              "LASTFM_API_KEY": "a-wrong-key-0042"})
        watcher = spawn("watcher", "shell", "-c", textwrap.dedent("""
            import time
            from mediasuite import config
            seen = None
            for _ in range(1200):
                key = config.get("LASTFM_API_KEY")
                if key != seen:
                    print("key", key, flush=True)
                    seen = key
                time.sleep(0.05)
        """))
        worker = spawn("worker", "qcluster", env={"MEDIASUITE_PROCESS": "worker"})
        control.start(None, "tracker")
        assert root.patch("/api/v1/services/tracker", {"interval": 1}, format="json").status_code == 200
        wait_for(lambda: "rejected the API key" in ServiceState.objects.get(name="tracker").last_error,
                 timeout=60, message=f"the worker to try the wrong key\n{worker.output()}")
        wait_for(lambda: "key a-wrong-key-0042" in watcher.output(), message="the watcher to read the key")

        assert save(root, "lastfm", {"LASTFM_API_KEY": "the-right-key-42"}).status_code == 200
        wait_for(lambda: TrackPlay.objects.filter(user="alice").exists(), timeout=60,
                 message=f"the worker to use the new key\n{worker.output()}")
        wait_for(lambda: "key the-right-key-42" in watcher.output(), message="the watcher to see the new key")
        assert ServiceState.objects.get(name="tracker").last_error == ""
