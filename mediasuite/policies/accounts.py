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


@register(User)
class UserPolicy(Policy):
    """A CLUB_ADMIN sees the members of their clubs and manages the players."""

    def scope(self, user, role, action):
        if role == Role.CLUB_ADMIN:
            members = Q(memberships__club_id__in=club_ids(user))
            if action == "view":
                return members | Q(pk=user.pk)
            if action == "change":
                return (members & Q(role=Role.PLAYER)) | Q(pk=user.pk)
            return members & Q(role=Role.PLAYER)
        if action in ("view", "change"):
            return Q(pk=user.pk)
        return NOTHING


@register(Token)
class TokenPolicy(Policy):
    def scope(self, user, role, action):
        if action == "change":
            return NOTHING
        return Q(user=user)
