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
def test_api_matrix(row, people, club, other_club, api):
    model, actor, action, target, allowed = row
    user = people[actor]
    obj = resolve(model, target, actor, people, club, other_club)
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
