"""API of background services: start, stop, status, interval. SUPER_ADMIN only (the policy)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import exceptions, permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from ..api.errors import error_response
from ..models import ServiceState
from ..policies import policy_for
from . import control, registry

EXAMPLE_STATUS = {"name": "tracker", "label": "Last.fm tracker", "description": "...", "kind": "periodic",
                  "running": True, "interval": 120, "last_check": "2026-02-01T17:40:00.123456+00:00",
                  "next_check": "2026-02-01T17:42:00.123456+00:00", "last_error": "",
                  "last_updated": "2026-02-01T17:39:58.000000+00:00", "tracks_found": 12}


class ServiceStatusSerializer(serializers.Serializer):
    """The status of one service. Its counters follow, one integer each (e.g. `tracks_found`)."""

    name = serializers.CharField()
    label = serializers.CharField()
    description = serializers.CharField()
    kind = serializers.ChoiceField(choices=[registry.PERIODIC, registry.UNIT],
                                   help_text="`periodic`: a django-q2 job every `interval` seconds; "
                                             "`unit`: a process kept running by the supervisor.")
    running = serializers.BooleanField(
        help_text="Whether the service is active; it stays so across restarts.")
    interval = serializers.IntegerField(help_text="Seconds between two checks.")
    last_check = serializers.DateTimeField(allow_null=True)
    next_check = serializers.DateTimeField(allow_null=True)
    last_error = serializers.CharField(
        allow_blank=True, help_text="Why the last check failed, with the technical detail; empty when fine.")
    message = serializers.CharField(
        allow_blank=True, help_text="The same in one sentence for people: what failed and what to do.")
    last_updated = serializers.DateTimeField(allow_null=True, help_text="When it was last started, stopped "
                                                                         "or changed.")
    state = serializers.CharField(required=False, help_text="Supervised services: the unit's state.")
    tracks_found = serializers.IntegerField(required=False, help_text="Tracker: plays stored so far.")


class ActionResultSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["started", "stopped"])


class ServiceChangeSerializer(serializers.Serializer):
    interval = serializers.IntegerField(help_text="Seconds between two checks (10 to 86400 by default).")

    def validate_interval(self, value):
        try:
            return control.validate_interval(value)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict["interval"]) from None


class ServicePermission(permissions.BasePermission):
    """Asks the ServiceState policy: "view" to read a status, "change" for everything else."""

    message = "Only a super admin may see or drive background services."

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        action = "view" if request.method in permissions.SAFE_METHODS else "change"
        return policy_for(ServiceState).allows(request.user, action)


class ServiceView(APIView):
    permission_classes = [ServicePermission]

    def known(self, name: str) -> registry.Service:
        try:
            return registry.get(name)
        except LookupError as exc:
            raise exceptions.NotFound(str(exc)) from None


class StartView(ServiceView):
    @extend_schema(request=None, responses={200: ActionResultSerializer}, tags=["services"],
                   summary="Start a service", description="Marks the service active and runs it now. It "
                   "stays active across restarts of every process until it is stopped.")
    def post(self, request, name):
        self.known(name)
        control.start(request.user, name)
        return Response({"status": "started"})


class StopView(ServiceView):
    @extend_schema(request=None, responses={200: ActionResultSerializer}, tags=["services"],
                   summary="Stop a service")
    def post(self, request, name):
        self.known(name)
        control.stop(request.user, name)
        return Response({"status": "stopped"})


class StatusView(ServiceView):
    @extend_schema(responses={200: ServiceStatusSerializer}, tags=["services"], summary="Status of a service",
                   examples=[OpenApiExample("tracker", value=EXAMPLE_STATUS, response_only=True)])
    def get(self, request, name):
        self.known(name)
        return Response(control.status(name))


class StatusAllView(ServiceView):
    @extend_schema(responses={200: {"type": "object", "additionalProperties": {
                       "$ref": "#/components/schemas/ServiceStatus"}}}, tags=["services"],
                   summary="Status of every service", description="An object keyed by service name.")
    def get(self, request):
        return Response(control.status_all())


class ServiceDetailView(ServiceView):
    @extend_schema(responses={200: ServiceStatusSerializer}, tags=["services"], summary="Status of a service")
    def get(self, request, name):
        self.known(name)
        return Response(control.status(name))

    @extend_schema(request=ServiceChangeSerializer, responses={200: ServiceStatusSerializer},
                   tags=["services"], summary="Change the interval of a periodic service")
    def patch(self, request, name):
        service = self.known(name)
        if service.kind != registry.PERIODIC:
            return error_response(f"Service {name} is a supervised process: it has no interval.")
        form = ServiceChangeSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        control.set_interval(request.user, name, form.validated_data["interval"])
        return Response(control.status(name))
