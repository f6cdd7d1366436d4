"""Seedbox policies: the seedbox, its downloads and the library are the operator's (SUPER_ADMIN only).

Torrents belong to no club: they fill one shared library, so a club admin or
a player has no business seeing or driving them. The base Policy already
lets SUPER_ADMIN do everything; every other role gets nothing, and the
events written about torrents carry no club or owner, so only operators
receive them live.
"""

from mediasuite.policies import register
from mediasuite.policies.base import NOTHING, Policy

from .models import Torrent


@register(Torrent)
class TorrentPolicy(Policy):
    def scope(self, user, role, action):
        return NOTHING
