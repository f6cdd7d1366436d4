"""Permission policy of the connections (Settings → Connections): SUPER_ADMIN only."""

from ..models import Connection
from .base import NOTHING, Policy, register


@register(Connection)
class ConnectionPolicy(Policy):
    """See, change and test the integrations' settings: SUPER_ADMIN only (granted by the base class)."""

    def scope(self, user, role, action):
        return NOTHING
