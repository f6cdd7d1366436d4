"""Policy of update jobs: updating the installation is the operator's, SUPER_ADMIN only."""

from ..models import UpdateJob
from ..policies import NOTHING, Policy, register


@register(UpdateJob)
class UpdateJobPolicy(Policy):
    """See and start updates: SUPER_ADMIN only (granted by the base class)."""

    def scope(self, user, role, action):
        return NOTHING
