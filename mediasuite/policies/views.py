"""HTML view helpers: a foreign object is 404, a forbidden action on a visible one 403."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from .base import policy_for


def visible_or_404(user, model, **lookup):
    """The object the user may view, or Http404."""
    return get_object_or_404(policy_for(model).queryset(user, "view"), **lookup)


def require(user, action, obj):
    """PermissionDenied (403) unless the policy allows `action` on `obj`."""
    if not policy_for(obj).allows(user, action, obj):
        raise PermissionDenied(f"You may not {action} {obj}.")
