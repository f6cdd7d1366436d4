"""The admin of Settings → Connections; imported by mediasuite/admin.py.

One row per integration (created from the registry when the list opens).
The change form has one field per setting: secrets are password fields that
are never filled back (empty keeps the saved one), a field set by the
environment is shown read-only. Saving and the "Test" action go through
mediasuite/clients/connections.py, as the page and the API do.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from . import config
from .clients import connections
from .models import Connection
from .policies.admin import PolicyAdmin, row_action


def _form_for(integration: connections.Integration) -> type[forms.Form]:
    shown = {f["name"]: f for f in connections.describe(integration)["fields"]}
    fields = {}
    for item in integration.fields:
        state = shown[item.name]
        if state["source"] == config.ENVIRONMENT:
            help_text = "Set by the environment; change it there."
            fields[item.name] = forms.CharField(label=item.label, required=False, disabled=True,
                                                initial="set" if item.secret else state["value"],
                                                help_text=help_text)
        elif item.secret:
            kept = f"Set (ends in {state['last4']}); empty keeps it." if state["last4"] else \
                "Set; empty keeps it." if state["set"] else "Not set."
            widget = forms.Textarea(attrs={"rows": 3}) if item.kind == config.KEY else \
                forms.PasswordInput(render_value=False)
            fields[item.name] = forms.CharField(label=item.label, required=False, widget=widget,
                                                strip=item.kind != config.KEY,
                                                help_text=f"{kept} {item.help}".strip())
            if state["set"]:
                fields[f"clear_{item.name}"] = forms.BooleanField(
                    label=f"Remove the saved {item.label.lower()}", required=False)
        else:
            fields[item.name] = forms.CharField(label=item.label, required=False, initial=state["value"],
                                                help_text=item.help or (f"Default: {item.default}"
                                                                        if item.default else ""))
    return type(f"{integration.name.capitalize()}Form", (forms.ModelForm,),
                {**fields, "Meta": type("Meta", (), {"model": Connection, "fields": []})})


def _test(actor, row: Connection):
    result = connections.test(row.name)
    if not result["ok"]:
        raise ValidationError(result["message"])


@admin.register(Connection)
class ConnectionAdmin(PolicyAdmin):
    list_display = ("name", "label", "state", "updated_at", "tested_at", "test_message")
    actions = [row_action("test", "connection", _test, (ValidationError, LookupError), done="works",
                          label=lambda row: row.name)]

    def get_queryset(self, request):
        Connection.objects.bulk_create([Connection(name=item.name) for item in connections.integrations()],
                                       ignore_conflicts=True)
        return super().get_queryset(request)

    def has_add_permission(self, request):
        return False  # integrations come from the registry

    def has_delete_permission(self, request, obj=None):
        return False

    def get_fields(self, request, obj=None):
        return list(self.get_form(request, obj).base_fields)

    def get_form(self, request, obj=None, change=False, **kwargs):
        return _form_for(connections.get(obj.name)) if obj is not None else super().get_form(request, obj)

    def save_model(self, request, obj, form, change):
        integration = connections.get(obj.name)
        data = form.cleaned_data
        values = {f.name: data.get(f.name, "") for f in integration.fields if f.name in form.changed_data
                  or (not f.secret and f.name in data and not form.fields[f.name].disabled)}
        clear = [f.name for f in integration.fields if data.get(f"clear_{f.name}")]
        try:
            connections.save(request.user, obj.name, values, clear)
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                self.message_user(request, f"{name}: {' '.join(messages)}", level="error")

    def save_form(self, request, form, change):
        return form.instance

    def save_related(self, request, form, formsets, change):
        return None

    @admin.display(description="integration")
    def label(self, obj):
        try:
            return connections.get(obj.name).label
        except LookupError:
            return f"{obj.name} (no longer installed)"

    @admin.display(description="state")
    def state(self, obj):
        try:
            configured = connections.get(obj.name).configured
        except LookupError:
            return "-"
        state = connections.state_of(configured, obj.test_ok if obj.tested_at else None)
        return mark_safe(render_to_string("mediasuite/_connection_badge.html",
                                          {"c": {"state": state, "test": {"message": obj.test_message}}}))
