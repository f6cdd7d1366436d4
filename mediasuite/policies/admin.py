"""Admin adapter: every admin screen asks the model's policy, never Django's perms."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import get_fields_from_path
from django.core.exceptions import PermissionDenied
from django.db.models import Q

from .. import accounts
from ..errors import Conflict
from ..text import refuse_control_characters
from .base import policy_for


def one_line_input(field) -> bool:
    """A form field typed on one line: a text input, not a password, a text area or a choice."""
    return (isinstance(field, forms.CharField) and not field.disabled
            and not isinstance(field.widget, forms.PasswordInput | forms.Textarea | forms.HiddenInput))


class PolicyRelatedFieldListFilter(admin.RelatedFieldListFilter):
    """A list filter on a related model offering only the rows the viewer may see.

    Django's own lists every row with its name (every club to a club admin).
    """

    def field_choices(self, field, request, model_admin):
        ordering = self.field_admin_ordering(field, request, model_admin)
        visible = policy_for(field.related_model).queryset(request.user, "view")
        return field.get_choices(include_blank=False, ordering=ordering,
                                 limit_choices_to=Q(pk__in=visible.values("pk")))


def _policy_list_filter(model, item):
    if not isinstance(item, str):
        return item
    field = get_fields_from_path(model, item)[-1]
    if not field.is_relation:
        return item
    try:
        policy_for(field.related_model)
    except LookupError:
        return item
    return (item, PolicyRelatedFieldListFilter)


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

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        """One-line text inputs refuse control characters, as the API does (`mediasuite.text`)."""
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if one_line_input(field):
            field.validators.append(refuse_control_characters)
        return field

    def get_list_filter(self, request):
        """Relational list filters offer only what the viewer may see (PolicyRelatedFieldListFilter)."""
        return [_policy_list_filter(self.model, item) for item in super().get_list_filter(request)]

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


def row_action(verb: str, noun: str, func, refusals: tuple = (), *, done: str = "", then: str = "",
               label=str):
    """An admin action applying the domain function `func(actor, obj)` to each selected row.

    Each row is its own error boundary: a row refused (PermissionDenied, Conflict or one
    of `refusals`) is reported with its reason and the others go on. The
    messages name the rows: "<done>: a, b.<then>" and "Could not <verb>: c (why)."
    (`done` defaults to the verb, `label` to str). Named `<verb>_<noun>s` ("retry_torrents").
    """

    def act(modeladmin, request, queryset):
        acted, refused = [], []
        for obj in queryset:
            try:
                func(request.user, obj)
                acted.append(label(obj))
            except (PermissionDenied, Conflict, *refusals) as exc:
                refused.append(f"{label(obj)} ({' '.join(getattr(exc, 'messages', None) or [str(exc)])})")
        if acted:
            modeladmin.message_user(request, f"{(done or verb).capitalize()}: {', '.join(acted)}.{then}",
                                    messages.SUCCESS)
        if refused:
            modeladmin.message_user(request, f"Could not {verb}: {'; '.join(refused)}.", messages.ERROR)

    act.__name__ = f"{verb.replace(' ', '_')}_{noun}s"
    act.short_description = f"{verb.capitalize()} the selected {noun}s"
    act.allowed_permissions = ("change",)
    return act
