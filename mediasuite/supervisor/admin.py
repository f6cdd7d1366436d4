"""Admin screens of this part of the core; imported by mediasuite/admin.py.

Units: a live state column (admin-units.js follows the "unit.state" events),
start/stop/restart actions through control.py; only the desired state is
editable. Leases and supervisor nodes: read-only, SUPER_ADMIN only.
"""

from django import forms
from django.contrib import admin
from django.template.loader import render_to_string
from django.utils.html import format_html

from .. import reasons, states
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
    list_display = ("name", "kind", "desired", "live_state", "node", "pid", "since", "failures",
                    "short_reason")
    list_filter = ("state", "desired", "kind")
    list_select_related = ("lease",)
    search_fields = ("name", "kind")
    actions = [_drive(control.start, "start"), _drive(control.stop, "stop"),
               _drive(control.restart, "restart")]
    fields = ("name", "kind", "desired", "live_state", "explained", "pid", "started_at", "exit_code",
              "consecutive_failures", "next_attempt_at", "restart_requested_at", "club", "owner", "config",
              "state_changed_at")
    readonly_fields = tuple(f for f in fields if f != "desired")

    class Media:
        js = ("mediasuite/admin-units.js",)

    def has_add_permission(self, request):
        return False

    @admin.display(description="state", ordering="state")
    def live_state(self, unit):
        return unit_badge(unit)

    @admin.display(description="reason")
    def explained(self, unit):
        sentence, log = reasons.for_unit(unit), reasons.split(unit.reason)[1]
        return render_to_string("mediasuite/_reason.html", {"sentence": sentence, "log": log,
                                                            "role": "reason"})

    @admin.display(description="since", ordering="state_changed_at")
    def since(self, unit):
        return unit.state_changed_at

    @admin.display(description="failures", ordering="consecutive_failures")
    def failures(self, unit):
        return unit.consecutive_failures

    @admin.display(description="node")
    def node(self, unit):
        try:
            return unit.lease.node
        except Lease.DoesNotExist:
            return "-"

    @admin.display(description="reason")
    def short_reason(self, unit):
        """The sentence, cut to fit the list; all of it (and the log) in the title and the unit's page."""
        sentence = reasons.for_unit(unit)
        return format_html('<span class="admin-truncate" data-unit-reason="{}" title="{}">{}</span>', unit.pk,
                           unit.reason, sentence)


def unit_badge(unit):
    """The unit's state, live in every admin list (admin-units.js follows its "unit.state" events)."""
    return format_html('<span class="{}" data-unit-id="{}" data-unit-state>{}</span>',
                       states.css_class(unit.state), unit.pk, unit.state)


@admin.register(Lease)
class LeaseAdmin(ReadOnlyPolicyAdmin):
    list_display = ("unit", "node", "pid", "acquired_at", "heartbeat_at")
    list_select_related = ("unit",)
    search_fields = ("unit__name", "node")


@admin.register(SupervisorNode)
class SupervisorNodeAdmin(ReadOnlyPolicyAdmin):
    list_display = ("name", "hostname", "pid", "started_at", "heartbeat_at")
