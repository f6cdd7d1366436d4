"""Must show: the Settings page badge flips without reload when the service is stopped through the API."""

import pytest
import requests
from rest_framework.authtoken.models import Token

from mediasuite import accounts
from mediasuite.services import control
from tests.conftest import wait_for

pytestmark = [pytest.mark.browser, pytest.mark.processes]

BADGE = '[data-service="tracker"][data-role="badge"]'


def test_settings_badge_flips_live_when_the_api_stops_the_service(people, web, login, page):
    control.start(None, "tracker")
    token = accounts.insert_api_token(Token(user=people["super"]))
    login(people["super"], "/settings/")
    badge = page.locator(BADGE)
    assert badge.inner_text() == "active" and "state-active" in badge.get_attribute("class").split()
    page.evaluate("window.__sameDocument = true")

    response = requests.post(f"{web}/api/v1/services/tracker/stop",
                             headers={"Authorization": f"Token {token}"}, timeout=10)
    assert response.status_code == 200 and response.json() == {"status": "stopped"}

    page.wait_for_function(
        "el => el.textContent === 'stopped' && el.classList.contains('state-stopped')",
        arg=badge.element_handle(), timeout=10_000)
    assert page.evaluate("window.__sameDocument") is True  # no reload happened
    toggle = page.locator('[data-service="tracker"][data-role="toggle"]')
    assert toggle.inner_text() == "Start"

    # And the page's own button starts it again (POST with the CSRF token).
    toggle.click()
    page.wait_for_function("el => el.textContent === 'active'", arg=badge.element_handle(), timeout=10_000)
    assert requests.get(f"{web}/api/v1/services/tracker/status", headers={"Authorization": f"Token {token}"},
                        timeout=10).json()["running"] is True


def test_admin_state_column_follows_the_service_live(people, web, login, page):
    """The change lands before the page's WebSocket is open: the page's cursor still brings it."""
    token = accounts.insert_api_token(Token(user=people["super"]))
    held = []
    page.route_web_socket("**/ws/events/**", lambda ws: held.append(ws))
    login(people["super"], "/admin/mediasuite/servicestate/")
    badge = page.locator(BADGE)
    assert badge.inner_text() == "stopped"
    wait_for(lambda: page.evaluate("true") and held, message="the page never opened its WebSocket")
    response = requests.post(f"{web}/api/v1/services/tracker/start",
                             headers={"Authorization": f"Token {token}"}, timeout=10)
    assert response.json() == {"status": "started"}
    held[0].connect_to_server()
    page.wait_for_function("el => el.textContent === 'active' && el.classList.contains('state-active')",
                           arg=badge.element_handle(), timeout=10_000)
