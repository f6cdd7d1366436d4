"""The library API's request and response shapes (api.py holds the views)."""

from rest_framework import serializers

from mediasuite import media
from mediasuite.api.fields import OneLine

from . import index
from .models import Action, ArchiveRecord, BulkJob

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
