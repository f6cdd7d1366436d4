"""The permission policies, role by role, action by action, own club and other club."""

import pytest
from django.contrib.auth.models import AnonymousUser

from mediasuite.models import Club, Membership, User
from mediasuite.policies import policy_for

from .matrix import ADD, resolve, row_id, rows

ROWS = list(rows())


@pytest.mark.parametrize("row", ROWS, ids=[row_id(r) for r in ROWS])
def test_policy_matrix(row, people, club, other_club):
    model, actor, action, target, allowed = row
    user = people[actor]
    obj = resolve(model, target, actor, people, club, other_club)
    policy = policy_for(model)
    assert policy.allows(user, action, obj) is allowed
    assert policy.queryset(user, action).filter(pk=obj.pk).exists() is allowed


@pytest.mark.parametrize(("model", "actor", "allowed"), ADD,
                         ids=[f"{m.__name__}-{a}" for m, a, _ in ADD])
def test_who_may_add(model, actor, allowed, people):
    assert policy_for(model).allows(people[actor], "add") is allowed


@pytest.mark.parametrize("model", [Club, Membership, User])
def test_anonymous_and_inactive_users_get_nothing(model, people, club):
    people["super"].is_active = False
    for user in (AnonymousUser(), people["super"]):
        policy = policy_for(model)
        assert not policy.queryset(user, "view").exists()
        assert not policy.allows(user, "view")


def test_lists_never_show_another_clubs_rows(people, club, other_club):
    admin = people["admin"]
    assert list(policy_for(Club).queryset(admin)) == [club]
    assert set(policy_for(User).queryset(admin)) == {admin, people["player"]}
    assert {m.club for m in policy_for(Membership).queryset(admin)} == {club}


def test_a_member_of_two_clubs_is_listed_once(people, club, other_club):
    Membership.objects.create(user=people["player"], club=other_club)
    Membership.objects.create(user=people["admin"], club=other_club)
    visible = list(policy_for(User).queryset(people["admin"]))
    assert len(visible) == len(set(visible))


def test_unknown_action_is_a_programming_error(people, club):
    with pytest.raises(ValueError, match="no action 'fly'"):
        policy_for(Club).allows(people["super"], "fly", club)


def test_user_role_drives_the_admin_flags(make_user):
    from mediasuite.roles import Role

    user = make_user("carla", Role.CLUB_ADMIN)
    assert (user.is_staff, user.is_superuser) == (True, False)
    user.role = Role.PLAYER
    user.save(update_fields=["role"])
    user.refresh_from_db()
    assert (user.is_staff, user.is_superuser) == (False, False)
    assert User.objects.create_superuser("boss", password="x").role == Role.SUPER_ADMIN
