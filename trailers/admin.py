"""Trailer entries in the admin: status column; lock, unlock, refresh, download through the domain."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.html import format_html

from mediasuite.clients.http import ServiceError
from mediasuite.errors import Conflict
from mediasuite.policies.admin import PolicyAdmin, row_action

from . import download, locks, refresh
from .models import TrailerEntry

COLOURS = {"LOCKED": "#198754", "UNLOCKED": "#0d6efd", "NONE": "#dc3545"}  # success, primary, danger


def _each(verb, func):
    return row_action(verb, "trailer", func, (ValidationError, ServiceError))


def _lock_first(actor, entry):
    if not entry.candidates:
        raise Conflict("no cached candidate to lock; refresh it first.")
    locks.lock_trailer(entry.media_type, entry.external_id, entry.candidates[0]["video_id"], actor)


def refresh_trailers(modeladmin, request, queryset):
    items = [{"media_type": e.media_type, "external_id": e.external_id, "title": e.title, "year": e.year}
             for e in queryset[:refresh.MAX_ITEMS]]
    count = refresh.queue_refresh(items, request.user)
    modeladmin.message_user(request, f"Trailer search queued for {count} media (one background job).",
                            messages.SUCCESS)


refresh_trailers.short_description = "Search the selected trailers again (background job)"
refresh_trailers.allowed_permissions = ("change",)


@admin.register(TrailerEntry)
class TrailerEntryAdmin(PolicyAdmin):
    domain = locks
    list_display = ("__str__", "media_type", "external_id", "live_status", "locked_title", "candidate_count",
                    "fetched_at", "download_state")
    list_filter = ("status", "media_type", "download_state")
    search_fields = ("title", "locked_title", "locked_video_id")
    actions = [_each("lock first candidate", _lock_first),
               _each("unlock", lambda actor, e: locks.unlock_trailer(e.media_type, e.external_id, actor)),
               refresh_trailers,
               _each("download",
                     lambda actor, e: download.queue_download(e.media_type, e.external_id, actor))]
    fields = ("media_type", "external_id", "title", "year", "status", "locked_video_id", "locked_title",
              "locked_channel", "locked_duration", "locked_url", "locked_thumbnail", "locked_at",
              "candidates", "fetched_at", "ttl", "media_path", "download_state", "download_progress",
              "download_path", "download_error", "extra", "created_at")
    readonly_fields = tuple(f for f in fields if f not in ("title", "year", "media_path"))

    class Media:
        js = ("trailers/admin-trailers.js",)  # live.js comes with every admin page (base_site.html)

    def has_add_permission(self, request):
        return False

    @admin.display(description="status", ordering="status")
    def live_status(self, entry):
        return format_html('<strong style="color: {}" data-trailer-status="{}">{}</strong>',
                           COLOURS[entry.status], entry.pk, entry.status)

    @admin.display(description="candidates")
    def candidate_count(self, entry):
        return len(entry.candidates)
