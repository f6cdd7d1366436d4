"""The recorder's permission matrix (issue 5), as one policy per model.

| Action                          | SUPER_ADMIN | CLUB_ADMIN     | PLAYER            |
| Create session                  | yes         | yes (own club) | yes (own club)    |
| Start / stop recording          | yes         | yes (own club) | yes (own session) |
| View preview                    | yes         | yes (own club) | yes (own session) |
| List / download / delete videos | yes         | yes (own club) | no                |
| Cleanup sessions                | yes         | yes (own club) | no                |

Another club's courts, sessions and recordings are outside every scope, so
they answer 404; a player's forbidden action on a visible object answers 403.
A club admin's cleanup covers the clubs they administer (a cleanup across
clubs would disclose other clubs' counts).
"""

from django.db.models import Q

from mediasuite.policies.accounts import club_ids
from mediasuite.policies.base import NOTHING, Policy, register
from mediasuite.roles import Role

from .models import CameraSession, ClubStorage, Court, Recording


@register(Court)
class CourtPolicy(Policy):
    def scope(self, user, role, action):
        mine = Q(club_id__in=club_ids(user))
        if action == "view" or role == Role.CLUB_ADMIN:
            return mine
        return NOTHING


@register(CameraSession)
class CameraSessionPolicy(Policy):
    """view/change (close): the session itself; add: open one; record: start/stop; preview; cleanup."""

    actions = ("view", "add", "change", "delete", "record", "preview", "cleanup")

    def scope(self, user, role, action):
        club = Q(court__club_id__in=club_ids(user))
        if role == Role.CLUB_ADMIN:
            return club
        if action in ("view", "add", "change", "record", "preview"):
            return club & Q(user=user)
        return NOTHING


@register(Recording)
class RecordingPolicy(Policy):
    """view: status; stop; files: list, download and delete the video."""

    actions = ("view", "add", "change", "delete", "stop", "files")

    def scope(self, user, role, action):
        club = Q(club_id__in=club_ids(user))
        if role == Role.CLUB_ADMIN:
            return club
        if action in ("view", "stop", "add"):
            return club & Q(user=user)
        return NOTHING


@register(ClubStorage)
class ClubStoragePolicy(Policy):
    """Retention and quota of a club: its club admins set them; players see nothing."""

    def scope(self, user, role, action):
        if role == Role.CLUB_ADMIN:
            return Q(club_id__in=club_ids(user))
        return NOTHING
