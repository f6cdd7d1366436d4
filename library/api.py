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
from rest_framework.response import Response
from rest_framework.views import APIView

from mediasuite import media
from mediasuite.api.errors import ErrorSerializer, error_response
from mediasuite.clients import arr
from mediasuite.clients.plex import Plex, PlexNotFound
from mediasuite.policies import policy_for
from mediasuite.policies.drf import policy_allows

from . import actions, bulk, folders, listing
from .models import Action, ArchiveRecord, BulkJob, Preference
from .serializers import (
    ArchiveRecordSerializer,
    BulkJobSerializer,
    BulkSerializer,
    DeleteSerializer,
    ItemActionResultSerializer,
    ItemsPageSerializer,
    ItemsQuerySerializer,
    LibraryOptionsSerializer,
    MoveSerializer,
    SuggestionsSerializer,
    TakeOutSerializer,
    WatchedSerializer,
)

Operator = policy_allows(ArchiveRecord, "change", "Only a super admin may manage the Plex library.")
ERRORS = {400: ErrorSerializer, 404: ErrorSerializer, 409: ErrorSerializer, 502: ErrorSerializer,
          503: ErrorSerializer}


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
