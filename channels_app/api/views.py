"""Channels API: list, status, create/edit/delete, restart, play a file, start/stop."""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from mediasuite.api.errors import ErrorSerializer
from mediasuite.policies.drf import PolicyFilterBackend, PolicyPermission

from .. import catalog, listings, logos, playout, selection, viewers
from ..models import Channel, Delivery, VideoFile
from .serializers import (
    ChannelChangeSerializer,
    ChannelStatusSerializer,
    ChannelWriteSerializer,
    GuideQuerySerializer,
    GuideSerializer,
    LogoSerializer,
    PlaySerializer,
    RestartAllSerializer,
    RestartSerializer,
    VideoFileSerializer,
)

NAME_REGEX = r"[a-z0-9][a-z0-9_-]{0,63}"
ERRORS = {403: ErrorSerializer, 404: ErrorSerializer}


def channels_queryset():
    return Channel.objects.select_related("unit", "current_file").prefetch_related(
        Prefetch("files", queryset=VideoFile.objects.filter(present=True).exclude(delivery=Delivery.SKIP)
                 .exclude(duration=None), to_attr="playable_files"))


def status_context(channels) -> dict:
    return {"counts": viewers.counts([c.pk for c in channels]),
            "order": {c.pk: [v.pk for v in selection.ordered(c.playable_files)] for c in channels}}


class ChannelViewSet(viewsets.GenericViewSet):
    """IPTV channels. Every signed-in user may read them; SUPER_ADMIN creates, edits and drives them."""

    permission_classes = [PolicyPermission]
    filter_backends = [PolicyFilterBackend]
    serializer_class = ChannelStatusSerializer
    lookup_field = "name"
    lookup_value_regex = NAME_REGEX
    pagination_class = None
    policy_actions = {"restart": "change", "play": "change", "start": "change", "stop": "change",
                      "restart_all": "change", "create": "add", "partial_update": "change",
                      "destroy": "delete", "channel_status": "view", "files": "view", "guide": "view",
                      "logo": "change"}
    extra_error_codes = ("409",)

    def get_queryset(self):
        return channels_queryset()

    def _status(self, channel, code=200):
        channel = channels_queryset().get(pk=channel.pk)
        return Response(ChannelStatusSerializer(channel, context=status_context([channel])).data, status=code)

    @extend_schema(responses={200: ChannelStatusSerializer(many=True)},
                   summary="Every channel with its status")
    def list(self, request):
        channels = list(self.filter_queryset(self.get_queryset()))
        return Response(ChannelStatusSerializer(channels, many=True, context=status_context(channels)).data)

    @extend_schema(responses={200: ChannelStatusSerializer, **ERRORS}, summary="A channel and its status")
    def retrieve(self, request, name=None):
        return self._status(self.get_object())

    @extend_schema(responses={200: ChannelStatusSerializer, **ERRORS}, summary="A channel's live status")
    @action(detail=True, methods=["get"], url_path="status", url_name="status")
    def channel_status(self, request, name=None):
        return self._status(self.get_object())

    @extend_schema(responses={200: VideoFileSerializer(many=True), **ERRORS},
                   summary="A channel's files, with the probe result and copy/transcode reason")
    @action(detail=True, methods=["get"])
    def files(self, request, name=None):
        channel = self.get_object()
        files = selection.ordered(channel.files.filter(present=True))
        return Response(VideoFileSerializer(files, many=True).data)

    @extend_schema(request=ChannelWriteSerializer,
                   responses={201: ChannelStatusSerializer, 400: ErrorSerializer, 403: ErrorSerializer},
                   summary="Create a channel from a folder under the channels root")
    def create(self, request):
        serializer = ChannelWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        channel = catalog.create(request.user, **serializer.validated_data)
        return self._status(channel, status.HTTP_201_CREATED)

    @extend_schema(request=ChannelChangeSerializer,
                   responses={200: ChannelStatusSerializer, 400: ErrorSerializer, **ERRORS},
                   summary="Edit a channel")
    def partial_update(self, request, name=None):
        channel = self.get_object()
        serializer = ChannelChangeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        catalog.update(request.user, channel, **serializer.validated_data)
        return self._status(channel)

    @extend_schema(request=None, responses={204: None, **ERRORS}, summary="Delete a channel (not its files)")
    def destroy(self, request, name=None):
        catalog.delete(request.user, self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _restart(self, request, channel, file=None):
        channel = playout.request_restart(request.user, channel, file=file)
        what = f"{file.name} starts" if file else "the next file starts"
        return Response({"status": "restarting", "channel": channel.name,
                         "message": f"Channel {channel.name} is restarting; {what} within a second or two.",
                         "requested_at": channel.restart_requested_at}, status=status.HTTP_202_ACCEPTED)

    @extend_schema(request=None, responses={202: RestartSerializer, 409: ErrorSerializer, **ERRORS},
                   summary="Restart a channel on its next file",
                   description="Stops ffmpeg cleanly, empties the channel's HLS folder, moves to the next "
                               "file (series: the next in order, wrapping; random: another file) and "
                               "starts again. The result arrives as a `channel.restarted` event with the "
                               "time to the first new segment. 409 when the channel has no playable video.")
    @action(detail=True, methods=["post"])
    def restart(self, request, name=None):
        return self._restart(request, self.get_object())

    @extend_schema(request=PlaySerializer, responses={202: RestartSerializer, 400: ErrorSerializer, **ERRORS},
                   summary="Play a chosen file of the channel now")
    @action(detail=True, methods=["post"])
    def play(self, request, name=None):
        channel = self.get_object()
        serializer = PlaySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        file = channel.files.filter(name=serializer.validated_data["file"]).first()
        if file is None or not file.playable:
            raise serializers.ValidationError({"file": [
                f"Channel {channel.name} has no playable file named {serializer.validated_data['file']!r}; "
                f"see GET /api/channels/{channel.name}/files."]})
        return self._restart(request, channel, file)

    @extend_schema(request=None, responses={200: ChannelStatusSerializer, **ERRORS},
                   summary="Start the channel (desired state running; it stays so across restarts)")
    @action(detail=True, methods=["post"])
    def start(self, request, name=None):
        channel = self.get_object()
        playout.start(request.user, channel)
        return self._status(channel)

    @extend_schema(request=None, responses={200: ChannelStatusSerializer, **ERRORS},
                   summary="Stop the channel (desired state stopped)")
    @action(detail=True, methods=["post"])
    def stop(self, request, name=None):
        channel = self.get_object()
        playout.stop(request.user, channel)
        return self._status(channel)

    @extend_schema(request=None, responses={202: RestartAllSerializer, 403: ErrorSerializer},
                   operation_id="channels_restart_all", summary="Restart every channel on its next file")
    @action(detail=False, methods=["post"], url_path="restart", url_name="restart-all")
    def restart_all(self, request):
        restarted, skipped = [], {}
        for channel in self.filter_queryset(self.get_queryset()):
            try:
                playout.request_restart(request.user, channel)
                restarted.append(channel.name)
            except playout.NothingToPlay as exc:
                skipped[channel.name] = str(exc)
        return Response({"status": "restarting", "channels": restarted, "skipped": skipped},
                        status=status.HTTP_202_ACCEPTED)

    @extend_schema(parameters=[GuideQuerySerializer], responses={200: GuideSerializer, 400: ErrorSerializer},
                   summary="What every channel plays from now, for the guide grid (the XMLTV's schedule)")
    @action(detail=False, methods=["get"])
    def guide(self, request):
        query = GuideQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        channels = list(self.filter_queryset(self.get_queryset()))
        return Response(GuideSerializer(listings.grid(channels, query.validated_data["hours"])).data)

    @extend_schema(methods=["POST"], request={"multipart/form-data": LogoSerializer},
                   responses={200: ChannelStatusSerializer, 400: ErrorSerializer, **ERRORS},
                   summary="Upload the channel's logo (checked and stored as PNG)")
    @extend_schema(methods=["DELETE"], request=None, responses={200: ChannelStatusSerializer, **ERRORS},
                   summary="Remove the uploaded logo (the logo URL, if any, is used again)")
    @action(detail=True, methods=["post", "delete"], parser_classes=[MultiPartParser])
    def logo(self, request, name=None):
        channel = self.get_object()
        if request.method == "DELETE":
            logos.remove(request.user, channel)
            return self._status(channel)
        upload = LogoSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        logos.upload(request.user, channel, upload.validated_data["logo"].read(logos.MOST_BYTES + 1))
        return self._status(channel)
