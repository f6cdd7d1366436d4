"""Permission policies for supervision: units, leases, supervisor nodes."""

from django.db.models import Q

from ..models import Lease, SupervisorNode, Unit
from ..roles import Role
from .accounts import club_ids
from .base import NOTHING, Policy, register


@register(Unit)
class UnitPolicy(Policy):
    """A CLUB_ADMIN sees and drives the units of their clubs; a PLAYER sees the units they own.

    Units are created by the apps (control.ensure_unit) and deleted by a SUPER_ADMIN only.
    """

    def scope(self, user, role, action):
        if role == Role.CLUB_ADMIN and action in ("view", "change"):
            return Q(club_id__in=club_ids(user))
        if role == Role.PLAYER and action == "view":
            return Q(owner=user)
        return NOTHING


@register(Lease)
class LeasePolicy(Policy):
    def scope(self, user, role, action):
        return NOTHING


@register(SupervisorNode)
class SupervisorNodePolicy(Policy):
    def scope(self, user, role, action):
        return NOTHING
