"""Library API: the page of media items, row actions, bulk jobs, archive history.

Operator only (the library policies: SUPER_ADMIN). Bad input (unknown Plex
user, library, genre, rating key, a root folder that is not Sonarr/Radarr's)
is a 4xx and changes nothing; Plex or Sonarr/Radarr failing is a 502 that
says which and why, never a 500; an action that does not apply to the media
as it is (mediasuite.errors.Conflict) is a 409; Plex (or Sonarr/Radarr) not
configured at all is a 503, as for every service (set it up in Settings →
Connections first): the core's API error handler maps those. Writes go through actions.py and bulk.py.
"""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from mediasuite import media
from mediasuite.api.errors import ErrorSerializer, error_response
from mediasuite.api.fields import OneLine
from mediasuite.clients import arr
from mediasuite.clients.plex import Plex, PlexNotFound
from mediasuite.policies import policy_for
from mediasuite.policies.drf import policy_allows

from . import actions, bulk, folders, index, listing
from .models import Action, ArchiveRecord, BulkJob, Preference

Operator = policy_allows(ArchiveRecord, "change", "Only a super admin may manage the Plex library.")
ERRORS = {400: ErrorSerializer, 404: ErrorSerializer, 409: ErrorSerializer, 502: ErrorSerializer,
          503: ErrorSerializer}
PERIODS = ["today", "7d", "30d", "this_month", "last_month", "range"]


class Strict(serializers.Serializer):
    """Unknown fields are an error, not silently ignored."""

    def validate(self, data):
        unknown = set(self.initial_data) - set(self.fields)
        if unknown:
            raise serializers.ValidationError({name: ["Unknown field."] for name in sorted(unknown)})
        return data


class ItemsQuerySerializer(Strict):
    plex_user = serializers.IntegerField(min_value=1, required=False, help_text="Plex user id; default: "
                                         "the one chosen last, else the owner.")
    libraries = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False,
                                      max_length=50, help_text="Plex library keys; default: all.")
    title = OneLine(max_length=200, required=False, allow_blank=True,
                    help_text="In the title, original title or sort title.")
    year = serializers.IntegerField(min_value=1870, max_value=2200, required=False, allow_null=True)
    watched = serializers.ChoiceField(["all", "not_started", "in_progress", "watched"], required=False)
    date_field = serializers.ChoiceField(["added", "viewed"], required=False)
    date = serializers.ChoiceField(PERIODS, required=False, allow_blank=True)
    date_from = serializers.DateField(required=False, allow_null=True)
    date_to = serializers.DateField(required=False, allow_null=True)
    genres = serializers.ListField(child=OneLine(max_length=100), required=False, max_length=20)
    genres_mode = serializers.ChoiceField(["any", "all"], required=False)
    collections = serializers.ListField(child=OneLine(max_length=200), required=False,
                                        max_length=20, help_text="In any of these collections.")
    actor = OneLine(max_length=200, required=False, allow_blank=True)
    director = OneLine(max_length=200, required=False, allow_blank=True)
    writer = OneLine(max_length=200, required=False, allow_blank=True)
    resolution = OneLine(max_length=10, required=False, allow_blank=True)
    studio = OneLine(max_length=200, required=False, allow_blank=True)
    root_folder = OneLine(max_length=1000, required=False, allow_blank=True,
                          help_text="A root folder of Sonarr or Radarr.")
    rating = serializers.ChoiceField(["", "rated", "not_rated", "gte", "lte", "eq"], required=False)
    rating_value = serializers.FloatField(min_value=0, max_value=10, required=False, allow_null=True)
    sort = serializers.ChoiceField(list(index.KEYS), required=False, help_text="Any column, across pages.")
    direction = serializers.ChoiceField(["asc", "desc"], required=False)
    page = serializers.IntegerField(min_value=1, max_value=10_000, required=False)
    page_size = serializers.IntegerField(min_value=1, max_value=200, required=False)
    refresh = serializers.BooleanField(required=False, help_text="Read Plex again rather than the view's "
                                       "index (kept a minute, and until the next action).")

    def validate(self, data):
        data = super().validate(data)
        if data.get("rating") in ("gte", "lte", "eq") and data.get("rating_value") is None:
            raise serializers.ValidationError({"rating_value": ["Give the rating to compare with (0-10)."]})
        if data.get("date") == "range" and not (data.get("date_from") or data.get("date_to")):
            raise serializers.ValidationError({"date_from": ["A range needs a start or an end date."]})
        return data


class ItemSerializer(serializers.Serializer):
    rating_key = serializers.IntegerField()
    media_type = serializers.CharField(help_text="movie or series")
    title = serializers.CharField()
    original_title = serializers.CharField(allow_blank=True)
    sort_title = serializers.CharField(allow_blank=True)
    year = serializers.IntegerField(allow_null=True)
    rating = serializers.FloatField(allow_null=True, help_text="The chosen user's rating, 0 to 10.")
    library = serializers.CharField()
    library_key = serializers.IntegerField(allow_null=True)
    thumb = serializers.CharField(allow_blank=True)
    size = serializers.IntegerField(help_text="Bytes; a show: all its episodes (from Sonarr).")
    added_at = serializers.IntegerField(allow_null=True, help_text="Unix seconds.")
    last_viewed_at = serializers.IntegerField(allow_null=True, help_text="Unix seconds.")
    watched_state = serializers.ChoiceField(["not_started", "in_progress", "watched"])
    watched_episodes = serializers.IntegerField(allow_null=True)
    total_episodes = serializers.IntegerField(allow_null=True)
    resolution = serializers.CharField(allow_blank=True)
    genres = serializers.ListField(child=serializers.CharField())
    tmdb_id = serializers.IntegerField(allow_null=True)
    tvdb_id = serializers.IntegerField(allow_null=True)
    in_arr = serializers.BooleanField(allow_null=True)
    arr_id = serializers.IntegerField(allow_null=True)
    root_folder = serializers.CharField(allow_blank=True)
    incomplete = serializers.BooleanField(allow_null=True, help_text="Fewer files than aired monitored "
                                          "episodes (Sonarr).")
    production_status = serializers.CharField(allow_blank=True)

    def get_fields(self):
        return {**super().get_fields(), **media.schema_fields()}


class ItemsPageSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    page = serializers.IntegerField()
    page_size = serializers.IntegerField()
    plex_user = serializers.IntegerField()
    libraries = serializers.ListField(child=serializers.IntegerField())
    warnings = serializers.ListField(child=serializers.CharField())
    results = ItemSerializer(many=True)


class LibraryOptionsSerializer(serializers.Serializer):
    users = serializers.ListField(child=serializers.DictField(), help_text="id, title, owner (, home)")
    libraries = serializers.ListField(child=serializers.DictField(), help_text="key, title, type")
    plex_user = serializers.IntegerField()
    chosen_libraries = serializers.ListField(child=serializers.IntegerField())
    root_folders = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))
    dry_run = serializers.BooleanField()
    warnings = serializers.ListField(child=serializers.CharField())


class ItemActionResultSerializer(serializers.Serializer):
    row = ItemSerializer(required=False, help_text="The fresh row (watched).")
    report = serializers.DictField(required=False, help_text="What was (or would be) done: files, folders, "
                                   "freed_bytes, dry_run, record.")


def _owner():
    return Plex()


def _failure(exc):
    """The 400/404 answer of bad input; the rest (Conflict, a hosted service failing) is the core's API
    error handler's."""
    if isinstance(exc, PlexNotFound):
        return error_response(str(exc), 404)
    return error_response(str(exc), 400)


FAILURES = (listing.BadFilter, actions.BadInput, folders.OutsideRoots, PlexNotFound)


class MediaItemsView(APIView):
    permission_classes = [Operator]

    @extend_schema(request=ItemsQuerySerializer, responses={200: ItemsPageSerializer, **ERRORS})
    def post(self, request):
        """One page of one or more Plex libraries as one Plex user, filtered and sorted (Plex editor)."""
        query = ItemsQuerySerializer(data=request.data)
        query.is_valid(raise_exception=True)
        data = dict(query.validated_data)
        remembered = Preference.objects.filter(user=request.user).first()
        if remembered and "plex_user" not in data:
            data["plex_user"] = remembered.plex_user
        if remembered and "libraries" not in data:
            data["libraries"] = remembered.libraries
        try:
            return Response(listing.page(request.user, _owner(), data))
        except FAILURES as exc:
            return _failure(exc)


class OptionsView(APIView):
    permission_classes = [Operator]

    @extend_schema(responses={200: LibraryOptionsSerializer, **ERRORS})
    def get(self, request):
        """The Plex users, the libraries, the remembered choice, the root folders, the dry-run setting."""
        from django.conf import settings

        try:
            owner = _owner()
            users, sections = owner.users(), owner.sections()
        except FAILURES as exc:
            return _failure(exc)
        roots, warnings = {}, []
        for kind in (arr.SONARR, arr.RADARR):
            if arr.configured(kind):
                try:
                    roots[kind] = arr.client(kind, timeout=15).root_paths()
                except arr.ArrError as exc:
                    warnings.append(str(exc))
        remembered = Preference.objects.filter(user=request.user).first()
        return Response({
            "users": users,
            "libraries": [{"key": int(s.key), "title": s.title, "type": s.type} for s in sections],
            "plex_user": remembered.plex_user if remembered else users[0]["id"],
            "chosen_libraries": remembered.libraries if remembered else [],
            "root_folders": roots, "dry_run": settings.LIBRARY_DRY_RUN, "warnings": warnings,
        })


class WatchedSerializer(Strict):
    plex_user = serializers.IntegerField(min_value=1)
    watched = serializers.BooleanField()


class TakeOutSerializer(Strict):
    plex_user = serializers.IntegerField(min_value=1)
    delete_files = serializers.BooleanField(default=True)
    unmonitor = serializers.BooleanField(default=True)
    tag = serializers.BooleanField(default=True)
    dry_run = serializers.BooleanField(required=False, allow_null=True, default=None,
                                       help_text="Only report what would be deleted; default: "
                                                 "LIBRARY_DRY_RUN.")


class MoveSerializer(Strict):
    plex_user = serializers.IntegerField(min_value=1)
    root_folder = serializers.CharField(max_length=1000)
    dry_run = serializers.BooleanField(required=False, allow_null=True, default=None)


class DeleteSerializer(Strict):
    plex_user = serializers.IntegerField(min_value=1)
    dry_run = serializers.BooleanField(required=False, allow_null=True, default=None)


class ItemActionView(APIView):
    """POST /api/library/items/<rating_key>/<action>: watched, archive, reject, move, delete."""

    permission_classes = [Operator]
    inputs = {"watched": WatchedSerializer, "archive": TakeOutSerializer, "reject": TakeOutSerializer,
              "move": MoveSerializer, "delete": DeleteSerializer}

    @extend_schema(request=TakeOutSerializer, responses={200: ItemActionResultSerializer, **ERRORS})
    def post(self, request, rating_key, action):
        """Act on one media of the library as the chosen Plex user; the answer has the fresh row or report."""
        rating_key = int(rating_key)
        serializer = self.inputs[action](data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        try:
            owner = _owner()
            users = {u["id"]: u for u in owner.users()}
            if data["plex_user"] not in users:
                raise listing.BadFilter(f"Plex has no user {data['plex_user']}; choose one of the server's "
                                        f"users.")
            viewer = owner.as_user(data["plex_user"])
            if action == "watched":
                row = actions.set_watched(request.user, viewer, users[data["plex_user"]], rating_key,
                                          data["watched"])
                listing.complete([listing.blank(row)])
                return Response({"row": media.decorate([row], request.user)[0]})
            if action in ("archive", "reject"):
                report = actions.take_out(request.user, owner, viewer, rating_key, action,
                                          delete_files=data["delete_files"], unmonitor=data["unmonitor"],
                                          tag=data["tag"], dry_run=data["dry_run"])
            elif action == "move":
                report = actions.move(request.user, owner, viewer, rating_key, data["root_folder"],
                                      dry_run=data["dry_run"])
            else:
                report = actions.delete(request.user, owner, viewer, rating_key, dry_run=data["dry_run"])
        except FAILURES as exc:
            return _failure(exc)
        return Response({"report": report})


class BulkSerializer(Strict):
    action = serializers.ChoiceField(Action.choices)
    plex_user = serializers.IntegerField(min_value=1)
    rating_keys = serializers.ListField(child=serializers.IntegerField(min_value=1), min_length=1,
                                        max_length=1000)
    options = serializers.DictField(required=False, default=dict)

    def validate_options(self, value):
        allowed = {"delete_files", "unmonitor", "tag", "dry_run", "root_folder"}
        unknown = set(value) - allowed
        if unknown:
            raise serializers.ValidationError(f"Unknown option {', '.join(sorted(unknown))}.")
        for name in ("delete_files", "unmonitor", "tag", "dry_run"):
            if name in value and not isinstance(value[name], bool | None):
                raise serializers.ValidationError(f"{name} is true or false.")
        return value

    def validate(self, data):
        data = super().validate(data)
        if data["action"] == Action.MOVE and not isinstance(data["options"].get("root_folder"), str):
            raise serializers.ValidationError({"options": ["A move needs options.root_folder."]})
        return data


class BulkJobSerializer(serializers.ModelSerializer):
    total = serializers.IntegerField(read_only=True)

    class Meta:
        model = BulkJob
        fields = ["id", "action", "options", "plex_user", "rating_keys", "state", "done", "total", "report",
                  "created_at", "finished_at"]
        read_only_fields = fields


class BulkView(APIView):
    permission_classes = [Operator]

    @extend_schema(request=BulkSerializer, responses={202: BulkJobSerializer, **ERRORS})
    def post(self, request):
        """Archive, reject, move or delete several media as one background job (progress: GET the job)."""
        serializer = BulkSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if data["action"] == Action.MOVE:
            kinds = (arr.SONARR, arr.RADARR)
            try:
                roots = [r for kind in kinds for r in arr.client(kind, timeout=15).root_paths()]
            except arr.ArrError as exc:
                return error_response(str(exc), 502)
            if data["options"]["root_folder"] not in roots:
                return error_response(f"{data['options']['root_folder']} is not a root folder of Sonarr or "
                                      f"Radarr ({', '.join(roots)}).")
        job = bulk.start(request.user, data["action"], data["rating_keys"], data["plex_user"],
                         data["options"])
        return Response(BulkJobSerializer(job).data, status=202)


class BulkJobView(APIView):
    permission_classes = [Operator]

    @extend_schema(responses={200: BulkJobSerializer, 404: ErrorSerializer})
    def get(self, request, job_id):
        """A bulk job: state, items done, and each item's outcome."""
        job = policy_for(BulkJob).queryset(request.user, "view").filter(pk=job_id).first()
        if job is None:
            return error_response(f"No bulk job {job_id}.", 404)
        return Response(BulkJobSerializer(job).data)


class ArchiveRecordSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username", default="", read_only=True)
    action_label = serializers.CharField(source="get_action_display", read_only=True)

    class Meta:
        model = ArchiveRecord
        fields = ["id", "action", "action_label", "media_type", "title", "year", "tmdb_id", "tvdb_id",
                  "rating_key", "library", "actor", "created_at", "watched", "deleted_files",
                  "removed_folders", "freed_bytes", "detail"]
        read_only_fields = fields


class SuggestionSerializer(serializers.Serializer):
    media_type = serializers.CharField(help_text="movie or series")
    tmdb_id = serializers.IntegerField(allow_null=True)
    tvdb_id = serializers.IntegerField(allow_null=True)
    title = serializers.CharField()
    year = serializers.IntegerField(allow_null=True)
    in_arr = serializers.BooleanField(required=False, help_text="Already in Sonarr/Radarr.")

    def get_fields(self):
        return {**super().get_fields(), **media.schema_fields()}


class SuggestionsSerializer(serializers.Serializer):
    archive = ArchiveRecordSerializer(many=True)
    suggestions = SuggestionSerializer(many=True)
    warnings = serializers.ListField(child=serializers.CharField())


class SuggestionsView(APIView):
    permission_classes = [Operator]

    @extend_schema(responses={200: SuggestionsSerializer, 400: ErrorSerializer})
    def get(self, request):
        """For a title not in Plex: what the archive history has of it, then TMDB/TVDB's movies and series
        with `in_arr` (already in Sonarr/Radarr)."""
        q = request.query_params.get("q", "").strip()
        if not q or len(q) > 200:
            return error_response("q: a title of 1 to 200 characters.")
        records = policy_for(ArchiveRecord).queryset(request.user, "view").filter(title__icontains=q)
        found, warnings = listing.suggestions(request.user, q)
        archived = ArchiveRecordSerializer(records.select_related("actor")[:50], many=True).data
        return Response({"archive": archived, "suggestions": found, "warnings": warnings})


class ArchiveView(APIView):
    permission_classes = [Operator]

    @extend_schema(responses={200: ArchiveRecordSerializer(many=True)})
    def get(self, request):
        """What was archived, rejected, moved or deleted, by whom, when, with each user's watched state;
        `q` searches the titles."""
        q = request.query_params.get("q", "")
        if len(q) > 200:
            return error_response("q: at most 200 characters.")
        records = policy_for(ArchiveRecord).queryset(request.user, "view").select_related("actor")
        if q:
            records = records.filter(title__icontains=q)
        return Response(ArchiveRecordSerializer(records[:200], many=True).data)
