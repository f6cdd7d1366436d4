"""Torrents in the admin: live state column, retry / ignore / remove actions through the domain module."""

from django.contrib import admin
from django.utils.html import format_html

from mediasuite import states
from mediasuite.policies.admin import PolicyAdmin, row_action

from . import lifecycle
from .clients.rtorrent import RtorrentError
from .models import Torrent


def _drive(func, verb):
    return row_action(verb, "torrent", func, (RtorrentError,))


@admin.register(Torrent)
class TorrentAdmin(PolicyAdmin):
    domain = lifecycle
    list_display = ("short_name", "title", "live_state", "remote", "transfer", "short_reason", "since")
    list_filter = ("state", "media_type")
    search_fields = ("name", "infohash", "title")
    actions = [_drive(lifecycle.retry, "retry"), _drive(lifecycle.ignore, "ignore"),
               _drive(lifecycle.remove, "remove")]
    fields = ("infohash", "name", "media_type", "tmdb_id", "tvdb_id", "title", "year", "season", "label",
              "state", "reason", "attempts", "next_retry_at", "failed_from", "worker", "heartbeat_at",
              "size_bytes", "left_bytes", "ratio", "base_path", "files", "transferred_bytes", "bytes_freed",
              "extra", "key", "created_at", "state_changed_at")
    readonly_fields = tuple(f for f in fields if f not in ("title", "year", "season", "tmdb_id", "tvdb_id",
                                                           "media_type", "label"))

    class Media:
        js = ("seedbox/admin-torrents.js",)  # live.js comes with every admin page (base_site.html)

    def has_add_permission(self, request):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).defer("torrent_file")

    @admin.display(description="state", ordering="state")
    def live_state(self, torrent):
        return format_html('<span class="{}" data-torrent-state="{}">{}</span>',
                           states.css_class(torrent.state), torrent.pk, torrent.state)

    @admin.display(description="name", ordering="name")
    def short_name(self, torrent):
        return format_html('<span class="admin-truncate" title="{}">{}</span>', torrent.name, torrent.name)

    @admin.display(description="since", ordering="state_changed_at")
    def since(self, torrent):
        return torrent.state_changed_at

    @admin.display(description="seedbox")
    def remote(self, torrent):
        return f"{torrent.remote_progress}%"

    @admin.display(description="transfer")
    def transfer(self, torrent):
        return format_html('<span data-torrent-transfer="{}">{}%</span>', torrent.pk,
                           torrent.transfer_progress)

    @admin.display(description="reason")
    def short_reason(self, torrent):
        return format_html('<span class="admin-truncate" data-torrent-reason="{}" title="{}">{}</span>',
                           torrent.pk, torrent.reason, torrent.reason)
