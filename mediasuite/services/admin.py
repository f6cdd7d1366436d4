"""Admin screens of background services; imported by mediasuite/admin.py.

ServiceState: a live "active" badge (services.js follows the "service.*"
events), Start/Stop actions through control.py; only the interval is
editable. TrackPlay: read-only.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.html import format_html, format_html_join

from .. import reasons, states
from ..models import ServiceState, TrackPlay
from ..policies.admin import PolicyAdmin, ReadOnlyPolicyAdmin, row_action
from . import control, registry


def _drive(func, verb, past):
    return row_action(verb, "service", lambda actor, state: func(actor, state.name),
                      (LookupError, ValidationError), done=past, label=lambda state: state.name)


def badge(state: ServiceState):
    shown = "active" if state.is_active else "stopped"
    return format_html('<span class="badge {}" data-service="{}" data-role="badge">{}</span>',
                       states.css_class(shown), state.name, shown)


class ServiceStateForm(forms.ModelForm):
    class Meta:
        model = ServiceState
        fields = ["interval"]

    def clean_interval(self):
        try:
            return control.validate_interval(self.cleaned_data["interval"])
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["interval"]) from None


@admin.register(ServiceState)
class ServiceStateAdmin(PolicyAdmin):
    domain = control
    list_display = ("name", "label", "active", "interval", "last_check", "counter_list", "short_error")
    search_fields = ("name",)
    fields = ("name", "label", "is_active", "interval", "last_check", "counters", "last_error",
              "last_updated", "runner_until")
    readonly_fields = ("name", "label", "is_active", "last_check", "counters", "last_error", "last_updated",
                       "runner_until")
    actions = [_drive(control.start, "start", "started"), _drive(control.stop, "stop", "stopped")]
    form = ServiceStateForm

    class Media:
        js = ["mediasuite/services.js"]

    def has_add_permission(self, request):
        return False  # services come from the registry

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="service")
    def label(self, obj):
        try:
            return registry.get(obj.name).label
        except LookupError:
            return f"{obj.name} (no longer registered)"

    @admin.display(description="state", ordering="is_active")
    def active(self, obj):
        return badge(obj)

    @admin.display(description="counters")
    def counter_list(self, obj):
        return format_html_join(", ", "{}: {}", sorted((obj.counters or {}).items())) or "-"

    @admin.display(description="last error")
    def short_error(self, obj):
        """The sentence, cut to fit the list; the error itself in the title and on the service's page."""
        sentence = reasons.service_sentence(self.label(obj), obj.last_error, obj.interval)
        return format_html('<span class="admin-truncate" title="{}">{}</span>', obj.last_error, sentence)

    def save_model(self, request, obj, form, change):
        control.set_interval(request.user, obj.name, obj.interval)



@admin.register(TrackPlay)
class TrackPlayAdmin(ReadOnlyPolicyAdmin):
    list_display = ("played_at", "artist", "track", "album", "user")
    list_filter = ("user",)
    search_fields = ("artist", "track", "album")
    date_hierarchy = "played_at"
    show_full_result_count = False
