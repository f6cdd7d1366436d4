"""Admin: courts (edited through recorder.courts), sessions (close), recordings (live state, stop)."""

from django.contrib import admin
from django.utils.html import format_html

from mediasuite.policies.admin import PolicyAdmin, ReadOnlyPolicyAdmin, row_action

from . import courts, recording, sessions, storage
from .models import CameraSession, ClubStorage, Court, Recording


@admin.register(Court)
class CourtAdmin(PolicyAdmin):
    domain = courts
    list_display = ["name", "club", "camera_kind", "camera_url", "enabled"]
    list_filter = ["camera_kind", "enabled"]
    search_fields = ["name", "club__name"]


close_sessions = row_action("close", "session", sessions.close)
stop_recordings = row_action("stop", "recording", recording.stop)


@admin.register(CameraSession)
class CameraSessionAdmin(ReadOnlyPolicyAdmin):
    list_display = ["session_id", "court", "user", "created_at", "last_activity", "closed_at"]
    list_filter = ["court__club"]
    actions = [close_sessions]

    def has_change_permission(self, request, obj=None):
        return self.policy.allows(request.user, "change", obj)

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]


@admin.register(Recording)
class RecordingAdmin(ReadOnlyPolicyAdmin):
    list_display = ["session", "court", "user", "live_state", "started_at", "stopped_at", "duration", "size",
                    "stop_reason"]
    list_filter = ["state", "club"]
    actions = [stop_recordings]

    def has_change_permission(self, request, obj=None):
        return self.policy.allows(request.user, "stop", obj)

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    @admin.display(description="state", ordering="state")
    def live_state(self, obj):
        return format_html('<span data-live-recording="{}">{}</span>', obj.session.session_id, obj.state)

    class Media:
        js = ("recorder/admin-recordings.js",)


@admin.register(ClubStorage)
class ClubStorageAdmin(PolicyAdmin):
    domain = storage
    list_display = ["club", "retention_days", "quota_gb"]
