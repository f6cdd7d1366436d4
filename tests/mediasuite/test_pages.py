"""Server-rendered pages of the core: login, logout, dashboard, settings."""

import pytest

from mediasuite.roles import Role

from ..conftest import PASSWORD


@pytest.mark.parametrize("url", ["/", "/settings/"])
def test_pages_need_a_login(url, client, db):
    response = client.get(url)
    assert response.status_code == 302
    assert response.url == f"/accounts/login/?next={url}"


def test_dashboard_lists_only_the_users_clubs(people, client):
    client.force_login(people["player"])
    page = client.get("/").content.decode()
    assert "Padel Nord" in page and "Tennis Sud" not in page


def test_the_dashboard_and_the_menu_lead_to_every_page_the_user_may_open(people, club, client):
    client.force_login(people["player"])
    page = client.get("/").content.decode()
    assert f'href="/clubs/{club.pk}/courts/"' in page, "a player reaches the courts of their club"
    assert 'href="/recordings/"' in page and 'href="/channels/"' in page
    assert 'href="/seedbox/"' not in page and 'href="/search/"' not in page
    client.force_login(people["super"])
    for url in ("/", "/channels/", "/recordings/", "/settings/"):
        page = client.get(url).content.decode()
        for target in ("/seedbox/", "/search/", "/recordings/", "/channels/"):
            assert f'href="{target}"' in page, f"{target} from {url}"


def test_wrong_password_shows_a_message(people, client):
    response = client.post("/accounts/login/", {"username": "paul", "password": "nope"})
    assert response.status_code == 200
    assert "did not match" in response.content.decode()


def test_admin_link_only_for_staff(people, client):
    client.force_login(people["player"])
    assert "/admin/" not in client.get("/").content.decode()
    client.force_login(people["admin"])
    assert "/admin/" in client.get("/").content.decode()


@pytest.mark.browser
def test_log_in_browse_and_log_out(make_user, login, web, page):
    user = make_user("root", Role.SUPER_ADMIN)
    login(user)
    assert page.locator("h1").inner_text() == "Dashboard"
    page.click("text=Settings")
    page.wait_for_url(f"{web}/settings/")
    assert "Data directory" in page.content()
    page.click("nav >> text=Admin")
    page.wait_for_selector("#site-name")
    page.goto(f"{web}/api/docs/")
    page.wait_for_selector(".swagger-ui .info")
    page.goto(f"{web}/")
    page.click("text=Log out")
    page.wait_for_url(f"{web}/accounts/login/")
    page.goto(f"{web}/settings/")
    assert page.url == f"{web}/accounts/login/?next=/settings/"
    page.fill("#id_username", "root")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{web}/settings/")


def test_an_unknown_page_is_a_styled_404_with_a_way_back(people, client):
    client.force_login(people["player"])
    response = client.get("/no/such/page/")
    page = response.content.decode()
    assert response.status_code == 404 and 'data-status="404"' in page
    assert "Page not found" in page and "<code>/no/such/page/</code>" in page
    assert 'href="/"' in page and "favicon.svg" in page and "/states.css" in page
    assert client.get("/api/v1/nothing-here").json()["error"], "the API still answers JSON"


def test_the_500_page_needs_no_database():
    """Rendered as Django does after an error, with database access refused (no db fixture)."""
    from django.test import RequestFactory
    from django.views.defaults import server_error

    response = server_error(RequestFactory().get("/settings/"))
    page = response.content.decode()
    assert response.status_code == 500 and 'data-status="500"' in page
    assert "Something went wrong on the server" in page and 'href="/"' in page and "favicon.svg" in page


def test_the_favicon_is_served_and_linked_from_the_admin(people, client):
    from django.contrib.staticfiles import finders

    assert finders.find("mediasuite/favicon.svg").endswith(".svg")
    client.force_login(people["super"])
    admin = client.get("/admin/").content.decode()
    assert "mediasuite/favicon.svg" in admin and "/states.css" in admin and "/states.js" in admin
