"""Channel admin: a live state column, start/stop/restart actions, files and restart history.

Saves and deletes go through catalog (channels) and tokens (access tokens), so
that they are checked by the policies and leave their Events; the state
column follows the "unit.state" events with the core's admin-units.js.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils.html import format_html, format_html_join

from mediasuite.policies import policy_for
from mediasuite.policies.admin import PolicyAdmin, row_action
from mediasuite.supervisor.admin import unit_badge

from . import catalog, logos, pages, paths, playout, tokens
from .models import MAX_NUMBER, AccessToken, Channel, Mode, VideoFile

HISTORY_ROWS = 50
ROW = ('<tr data-event-id="{}"><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>'
       "<td>{}</td></tr>")
TABLE = ('<table class="channel-history"><thead><tr><th>when</th><th>what</th><th>trigger</th><th>file</th>'
         "<th>first segment</th><th>by</th><th>details</th></tr></thead><tbody>{}</tbody></table>")


def _file_change(payload) -> str:
    previous = f"{payload['previous']} -> " if payload.get("previous") else ""
    return previous + (payload.get("file") or "")


def _latency(payload) -> str:
    return f"{payload['first_segment_ms']} ms" if payload.get("first_segment_ms") is not None else ""


class ChannelForm(forms.ModelForm):
    logo = forms.URLField(required=False, assume_scheme="https",
                          help_text="Image URL shown by players (tvg-logo), unless an image is uploaded.")
    logo_upload = forms.FileField(required=False, label="Upload a logo",
                                  help_text="PNG, JPEG, GIF or WebP, at most 2 MiB; stored as a PNG of at "
                                            "most 256x256 and given to players in place of the URL.")
    remove_logo = forms.BooleanField(required=False, label="Remove the uploaded logo")
    number = forms.IntegerField(required=False, min_value=1, max_value=MAX_NUMBER,
                                help_text="Unique; left empty on a new channel, it gets the next free one.")
    mode = forms.ChoiceField(
        required=False, choices=[("", "From the folder (series.txt present: series, else random)"),
                                 *Mode.choices])

    class Meta:
        model = Channel
        fields = ["name", "display_name", "number", "logo", "group", "folder", "mode"]

    def clean_logo_upload(self):
        upload = self.cleaned_data.get("logo_upload")
        if not upload:
            return None
        data = upload.read(logos.MOST_BYTES + 1)
        try:
            logos.read_upload(data)
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["logo"]) from None
        return data

    def clean_number(self):
        number = self.cleaned_data.get("number")
        if number is None and self.instance.pk:
            raise ValidationError("A channel keeps a number; give it a free one.")
        return number

    def clean_folder(self):
        try:
            return paths.clean_folder(self.cleaned_data["folder"])
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["folder"]) from None

    def clean(self):
        data = super().clean()
        if not data.get("mode"):
            if self.instance.pk:
                data["mode"] = self.instance.mode
            elif data.get("folder"):
                data["mode"] = catalog.default_mode(paths.channels_root() / data["folder"])
        return data


def _drive(verb, past, func):
    return row_action(verb, "channel", func, (ValidationError,), done=past,
                      then=" The playout acts within a second or two.", label=lambda channel: channel.name)


class PolicyInline(admin.TabularInline):
    """A read-only inline whose visibility follows the model's policy, not Django's permissions."""

    extra = 0
    can_delete = False
    show_change_link = False

    def has_view_permission(self, request, obj=None):
        return policy_for(self.model).allows(request.user, "view")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class VideoFileInline(PolicyInline):
    model = VideoFile
    fields = ("name", "duration", "video", "audio", "keyframes", "delivery", "reason", "present", "probed_at")
    readonly_fields = fields
    verbose_name_plural = "files (probed once; delivery decided per file)"

    @admin.display(description="video")
    def video(self, obj):
        size = f" {obj.width}x{obj.height}" if obj.width else ""
        fps = f" {obj.fps:.2f} fps" if obj.fps else ""
        return f"{obj.video_codec or '-'}{size}{fps}"

    @admin.display(description="key frames")
    def keyframes(self, obj):
        if not obj.keyframe_interval:
            return "-"
        return f"every {obj.keyframe_interval:.1f} s, segments up to {obj.longest_segment:.1f} s"

    @admin.display(description="audio")
    def audio(self, obj):
        rate = f" {obj.sample_rate} Hz" if obj.sample_rate else ""
        chans = f" {obj.audio_channels} ch" if obj.audio_channels else ""
        return f"{obj.audio_codec or '-'}{rate}{chans}"


def state_badge(channel):
    unit = channel.unit
    if unit is None:
        return "-"
    return unit_badge(unit)


@admin.register(Channel)
class ChannelAdmin(PolicyAdmin):
    domain = catalog
    form = ChannelForm
    list_display = ("name", "display_name", "number", "mode", "live_state", "desired", "now_playing",
                    "last_restart_at")
    list_select_related = ("unit", "current_file")
    list_filter = ("mode", "group")
    search_fields = ("name", "display_name", "group", "folder")
    actions = [_drive("start", "Start requested", playout.start),
               _drive("stop", "Stop requested", playout.stop),
               _drive("restart", "Restart requested", playout.request_restart)]
    inlines = [VideoFileInline]
    status_fields = ("live_state", "desired", "now_playing", "offset", "started_at", "last_restart_at",
                     "problem")

    class Media:
        js = ("mediasuite/admin-units.js",)

    def get_fieldsets(self, request, obj=None):
        sets = [(None, {"fields": ["name", "display_name", "number", "logo", "logo_upload", "remove_logo",
                                   "group", "folder", "mode"]})]
        if obj is not None:
            sets.append(("Playout", {"fields": list(self.status_fields)}))
            sets.append(("Restart history", {"fields": ["restart_history"]}))
        return sets

    def get_readonly_fields(self, request, obj=None):
        return (*self.status_fields, "restart_history", *(("name",) if obj is not None else ()))

    @admin.display(description="state", ordering="unit__state")
    def live_state(self, obj):
        return state_badge(obj)

    @admin.display(description="desired", ordering="unit__desired")
    def desired(self, obj):
        return obj.unit.desired if obj.unit else "-"

    @admin.display(description="last error")
    def problem(self, obj):
        sentence, log = playout.explain(obj)
        return render_to_string("mediasuite/_reason.html", {"sentence": sentence or "none", "log": log,
                                                            "role": "reason"})

    @admin.display(description="now playing")
    def now_playing(self, obj):
        name = obj.current_file.name if obj.current_file else "-"
        return format_html('<span class="admin-truncate" title="{}">{}</span>', name, name)

    @admin.display(description="restart history (newest first)")
    def restart_history(self, obj):
        rows = getattr(obj, "history_events", [])
        if not rows:
            return "No restart yet."
        body = format_html_join("", ROW, ((e.pk, e.created_at.strftime("%Y-%m-%d %H:%M:%S"),
                                           e.kind.removeprefix("channel."), e.payload.get("trigger") or "",
                                           _file_change(e.payload), _latency(e.payload),
                                           e.actor.get_username() if e.actor else "",
                                           e.payload.get("reason") or e.message) for e in rows))
        return format_html(TABLE, body)

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None:
            obj.history_events = pages.history(request.user, obj)[:HISTORY_ROWS]
        return obj

    def save_model(self, request, obj, form, change):
        values = {key: form.cleaned_data[key] for key in catalog.EDITABLE if key in form.cleaned_data}
        if change:
            current = Channel.objects.select_related("unit").get(pk=obj.pk)
            catalog.update(request.user, current, **values)
        else:
            if values.get("number") is None:
                values.pop("number", None)
            current = catalog.create(request.user, name=obj.name, **values)
            obj.pk = obj.id = current.pk
            obj.unit_id = current.unit_id
        if form.cleaned_data.get("logo_upload"):
            logos.upload(request.user, current, form.cleaned_data["logo_upload"])
        elif form.cleaned_data.get("remove_logo") and current.logo_image:
            logos.remove(request.user, current)


@admin.register(AccessToken)
class AccessTokenAdmin(PolicyAdmin):
    """Players' access tokens: revoke (delete) or regenerate; nobody types a key by hand."""

    domain = tokens
    list_display = ("user", "digest_start", "created_at")
    list_select_related = ("user",)
    search_fields = ("user__username",)
    fields = ("user", "digest_start", "created_at")
    readonly_fields = fields
    actions = ["regenerate_tokens"]

    def has_add_permission(self, request):
        return False  # a token is made on the user's first visit to the channels page

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="digest (the token itself is not stored)")
    def digest_start(self, obj):
        return f"{obj.key[:6]}…"

    def delete_model(self, request, obj):
        tokens.revoke(request.user, obj)

    def delete_queryset(self, request, queryset):
        for token in queryset.select_related("user"):
            tokens.revoke(request.user, token)

    @admin.action(description="Regenerate selected tokens (old URLs stop working)", permissions=["delete"])
    def regenerate_tokens(self, request, queryset):
        done = []
        for token in queryset.select_related("user"):
            tokens.regenerate(request.user, token)
            done.append(str(token.user))
        self.message_user(request, f"New access token for: {', '.join(done)}. Their old playlist URLs no "
                          "longer work; they copy the new one from the channels page.", messages.SUCCESS)
