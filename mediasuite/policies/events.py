"""Permission policy for events: who may see which line of the event log.

An event belongs to a club (club admins of that club see it), to an owner
(that user sees it), to both, or to neither (an operator event: SUPER_ADMIN
only). Events are read-only: "view" is the only action anyone has, except
that SUPER_ADMIN passes every check in the base policy, so the surfaces that
show events (API, admin) refuse writes by themselves.

The WebSocket consumer cannot run a query per pushed event, so the same rule
also exists as a Python predicate over an `Audience` snapshot of the user
(`audience()` + `sees()`); tests check that both agree on every role.
"""

from dataclasses import dataclass

from django.db.models import Q

from ..models import Event, Membership
from ..roles import Role
from .accounts import club_ids
from .base import NOTHING, Policy, register, role_of


@dataclass(frozen=True)
class Audience:
    """What the event rule needs to know about one user, read once."""

    user_id: int | None
    role: str | None
    club_ids: frozenset[int]


@register(Event)
class EventPolicy(Policy):
    def scope(self, user, role, action):
        if action != "view":
            return NOTHING
        if role == Role.CLUB_ADMIN:
            return Q(club_id__in=club_ids(user))
        if role == Role.PLAYER:
            return Q(owner_id=user.pk)
        return NOTHING

    def audience(self, user) -> Audience:
        """Snapshot of `user` for `sees()` (one query for a club admin)."""
        role = role_of(user)
        clubs: frozenset[int] = frozenset()
        if role == Role.CLUB_ADMIN:
            clubs = frozenset(Membership.objects.filter(user=user).values_list("club_id", flat=True))
        return Audience(user_id=user.pk if role else None, role=role, club_ids=clubs)

    @staticmethod
    def sees(audience: Audience, club_id: int | None, owner_id: int | None) -> bool:
        """The `view` rule of `scope()`, in Python, for one event's club and owner."""
        if audience.role == Role.SUPER_ADMIN:
            return True
        if audience.role == Role.CLUB_ADMIN:
            return club_id is not None and club_id in audience.club_ids
        if audience.role == Role.PLAYER:
            return owner_id is not None and owner_id == audience.user_id
        return False
