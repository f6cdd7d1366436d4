"""Channel policies: every signed-in user may see the channels; only SUPER_ADMIN controls them."""

from mediasuite.policies.base import ALL, NOTHING, Policy, register

from .models import AccessToken, Channel, VideoFile


@register(Channel)
class ChannelPolicy(Policy):
    actions = ("view", "add", "change", "delete")

    def scope(self, user, role, action):
        return ALL if action == "view" else NOTHING


@register(VideoFile)
class VideoFilePolicy(Policy):
    def scope(self, user, role, action):
        return ALL if action == "view" else NOTHING


@register(AccessToken)
class AccessTokenPolicy(Policy):
    """A user sees and regenerates their own token; the operator manages all of them."""

    def scope(self, user, role, action):
        from django.db.models import Q

        return Q(user=user) if action in ("view", "change") else NOTHING
