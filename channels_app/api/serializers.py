from django.urls import reverse
from rest_framework import serializers

from mediasuite.api.fields import OneLine

from .. import logos, playout
from ..models import MAX_NUMBER, Channel, Mode, VideoFile


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
    is_live = serializers.SerializerMethodField(help_text="True while the channel's playout runs.")
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
    pid = serializers.SerializerMethodField(help_text="Process id of the node's unit host, whose thread "
                                                      "plays the channel (its ffmpeg is a child of it).")
    last_restart = serializers.DateTimeField(source="last_restart_at", read_only=True)
    last_error = serializers.SerializerMethodField(help_text="Why the channel does not play, with the "
                                                             "technical detail ('' when it plays).")
    message = serializers.SerializerMethodField(help_text="The same in one sentence for people: what failed "
                                                          "and what to do ('' when all is well).")
    log = serializers.SerializerMethodField(help_text="The last lines of the playout process's log behind "
                                                      "last_error ('' when there are none).")
    stream_url = serializers.SerializerMethodField(help_text="The channel's HLS URL (add ?token=).")
    logo_image = serializers.SerializerMethodField(
        help_text="URL of the uploaded or generated logo (players are given it in place of `logo`); null "
                  "when there is none.")

    class Meta:
        model = Channel
        fields = ["name", "display_name", "number", "logo", "group", "folder", "mode", "state", "desired",
                  "is_live", "viewers", "watchers", "last_updated", "current_file", "current_index", "offset",
                  "duration", "started_at", "pid", "last_restart", "last_error", "message", "log",
                  "stream_url", "logo_image"]
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

    def get_logo_image(self, channel) -> str | None:
        return logos.url(channel, "") if channel.logo_image else None


class ChannelWriteSerializer(serializers.Serializer):
    name = serializers.RegexField(r"^[a-z0-9][a-z0-9_-]{0,63}$", required=True,
                                  help_text="1 to 64 lowercase letters, digits, '-' or '_'.")
    folder = OneLine(max_length=500, help_text="Relative to MEDIASUITE_CHANNELS_DIR.")
    display_name = OneLine(max_length=200, required=False, allow_blank=True)
    number = serializers.IntegerField(min_value=1, max_value=MAX_NUMBER, required=False, allow_null=True,
                                      help_text="Unique; left out, the channel gets the next free number.")
    logo = serializers.URLField(required=False, allow_blank=True)
    group = OneLine(max_length=100, required=False, allow_blank=True)
    mode = serializers.ChoiceField(choices=Mode.choices, required=False,
                                   help_text="Default: series when the folder holds series.txt, else random.")


class ChannelChangeSerializer(ChannelWriteSerializer):
    name = None
    number = serializers.IntegerField(min_value=1, max_value=MAX_NUMBER, required=False,
                                      help_text="Unique among the channels.")

    def __init__(self, *args, **kwargs):
        kwargs["partial"] = True
        super().__init__(*args, **kwargs)


class PlaySerializer(serializers.Serializer):
    file = OneLine(max_length=500, help_text="A file name from the channel's list of files.")


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


class ProgrammeSerializer(serializers.Serializer):
    title = serializers.CharField()
    start = serializers.DateTimeField()
    stop = serializers.DateTimeField()
    file = serializers.CharField(allow_null=True, help_text="The file played; null when nothing is known.")
    url = serializers.CharField(help_text="The page of the file (the channel's page, at the file).")


class GuideChannelSerializer(serializers.Serializer):
    name = serializers.CharField()
    title = serializers.CharField()
    number = serializers.IntegerField(allow_null=True)
    group = serializers.CharField()
    logo = serializers.CharField(help_text="The logo's URL ('' when none).")
    url = serializers.CharField()
    programmes = ProgrammeSerializer(many=True)


class GuideSerializer(serializers.Serializer):
    now = serializers.DateTimeField()
    hours = serializers.FloatField()
    channels = GuideChannelSerializer(many=True)


class GuideQuerySerializer(serializers.Serializer):
    hours = serializers.FloatField(min_value=0.5, max_value=24, default=3,
                                   help_text="How many hours from now (0.5 to 24).")


class LogoSerializer(serializers.Serializer):
    logo = serializers.FileField(help_text="A PNG, JPEG, GIF or WebP image of at most 2 MiB.")
