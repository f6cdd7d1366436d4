"""Sign-ins throttled per account and per address, on the API token, the site and the admin."""

import logging
import time

import pytest
import requests
from django.test import Client

from mediasuite.models import SignInFailure
from tests.conftest import PASSWORD, start_web

ENTRY_POINTS = ["/api/auth/token", "/accounts/login/", "/admin/login/"]


def sign_in(path, username, password, address="10.1.1.1"):
    client = Client(REMOTE_ADDR=address)
    return client.post(path, {"username": username, "password": password})


def signed_in(path, response) -> bool:
    if path.startswith("/api/"):
        return response.status_code == 200 and "token" in response.json()
    return response.status_code == 302


@pytest.mark.parametrize("path", ENTRY_POINTS)
def test_ten_wrong_passwords_lock_the_account_until_the_window_passes(path, people, settings, caplog):
    settings.LOGIN_FAILURE_WINDOW = 6.0  # ten sign-ins fit in it even on a loaded machine
    user = people["super"]
    with caplog.at_level(logging.WARNING, logger="mediasuite.accounts"):
        for _ in range(10):
            assert not signed_in(path, sign_in(path, user.username, "wrong-guess"))
    assert caplog.text.count(f"Failed sign-in for '{user.username}'") == 10
    refused = sign_in(path, user.username, PASSWORD, address="10.2.2.2")  # the right one, elsewhere
    assert not signed_in(path, refused)
    text = refused.json()["error"] if path.startswith("/api/") else refused.content.decode()
    assert "try again in" in text
    if path.startswith("/api/"):
        retry = int(refused["Retry-After"])
        assert refused.status_code == 429 and 1 <= retry <= settings.LOGIN_FAILURE_WINDOW + 1
    time.sleep(settings.LOGIN_FAILURE_WINDOW)  # the window itself is what is tested
    assert signed_in(path, sign_in(path, user.username, PASSWORD))


def test_one_address_guessing_many_accounts_is_stopped(people, settings):
    for n in range(10):
        sign_in("/api/auth/token", f"nobody{n}", "wrong")
    refused = sign_in("/api/auth/token", people["player"].username, PASSWORD)
    assert refused.status_code == 429
    elsewhere = sign_in("/api/auth/token", people["player"].username, PASSWORD, address="10.9.9.9")
    assert elsewhere.status_code == 200


@pytest.mark.processes
def test_two_web_processes_count_the_failures_together(spawn, people):
    """Five wrong passwords at each of two web processes lock the account at both."""
    bases = [start_web(spawn, "web-a")[1], start_web(spawn, "web-b")[1]]
    user = people["super"]

    def ask(base, password):
        return requests.post(f"{base}/api/auth/token", json={"username": user.username, "password": password},
                             timeout=10)

    for n in range(10):
        assert ask(bases[n % 2], "wrong-guess").status_code == 400
    for base in bases:
        refused = ask(base, PASSWORD)
        assert refused.status_code == 429 and "try again in" in refused.json()["error"]
    assert SignInFailure.objects.filter(scope=f"user:{user.username}").count() == 10
