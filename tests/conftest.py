"""Fixtures shared by the whole suite: users per role, clubs, API clients, real processes; the fake hosted
services come from tests/fakes/fixtures.py."""

import contextlib
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.db import connection
from prometheus_client.parser import text_string_to_metric_families
from rest_framework.test import APIClient

from mediasuite.models import Club, Membership, User
from mediasuite.roles import Role

pytest_plugins = ["tests.fakes.fixtures"]

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "s3cret-pass-for-tests"


@pytest.fixture
def make_user(db):
    def make(username, role=Role.PLAYER, clubs=()):
        user = User.objects.create_user(username=username, password=PASSWORD, role=role)
        for club in clubs:
            Membership.objects.create(user=user, club=club)
        return user

    return make


@pytest.fixture
def club(db):
    return Club.objects.create(name="Padel Nord", slug="padel-nord")


@pytest.fixture
def other_club(db):
    return Club.objects.create(name="Tennis Sud", slug="tennis-sud")


@pytest.fixture
def people(make_user, club, other_club):
    """One user per role in `club`, plus the same roles in `other_club`."""
    return {
        "super": make_user("root", Role.SUPER_ADMIN),
        "admin": make_user("alice", Role.CLUB_ADMIN, [club]),
        "player": make_user("paul", Role.PLAYER, [club]),
        "other_admin": make_user("oscar", Role.CLUB_ADMIN, [other_club]),
        "other_player": make_user("olga", Role.PLAYER, [other_club]),
    }


@pytest.fixture
def api():
    """An API client; `api.as_user(user)` authenticates with the user's token."""

    class Client(APIClient):
        def as_user(self, user):
            from rest_framework.authtoken.models import Token

            from mediasuite import keys
            from mediasuite.accounts import insert_api_token

            token = Token.objects.filter(user=user).first()
            secret = keys.shown("api", user.pk, token.created, token.key) if token else \
                insert_api_token(Token(user=user))
            self.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
            return self

    return Client()


METRICS_TOKEN = "a-metrics-token-for-tests"


@pytest.fixture
def scrape(client, settings, db):
    """scrape() reads GET /metrics with prometheus-client's own text parser: {(sample, labels): value}."""
    settings.METRICS_TOKEN = METRICS_TOKEN

    def families() -> list:
        answer = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {METRICS_TOKEN}")
        assert answer.status_code == 200 and answer["Content-Type"].startswith("text/plain; version=0.0.4")
        return list(text_string_to_metric_families(answer.content.decode()))

    def read() -> dict[tuple[str, tuple], float]:
        return samples(families())

    read.families = families
    return read


def samples(families) -> dict[tuple[str, tuple], float]:
    """{(sample name, sorted labels): value} of parsed metric families."""
    return {(sample.name, tuple(sorted(sample.labels.items()))): sample.value
            for family in families for sample in family.samples}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url() -> str:
    """The URL of the database the test run is using, for child processes."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def process_env(transactional_db):
    """Environment for real MediaSuite child processes sharing the test database."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="tests.settings",
        MEDIASUITE_DATA_DIR=str(settings.DATA_DIR),
        DATABASE_URL=database_url(),
        PYTHONPATH=str(ROOT),
        PYTHONUNBUFFERED="1",
    )
    return env


def wait_for(predicate, timeout=20.0, interval=0.05, message="condition"):
    """Poll `predicate` until it returns a truthy value; fail the test after `timeout`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {message}")


class Process:
    """A child process of the test, in its own process group, ended at teardown."""

    def __init__(self, args, env, log_path):
        self.log_path = Path(log_path)
        self.log = open(self.log_path, "wb")  # noqa: SIM115
        self.popen = subprocess.Popen(
            args, env=env, cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True
        )

    @property
    def pid(self):
        return self.popen.pid

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self, sig=None, timeout=20):
        """Signal the process itself (as a service manager does), then kill what is left of its group."""
        import signal

        if self.popen.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.popen.pid, sig or signal.SIGTERM)
            try:
                self.popen.wait(timeout)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait(5)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.popen.pid, signal.SIGKILL)
        self.log.close()


@pytest.fixture
def spawn(tmp_path, process_env):
    """spawn(name, *manage_args) starts `manage.py <args>` as a real process."""
    started = []

    def start(name, *args, env=None):
        proc = Process([sys.executable, str(ROOT / "manage.py"), *args], {**process_env, **(env or {})},
                       tmp_path / f"{name}.log")
        started.append(proc)
        return proc

    yield start
    for proc in reversed(started):
        proc.stop()


def start_web(spawn, name="web", port=None, env=None):
    """Start a real daphne web process (`manage.py runweb`); return (process, base URL) once it answers."""
    port = port or free_port()
    proc = spawn(name, "runweb", "--port", str(port), env={"MEDIASUITE_PROCESS": "web", **(env or {})})
    base = f"http://127.0.0.1:{port}"

    def up():
        if proc.popen.poll() is not None:
            raise AssertionError(f"{name} process exited:\n{proc.output()}")
        try:
            return requests.get(f"{base}/api/health", timeout=1).status_code in (200, 503)
        except requests.ConnectionError:
            return False

    wait_for(up, timeout=30, message=f"{name} to answer")
    return proc, base


@pytest.fixture
def web(spawn):
    """A real daphne web process on a free port; yields its base URL."""
    return start_web(spawn)[1]


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless, driven by Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def sign_in(page, base: str, username: str, next_path: str = "/"):
    """Sign `username` (password PASSWORD) in through the real login page at `base`, landing on next_path."""
    page.goto(f"{base}/accounts/login/?next={next_path}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}{next_path}")
    return page


@pytest.fixture
def login(page, web):
    """login(user) signs `user` in through the real login page of the `web` process."""
    return lambda user, next_path="/": sign_in(page, web, user.username, next_path)
