"""Policies for users, clubs, memberships and API tokens."""

from django.db.models import Q
from rest_framework.authtoken.models import Token

from ..models import Club, Membership, User
from ..roles import Role
from .base import NOTHING, Policy, register


def club_ids(user):
    """The ids of the clubs `user` belongs to, as a subquery."""
    return Membership.objects.filter(user=user).values("club_id")


@register(Club)
class ClubPolicy(Policy):
    def scope(self, user, role, action):
        if action == "view":
            return Q(id__in=club_ids(user))
        if action == "change" and role == Role.CLUB_ADMIN:
            return Q(id__in=club_ids(user))
        return NOTHING


@register(Membership)
class MembershipPolicy(Policy):
    def scope(self, user, role, action):
        if role == Role.CLUB_ADMIN:
            mine = Q(club_id__in=club_ids(user))
            if action == "view":
                return mine
            return mine & ~Q(user__role=Role.SUPER_ADMIN)
        if action == "view":
            return Q(user=user)
        return NOTHING


def members_elsewhere(user):
    """The ids of users with a membership in a club `user` does not belong to, as a subquery."""
    return Membership.objects.exclude(club_id__in=club_ids(user)).values("user_id")


@register(User)
class UserPolicy(Policy):
    """A CLUB_ADMIN sees the members of their clubs and manages the players that are theirs alone.

    The account (password, activity, deletion) of a player who also belongs to
    a club the admin does not administer is not theirs to touch: they may only
    remove the membership of their own club (MembershipPolicy).
    """

    def scope(self, user, role, action):
        if role == Role.CLUB_ADMIN:
            members = Q(memberships__club_id__in=club_ids(user))
            if action == "view":
                return members | Q(pk=user.pk)
            theirs = members & Q(role=Role.PLAYER) & ~Q(pk__in=members_elsewhere(user))
            if action == "change":
                return theirs | Q(pk=user.pk)
            return theirs
        if action in ("view", "change"):
            return Q(pk=user.pk)
        return NOTHING


@register(Token)
class TokenPolicy(Policy):
    def scope(self, user, role, action):
        if action == "change":
            return NOTHING
        return Q(user=user)
