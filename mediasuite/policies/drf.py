"""DRF adapters: a permission class and a filter backend that ask the policies.

A view names its model through its queryset; non-CRUD actions name their
policy action in `policy_actions` (e.g. {"restart": "change"}).
"""

from rest_framework import filters, permissions

from .base import policy_for

METHOD_ACTIONS = {
    "GET": "view",
    "HEAD": "view",
    "OPTIONS": "view",
    "POST": "add",
    "PUT": "change",
    "PATCH": "change",
    "DELETE": "delete",
}


def policy_action(request, view) -> str:
    named = getattr(view, "policy_actions", {}).get(getattr(view, "action", None))
    return named or METHOD_ACTIONS.get(request.method, "change")


def view_policy(view):
    return policy_for(view.get_queryset().model if hasattr(view, "get_queryset") else view.model)


class PolicyPermission(permissions.BasePermission):
    """403 for an action the policy refuses; objects outside `view` are 404 (filter backend)."""

    message = "You do not have permission to do this."

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        lookup = getattr(view, "lookup_url_kwarg", None) or getattr(view, "lookup_field", "pk")
        if lookup in view.kwargs:
            # An object route: look the object up first, so that a foreign id
            # answers 404 and not 403; has_object_permission decides after.
            return True
        return view_policy(view).allows(request.user, policy_action(request, view))

    def has_object_permission(self, request, view, obj):
        return policy_for(obj).allows(request.user, policy_action(request, view), obj)


def policy_allows(model, action: str, message: str) -> type[permissions.BasePermission]:
    """A permission class for views that are not about one object (searches, batches, checks):
    signed in, and `model`'s policy allows `action` at all; else 403 with `message`."""

    class Allowed(permissions.BasePermission):
        def has_permission(self, request, view):
            return bool(request.user and request.user.is_authenticated) and \
                policy_for(model).allows(request.user, action)

    Allowed.message = message
    Allowed.__name__ = f"{model.__name__}{action.capitalize()}Allowed"
    return Allowed


class PolicyFilterBackend(filters.BaseFilterBackend):
    """Restrict every list and lookup to what the user may view."""

    def filter_queryset(self, request, queryset, view):
        return policy_for(queryset.model).queryset(request.user, "view", base=queryset)
