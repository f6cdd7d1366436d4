"""The event log in the admin: read-only, filterable, rows per the Event policy."""

from django.contrib import admin
from django.utils.html import format_html

from ..models import Event
from ..policies.admin import ReadOnlyPolicyAdmin


@admin.register(Event)
class EventAdmin(ReadOnlyPolicyAdmin):
    """Events are history: nobody adds, changes or deletes them here, not even SUPER_ADMIN."""

    list_display = ("id", "created_at", "kind", "subject_type", "subject_id", "club", "actor",
                    "short_message")
    list_display_links = ("id", "created_at")
    list_filter = ("kind", "subject_type", ("club", admin.RelatedOnlyFieldListFilter), "created_at")
    list_select_related = ("club", "actor")
    search_fields = ("subject_id", "message")
    date_hierarchy = "created_at"
    show_full_result_count = False
    fields = ("kind", "subject_type", "subject_id", "club", "owner", "actor", "message", "payload",
              "created_at")
    readonly_fields = fields

    @admin.display(description="message", ordering="message")
    def short_message(self, event):
        """Cut to one line to fit the list; the whole of it in the title and on the event's page."""
        return format_html('<span class="admin-truncate" title="{}">{}</span>', event.message, event.message)
