"""Permission policies for services: background services are the operator's, SUPER_ADMIN only."""

from ..models import ServiceState, TrackPlay
from .base import NOTHING, Policy, register


@register(ServiceState)
class ServiceStatePolicy(Policy):
    """Start, stop and see background services: SUPER_ADMIN only (granted by the base class)."""

    def scope(self, user, role, action):
        return NOTHING


@register(TrackPlay)
class TrackPlayPolicy(Policy):
    """The plays read by the tracker: SUPER_ADMIN only."""

    def scope(self, user, role, action):
        return NOTHING

