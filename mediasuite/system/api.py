"""API of the self-update: start one, follow one, compare the running and the remote version."""

import logging

from django.conf import settings
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from ..models import UpdateJob
from ..policies import policy_for
from . import git, jobs

logger = logging.getLogger("mediasuite.system")


class UpdateRequestSerializer(serializers.Serializer):
    confirm = serializers.BooleanField(help_text="Must be true: the update restarts the service.")

    def validate_confirm(self, value):
        if value is not True:
            raise serializers.ValidationError("Confirm the update (it restarts the service) with true.")
        return value


class UpdateJobSerializer(serializers.ModelSerializer):
    job_id = serializers.IntegerField(source="pk", read_only=True)
    results = serializers.ListField(child=serializers.DictField(), read_only=True,
                                    help_text="The log: {step, level, message, at} per line.")
    finished = serializers.BooleanField(read_only=True)
    from_version = serializers.SerializerMethodField()
    to_version = serializers.SerializerMethodField()

    class Meta:
        model = UpdateJob
        fields = ["job_id", "state", "finished", "message", "results", "config_restored", "bot_restarted",
                  "service_restart", "restart_method", "branch", "from_commit", "to_commit", "from_version",
                  "to_version", "created_at", "updated_at", "finished_at"]
        read_only_fields = fields

    def get_from_version(self, job) -> str:
        return job.from_commit[:12]

    def get_to_version(self, job) -> str:
        return job.to_commit[:12]


class CommitSerializer(serializers.Serializer):
    commit = serializers.CharField()
    version = serializers.CharField()
    date = serializers.CharField()
    subject = serializers.CharField()


class VersionSerializer(serializers.Serializer):
    running = CommitSerializer(allow_null=True)
    remote = CommitSerializer(allow_null=True)
    branch = serializers.CharField(allow_blank=True)
    update_available = serializers.BooleanField()
    error = serializers.CharField(allow_blank=True, help_text="Why the remote could not be read.")


class UpdatePermission(permissions.BasePermission):
    message = "Only a super admin may see or start updates."

    def has_permission(self, request, view):
        action = "view" if request.method in permissions.SAFE_METHODS else "add"
        return bool(request.user and request.user.is_authenticated
                    and policy_for(UpdateJob).allows(request.user, action))


class UpdateView(APIView):
    permission_classes = [UpdatePermission]
    extra_error_codes = ("409",)

    @extend_schema(request=UpdateRequestSerializer, responses={202: UpdateJobSerializer}, tags=["system"],
                   summary="Update MediaSuite and restart it",
                   description="Starts an update to the latest commit of the tracked branch (one at a time: "
                   "409 while another runs). Follow it with GET /api/system/update/{id} or the `update.*` "
                   "events. `service_restart` says whether the service will restart (AUTO_RESTART_SERVICE).")
    def post(self, request):
        form = UpdateRequestSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        job = jobs.create(request.user)
        try:
            jobs.launch(job)
        except OSError as exc:
            jobs.finish(job, UpdateJob.State.FAILED, f"Could not start the updater: {exc}")
            logger.exception("Could not start the updater of update #%s.", job.pk)
        job.refresh_from_db()
        body = UpdateJobSerializer(job).data
        body["message"] = job.message or ("Update started; the service restarts at the end."
                                          if settings.AUTO_RESTART_SERVICE else
                                          "Update started; AUTO_RESTART_SERVICE is off: restart the "
                                          "service yourself afterwards.")
        return Response(body, status=status.HTTP_202_ACCEPTED)


class UpdateDetailView(APIView):
    permission_classes = [UpdatePermission]

    @extend_schema(responses={200: UpdateJobSerializer}, tags=["system"], summary="One update job")
    def get(self, request, job_id):
        job = policy_for(UpdateJob).queryset(request.user, "view").filter(pk=job_id).first()
        if job is None:
            raise NotFound(f"No update job {job_id}.")
        return Response(UpdateJobSerializer(job).data)


def versions(fetch: bool) -> dict:
    """The running commit and the latest of the tracked branch (fetched first when `fetch`)."""
    body = {"running": None, "remote": None, "branch": "", "update_available": False, "error": ""}
    try:
        body["running"] = git.commit().as_dict()
        body["branch"] = git.upstream()
        if fetch:
            git.fetch(git.remote_of(body["branch"]))
        body["remote"] = git.commit(body["branch"]).as_dict()
        body["update_available"] = body["remote"]["commit"] != body["running"]["commit"]
    except git.GitError as exc:
        body["error"] = str(exc)
    return body


class VersionView(APIView):
    permission_classes = [UpdatePermission]

    @extend_schema(responses={200: VersionSerializer}, tags=["system"], summary="Running and remote version",
                   description="Fetches the tracked branch, then compares its latest commit with the "
                   "running one.")
    def get(self, request):
        return Response(versions(fetch=True))
