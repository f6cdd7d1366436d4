"""The role matrix through the admin, the operator's home."""

import pytest
from django.urls import reverse

from mediasuite.models import Club, Membership, User
from mediasuite.policies import policy_for

from .matrix import ADD, resolve, row_id, rows

ROWS = list(rows())


def admin_url(model, view, *args):
    return reverse(f"admin:mediasuite_{model._meta.model_name}_{view}", args=args)


@pytest.mark.parametrize("row", ROWS, ids=[row_id(r) for r in ROWS])
def test_admin_matrix(row, members, club, other_club, client):
    model, actor, action, target, allowed = row
    user = members[actor]
    obj = resolve(model, target, actor, members, club, other_club)
    client.force_login(user)
    visible = policy_for(model).allows(user, "view", obj)
    view = "delete" if action == "delete" else "change"
    response = client.get(admin_url(model, view, obj.pk))
    missing = client.get(admin_url(model, view, 987654))

    if not user.is_staff:
        assert response.status_code == 302 and response.url.startswith(reverse("admin:login"))
    elif not visible:
        # A foreign object answers exactly like one that does not exist.
        assert response.status_code in (302, 403)
        answer = (response.status_code, response.get("Location"))
        assert answer == (missing.status_code, missing.get("Location"))
    elif action == "delete":
        assert response.status_code == (200 if allowed else 403)
    else:
        assert response.status_code == 200
        can_save = 'name="_save"' in response.content.decode()
        assert can_save is (allowed if action == "change" else can_save)


@pytest.mark.parametrize(("model", "actor", "allowed"), ADD, ids=[f"{m.__name__}-{a}" for m, a, _ in ADD])
def test_admin_add_button(model, actor, allowed, members, client):
    client.force_login(members[actor])
    response = client.get(admin_url(model, "add"))
    if not members[actor].is_staff:
        assert response.status_code == 302
    else:
        assert response.status_code == (200 if allowed else 403)


@pytest.mark.parametrize("actor", ["super", "admin"])
def test_changelists_show_only_what_the_role_may_see(actor, people, client):
    client.force_login(people[actor])
    clubs = client.get(admin_url(Club, "changelist")).content.decode()
    users = client.get(admin_url(User, "changelist")).content.decode()
    assert "Padel Nord" in clubs
    assert ("Tennis Sud" in clubs) is (actor == "super")
    assert ("olga" in users) is (actor == "super")
    assert "paul" in users


def test_club_admin_cannot_save_a_foreign_club_through_a_forged_post(people, club, other_club, client):
    client.force_login(people["admin"])
    response = client.post(admin_url(Club, "change", other_club.pk),
                           {"name": "Hijacked", "slug": "hijacked"})
    assert response.status_code == 302
    other_club.refresh_from_db()
    assert other_club.name == "Tennis Sud"


def test_club_admin_adds_a_player_to_their_club_in_the_admin(people, club, other_club, client):
    client.force_login(people["admin"])
    form = client.get(admin_url(User, "add")).content.decode()
    assert "Padel Nord" in form and "Tennis Sud" not in form
    response = client.post(admin_url(User, "add"), {
        "username": "newbie", "role": "PLAYER", "clubs": [club.pk], "usable_password": "true",
        "password1": "a-long-pass-123", "password2": "a-long-pass-123",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    assert User.objects.get(username="newbie").clubs.get() == club
    refused = client.post(admin_url(User, "add"), {
        "username": "intruder", "role": "PLAYER", "clubs": [other_club.pk], "usable_password": "true",
        "password1": "a-long-pass-123", "password2": "a-long-pass-123",
    })
    assert refused.status_code == 200 and "Select a valid choice" in refused.content.decode()
    assert not User.objects.filter(username="intruder").exists()


def test_membership_form_offers_only_own_clubs(people, club, other_club, client):
    client.force_login(people["admin"])
    form = client.get(admin_url(Membership, "add")).content.decode()
    assert f'value="{club.pk}"' in form
    assert "Tennis Sud" not in form


def second_club_of(user):
    """Django shows a list filter only with two choices or more."""
    Membership.objects.create(user=user, club=Club.objects.create(name="Squash Est", slug="squash-est"))


@pytest.mark.parametrize("model", [User, Membership])
def test_changelist_filters_name_only_the_viewers_clubs(model, members, club, other_club, client):
    second_club_of(members["admin"])
    client.force_login(members["admin"])
    page = client.get(admin_url(model, "changelist")).content.decode()
    assert "Padel Nord" in page and "sam" in page
    assert "Tennis Sud" not in page and "olga" not in page
    field = "memberships__club__id__exact" if model is User else "club__id__exact"
    foreign = client.get(admin_url(model, "changelist"), {field: other_club.pk})
    unknown = client.get(admin_url(model, "changelist"), {field: 987654})
    assert (foreign.status_code, foreign.get("Location")) == (unknown.status_code, unknown.get("Location"))
    assert "Tennis Sud" not in foreign.content.decode()


def test_recording_changelist_filter_names_only_the_viewers_clubs(members, club, other_club, client):
    from recorder.models import Recording

    second_club_of(members["admin"])
    client.force_login(members["admin"])
    page = client.get(reverse(f"admin:recorder_{Recording._meta.model_name}_changelist")).content.decode()
    assert "Padel Nord" in page and "Tennis Sud" not in page
