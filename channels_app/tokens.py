"""Channel access tokens: revoke and regenerate (the admin's actions, and a user's own), each with its Event.

A token is created on first use by viewers.token_for(); revoking deletes it,
so every playlist, guide and stream URL carrying it stops working at once; the
user gets a new one the next time they open the channels page. The database
holds the token's digest only (`mediasuite.keys`); `token.secret()` is the
token itself.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from mediasuite import events
from mediasuite.policies import policy_for

from .models import AccessToken, token_fields


def _check(actor, action, token):
    if actor is not None and not policy_for(AccessToken).allows(actor, action, token):
        raise PermissionDenied(f"{actor} may not {action} the channel access token of {token.user}.")


def revoke(actor, token: AccessToken):
    _check(actor, "delete", token)
    with transaction.atomic():
        events.record("channel_token.revoked", token, owner=token.user, actor=actor,
                      message=f"Channel access token of {token.user} revoked",
                      payload={"user": token.user.get_username()})
        AccessToken.objects.filter(pk=token.pk).delete()


def regenerate(actor, token: AccessToken) -> AccessToken:
    """A new key for the same user: URLs with the old one stop working."""
    _check(actor, "change", token)
    with transaction.atomic():
        fields = token_fields(token.user_id)
        AccessToken.objects.filter(pk=token.pk).update(**fields)
        token.key, token.created_at = fields["key"], fields["created_at"]
        events.record("channel_token.regenerated", token, owner=token.user, actor=actor,
                      message=f"Channel access token of {token.user} regenerated",
                      payload={"user": token.user.get_username()})
    return token
