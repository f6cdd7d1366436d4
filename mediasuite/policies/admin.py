"""Admin adapter: every admin screen asks the model's policy, never Django's perms."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied

from .. import accounts
from .base import policy_for


class PolicyAdmin(admin.ModelAdmin):
    """ModelAdmin whose rows, buttons and saves follow the policy of its model.

    Saves and deletes go through `mediasuite.accounts`-style domain functions:
    subclasses set `domain` to a module with `save(actor, obj)` and
    `delete(actor, obj)`.
    """

    domain = accounts

    @property
    def policy(self):
        return policy_for(self.model)

    def get_queryset(self, request):
        return self.policy.queryset(request.user, "view", base=super().get_queryset(request))

    def has_module_permission(self, request):
        return self.policy.allows(request.user, "view")

    def has_view_permission(self, request, obj=None):
        return self.policy.allows(request.user, "view", obj)

    def has_add_permission(self, request):
        return self.policy.allows(request.user, "add")

    def has_change_permission(self, request, obj=None):
        return self.policy.allows(request.user, "change", obj)

    def has_delete_permission(self, request, obj=None):
        return self.policy.allows(request.user, "delete", obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        """Offer only the related rows the user may change (a club admin: their clubs)."""
        try:
            related = policy_for(db_field.related_model)
        except LookupError:
            related = None
        if related is not None and "queryset" not in kwargs:
            kwargs["queryset"] = related.queryset(request.user, "change")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        self.domain.save(request.user, obj)

    def delete_model(self, request, obj):
        self.domain.delete(request.user, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            if not self.policy.allows(request.user, "delete", obj):
                raise PermissionDenied(f"You may not delete {obj}.")
        for obj in queryset:
            self.domain.delete(request.user, obj)


class ReadOnlyPolicyAdmin(PolicyAdmin):
    """A history or a record kept by the system: viewed per the policy, never edited here."""

    actions = None

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def row_action(verb: str, noun: str, func, refusals: tuple = ()):
    """An admin action applying the domain function `func(actor, obj)` to each selected row.

    Each row is its own error boundary: a row refused (PermissionDenied or one
    of `refusals`) is reported with its reason and the others go on. Named
    `<verb>_<noun>s` ("retry_torrents").
    """

    def act(modeladmin, request, queryset):
        done, refused = 0, []
        for obj in queryset:
            try:
                func(request.user, obj)
                done += 1
            except (PermissionDenied, *refusals) as exc:
                refused.append(f"{obj}: {' '.join(getattr(exc, 'messages', None) or [str(exc)])}")
        if done:
            modeladmin.message_user(request, f"{verb.capitalize()}: {done} {noun}(s).", messages.SUCCESS)
        for line in refused:
            modeladmin.message_user(request, line, messages.ERROR)

    act.__name__ = f"{verb.replace(' ', '_')}_{noun}s"
    act.short_description = f"{verb.capitalize()} the selected {noun}s"
    act.allowed_permissions = ("change",)
    return act
