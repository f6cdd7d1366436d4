"""The event log in the admin: read-only, filterable, rows per the Event policy."""

from django.contrib import admin

from ..models import Event
from ..policies.admin import ReadOnlyPolicyAdmin


@admin.register(Event)
class EventAdmin(ReadOnlyPolicyAdmin):
    """Events are history: nobody adds, changes or deletes them here, not even SUPER_ADMIN."""

    list_display = ("id", "created_at", "kind", "subject_type", "subject_id", "club", "actor", "message")
    list_display_links = ("id", "created_at")
    list_filter = ("kind", "subject_type", ("club", admin.RelatedOnlyFieldListFilter), "created_at")
    list_select_related = ("club", "actor")
    search_fields = ("subject_id", "message")
    date_hierarchy = "created_at"
    show_full_result_count = False
    fields = ("kind", "subject_type", "subject_id", "club", "owner", "actor", "message", "payload",
              "created_at")
    readonly_fields = fields
