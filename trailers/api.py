"""Trailers API: a media's status and candidates, search, lock, unlock, download, bulk refresh, entries.

Operator only (the TrailerEntry policy: SUPER_ADMIN). Every write goes
through the domain modules (search, locks, download, refresh); a hosted
service being down is a 502 with what failed, never a 500.
"""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from mediasuite.api.errors import ErrorSerializer, error_response
from mediasuite.api.fields import OneLine
from mediasuite.policies.drf import PolicyFilterBackend, policy_allows

from . import download, locks, refresh, search
from .entries import media_key
from .models import MediaType, Status, TrailerEntry

GATEWAY = {502: ErrorSerializer, 503: ErrorSerializer}
MEDIA_PARAMS = [
    OpenApiParameter("media_type", str, OpenApiParameter.PATH, enum=MediaType.values,
                     description="movie (keyed by TMDB id) or series (keyed by TVDB id)"),
    OpenApiParameter("external_id", int, OpenApiParameter.PATH, description="TMDB id or TVDB id"),
]


class Text(OneLine):
    """A JSON string of one line, never a number made one (`{"video_id": 12}` is a mistake, not "12")."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


Operator = policy_allows(TrailerEntry, "change", "Only a super admin may manage trailers.")


class VideoSerializer(serializers.Serializer):
    video_id = Text(max_length=200)
    title = Text(max_length=300, required=False, allow_blank=True, default="")
    channel = Text(max_length=200, required=False, allow_blank=True, default="")
    duration = serializers.IntegerField(min_value=0, required=False, allow_null=True, default=None,
                                        help_text="Seconds.")
    thumbnail = serializers.URLField(max_length=1000, required=False, allow_blank=True, default="")
    url = serializers.URLField(max_length=1000, required=False, allow_blank=True, default="",
                               help_text="Where it plays; a YouTube watch URL for a YouTube id.")
    source = Text(max_length=20, required=False, allow_blank=True, default="",
                                   help_text="tmdb, youtube or url.")


class TrailerInfoSerializer(serializers.Serializer):
    media_type = serializers.ChoiceField(choices=MediaType.choices)
    external_id = serializers.IntegerField()
    title = serializers.CharField(allow_blank=True)
    year = serializers.IntegerField(allow_null=True)
    status = serializers.ChoiceField(choices=Status.choices)
    locked = VideoSerializer(allow_null=True)
    candidates = VideoSerializer(many=True)
    fetched_at = serializers.DateTimeField(allow_null=True)
    fresh = serializers.BooleanField(help_text="Whether the candidates are within their TTL.")
    download_state = serializers.CharField()
    download_progress = serializers.FloatField()
    download_path = serializers.CharField(allow_blank=True)


class SearchRequestSerializer(serializers.Serializer):
    title = Text(max_length=300, required=False, allow_blank=True, default="",
                                  help_text="What YouTube is searched for; the stored title if empty.")
    year = serializers.IntegerField(min_value=1870, max_value=2200, required=False, allow_null=True,
                                    default=None)
    force = serializers.BooleanField(required=False, default=True,
                                     help_text="Search even when the cached candidates are fresh.")


class LockRequestSerializer(serializers.Serializer):
    video_id = Text(max_length=200, required=False,
                                     help_text="One of the cached candidates.")
    video = VideoSerializer(required=False, help_text="Or a video given whole (e.g. a direct URL).")

    def validate(self, data):
        if bool(data.get("video_id")) == bool(data.get("video")):
            raise serializers.ValidationError({"video_id": ["Give either a video_id or a video."]})
        return data


class RefreshItemSerializer(serializers.Serializer):
    media_type = serializers.ChoiceField(choices=MediaType.choices)
    external_id = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    title = Text(max_length=300, required=False, allow_blank=True, default="")
    year = serializers.IntegerField(min_value=1870, max_value=2200, required=False, allow_null=True,
                                    default=None)


class RefreshRequestSerializer(serializers.Serializer):
    media = serializers.ListField(child=RefreshItemSerializer(), min_length=1, max_length=refresh.MAX_ITEMS)


class RefreshAnswerSerializer(serializers.Serializer):
    queued = serializers.IntegerField(help_text="Media whose trailers the background job searches again.")


class EntrySerializer(serializers.ModelSerializer):
    fresh = serializers.BooleanField(read_only=True)

    class Meta:
        model = TrailerEntry
        fields = ["id", "media_type", "external_id", "title", "year", "status", "locked_video_id",
                  "locked_title",
                  "locked_channel", "locked_duration", "locked_url", "locked_at", "fetched_at", "fresh",
                  "download_state", "download_progress", "download_path", "updated_at"]
        read_only_fields = fields


class MediaView(APIView):
    """Base of the per-media routes: the key checked (400); Conflict and ServiceError answer 409 and 502."""

    permission_classes = [Operator]
    extra_error_codes = ("409",)

    def key(self):
        return media_key(self.kwargs["media_type"], self.kwargs["external_id"])

    def answer(self, entry):
        return search.info(entry, entry.media_type, entry.external_id)


class TrailerDetailView(MediaView):
    @extend_schema(parameters=MEDIA_PARAMS, responses={200: TrailerInfoSerializer})
    def get(self, request, media_type, external_id):
        """Status, locked video and cached candidates of a media (never an external call)."""
        media_type, external_id = self.key()
        entry = TrailerEntry.objects.filter(media_type=media_type, external_id=external_id).first()
        return Response(search.info(entry, media_type, external_id))


class TrailerSearchView(MediaView):
    @extend_schema(parameters=MEDIA_PARAMS, request=SearchRequestSerializer,
                   responses={200: TrailerInfoSerializer, **GATEWAY})
    def post(self, request, media_type, external_id):
        """Search trailer candidates (TMDB videos, then YouTube "<title> <year> trailer") and cache them.

        With `force: false` fresh cached candidates are answered without any call.
        """
        media_type, external_id = self.key()
        body = SearchRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        return Response(search.get_trailer_info(
            media_type, external_id, data["title"], data["year"], force=data["force"], actor=request.user))


class TrailerLockView(MediaView):
    @extend_schema(parameters=MEDIA_PARAMS, request=LockRequestSerializer,
                   responses={200: TrailerInfoSerializer})
    def post(self, request, media_type, external_id):
        """Lock one candidate (`video_id`) or a given `video`; the other cached candidates are purged."""
        media_type, external_id = self.key()
        body = LockRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        video = body.validated_data.get("video_id") or dict(body.validated_data["video"])
        return Response(self.answer(locks.lock_trailer(media_type, external_id, video, request.user)))


class TrailerUnlockView(MediaView):
    @extend_schema(parameters=MEDIA_PARAMS, request=None, responses={200: TrailerInfoSerializer})
    def post(self, request, media_type, external_id):
        """Unlock; the video stays as a (stale) candidate, the next look searches again."""
        media_type, external_id = self.key()
        return Response(self.answer(locks.unlock_trailer(media_type, external_id, request.user)))


class TrailerDownloadView(MediaView):
    @extend_schema(parameters=MEDIA_PARAMS, request=None, responses={202: TrailerInfoSerializer})
    def post(self, request, media_type, external_id):
        """Queue the download of the locked trailer next to the media (TRAILERS_DOWNLOAD must be on)."""
        media_type, external_id = self.key()
        entry = download.queue_download(media_type, external_id, request.user)
        return Response(self.answer(entry), status=status.HTTP_202_ACCEPTED)


class RefreshView(APIView):
    permission_classes = [Operator]

    @extend_schema(request=RefreshRequestSerializer, responses={202: RefreshAnswerSerializer})
    def post(self, request):
        """Search again the trailers of many media in one throttled background job (locked ones are kept)."""
        body = RefreshRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        count = refresh.queue_refresh([dict(item) for item in body.validated_data["media"]], request.user)
        return Response({"queued": count}, status=202)


class EntryListView(generics.ListAPIView):
    """Trailer entries (what trailers know of the library): filters media_type, status."""

    queryset = TrailerEntry.objects.all()
    serializer_class = EntrySerializer
    permission_classes = [Operator]
    filter_backends = [PolicyFilterBackend, *generics.ListAPIView.filter_backends]
    filterset_fields = ["media_type", "status", "download_state"]


class LockedIdQuerySerializer(serializers.Serializer):
    media_type = serializers.ChoiceField(choices=MediaType.choices)
    external_id = serializers.IntegerField(min_value=1, max_value=2**31 - 1)


class LockedIdSerializer(serializers.Serializer):
    video_id = serializers.CharField()
    url = serializers.CharField()


class LockedTrailerIdView(APIView):
    """The original system's route for instant play."""

    permission_classes = [Operator]

    @extend_schema(parameters=[LockedIdQuerySerializer],
                   responses={200: LockedIdSerializer, 404: ErrorSerializer})
    def get(self, request):
        """The locked video of a media (404 when none is locked): one indexed lookup."""
        unknown = set(request.query_params) - {"media_type", "external_id"}
        if unknown:
            raise serializers.ValidationError({name: ["Unknown parameter."] for name in sorted(unknown)})
        query = LockedIdQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        media_type, external_id = query.validated_data["media_type"], query.validated_data["external_id"]
        found = locks.locked_video_of(media_type, external_id)
        if found is None:
            return error_response(f"No trailer is locked for {media_type} {external_id}.", 404)
        return Response(found)
