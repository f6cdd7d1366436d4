"""The role matrix through the API: allowed → 2xx, visible but refused → 403, foreign → 404."""

import pytest

from mediasuite.models import Club, Membership, User
from mediasuite.policies import policy_for

from .matrix import resolve, row_id, rows

ROWS = list(rows())
ROUTES = {Club: "/api/clubs/{}", Membership: "/api/memberships/{}", User: "/api/users/{}"}


def patch_body(model, obj):
    if model is Club:
        return {"name": "Renamed club"}
    if model is Membership:
        return {"club": obj.club_id}
    return {"first_name": "Renamed"}


def snapshot(model, obj):
    fresh = model.objects.filter(pk=obj.pk).first()
    if fresh is None:
        return None
    return {f.attname: getattr(fresh, f.attname) for f in model._meta.concrete_fields}


@pytest.mark.parametrize("row", ROWS, ids=[row_id(r) for r in ROWS])
def test_api_matrix(row, members, club, other_club, api):
    model, actor, action, target, allowed = row
    user = members[actor]
    obj = resolve(model, target, actor, members, club, other_club)
    visible = policy_for(model).allows(user, "view", obj)
    url = ROUTES[model].format(obj.pk)
    before = snapshot(model, obj)
    client = api.as_user(user)
    if action == "view":
        response = client.get(url)
        success = 200
    elif action == "change":
        response = client.patch(url, patch_body(model, obj), format="json")
        success = 200
    else:
        response = client.delete(url)
        success = 204
    expected = success if allowed else (403 if visible else 404)
    assert response.status_code == expected, response.content
    if not allowed:
        assert "error" in response.json()
        assert snapshot(model, obj) == before, "a refused request changed the row"


@pytest.mark.parametrize("actor", ["super", "admin", "player"])
def test_lists_show_only_what_the_role_may_see(actor, people, club, other_club, api):
    client = api.as_user(people[actor])
    clubs = {c["name"] for c in client.get("/api/clubs").json()["results"]}
    users = {u["username"] for u in client.get("/api/users").json()["results"]}
    expected_clubs = {"super": {"Padel Nord", "Tennis Sud"}, "admin": {"Padel Nord"},
                      "player": {"Padel Nord"}}[actor]
    expected_users = {"super": {"root", "alice", "paul", "oscar", "olga"},
                      "admin": {"alice", "paul"}, "player": {"paul"}}[actor]
    assert clubs == expected_clubs
    assert users == expected_users


def test_anonymous_requests_are_401(db, api):
    for url in ("/api/clubs", "/api/users", "/api/memberships", "/api/me"):
        response = api.get(url)
        assert response.status_code == 401
        assert response.json()["error"]


@pytest.mark.parametrize("url", ["/api/clubs", "/api/users", "/api/memberships"])
def test_list_query_count_is_constant(url, people, club, api, make_user, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = api.as_user(people["super"])
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for n in range(15):
        make_user(f"extra{n}", clubs=[club])
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)


def test_a_club_admin_may_not_take_over_a_member_of_another_club(members, api):
    """Club B's admin resets the password of a player of A and B: refused, the old one still works."""
    sam = members["shared"]
    client = api.as_user(members["other_admin"])
    response = client.patch(f"/api/users/{sam.pk}", {"password": "taken-over-123"}, format="json")
    assert response.status_code == 403
    assert "error" in response.json()
    sam.refresh_from_db()
    assert not sam.check_password("taken-over-123")
    assert client.delete(f"/api/users/{sam.pk}").status_code == 403
    own = sam.memberships.get(club__name="Tennis Sud")
    assert client.delete(f"/api/memberships/{own.pk}").status_code == 204
    assert list(sam.clubs.values_list("name", flat=True)) == ["Padel Nord"]


@pytest.mark.parametrize("value", ["foreign", "unknown", "1" * 21, "\u00b9", "2\u0662"])
@pytest.mark.parametrize("url", ["/api/users?clubs={}", "/api/memberships?club={}",
                                 "/api/memberships?user={}"])
def test_a_foreign_id_in_a_filter_answers_as_an_unknown_one(url, value, members, other_club, api):
    foreign = other_club.pk if "club" in url else members["other_player"].pk
    query = {"foreign": foreign, "unknown": 987654}.get(value, value)
    response = api.as_user(members["admin"]).get(url.format(query))
    assert response.status_code == 400, response.content
    body = response.json()
    assert "Select a valid choice" in body["error"]
    unknown = api.get(url.format(987654)).json()
    assert body["error"].replace(str(query), "N") == unknown["error"].replace("987654", "N")


@pytest.mark.parametrize("url", ["/api/users/?format=api", "/api/memberships/?format=api",
                                 "/api/clubs/?format=api"])
def test_browsable_filter_forms_name_only_what_the_viewer_may_see(url, members, client):
    client.force_login(members["admin"])
    page = client.get(url).content.decode()
    assert "Padel Nord" in page
    assert "Tennis Sud" not in page and "olga" not in page and "oscar" not in page
