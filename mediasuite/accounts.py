"""Changes to users, clubs, memberships and tokens: the only code that writes them.

Every function runs in one transaction, asks the model's policy before and
after the write (so a change can neither start from nor end in a row the
actor may not touch) and records an Event. The admin, the API and the pages
all call these.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from rest_framework.authtoken.models import Token

from . import events, keys
from .models import Club, Membership, User
from .policies import policy_for
from .roles import Role


def _club_and_owner(obj):
    if isinstance(obj, Club):
        return obj, None
    if isinstance(obj, Membership):
        return obj.club, obj.user
    if isinstance(obj, Token):
        return None, obj.user
    return None, None


def _refuse(actor, action, obj):
    name = obj._meta.verbose_name
    raise PermissionDenied(f"{actor} may not {action} this {name}.")


def _check(actor, action, obj):
    if not policy_for(obj).allows(actor, action, obj):
        _refuse(actor, action, obj)


def _guard_role(actor, user: User, previous_role: str | None):
    """Only a SUPER_ADMIN grants roles; a CLUB_ADMIN creates players only."""
    if actor.role == Role.SUPER_ADMIN:
        return
    if previous_role is None and user.role != Role.PLAYER:
        raise PermissionDenied("Only a super admin can create users with this role.")
    if previous_role is not None and user.role != previous_role:
        raise PermissionDenied("Only a super admin can change a role.")


def save(actor, obj, *, clubs=None):
    """Create or change `obj` as `actor`; for a new user, `clubs` are its memberships."""
    model = type(obj)
    creating = obj._state.adding
    action = "add" if creating else "change"
    with transaction.atomic():
        if not creating:
            _check(actor, action, obj)  # the stored row, before the change
        if isinstance(obj, User):
            previous = None if creating else User.objects.get(pk=obj.pk).role
            _guard_role(actor, obj, previous)
        if creating and isinstance(obj, Token):
            insert_api_token(obj)
        else:
            obj.save()
        for club in clubs or ():
            Membership.objects.get_or_create(user=obj, club=club)
        _check(actor, action, obj)
        club, owner = _club_and_owner(obj)
        events.record(
            f"{model._meta.model_name}.{'created' if creating else 'changed'}",
            obj,
            club=club,
            owner=owner,
            actor=actor,
            message=f"{model._meta.verbose_name.capitalize()} {obj} {'created' if creating else 'changed'}",
        )
    return obj


def delete(actor, obj):
    """Delete `obj` as `actor`."""
    with transaction.atomic():
        _check(actor, "delete", obj)
        club, owner = _club_and_owner(obj)
        events.record(
            f"{obj._meta.model_name}.deleted",
            obj,
            club=club if not isinstance(obj, Club) else None,
            owner=owner,
            actor=actor,
            message=f"{obj._meta.verbose_name.capitalize()} {obj} deleted",
        )
        obj.delete()


def insert_api_token(token: Token) -> str:
    """Insert `token` (a new row) keeping only the digest of its secret; return the secret.

    The row alone, with no event: `save()` is the way with the policy checks
    and the event; fixtures and benches that make their callers use this.
    """
    made_at = timezone.now()
    secret = keys.derive("api", token.user_id, made_at)
    token.key = keys.digest(secret)
    token.save(force_insert=True)
    Token.objects.filter(pk=token.pk).update(created=made_at)  # auto_now_add set its own moment
    token.created = made_at
    return secret


def api_token(actor, user: User) -> str:
    """`user`'s API token, made when there is none.

    A token stored before tokens were hashed cannot be shown: it is replaced
    by a new one (the old one stops working), recorded as its deletion and
    the new token's creation.
    """
    token = Token.objects.filter(user=user).first()
    if token is not None:
        _check(actor, "view", token)
        shown = keys.shown("api", user.pk, token.created, token.key)
        if shown:
            return shown
        delete(actor, token)
    token = save(actor, Token(user=user))
    return keys.derive("api", user.pk, token.created)
