"""Library policies: the Plex library is the operator's (SUPER_ADMIN only), like the seedbox.

The library belongs to no club: archiving or deleting empties a disk every
user shares, so only operators may see or drive it. The base Policy lets
SUPER_ADMIN do everything; every other role gets nothing, and the events
written about library items carry no club or owner, so only operators
receive them live.
"""

from mediasuite.policies import register
from mediasuite.policies.base import NOTHING, Policy

from .models import ArchiveRecord, BulkJob, Preference


@register(ArchiveRecord)
class ArchiveRecordPolicy(Policy):
    def scope(self, user, role, action):
        return NOTHING


@register(BulkJob)
class BulkJobPolicy(Policy):
    def scope(self, user, role, action):
        return NOTHING


@register(Preference)
class PreferencePolicy(Policy):
    def scope(self, user, role, action):
        return NOTHING
