"""Trailer policies: trailers decorate the shared library, so they are the operator's (SUPER_ADMIN only).

Like the seedbox, entries belong to no club; the base Policy lets
SUPER_ADMIN do everything and every other role gets nothing. Their events
carry no club or owner, so only operators receive them live.
"""

from mediasuite.policies import register
from mediasuite.policies.base import NOTHING, Policy

from .models import TrailerEntry


@register(TrailerEntry)
class TrailerEntryPolicy(Policy):
    def scope(self, user, role, action):
        return NOTHING
