"""The policy object and its registry.

A policy says, for a user and an action, which rows of its model the user may
act on, as a Q filter (`scope`). Both public primitives come from that one
rule: `queryset()` applies it, `allows()` asks whether one object is inside
it. For "add", the domain code saves the new object inside its transaction
and then asks `allows()`, so the same filter decides creation too and a
refusal rolls the row back (NetBox's way).
"""

from django.db.models import Model, Q, QuerySet

from ..roles import Role

ALL = Q()
NOTHING = None

_registry: dict[type[Model], "Policy"] = {}


def register(model: type[Model]):
    """Class decorator: make the policy the one for `model`."""

    def wrap(cls):
        _registry[model] = cls(model)
        return cls

    return wrap


def policy_for(model_or_obj) -> "Policy":
    model = model_or_obj if isinstance(model_or_obj, type) else type(model_or_obj)
    try:
        return _registry[model._meta.concrete_model]
    except KeyError:
        raise LookupError(f"no permission policy is registered for {model.__name__}") from None


def is_active_user(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def role_of(user) -> str | None:
    return user.role if is_active_user(user) else None


class Policy:
    """Override `scope(user, role, action)`; callers use `queryset` and `allows`."""

    actions = ("view", "add", "change", "delete")

    def __init__(self, model: type[Model]):
        self.model = model

    def scope(self, user, role: str, action: str) -> Q | None:
        """The rows `user` may `action`: ALL, a Q filter, or NOTHING."""
        raise NotImplementedError

    def _scope(self, user, action: str) -> Q | None:
        if action not in self.actions:
            raise ValueError(f"{type(self).__name__} has no action {action!r}")
        role = role_of(user)
        if role is None:
            return NOTHING
        if role == Role.SUPER_ADMIN:
            return ALL
        return self.scope(user, role, action)

    def queryset(self, user, action: str = "view", base: QuerySet | None = None) -> QuerySet:
        qs = self.model._default_manager.all() if base is None else base
        rule = self._scope(user, action)
        if rule is NOTHING:
            return qs.none()
        return qs.filter(rule).distinct() if rule else qs

    def allows(self, user, action: str, obj: Model | None = None) -> bool:
        """Whether `user` may `action` on `obj`, or on anything at all when obj is None."""
        rule = self._scope(user, action)
        if rule is NOTHING:
            return False
        if obj is None or not rule:
            return True
        return self.queryset(user, action).filter(pk=obj.pk).exists()
