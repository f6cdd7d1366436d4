"""Seedbox API: torrents (list, read, add, retry, ignore, remove, resolve), search, batch, connections.

Operator only (the Torrent policy: SUPER_ADMIN). Writes go through the
domain modules (sending, lifecycle, batch); the seedbox or a hosted service
being down is a 502 with what failed, never a 500.
"""

import base64
import binascii

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from mediasuite import media
from mediasuite.api.errors import ErrorSerializer, error_response
from mediasuite.api.fields import OneLine
from mediasuite.api.filters import StrictFilterBackend
from mediasuite.clients import connections
from mediasuite.policies.drf import PolicyFilterBackend, PolicyPermission, policy_allows

from .. import lifecycle, mapping, search, sending
from ..clients import rtorrent
from ..models import MediaType, Torrent

GATEWAY = {502: ErrorSerializer, 503: ErrorSerializer}


class TorrentSerializer(serializers.ModelSerializer):
    remote_progress = serializers.FloatField(read_only=True, help_text="Percent downloaded on the seedbox.")
    transfer_progress = serializers.FloatField(read_only=True, help_text="Percent brought home.")
    transfer_eta = serializers.SerializerMethodField(help_text="Seconds left for the transfer home.")

    class Meta:
        model = Torrent
        fields = ["id", "infohash", "name", "media_type", "tmdb_id", "tvdb_id", "title", "year", "season",
                  "state", "state_changed_at", "reason", "attempts", "next_retry_at", "label", "size_bytes",
                  "left_bytes", "down_rate", "ratio", "remote_progress", "transferred_bytes", "transfer_rate",
                  "transfer_progress", "transfer_eta", "bytes_freed", "created_at"]
        read_only_fields = fields

    def get_transfer_eta(self, torrent) -> int | None:
        if torrent.state != "transferring" or not torrent.transfer_rate:
            return None
        return int(max(0, torrent.size_bytes - torrent.transferred_bytes) / torrent.transfer_rate)


class MediaSerializer(serializers.Serializer):
    """Which movie (TMDB id) or series (TVDB id) the release is for."""

    media_type = serializers.ChoiceField(choices=MediaType.choices)
    tmdb_id = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    tvdb_id = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    title = OneLine(max_length=300, required=False, allow_blank=True, default="")
    year = serializers.IntegerField(min_value=1870, max_value=2200, required=False, allow_null=True)
    season = serializers.IntegerField(min_value=0, max_value=1000, required=False, allow_null=True)

    def validate(self, data):
        if data["media_type"] == MediaType.MOVIE and not data.get("tmdb_id"):
            raise serializers.ValidationError({"tmdb_id": ["A movie is identified by its TMDB id."]})
        if data["media_type"] == MediaType.SERIES and not data.get("tvdb_id"):
            raise serializers.ValidationError({"tvdb_id": ["A series is identified by its TVDB id."]})
        return data


class TorrentAddSerializer(MediaSerializer):
    magnet = OneLine(max_length=8000, required=False, allow_blank=True,
                     help_text="magnet:?xt=urn:btih:... (or give torrent_file)")
    torrent_file = serializers.CharField(required=False, allow_blank=True, max_length=20_000_000,
                                         help_text="The .torrent file, base64-encoded.")

    def validate_torrent_file(self, value):
        if not value:
            return b""
        try:
            return base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            raise serializers.ValidationError("Not base64.") from None

    def validate(self, data):
        data = super().validate(data)
        if bool(data.get("magnet")) == bool(data.get("torrent_file")):
            raise serializers.ValidationError({"magnet": ["Give either a magnet or a torrent_file."]})
        if data.get("magnet"):
            sending.magnet_infohash(data["magnet"])
        return data


class AddSerializer(serializers.Serializer):
    """How to add a movie/series missing from Sonarr/Radarr."""

    root_folder = OneLine(max_length=1000)
    quality_profile_id = serializers.IntegerField(min_value=1)
    monitored = serializers.BooleanField(default=True)
    search = serializers.BooleanField(default=False, help_text="Have Sonarr/Radarr search for it once added.")



class TorrentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin,
                     viewsets.GenericViewSet):
    """Torrents on their way from the seedbox to the library."""

    queryset = Torrent.objects.all()
    serializer_class = TorrentSerializer
    permission_classes = [PolicyPermission]
    filter_backends = [PolicyFilterBackend, StrictFilterBackend]
    filterset_fields = ["state", "media_type", "tmdb_id", "tvdb_id"]
    lookup_value_regex = r"[0-9]+"
    policy_actions = {"retry": "change", "ignore": "change", "resolve": "change"}
    extra_error_codes = ("409",)

    def get_queryset(self):
        return Torrent.objects.defer("torrent_file")

    @extend_schema(request=TorrentAddSerializer, responses={201: TorrentSerializer, 200: TorrentSerializer,
                                                            **GATEWAY})
    def create(self, request):
        """Send a magnet or .torrent to rTorrent for a movie/series; one infohash is one torrent."""
        serializer = TorrentAddSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        try:
            torrent, created = sending.add(request.user, **data)
        except rtorrent.RtorrentError as exc:
            return error_response(f"{exc} The torrent is recorded and will be retried.", 502)
        return Response(TorrentSerializer(torrent).data, status=201 if created else 200)

    def _drive(self, func):
        return Response(TorrentSerializer(func(self.request.user, self.get_object())).data)

    @extend_schema(request=None, responses={200: TorrentSerializer})
    @action(detail=True, methods=["post"])
    def retry(self, request, pk=None):
        """Send a failed torrent back to the step that failed, or an import_blocked one back to import."""
        return self._drive(lifecycle.retry)

    @extend_schema(request=None, responses={200: TorrentSerializer})
    @action(detail=True, methods=["post"])
    def ignore(self, request, pk=None):
        """Stop following the torrent; nothing more is done for it."""
        return self._drive(lifecycle.ignore)

    @extend_schema(request=AddSerializer, responses={200: TorrentSerializer, 400: ErrorSerializer, **GATEWAY})
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        """An import_blocked torrent whose media is missing: add it to Sonarr/Radarr, then back to import."""
        torrent = self.get_object()
        serializer = AddSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        torrent = mapping.resolve_blocked(request.user, torrent, dict(serializer.validated_data))
        return Response(TorrentSerializer(torrent).data)

    @extend_schema(responses={204: None, **GATEWAY})
    def destroy(self, request, pk=None):
        """Erase the torrent from rTorrent (d.erase; its data stays on the seedbox) and forget it."""
        try:
            lifecycle.remove(request.user, self.get_object())
        except rtorrent.RtorrentError as exc:
            return error_response(str(exc), 502)
        return Response(status=204)


Operator = policy_allows(Torrent, "add", "Only a super admin may use the seedbox.")


class SearchQuerySerializer(serializers.Serializer):
    q = OneLine(max_length=200)
    type = serializers.ChoiceField(choices=MediaType.choices)


class MediaResultSerializer(serializers.Serializer):
    """A movie or series found; other apps add their fields to it (mediasuite/media.py: trailer_status)."""

    media_type = serializers.ChoiceField(choices=MediaType.choices)
    tmdb_id = serializers.IntegerField(allow_null=True)
    tvdb_id = serializers.IntegerField(allow_null=True)
    title = serializers.CharField()
    year = serializers.IntegerField(allow_null=True)
    overview = serializers.CharField(allow_blank=True)

    def get_fields(self):
        return {**super().get_fields(), **media.schema_fields()}


class ReleaseSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    magnet = OneLine(max_length=8000, required=False, allow_blank=True, default="")
    link = serializers.URLField(max_length=2000, required=False, allow_blank=True, default="")
    guid = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    size = serializers.IntegerField(min_value=0, required=False, default=0)
    seeders = serializers.IntegerField(min_value=0, required=False, default=0)
    infohash = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")


class SearchView(APIView):
    permission_classes = [Operator]
    query_serializer = SearchQuerySerializer

    def query(self, request):
        unknown = set(request.query_params) - {"q", "type"}
        if unknown:
            raise serializers.ValidationError({name: ["Unknown parameter."] for name in sorted(unknown)})
        serializer = SearchQuerySerializer(data=request.query_params)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


class MediaSearchView(SearchView):
    @extend_schema(parameters=[SearchQuerySerializer],
                   responses={200: MediaResultSerializer(many=True), 400: ErrorSerializer, **GATEWAY})
    def get(self, request):
        """Movies from TMDB (type=movie) or series from TVDB (type=series), each with its external id."""
        query = self.query(request)
        return Response(media.decorate(search.media(query["q"], query["type"]), request.user))


class ReleaseSearchView(SearchView):
    @extend_schema(parameters=[SearchQuerySerializer],
                   responses={200: ReleaseSerializer(many=True), 400: ErrorSerializer, **GATEWAY})
    def get(self, request):
        """Releases from the Torznab indexer (Prowlarr/Jackett)."""
        query = self.query(request)
        return Response(search.releases(query["q"], query["type"]))


class BatchSerializer(MediaSerializer):
    releases = serializers.ListField(child=ReleaseSerializer(), min_length=1, max_length=100)
    add = AddSerializer(required=False, allow_null=True,
                        help_text="Add the media to Sonarr/Radarr first (when missing); if that fails, "
                                  "nothing is sent.")


class BatchItemSerializer(serializers.Serializer):
    index = serializers.IntegerField()
    title = serializers.CharField()
    status = serializers.ChoiceField(choices=["ok", "failed"])
    message = serializers.CharField()
    torrent_id = serializers.IntegerField(allow_null=True)
    infohash = serializers.CharField(allow_blank=True)


class AddedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()


class BatchResultSerializer(serializers.Serializer):
    added = AddedSerializer(allow_null=True, help_text="What was added to Sonarr/Radarr, if anything.")
    ok = serializers.IntegerField()
    failed = serializers.IntegerField()
    items = BatchItemSerializer(many=True)


class BatchView(APIView):
    permission_classes = [Operator]

    @extend_schema(request=BatchSerializer, responses={200: BatchResultSerializer, 400: ErrorSerializer,
                                                       **GATEWAY})
    def post(self, request):
        """Add the media when asked, then send several releases for it; each release reported ok or failed.

        An add that fails answers its error and sends nothing; a release that
        fails after the add leaves the media added (`added` says so).
        """
        serializer = BatchSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        releases = [dict(r) for r in data.pop("releases")]
        adding = data.pop("add", None)
        result = mapping.add_and_send(request.user, releases, data, dict(adding) if adding else None)
        ok = sum(1 for i in result["items"] if i["status"] == "ok")
        return Response({"added": result["added"], "ok": ok, "failed": len(result["items"]) - ok,
                         "items": result["items"]})


class ConnectionSerializer(serializers.Serializer):
    name = serializers.CharField()
    ok = serializers.BooleanField()
    message = serializers.CharField()


class ConnectionsView(APIView):
    permission_classes = [Operator]

    @extend_schema(responses={200: ConnectionSerializer(many=True)})
    def get(self, request):
        """Try every configured endpoint (rTorrent, SFTP, Sonarr, Radarr, Plex, TMDB, TVDB, indexer)."""
        return Response(connections.test_all())
