"""Sonarr/Radarr from the seedbox: lookup for the mapping dialog, add options, series management, the queues.

Operator only (the Torrent policy). Sonarr or Radarr down or refusing is a
502 with their reason, not configured a 503 naming the settings; an id they
do not know is a 404; a root folder, profile, season or episode they do not
list is a 400 and nothing is sent.
"""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from mediasuite.api.errors import ErrorSerializer

from .. import mapping, queue, series
from ..models import MediaType
from .torrents import MediaResultSerializer, Operator

ERRORS = {400: ErrorSerializer, 404: ErrorSerializer, 502: ErrorSerializer, 503: ErrorSerializer}


class StrictQuery:
    """Query parameters validated by `query_serializer`, an unknown one refused."""

    query_serializer: type[serializers.Serializer]

    def query(self, request):
        unknown = set(request.query_params) - set(self.query_serializer().fields)
        if unknown:
            raise serializers.ValidationError({name: ["Unknown parameter."] for name in sorted(unknown)})
        serializer = self.query_serializer(data=request.query_params)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


class LookupQuerySerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=MediaType.choices)
    term = serializers.CharField(max_length=300, help_text="A title, or tvdb:<id> / tmdb:<id>.")
    release = serializers.CharField(max_length=500, required=False, default="",
                                    help_text="The release name the results are ranked against.")


class LookupResultSerializer(MediaResultSerializer):
    """A movie or series found by Sonarr/Radarr; other apps add their fields (trailer_status)."""

    poster = serializers.CharField(allow_blank=True)
    in_library = serializers.BooleanField(help_text="Whether Sonarr/Radarr has it already.")
    arr_id = serializers.IntegerField(allow_null=True, help_text="Its Sonarr/Radarr id when in the library.")


class LookupView(StrictQuery, APIView):
    permission_classes = [Operator]
    query_serializer = LookupQuerySerializer

    @extend_schema(parameters=[LookupQuerySerializer],
                   responses={200: LookupResultSerializer(many=True), **ERRORS})
    def get(self, request):
        """Sonarr's series/lookup or Radarr's movie/lookup, ranked against the release name."""
        query = self.query(request)
        return Response(mapping.lookup(request.user, query["type"], query["term"], query["release"]))


class OptionsQuerySerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=MediaType.choices)


class OptionsView(StrictQuery, APIView):
    permission_classes = [Operator]
    query_serializer = OptionsQuerySerializer

    @extend_schema(parameters=[OptionsQuerySerializer], responses={200: dict, **ERRORS})
    def get(self, request):
        """Root folders and quality profiles of Sonarr/Radarr, with the defaults of the settings."""
        return Response(mapping.options(request.user, self.query(request)["type"]))


class SeriesActionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=list(series.ACTIONS))
    scope = serializers.ChoiceField(choices=series.SCOPES, default="series")
    season = serializers.IntegerField(min_value=0, max_value=1000, required=False, allow_null=True)
    episode_ids = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False,
                                        max_length=5000, default=list)

    def validate(self, data):
        if data["scope"] == "season" and data.get("season") is None:
            raise serializers.ValidationError({"season": ["Say which season."]})
        if data["scope"] == "episodes" and not data["episode_ids"]:
            raise serializers.ValidationError({"episode_ids": ["Select at least one episode."]})
        return data


class OutcomeSerializer(serializers.Serializer):
    status = serializers.CharField(help_text="completed, or Sonarr's failed/aborted status.")
    message = serializers.CharField(allow_blank=True)


class SeriesDetailsView(APIView):
    permission_classes = [Operator]

    @extend_schema(responses={200: dict, **ERRORS})
    def get(self, request, tvdb_id: int):
        """The series in Sonarr with its seasons and episodes (monitored, has file, size, air date)."""
        return Response(series.details(request.user, tvdb_id))

    @extend_schema(request=SeriesActionSerializer, responses={200: OutcomeSerializer, **ERRORS})
    def post(self, request, tvdb_id: int):
        """Monitor, unmonitor, delete files, rename or search the series, a season or episodes."""
        serializer = SeriesActionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response(series.act(request.user, tvdb_id, **serializer.validated_data))


class QueueServiceSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="sonarr or radarr")
    label = serializers.CharField()
    error = serializers.CharField(help_text="Empty, or why the queue could not be read.")
    items = serializers.ListField(child=serializers.DictField())


class QueueView(APIView):
    permission_classes = [Operator]

    @extend_schema(responses={200: QueueServiceSerializer(many=True), **ERRORS})
    def get(self, request):
        """The download queues of Sonarr and Radarr (each configured one; a failing one says why)."""
        return Response(queue.items(request.user))


class QueueRemoveQuerySerializer(serializers.Serializer):
    blocklist = serializers.BooleanField(default=False)


class QueueItemView(StrictQuery, APIView):
    permission_classes = [Operator]
    query_serializer = QueueRemoveQuerySerializer

    @extend_schema(parameters=[QueueRemoveQuerySerializer], responses={204: None, **ERRORS})
    def delete(self, request, kind: str, item_id: int):
        """Remove the item from the queue and the download client (blocklist: never grab it again)."""
        queue.remove(request.user, kind, item_id, self.query(request)["blocklist"])
        return Response(status=204)
