"""Admin screens of this part of the core; imported by mediasuite/admin.py.

Units: a live state column (admin-units.js follows the "unit.state" events),
start/stop/restart actions through control.py; only the desired state is
editable. Leases and supervisor nodes: read-only, SUPER_ADMIN only.
"""

from django import forms
from django.contrib import admin
from django.utils.html import format_html

from ..models import Desired, Lease, SupervisorNode, Unit
from ..policies.admin import PolicyAdmin, ReadOnlyPolicyAdmin, row_action
from . import control


def _drive(func, verb):
    return row_action(verb, "unit", func, done=f"{verb} requested",
                      then=" The supervisor acts within a second.", label=lambda unit: unit.name)


class UnitForm(forms.ModelForm):
    def clean_desired(self):
        """A start the unit's owner refuses (control.refusal) is a form error, not a 403 page."""
        desired = self.cleaned_data["desired"]
        if desired == Desired.RUNNING and self.instance.desired != Desired.RUNNING:
            why = control.refusal(self.instance)
            if why:
                raise forms.ValidationError(why)
        return desired


@admin.register(Unit)
class UnitAdmin(PolicyAdmin):
    domain = control
    form = UnitForm
    list_display = ("name", "kind", "desired", "live_state", "node", "pid", "state_changed_at",
                    "consecutive_failures", "short_reason")
    list_filter = ("state", "desired", "kind")
    list_select_related = ("lease",)
    search_fields = ("name", "kind")
    actions = [_drive(control.start, "start"), _drive(control.stop, "stop"),
               _drive(control.restart, "restart")]
    fields = ("name", "kind", "desired", "state", "reason", "pid", "started_at", "exit_code",
              "consecutive_failures", "next_attempt_at", "restart_requested_at", "club", "owner", "config",
              "state_changed_at")
    readonly_fields = tuple(f for f in fields if f != "desired")

    class Media:
        js = ("mediasuite/admin-units.js",)

    def has_add_permission(self, request):
        return False

    @admin.display(description="state", ordering="state")
    def live_state(self, unit):
        return format_html(
            '<span class="unit-state unit-state-{}" data-unit-id="{}" data-unit-state>{}</span>',
            unit.state, unit.pk, unit.state)

    @admin.display(description="node")
    def node(self, unit):
        try:
            return unit.lease.node
        except Lease.DoesNotExist:
            return "-"

    @admin.display(description="reason")
    def short_reason(self, unit):
        first = unit.reason.splitlines()[0] if unit.reason else ""
        return format_html('<span data-unit-reason="{}" title="{}">{}</span>', unit.pk, unit.reason,
                           first[:80])


@admin.register(Lease)
class LeaseAdmin(ReadOnlyPolicyAdmin):
    list_display = ("unit", "node", "pid", "acquired_at", "heartbeat_at")
    list_select_related = ("unit",)
    search_fields = ("unit__name", "node")


@admin.register(SupervisorNode)
class SupervisorNodeAdmin(ReadOnlyPolicyAdmin):
    list_display = ("name", "hostname", "pid", "started_at", "heartbeat_at")
