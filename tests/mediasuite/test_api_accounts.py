"""Creating clubs, users and memberships through the API, per role, and the token endpoint."""

import pytest

from mediasuite.models import Club, Event, Membership, User
from mediasuite.roles import Role

from ..conftest import PASSWORD


def test_token_for_username_and_password(people, api):
    response = api.post("/api/auth/token", {"username": "paul", "password": PASSWORD}, format="json")
    assert response.status_code == 200
    token = response.json()["token"]
    again = api.post("/api/auth/token", {"username": "paul", "password": PASSWORD}, format="json")
    assert again.json()["token"] == token
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    me = api.get("/api/me").json()
    assert me["username"] == "paul"
    assert me["role"] == "PLAYER"
    assert [c["name"] for c in me["clubs"]] == ["Padel Nord"]


@pytest.mark.parametrize(("body", "message"), [
    ({"username": "paul", "password": "wrong"}, "Unable to log in"),
    ({"username": "nobody", "password": PASSWORD}, "Unable to log in"),
    ({"username": "paul"}, "password: This field is required."),
    ({}, "username: This field is required."),
    ({"username": ["paul"], "password": {"a": 1}}, "Not a valid string"),
])
def test_token_refuses_bad_credentials(body, message, people, api):
    response = api.post("/api/auth/token", body, format="json")
    assert response.status_code == 400
    assert message in response.json()["error"]


def test_token_endpoint_refuses_get_and_garbage(db, api):
    assert api.get("/api/auth/token").status_code == 405
    response = api.post("/api/auth/token", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert "JSON parse error" in response.json()["error"]


def test_super_admin_creates_a_club_and_a_club_admin(people, api):
    client = api.as_user(people["super"])
    created = client.post("/api/clubs", {"name": "Squash Est", "slug": "squash-est"}, format="json")
    assert created.status_code == 201, created.content
    club_id = created.json()["id"]
    user = client.post("/api/users", {"username": "sam", "password": "another-pass-123",
                                      "role": "CLUB_ADMIN", "clubs": [club_id]}, format="json")
    assert user.status_code == 201, user.content
    sam = User.objects.get(username="sam")
    assert sam.role == Role.CLUB_ADMIN and sam.is_staff and sam.check_password("another-pass-123")
    assert list(sam.clubs.values_list("id", flat=True)) == [club_id]
    assert Event.objects.filter(kind="club.created", subject_id=str(club_id)).exists()


@pytest.mark.parametrize("actor", ["admin", "player"])
def test_only_super_admin_creates_clubs(actor, people, api):
    response = api.as_user(people[actor]).post("/api/clubs", {"name": "X", "slug": "x"}, format="json")
    assert response.status_code == 403
    assert not Club.objects.filter(slug="x").exists()


def test_club_admin_creates_players_in_their_club_only(people, club, other_club, api):
    client = api.as_user(people["admin"])
    ok = client.post("/api/users", {"username": "nina", "password": "another-pass-123",
                                    "clubs": [club.pk]}, format="json")
    assert ok.status_code == 201, ok.content
    assert User.objects.get(username="nina").clubs.get() == club

    foreign = client.post("/api/users", {"username": "nora", "password": "another-pass-123",
                                         "clubs": [other_club.pk]}, format="json")
    assert foreign.status_code == 400
    assert "does not exist" in foreign.json()["error"]

    homeless = client.post("/api/users", {"username": "nils", "password": "another-pass-123"},
                           format="json")
    assert homeless.status_code == 403

    admin = client.post("/api/users", {"username": "nate", "password": "another-pass-123",
                                       "role": "CLUB_ADMIN", "clubs": [club.pk]}, format="json")
    assert admin.status_code == 403
    assert "super admin" in admin.json()["error"]
    assert not User.objects.filter(username__in=["nora", "nils", "nate"]).exists()


def test_roles_change_only_by_super_admin(people, api):
    paul = people["player"]
    refused = api.as_user(people["admin"]).patch(f"/api/users/{paul.pk}", {"role": "SUPER_ADMIN"},
                                                 format="json")
    assert refused.status_code == 403
    selfish = api.as_user(paul).patch(f"/api/users/{paul.pk}", {"role": "CLUB_ADMIN"}, format="json")
    assert selfish.status_code == 403
    paul.refresh_from_db()
    assert paul.role == Role.PLAYER and not paul.is_staff
    granted = api.as_user(people["super"]).patch(f"/api/users/{paul.pk}", {"role": "CLUB_ADMIN"},
                                                 format="json")
    assert granted.status_code == 200
    paul.refresh_from_db()
    assert paul.role == Role.CLUB_ADMIN and paul.is_staff


def test_club_admin_manages_memberships_of_their_club(people, club, other_club, api, make_user):
    third = Club.objects.create(name="Third", slug="third")
    tom = make_user("tom", clubs=[third])
    Membership.objects.create(user=people["admin"], club=third)
    client = api.as_user(people["admin"])
    added = client.post("/api/memberships", {"user": tom.pk, "club": club.pk}, format="json")
    assert added.status_code == 201, added.content
    foreign = client.post("/api/memberships", {"user": tom.pk, "club": other_club.pk}, format="json")
    assert foreign.status_code == 400
    duplicate = client.post("/api/memberships", {"user": tom.pk, "club": club.pk}, format="json")
    assert duplicate.status_code == 400
    assert not Membership.objects.filter(user=tom, club=other_club).exists()
    moved = client.patch(f"/api/memberships/{added.json()['id']}", {"club": other_club.pk},
                         format="json")
    assert moved.status_code == 400
    assert Membership.objects.get(pk=added.json()["id"]).club == club


def test_players_see_only_their_memberships(people, api):
    rows = api.as_user(people["player"]).get("/api/memberships").json()["results"]
    assert [(r["username"], r["club_name"]) for r in rows] == [("paul", "Padel Nord")]
