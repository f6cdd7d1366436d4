from django.urls import reverse
from rest_framework import serializers

from .. import playout
from ..models import Channel, Mode, VideoFile


class VideoFileSerializer(serializers.ModelSerializer):
    class Meta:
        model = VideoFile
        fields = ["id", "name", "duration", "video_codec", "audio_codec", "width", "height", "fps",
                  "sample_rate", "audio_channels", "keyframe_interval", "longest_segment", "delivery",
                  "reason", "present", "probed_at"]
        read_only_fields = fields


class ChannelStatusSerializer(serializers.ModelSerializer):
    """A channel and its live status (the original system's status fields, and more)."""

    state = serializers.SerializerMethodField(
        help_text="The playout unit's state: stopped, starting, running, backoff, stopping or failed.")
    desired = serializers.SerializerMethodField(help_text="running or stopped.")
    is_live = serializers.SerializerMethodField(help_text="True while the playout process runs.")
    viewers = serializers.SerializerMethodField(
        help_text="Distinct player sessions (one per playlist URL handed out by live.m3u8, never the IP "
                  "alone) that fetched a segment in the last two segment durations.")
    watchers = serializers.SerializerMethodField(
        help_text="Dashboard clients with the channel's preview open (same rule, preview sessions).")
    last_updated = serializers.DateTimeField(source="updated_at", read_only=True,
                                             help_text="Last change of the channel or its cursor.")
    current_file = serializers.SerializerMethodField()
    current_index = serializers.SerializerMethodField(help_text="Position of the current file in the "
                                                                "channel's natural order.")
    duration = serializers.SerializerMethodField(help_text="Duration of the current file (seconds).")
    pid = serializers.SerializerMethodField(help_text="Process id of the playout process.")
    last_restart = serializers.DateTimeField(source="last_restart_at", read_only=True)
    last_error = serializers.SerializerMethodField(help_text="Why the channel does not play, with the "
                                                             "technical detail ('' when it plays).")
    message = serializers.SerializerMethodField(help_text="The same in one sentence for people: what failed "
                                                          "and what to do ('' when all is well).")
    log = serializers.SerializerMethodField(help_text="The last lines of the playout process's log behind "
                                                      "last_error ('' when there are none).")
    stream_url = serializers.SerializerMethodField(help_text="The channel's HLS URL (add ?token=).")

    class Meta:
        model = Channel
        fields = ["name", "display_name", "number", "logo", "group", "folder", "mode", "state", "desired",
                  "is_live", "viewers", "watchers", "last_updated", "current_file", "current_index", "offset",
                  "duration", "started_at", "pid", "last_restart", "last_error", "message", "log",
                  "stream_url"]
        read_only_fields = fields

    def _counts(self, channel):
        return self.context.get("counts", {}).get(channel.pk, (0, 0))

    def get_state(self, channel) -> str:
        return channel.unit.state if channel.unit else "stopped"

    def get_desired(self, channel) -> str:
        return channel.unit.desired if channel.unit else "stopped"

    def get_is_live(self, channel) -> bool:
        return bool(channel.unit and channel.unit.state == "running")

    def get_viewers(self, channel) -> int:
        return self._counts(channel)[0]

    def get_watchers(self, channel) -> int:
        return self._counts(channel)[1]

    def get_current_file(self, channel) -> str | None:
        return channel.current_file.name if channel.current_file else None

    def get_current_index(self, channel) -> int | None:
        order = self.context.get("order", {}).get(channel.pk, [])
        return order.index(channel.current_file_id) if channel.current_file_id in order else None

    def get_duration(self, channel) -> float | None:
        return channel.current_file.duration if channel.current_file else None

    def get_pid(self, channel) -> int | None:
        return channel.unit.pid if channel.unit and channel.unit.state == "running" else None

    def get_last_error(self, channel) -> str:
        if channel.last_error:
            return channel.last_error
        return channel.unit.reason if channel.unit and channel.unit.state in ("backoff", "failed") else ""

    def get_message(self, channel) -> str:
        return playout.explain(channel)[0]

    def get_log(self, channel) -> str:
        return playout.explain(channel)[1]

    def get_stream_url(self, channel) -> str:
        return reverse("channel-live", args=[channel.name])


class ChannelWriteSerializer(serializers.Serializer):
    name = serializers.RegexField(r"^[a-z0-9][a-z0-9_-]{0,63}$", required=True,
                                  help_text="1 to 64 lowercase letters, digits, '-' or '_'.")
    folder = serializers.CharField(max_length=500, help_text="Relative to MEDIASUITE_CHANNELS_DIR.")
    display_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    number = serializers.IntegerField(min_value=1, max_value=99999, required=False, allow_null=True)
    logo = serializers.URLField(required=False, allow_blank=True)
    group = serializers.CharField(max_length=100, required=False, allow_blank=True)
    mode = serializers.ChoiceField(choices=Mode.choices, required=False,
                                   help_text="Default: series when the folder holds series.txt, else random.")


class ChannelChangeSerializer(ChannelWriteSerializer):
    name = None

    def __init__(self, *args, **kwargs):
        kwargs["partial"] = True
        super().__init__(*args, **kwargs)


class PlaySerializer(serializers.Serializer):
    file = serializers.CharField(max_length=500, help_text="A file name from the channel's list of files.")


class RestartSerializer(serializers.Serializer):
    status = serializers.CharField(help_text="restarting")
    channel = serializers.CharField()
    message = serializers.CharField()
    requested_at = serializers.DateTimeField()


class RestartAllSerializer(serializers.Serializer):
    status = serializers.CharField()
    channels = serializers.ListField(child=serializers.CharField())
    skipped = serializers.DictField(child=serializers.CharField(),
                                    help_text="Channels not restarted, with the reason.")
